import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { MonitoringPolicy, monitoringNotFound } from '../auth/policies/monitoring.policy.js';
import { AwardReader, type AwardView } from '../awards/award-reader.js';
import { AwardsService } from '../awards/awards.service.js';
import { DomainError } from '../common/errors.js';
import { formatPence } from '../common/money.js';
import { ClawbacksService } from '../finance/clawbacks.service.js';
import { PotLedger } from '../funds/pot-ledger.service.js';
import { IdempotencyService, type StoredResponse } from '../idempotency/idempotency.service.js';
import { MonitoringReader } from './monitoring-reader.js';

/** Why an award cannot be closed yet: the refusal's code, its sentence, and its figures. */
export interface ClosureBlocker {
  code: string;
  message: string;
  extra: Record<string, unknown>;
}

/** One condition of closing: null when it holds, otherwise what blocks closing. */
export type ClosureCheck = (m: EntityManager, award: AwardView) => Promise<ClosureBlocker | null>;

export interface ClosureResult {
  awardId: string;
  status: string;
  /** The unpaid rest released to the pot on closing, in pence. */
  releasedPence: number;
}

/**
 * Closing an award (a grants officer): allowed only when every closure check holds, in order;
 * the unpaid rest (amount − paid − released) goes back to the pot through the ledger (key
 * `award:<id>:close-release`) and the award's released figure, then the award moves
 * monitoring → closed, all in one transaction.
 */
@Injectable()
export class AwardClosureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly awardReader: AwardReader,
    private readonly awards: AwardsService,
    private readonly reader: MonitoringReader,
    private readonly ledger: PotLedger,
    private readonly policy: MonitoringPolicy,
    private readonly idempotency: IdempotencyService,
    private readonly clawbacks: ClawbacksService,
  ) {}

  /** The conditions of closing, checked in this order; the first that fails is the refusal. */
  readonly checks: ClosureCheck[] = [(m, award) => this.finalReturnAccepted(m, award), (m, award) => this.noClawbackOpen(m, award), (m, award) => this.moneyReconciles(m, award)];

  /** Every condition that blocks closing now (for the close page), in the checks' order; empty when it may close. */
  async blockers(user: AuthenticatedUser, awardId: string): Promise<{ award: AwardView; blockers: ClosureBlocker[] }> {
    const award = await this.awardReader.viewById(awardId);
    if (!award) throw monitoringNotFound('award');
    await this.policy.assert(user, { organisationId: award.organisation.id, awardVisible: award.visibleToApplicant, editable: true }, 'read', 'award');
    const found: ClosureBlocker[] = [];
    if (award.status !== 'monitoring') found.push({ code: 'AWARD.ILLEGAL_TRANSITION', message: `Only an award in monitoring can be closed: this one is ${award.statusLabel.toLowerCase()}`, extra: { awardStatus: award.status } });
    for (const check of this.checks) {
      const blocker = await check(this.dataSource.manager, award);
      if (blocker) found.push(blocker);
    }
    return { award, blockers: found };
  }

  async close(user: AuthenticatedUser, actor: Actor, awardId: string, note: string | null, key?: string): Promise<StoredResponse<ClosureResult>> {
    return this.dataSource.transaction(async (m) =>
      this.idempotency.run(m, { key, callerId: user.id, scope: `POST /api/v1/awards/${awardId}/close`, body: { note } }, 200, async () => {
        const award = await this.awardReader.viewById(awardId, m, { lock: true });
        if (!award) throw monitoringNotFound('award');
        await this.policy.assert(user, { organisationId: award.organisation.id, awardVisible: award.visibleToApplicant, editable: true }, 'close', 'award', m);
        for (const check of this.checks) {
          const blocker = await check(m, award);
          if (blocker) throw new DomainError('conflict', blocker.code, blocker.message, [], blocker.extra);
        }
        const rest = award.outstandingPence;
        if (rest > 0) {
          await this.ledger.release(
            m,
            { potId: award.potId, amountPence: rest, key: `award:${award.id}:close-release`, sourceType: 'award', sourceId: award.id, applicationId: award.applicationId, note: `Unpaid rest released on closing (${award.reference})` },
            actor,
          );
          await this.awards.recordReleased(m, award.id, rest, actor);
        }
        await this.awards.close(m, award.id, actor, note);
        return { awardId: award.id, status: 'closed', releasedPence: Math.max(0, rest) };
      }),
    );
  }

  private async finalReturnAccepted(m: EntityManager, award: AwardView): Promise<ClosureBlocker | null> {
    const final = await this.reader.finalReturn(award.id, m);
    if (final?.status === 'accepted') return null;
    return { code: 'MONITORING.FINAL_RETURN_NOT_ACCEPTED', message: 'The award’s final return must be accepted before it can be closed', extra: { finalReturnStatus: final?.status ?? null } };
  }

  /** Nothing is still owed on a clawback (finance's): money to pay back keeps the award open. */
  private async noClawbackOpen(m: EntityManager, award: AwardView): Promise<ClosureBlocker | null> {
    const open = await this.clawbacks.openClawbacks(award.id, m);
    if (open.length === 0) return null;
    const owedPence = open.reduce((sum, c) => sum + c.outstandingPence, 0);
    return {
      code: 'MONITORING.CLAWBACK_OPEN',
      message: `${formatPence(owedPence)} is still owed on ${open.length === 1 ? 'a clawback' : `${open.length} clawbacks`}: it must be repaid or cancelled before the award can be closed`,
      extra: { openClawbacks: open.length, owedPence },
    };
  }

  /** The ledger holds what the award says: net committed = amount − released, net paid = paid. */
  private async moneyReconciles(m: EntityManager, award: AwardView): Promise<ClosureBlocker | null> {
    const committedPence = await this.ledger.netCommitted(m, { applicationId: award.applicationId });
    const paidPence = await this.ledger.netPaid(m, { applicationId: award.applicationId });
    const expectedCommittedPence = award.amountPence - award.releasedPence;
    if (committedPence === expectedCommittedPence && paidPence === award.paidPence) return null;
    return {
      code: 'MONITORING.MONEY_DOES_NOT_RECONCILE',
      message: `The ledger does not match the award: it holds ${formatPence(committedPence)} committed and ${formatPence(paidPence)} paid, where the award says ${formatPence(expectedCommittedPence)} and ${formatPence(award.paidPence)}`,
      extra: { ledgerCommittedPence: committedPence, awardCommittedPence: expectedCommittedPence, ledgerPaidPence: paidPence, awardPaidPence: award.paidPence },
    };
  }
}
