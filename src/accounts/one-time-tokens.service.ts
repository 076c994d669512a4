import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../common/errors.js';
import { hashSecret, newSecret } from '../auth/token-secrets.js';
import { assertValid, hashPassword, passwordErrors } from './account-rules.js';
import { OneTimeToken, type OneTimeTokenPurpose } from './one-time-token.entity.js';
import { User } from './user.entity.js';

/** How long each kind of emailed link lasts. */
export const LINK_LIFETIME_MS: Record<OneTimeTokenPurpose, number> = {
  verify_email: 24 * 3600_000,
  reset_password: 3600_000,
  staff_invite: 7 * 24 * 3600_000,
};

const LINK_NAMES: Record<OneTimeTokenPurpose, string> = {
  verify_email: 'email confirmation link',
  reset_password: 'password reset link',
  staff_invite: 'invitation link',
};

// What newSecret() makes: 32 random bytes as base64url.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * Single-use, expiring links sent by email (confirm your email, reset your password, accept a
 * staff invitation). Only the SHA-256 of a token is stored; using one marks it, and every other
 * unused link of the same kind for that person, as used.
 */
@Injectable()
export class OneTimeTokensService {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes links used or expired and older than `days` days (housekeeping); returns how many. */
  async purgeSpent(days: number): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(OneTimeToken)
      .where('(used_at IS NOT NULL OR expires_at < now()) AND created_at < now() - make_interval(days => :days)', { days })
      .execute();
    return result.affected ?? 0;
  }

  async issue(manager: EntityManager, userId: string, purpose: OneTimeTokenPurpose): Promise<{ token: string; expiresAt: Date }> {
    const { secret, hash } = newSecret();
    const expiresAt = new Date(Date.now() + LINK_LIFETIME_MS[purpose]);
    await manager.insert(OneTimeToken, { userId, purpose, tokenHash: hash, expiresAt, usedAt: null });
    return { token: secret, expiresAt };
  }

  /** The live token row, or a coded error (TOKEN.INVALID 400, TOKEN.USED / TOKEN.EXPIRED 410). */
  async check(token: unknown, purpose: OneTimeTokenPurpose, manager?: EntityManager, lock = false): Promise<OneTimeToken> {
    const name = LINK_NAMES[purpose];
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) {
      throw new DomainError('bad_request', 'TOKEN.INVALID', `This ${name} is not valid. Check you copied the whole link from the email.`);
    }
    const qb = (manager ?? this.dataSource.manager)
      .getRepository(OneTimeToken)
      .createQueryBuilder('t')
      .where('t.token_hash = :hash AND t.purpose = :purpose', { hash: hashSecret(token), purpose });
    if (lock) qb.setLock('pessimistic_write');
    const row = await qb.getOne();
    if (!row) throw new DomainError('bad_request', 'TOKEN.INVALID', `This ${name} is not valid. Check you copied the whole link from the email.`);
    if (row.usedAt) throw new DomainError('gone', 'TOKEN.USED', `This ${name} has already been used. Each link works once.`, [], { purpose });
    if (row.expiresAt.getTime() <= Date.now()) {
      throw new DomainError('gone', 'TOKEN.EXPIRED', `This ${name} has expired.`, [], { purpose });
    }
    return row;
  }

  /** Checks and uses a token inside the caller's transaction (the row is locked, so it is used once). */
  async consume(manager: EntityManager, token: unknown, purpose: OneTimeTokenPurpose): Promise<OneTimeToken> {
    const row = await this.check(token, purpose, manager, true);
    await manager.query(
      `UPDATE one_time_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`,
      [row.userId, purpose],
    );
    return row;
  }
  /**
   * Sets a person's password from an emailed link (a reset or a staff invitation), which also
   * confirms their address: checks the link and the password first (a bad password leaves the link
   * usable), then, in one transaction, uses the link up, stores the hash and runs `andThen` (each
   * caller's own audit, emails, ending of sessions).
   */
  async setPasswordWithLink(
    token: unknown,
    purpose: 'reset_password' | 'staff_invite',
    password: string,
    andThen: (manager: EntityManager, user: User) => Promise<void>,
  ): Promise<User> {
    const link = await this.check(token, purpose);
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: link.userId });
    assertValid(passwordErrors(password, user.email));
    const passwordHash = await hashPassword(password);
    await this.dataSource.transaction(async (m) => {
      await this.consume(m, token, purpose);
      await m.query(
        `UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now(),
                email_verified_at = COALESCE(email_verified_at, now()) WHERE id = $1`,
        [user.id, passwordHash],
      );
      await andThen(m, user);
    });
    return user;
  }
}
