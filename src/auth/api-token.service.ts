import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiToken, type ApiTokenKind } from './api-token.entity.js';
import { hashSecret, newSecret } from './token-secrets.js';

export const TOKEN_PREFIX = 'scf_';
export const SIGN_IN_TOKEN_HOURS = 12;
export const MAX_PERSONAL_TOKEN_DAYS = 366;

/** A stored token as other modules see it (never the secret, never the hash). */
export type ApiTokenRecord = Pick<ApiToken, 'id' | 'userId' | 'kind' | 'name' | 'tokenPrefix' | 'createdAt' | 'expiresAt' | 'lastUsedAt' | 'revokedAt'>;

/** Issues, checks and revokes API bearer tokens. */
@Injectable()
export class ApiTokenService {
  constructor(private readonly dataSource: DataSource) {}

  async issue(
    manager: EntityManager,
    userId: string,
    kind: ApiTokenKind,
    name: string,
    expiresAt: Date,
  ): Promise<{ token: string; record: ApiTokenRecord }> {
    const { secret, hash } = newSecret(TOKEN_PREFIX);
    const record = manager.create(ApiToken, {
      userId,
      kind,
      name,
      tokenHash: hash,
      tokenPrefix: secret.slice(0, 12),
      expiresAt,
      revokedAt: null,
      lastUsedAt: null,
    });
    await manager.save(record);
    return { token: secret, record };
  }

  /**
   * The user id behind a live token, or null. Checking is a read; "last used" is written at most
   * once a minute per token, so API calls are not each a write.
   */
  async verify(token: string): Promise<string | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const hash = hashSecret(token);
    const rows: { id: string; user_id: string; stale: boolean }[] = await this.dataSource.query(
      `SELECT id, user_id, (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale
         FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.stale) await this.dataSource.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [row.id]);
    return row.user_id;
  }

  /** One page of a person's personal tokens, newest first. */
  async pagePersonal(userId: string, page: number, pageSize: number): Promise<{ rows: ApiTokenRecord[]; total: number }> {
    const [rows, total] = await this.dataSource.getRepository(ApiToken).findAndCount({
      where: { userId, kind: 'personal' },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { rows, total };
  }

  /** How many personal tokens of the person are live (not revoked, not expired). */
  async countLivePersonal(manager: EntityManager, userId: string): Promise<number> {
    return manager
      .getRepository(ApiToken)
      .createQueryBuilder('t')
      .where(`t.user_id = :userId AND t.kind = 'personal' AND t.revoked_at IS NULL AND t.expires_at > now()`, { userId })
      .getCount();
  }

  /**
   * Revokes one of the person's own personal tokens (row-locked); null when there is no such token
   * of theirs. `revoked` is false when it had already been revoked (repeating is harmless).
   */
  async revokePersonal(manager: EntityManager, userId: string, tokenId: string): Promise<{ token: ApiTokenRecord; revoked: boolean } | null> {
    const token = await manager
      .getRepository(ApiToken)
      .createQueryBuilder('t')
      .where('t.id = :id AND t.user_id = :userId AND t.kind = :kind', { id: tokenId, userId, kind: 'personal' })
      .setLock('pessimistic_write')
      .getOne();
    if (!token) return null;
    if (token.revokedAt) return { token, revoked: false };
    token.revokedAt = new Date();
    await manager.update(ApiToken, { id: token.id }, { revokedAt: token.revokedAt });
    return { token, revoked: true };
  }

  /** Deletes tokens revoked or expired and older than `days` days (housekeeping); returns how many. */
  async purgeEnded(days: number): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(ApiToken)
      .where('(revoked_at IS NOT NULL OR expires_at < now()) AND created_at < now() - make_interval(days => :days)', { days })
      .execute();
    return result.affected ?? 0;
  }

  /** Ends every token of a user (account disabled, password changed). */
  async revokeAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }
}
