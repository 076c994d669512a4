import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors.js';

/** The caller's Idempotency-Key for one request; absent header = no idempotency (the change is made each time). */
export interface IdempotentRequest {
  key: string | null | undefined;
  /** The signed-in caller (keys are scoped per caller). */
  callerId: string;
  /** The route and the resource it acts on, e.g. `POST /api/v1/panels/<id>/decisions`. */
  scope: string;
  /** The parsed body: the same key with another body is refused. */
  body: unknown;
}

export interface StoredResponse<T> {
  status: number;
  body: T;
  /** True when this is the stored answer to an earlier request with the key. */
  replayed: boolean;
}

const KEY_PATTERN = /^[A-Za-z0-9._:~-]{1,200}$/;

/** JSON with object keys sorted, so two equal bodies hash the same whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const requestHash = (scope: string, body: unknown): string => createHash('sha256').update(`${scope}\n${canonical(body)}`).digest('hex');

/**
 * THE idempotency mechanism (../shared/DESIGN.md), for every route that creates decisions or money
 * movements. Inside the use case's transaction: a transaction-scoped advisory lock on (caller, key)
 * makes concurrent requests with one key wait for the first to commit; then the stored row decides:
 * the same request replays the stored status and body, another request is 422 IDEMPOTENCY.KEY_REUSED;
 * with no row the work runs and its response is stored in the same transaction (so a failed change
 * stores nothing and the key may be tried again).
 */
@Injectable()
export class IdempotencyService {
  async run<T>(m: EntityManager, request: IdempotentRequest, status: number, work: () => Promise<T>): Promise<StoredResponse<T>> {
    if (!m.queryRunner?.isTransactionActive) throw new Error('IdempotencyService.run needs the use case transaction');
    const key = request.key?.trim();
    if (!key) return { status, body: this.plain(await work()), replayed: false };
    if (!KEY_PATTERN.test(key)) {
      const message = 'The Idempotency-Key must be 1 to 200 letters, digits or . _ : ~ -';
      throw new DomainError('validation', 'IDEMPOTENCY.KEY_INVALID', message, [{ field: 'Idempotency-Key', code: 'IDEMPOTENCY.KEY_INVALID', message }]);
    }
    const hash = requestHash(request.scope, request.body);
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`idempotency:${request.callerId}:${key}`]);
    const [stored]: { scope: string; request_hash: string; response_status: number; response_body: T }[] = await m.query(
      `SELECT scope, request_hash, response_status, response_body FROM idempotency_keys WHERE caller_id = $1 AND key = $2`,
      [request.callerId, key],
    );
    if (stored) {
      if (stored.request_hash !== hash) {
        throw new DomainError('validation', 'IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was already used for a different request: use a new key for a new request');
      }
      return { status: stored.response_status, body: stored.response_body, replayed: true };
    }
    const body = this.plain(await work());
    await m.query(`INSERT INTO idempotency_keys (caller_id, key, scope, request_hash, response_status, response_body) VALUES ($1, $2, $3, $4, $5, $6::json)`, [
      request.callerId,
      key,
      request.scope,
      hash,
      status,
      JSON.stringify(body),
    ]);
    return { status, body, replayed: false };
  }

  /** The body as JSON would carry it (dates as strings), so the first answer and a replay are identical. */
  private plain<T>(body: T): T {
    return body === undefined ? body : (JSON.parse(JSON.stringify(body)) as T);
  }
}
