import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { MonitoringReturn, ReturnTransition } from './monitoring.entity.js';
import { assertReturnMove, type ReturnActor, type ReturnStatus } from './return-lifecycle.js';

export const returnMissing = () => new DomainError('not_found', 'MONITORING.RETURN_NOT_FOUND', 'Return was not found');

/** Columns a return's move may set besides its status. */
export type ReturnPatch = Partial<Pick<MonitoringReturn, 'submittedAt' | 'submittedBy' | 'reviewedAt' | 'reviewedBy' | 'reviewNote'>>;

/**
 * The one place a return changes status: asks the lifecycle table, updates only if the status is
 * still what the caller read (under its row lock), records the move and the audit, in the
 * caller's transaction.
 */
@Injectable()
export class ReturnMoves {
  constructor(private readonly audit: AuditService) {}

  async locked(m: EntityManager, returnId: string): Promise<MonitoringReturn | null> {
    if (!isUuid(returnId)) return null;
    return m.findOne(MonitoringReturn, { where: { id: returnId }, lock: { mode: 'pessimistic_write' } });
  }

  async move(m: EntityManager, ret: MonitoringReturn, to: ReturnStatus, by: ReturnActor, actor: Actor, options: { note?: string | null; patch?: ReturnPatch } = {}): Promise<MonitoringReturn> {
    assertReturnMove(ret.status, to, by);
    const result = await m.update(MonitoringReturn, { id: ret.id, status: ret.status }, { ...(options.patch ?? {}), status: to, version: ret.version + 1 });
    if (!result.affected) throw new DomainError('conflict', 'MONITORING.RETURN_CHANGED', 'The return was changed by someone else: reload it', [], { returnId: ret.id });
    await m.insert(ReturnTransition, { returnId: ret.id, fromStatus: ret.status, toStatus: to, madeAs: by, actorUserId: actor.userId, actorLabel: actor.label, note: options.note ?? null });
    await this.audit.record(m, actor, {
      action: `return.${to}`,
      entityType: 'monitoring_return',
      entityId: ret.id,
      before: { status: ret.status },
      after: { status: to, ...(options.note ? { note: options.note } : {}) },
      reason: options.note ?? null,
    });
    return (await m.findOne(MonitoringReturn, { where: { id: ret.id } }))!;
  }
}
