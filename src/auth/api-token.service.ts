import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../common/errors.js';
import { ApiToken, type ApiTokenKind } from './api-token.entity.js';
import { hashSecret, newSecret } from './token-secrets.js';

export const TOKEN_PREFIX = 'scf_';
export const SIGN_IN_TOKEN_HOURS = 12;
export const MAX_PERSONAL_TOKEN_DAYS = 366;

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
  ): Promise<{ token: string; record: ApiToken }> {
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

  async listPersonal(userId: string): Promise<ApiToken[]> {
    return this.dataSource.getRepository(ApiToken).find({
      where: { userId, kind: 'personal' },
      order: { createdAt: 'DESC' },
    });
  }

  async revoke(manager: EntityManager, userId: string, tokenId: string): Promise<ApiToken> {
    const token = await manager.findOne(ApiToken, { where: { id: tokenId, userId } });
    if (!token) throw new DomainError('not_found', 'TOKEN.NOT_FOUND', 'That token was not found');
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      await manager.save(token);
    }
    return token;
  }

  /** Ends every token of a user (account disabled, password changed). */
  async revokeAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }
}
