import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { clawbackNotFound } from '../auth/policies/clawback.policy.js';
import { RepaymentPolicy } from '../auth/policies/repayment.policy.js';
import { AuditService } from '../audit/audit.service.js';
import { AwardsService } from '../awards/awards.service.js';
import { isIsoDate } from '../common/dates.js';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatPence } from '../common/money.js';
import { PotLedger } from '../funds/pot-ledger.service.js';
import { IdempotencyService, type StoredResponse } from '../idempotency/idempotency.service.js';
import { AwardMoneyAccess } from './award-money-access.js';
import { assertClawbackMove, clawbackStatusFor } from './clawback-lifecycle.js';
import { ClawbacksService } from './clawbacks.service.js';
import { lockAwardMoney } from './finance-access.js';
import { REPAYMENT_REASONS, type RepaymentReason } from './repayment.entity.js';
import { repaymentView, type ClawbackView, type RepaymentRow, type RepaymentView } from './repayment-records.js';

export interface RepaymentInput {
  amountPence: number;
  receivedOn: string;
  reference: string;
  reason: RepaymentReason;
  clawbackId?: string | null;
}

function checked(input: RepaymentInput): RepaymentInput & { reference: string } {
  const errors: FieldError[] = [];
  if (!Number.isSafeInteger(input.amountPence) || input.amountPence <= 0) errors.push({ field: 'amountPence', code: 'REPAYMENT.INVALID_AMOUNT', message: 'Enter the amount received as a whole number of pence, more than 0' });
  if (!isIsoDate(input.receivedOn)) errors.push({ field: 'receivedOn', code: 'REPAYMENT.INVALID_DATE', message: 'Enter the date the money was received as a real date, for example 2031-04-30' });
  const reference = typeof input.reference === 'string' ? input.reference.trim() : '';
  if (!reference) errors.push({ field: 'reference', code: 'REPAYMENT.REFERENCE_REQUIRED', message: 'Enter the bank reference the money came in under' });
  if (!(REPAYMENT_REASONS as readonly string[]).includes(input.reason)) errors.push({ field: 'reason', code: 'REPAYMENT.INVALID_REASON', message: 'Choose why the money came back' });
  if (input.clawbackId && input.reason !== 'clawback') errors.push({ field: 'clawbackId', code: 'REPAYMENT.CLAWBACK_REASON', message: 'Money against a clawback has the reason clawback' });
  if (errors.length) throw validationFailed(errors, errors[0].message);
  return { ...input, reference };
}

/**
 * Money received back from an organisation, recorded once by finance (Idempotency-Key). In ONE
 * transaction: the repayment row, the ledger's repayment and release of that money back to the
 * pot (keys `repayment:<id>` and `repayment:<id>:release`), the award's paid down and released up
 * (AwardsService.recordRepaid), the clawback it pays (partly repaid, then repaid) and the audit.
 */
@Injectable()
export class RepaymentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AwardMoneyAccess,
    private readonly policy: RepaymentPolicy,
    private readonly clawbacks: ClawbacksService,
    private readonly awards: AwardsService,
    private readonly ledger: PotLedger,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
  ) {}

  async record(user: AuthenticatedUser, actor: Actor, awardId: string, body: RepaymentInput, key: string | undefined): Promise<StoredResponse<RepaymentView>> {
    return this.dataSource.transaction((m) =>
      this.idempotency.run(m, { key, callerId: user.id, scope: `POST /api/v1/awards/${awardId}/repayments`, body }, 201, async () => {
        const award = await this.access.award(awardId, m);
        await this.policy.assert(user, this.access.facts(award), 'record', m);
        const input = checked(body);
        await lockAwardMoney(m, awardId);
        const clawback = input.reason === 'clawback' ? await this.clawbackFor(m, awardId, input) : null;
        const id = randomUUID();
        const [row]: RepaymentRow[] = await m.query(
          `INSERT INTO repayments (id, award_id, clawback_id, amount_pence, received_on, reference, reason, recorded_by, recorded_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
          [id, awardId, clawback?.id ?? null, input.amountPence, input.receivedOn, input.reference, input.reason, actor.userId, actor.label],
        );
        await this.awards.recordRepaid(m, awardId, input.amountPence, { release: true }, actor);
        const move = { potId: award.potId, amountPence: input.amountPence, sourceType: 'repayment', sourceId: id, applicationId: award.applicationId, note: `Money received back on ${award.reference} (${input.reason})` };
        await this.ledger.repay(m, { ...move, key: `repayment:${id}` }, actor);
        await this.ledger.release(m, { ...move, key: `repayment:${id}:release` }, actor);
        if (clawback) await this.payClawback(m, clawback, input.amountPence, actor);
        await this.audit.record(m, actor, {
          action: 'repayment.recorded',
          entityType: 'repayment',
          entityId: id,
          after: { awardId, amountPence: input.amountPence, receivedOn: input.receivedOn, reference: input.reference, reason: input.reason, clawbackId: clawback?.id ?? null },
        });
        return repaymentView(row);
      }),
    );
  }

  /** The award's repayments, newest first (404 for anyone who may not read the award). */
  async list(user: AuthenticatedUser, awardId: string): Promise<RepaymentView[]> {
    const award = await this.access.award(awardId);
    await this.policy.assert(user, this.access.facts(award), 'read');
    const rows: RepaymentRow[] = await this.dataSource.query(`SELECT * FROM repayments WHERE award_id = $1 ORDER BY received_on DESC, created_at DESC`, [awardId]);
    return rows.map(repaymentView);
  }

  /** The clawback money for reason 'clawback' pays: the one named, else the award's oldest still owed. */
  private async clawbackFor(m: EntityManager, awardId: string, input: RepaymentInput): Promise<ClawbackView> {
    let clawbackId = input.clawbackId ?? null;
    if (!clawbackId) {
      const [oldest] = await this.clawbacks.openClawbacks(awardId, m);
      if (!oldest) throw validationFailed([{ field: 'clawbackId', code: 'REPAYMENT.NO_OPEN_CLAWBACK', message: 'This award has no clawback still owed: choose another reason' }]);
      clawbackId = oldest.id;
    }
    if (!isUuid(clawbackId)) throw clawbackNotFound();
    const clawback = await this.clawbacks.locked(m, clawbackId);
    if (clawback.awardId !== awardId) throw clawbackNotFound();
    if (!clawback.open) throw new DomainError('conflict', 'CLAWBACK.NOT_OPEN', `This clawback is ${clawback.statusLabel.toLowerCase()}: nothing more is owed on it`, [], { clawbackStatus: clawback.status });
    if (input.amountPence > clawback.outstandingPence) {
      throw new DomainError('conflict', 'REPAYMENT.MORE_THAN_DUE', `Only ${formatPence(clawback.outstandingPence)} is still owed on this clawback`, [], {
        outstandingPence: clawback.outstandingPence,
        requestedPence: input.amountPence,
      });
    }
    return clawback;
  }

  private async payClawback(m: EntityManager, clawback: ClawbackView, pence: number, actor: Actor): Promise<void> {
    const repaid = clawback.repaidPence + pence;
    const to = clawbackStatusFor(clawback.amountPence, repaid);
    assertClawbackMove(clawback.status, to, 'repayment');
    await m.query(`UPDATE clawbacks SET repaid_pence = $2, status = $3, version = version + 1, updated_at = now() WHERE id = $1`, [clawback.id, repaid, to]);
    await this.audit.record(m, actor, {
      action: `clawback.${to}`,
      entityType: 'clawback',
      entityId: clawback.id,
      before: { status: clawback.status, repaidPence: clawback.repaidPence },
      after: { status: to, repaidPence: repaid },
    });
  }
}
