import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditEvent } from './audit-event.entity.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/** Keys never written to the audit trail. */
const SECRET_KEYS = new Set(['passwordHash', 'password', 'tokenHash', 'token', 'secret']);

function redact(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.has(key)) out[key] = v == null ? null : '[redacted]';
    else if (v instanceof Date) out[key] = v.toISOString();
    else out[key] = v;
  }
  return out;
}

/** One event of the trail as other modules read it. */
export type AuditRecord = Pick<
  AuditEvent,
  'id' | 'occurredAt' | 'actorUserId' | 'actorLabel' | 'action' | 'entityType' | 'entityId' | 'before' | 'after' | 'reason' | 'requestId'
>;

export interface AuditQuery {
  entityType?: string;
  entityId?: string;
  actorUserId?: string;
  page: number;
  pageSize: number;
}

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a change inside the use case's transaction, so the audit commits with the change (and
   * rolls back with it). Refuses a manager outside a transaction: an audit row written on its own
   * would survive a change that failed, or be lost from one that committed.
   */
  async record(manager: EntityManager, actor: Actor, entry: AuditEntry): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Audit of "${entry.action}" outside a transaction: pass the use case's transaction manager`);
    }
    await manager.insert(AuditEvent, {
      actorUserId: actor.userId,
      actorLabel: actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: redact(entry.before) as never,
      after: redact(entry.after) as never,
      reason: entry.reason ?? null,
      requestId: actor.requestId ?? null,
    });
  }

  async list(query: AuditQuery): Promise<{ items: AuditRecord[]; total: number }> {
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('a');
    if (query.entityType) qb.andWhere('a.entity_type = :t', { t: query.entityType });
    if (query.entityId) qb.andWhere('a.entity_id = :i', { i: query.entityId });
    if (query.actorUserId) qb.andWhere('a.actor_user_id = :u', { u: query.actorUserId });
    qb.orderBy('a.id', 'DESC').skip((query.page - 1) * query.pageSize).take(query.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }
}
