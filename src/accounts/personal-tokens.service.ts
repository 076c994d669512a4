import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { ApiTokenService, MAX_PERSONAL_TOKEN_DAYS, type ApiTokenRecord } from '../auth/api-token.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { assertValid, expiryDaysErrors, tokenNameErrors } from './account-rules.js';

export interface PersonalTokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** active, expired or revoked, for people reading the list. */
  status: 'active' | 'expired' | 'revoked';
}

/** A person may hold this many live personal access tokens at once. */
export const MAX_ACTIVE_PERSONAL_TOKENS = 25;

const tokenNotFound = () => new DomainError('not_found', 'TOKEN.NOT_FOUND', 'That token was not found');

export function tokenView(token: ApiTokenRecord, now = Date.now()): PersonalTokenView {
  return {
    id: token.id,
    name: token.name,
    prefix: token.tokenPrefix,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
    status: token.revokedAt ? 'revoked' : token.expiresAt.getTime() <= now ? 'expired' : 'active',
  };
}

/** A person's own personal access tokens: list, create (within a limit) and revoke. The tokens themselves are auth's. */
@Injectable()
export class PersonalTokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly apiTokens: ApiTokenService,
  ) {}

  async listTokens(userId: string, page = 1, pageSize = 50): Promise<{ items: PersonalTokenView[]; total: number; page: number; pageSize: number }> {
    const { rows, total } = await this.apiTokens.pagePersonal(userId, page, pageSize);
    return { items: rows.map((r) => tokenView(r)), total, page, pageSize };
  }

  /** Creates a named personal access token; the secret is returned here and never again. */
  async createToken(
    userId: string,
    input: { name: string; expiresInDays: string | number },
    actor: Actor,
  ): Promise<{ token: string; view: PersonalTokenView }> {
    assertValid([...tokenNameErrors(input.name), ...expiryDaysErrors(input.expiresInDays)]);
    const days = Math.min(Number(input.expiresInDays), MAX_PERSONAL_TOKEN_DAYS);
    const name = input.name.trim();
    return this.dataSource.transaction(async (m) => {
      // One person's token creations queue up here, so the limit holds under concurrency.
      await m.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [userId]);
      const count = await this.apiTokens.countLivePersonal(m, userId);
      if (count >= MAX_ACTIVE_PERSONAL_TOKENS) {
        throw new DomainError(
          'conflict',
          'TOKEN.LIMIT_REACHED',
          `You already have ${MAX_ACTIVE_PERSONAL_TOKENS} active tokens. Revoke one you no longer use first.`,
        );
      }
      const { token, record } = await this.apiTokens.issue(m, userId, 'personal', name, new Date(Date.now() + days * 24 * 3600_000));
      await this.audit.record(m, actor, {
        action: 'api_token.created',
        entityType: 'api_token',
        entityId: record.id,
        after: { userId, name, kind: 'personal', prefix: record.tokenPrefix, expiresAt: record.expiresAt },
      });
      return { token, view: tokenView(record) };
    });
  }

  /** Revokes one of the person's own personal tokens; anyone else's id is not found. Repeating is harmless. */
  async revokeToken(userId: string, tokenId: string, actor: Actor): Promise<PersonalTokenView> {
    if (!isUuid(tokenId)) throw tokenNotFound();
    return this.dataSource.transaction(async (m) => {
      const result = await this.apiTokens.revokePersonal(m, userId, tokenId);
      if (!result) throw tokenNotFound();
      const { token, revoked } = result;
      if (revoked) {
        await this.audit.record(m, actor, {
          action: 'api_token.revoked',
          entityType: 'api_token',
          entityId: token.id,
          before: { revokedAt: null },
          after: { revokedAt: token.revokedAt, name: token.name, userId },
        });
      }
      return tokenView(token);
    });
  }
}
