import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { AwardsService } from '../awards/awards.service.js';
import { isIsoDate } from '../common/dates.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatPence, parsePence } from '../common/money.js';
import { PotLedger } from '../funds/pot-ledger.service.js';
import { IdempotencyService, type StoredResponse } from '../idempotency/idempotency.service.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { assertPayable, FinanceAccess, lockAwardMoney, type FinanceAward } from './finance-access.js';
import { Payment, PaymentInstalment } from './finance.entity.js';
import { assertPaymentMove, PAYMENT_STATUS_LABELS, type PaymentStatus } from './payment-lifecycle.js';
import { PaymentSchedulesService } from './payment-schedules.service.js';
import { PaymentSettingsService } from './payment-settings.service.js';

export interface PaymentInput {
  instalmentId?: string | null;
  amountPence: number;
  paidOn: string;
  reference: string;
}

export interface PaymentView {
  id: string;
  awardId: string;
  instalmentId: string | null;
  amountPence: number;
  paidOn: string;
  reference: string;
  status: PaymentStatus;
  statusLabel: string;
  recordedBy: string;
  recordedByUserId: string;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  createdAt: Date;
}

export const paymentView = (p: Payment): PaymentView => ({
  id: p.id,
  awardId: p.awardId,
  instalmentId: p.instalmentId,
  amountPence: parsePence(p.amountPence),
  paidOn: p.paidOn,
  reference: p.reference,
  status: p.status,
  statusLabel: PAYMENT_STATUS_LABELS[p.status],
  recordedBy: p.recordedBy,
  recordedByUserId: p.recordedByUserId,
  decidedBy: p.decidedBy,
  decidedAt: p.decidedAt,
  decisionNote: p.decisionNote,
  createdAt: p.createdAt,
});

const paymentNotFound = () => new DomainError('not_found', 'FINANCE.PAYMENT_NOT_FOUND', 'Payment was not found');
const invalid = (field: string, message: string) => new DomainError('validation', 'FINANCE.PAYMENT_INVALID', message, [{ field, code: 'FINANCE.PAYMENT_INVALID', message }]);

/**
 * Payments against an award, recorded by a finance officer under a required Idempotency-Key (a
 * retry returns the first answer; ten at once make one payment). One above the fund's approval
 * threshold waits for a second finance officer; counting a payment is ONE transaction: the award's
 * paid amount (AwardsService.recordPaid), the ledger's payment (key payment:<id>), the instalment's
 * paid amount and the audit. Every path takes the award's money lock first, so however many
 * arrive at once paid plus waiting never passes the award.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: FinanceAccess,
    private readonly bank: BankAccountsService,
    private readonly schedules: PaymentSchedulesService,
    private readonly settings: PaymentSettingsService,
    private readonly awards: AwardsService,
    private readonly ledger: PotLedger,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthenticatedUser, awardId: string): Promise<{ items: PaymentView[] }> {
    await this.access.award(user, awardId, 'read');
    const rows = await this.dataSource.manager.find(Payment, { where: { awardId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return { items: rows.map(paymentView) };
  }

  async record(user: AuthenticatedUser, actor: Actor, awardId: string, body: PaymentInput, key: string | undefined): Promise<StoredResponse<PaymentView>> {
    if (!key?.trim()) {
      const message = 'Send an Idempotency-Key header with every payment, so a retry cannot pay twice';
      throw new DomainError('validation', 'FINANCE.IDEMPOTENCY_KEY_REQUIRED', message, [{ field: 'Idempotency-Key', code: 'FINANCE.IDEMPOTENCY_KEY_REQUIRED', message }]);
    }
    return this.dataSource.transaction((m) =>
      this.idempotency.run(m, { key, callerId: user.id, scope: `POST /api/v1/awards/${awardId}/payments`, body }, 201, async () => {
        await this.access.award(user, awardId, 'pay', m);
        await lockAwardMoney(m, awardId);
        const award = (await this.access.record(awardId, m))!;
        if (!isIsoDate(body.paidOn)) throw invalid('paidOn', 'Give the date of the payment as YYYY-MM-DD');
        if (!Number.isSafeInteger(body.amountPence) || body.amountPence <= 0) throw invalid('amountPence', 'A payment is a positive whole number of pence');
        if (!body.reference?.trim()) throw invalid('reference', 'Give the payment’s reference');
        assertPayable(award);
        await this.assertBankVerified(m, awardId);
        const instalment = await this.checkInstalment(m, award, body.instalmentId ?? null, body.amountPence);
        const [{ waiting }]: { waiting: string }[] = await m.query(`SELECT COALESCE(SUM(amount_pence), 0)::text AS waiting FROM payments WHERE award_id = $1 AND status IN ('recorded', 'awaiting_approval')`, [awardId]);
        const outstanding = award.amountPence - award.paidPence - award.releasedPence - parsePence(waiting);
        if (body.amountPence > outstanding) {
          throw new DomainError('conflict', 'AWARD.OVERPAID', `This would take payments past the award: ${formatPence(outstanding)} is left to pay (counting payments waiting for approval) and ${formatPence(body.amountPence)} was asked for`, [], {
            outstandingPence: outstanding,
            requestedPence: body.amountPence,
            amountPence: award.amountPence,
            paidPence: award.paidPence,
            awaitingApprovalPence: parsePence(waiting),
          });
        }
        const round = await this.settings.roundPlan(award.roundId, m);
        const needsApproval = await this.settings.needsApproval(round.fundId, body.amountPence, m);
        const payment = await m.save(
          m.create(Payment, {
            awardId,
            instalmentId: instalment?.id ?? null,
            amountPence: String(body.amountPence),
            paidOn: body.paidOn,
            reference: body.reference.trim(),
            status: needsApproval ? 'awaiting_approval' : 'recorded',
            recordedByUserId: user.id,
            recordedBy: actor.label,
          }),
        );
        await this.audit.record(m, actor, {
          action: 'finance.payment_recorded',
          entityType: 'payment',
          entityId: payment.id,
          after: { awardId, instalmentId: payment.instalmentId, amountPence: body.amountPence, paidOn: body.paidOn, reference: payment.reference, status: payment.status },
        });
        return paymentView(needsApproval ? payment : await this.count(m, award, payment, 'recorder', user, actor, null));
      }),
    );
  }

  /** A second finance officer approves a payment waiting for it: it is counted now (403 FINANCE.APPROVE_OWN_PAYMENT for its recorder). */
  async approve(user: AuthenticatedUser, actor: Actor, paymentId: string, note: string | null): Promise<PaymentView> {
    return this.dataSource.transaction(async (m) => {
      const { payment, award } = await this.lockedPayment(m, user, paymentId);
      assertPaymentMove(payment.status, 'paid', payment.recordedByUserId === user.id ? 'recorder' : 'other_finance_officer');
      assertPayable(award);
      await this.assertBankVerified(m, award.id);
      if (payment.instalmentId) {
        const instalment = await m.findOneBy(PaymentInstalment, { id: payment.instalmentId });
        if (instalment?.condition && !instalment.conditionMetAt) throw this.conditionUnmet();
      }
      return paymentView(await this.count(m, award, payment, 'other_finance_officer', user, actor, note));
    });
  }

  /** A payment waiting for approval is turned down (by its recorder or another finance officer): it holds no money any more. */
  async reject(user: AuthenticatedUser, actor: Actor, paymentId: string, note: string | null): Promise<PaymentView> {
    return this.dataSource.transaction(async (m) => {
      const { payment } = await this.lockedPayment(m, user, paymentId);
      assertPaymentMove(payment.status, 'rejected', payment.recordedByUserId === user.id ? 'recorder' : 'other_finance_officer');
      await m.update(Payment, { id: payment.id }, { status: 'rejected', decidedByUserId: user.id, decidedBy: actor.label, decidedAt: new Date(), decisionNote: note });
      await this.audit.record(m, actor, { action: 'finance.payment_rejected', entityType: 'payment', entityId: payment.id, before: { status: payment.status }, after: { status: 'rejected', note } });
      return paymentView(await m.findOneByOrFail(Payment, { id: payment.id }));
    });
  }

  /** The payment and its award, under the award's money lock; the finance policy decides first (404, 403). */
  private async lockedPayment(m: EntityManager, user: AuthenticatedUser, paymentId: string): Promise<{ payment: Payment; award: FinanceAward }> {
    const found = isUuid(paymentId) ? await m.findOneBy(Payment, { id: paymentId }) : null;
    if (!found) throw paymentNotFound();
    await this.access.award(user, found.awardId, 'approve_payment', m);
    await lockAwardMoney(m, found.awardId);
    const payment = await m.findOneByOrFail(Payment, { id: paymentId });
    return { payment, award: (await this.access.record(found.awardId, m))! };
  }

  /** Counts the payment: the award's paid amount, the ledger, the instalment, the payment's status and the audit, in `m`. */
  private async count(m: EntityManager, award: FinanceAward, payment: Payment, by: 'recorder' | 'other_finance_officer', user: AuthenticatedUser, actor: Actor, note: string | null): Promise<Payment> {
    assertPaymentMove(payment.status, 'paid', by);
    const pence = parsePence(payment.amountPence);
    await this.awards.recordPaid(m, award.id, pence, actor);
    await this.ledger.pay(m, { potId: award.potId, amountPence: pence, key: `payment:${payment.id}`, sourceType: 'payment', sourceId: payment.id, applicationId: award.applicationId, note: payment.reference }, actor);
    if (payment.instalmentId) await m.query(`UPDATE payment_instalments SET paid_pence = paid_pence + $2 WHERE id = $1`, [payment.instalmentId, pence]);
    const decided = by === 'other_finance_officer' ? { decidedByUserId: user.id, decidedBy: actor.label, decidedAt: new Date(), decisionNote: note } : {};
    await m.update(Payment, { id: payment.id }, { status: 'paid', ...decided });
    await this.audit.record(m, actor, { action: 'finance.payment_paid', entityType: 'payment', entityId: payment.id, before: { status: payment.status }, after: { status: 'paid', awardId: award.id, amountPence: pence } });
    return m.findOneByOrFail(Payment, { id: payment.id });
  }

  private async assertBankVerified(m: EntityManager, awardId: string): Promise<void> {
    const block = (await this.bank.paymentBlocks([awardId], m)).get(awardId);
    if (block) throw new DomainError('conflict', block.code, block.message);
  }

  private conditionUnmet(): DomainError {
    return new DomainError('conflict', 'FINANCE.CONDITION_UNMET', 'The instalment’s condition has not been met: mark it met before paying it');
  }

  /** The instalment paid (if named): the award's, its condition met, with room for the amount. */
  private async checkInstalment(m: EntityManager, award: FinanceAward, instalmentId: string | null, pence: number): Promise<PaymentInstalment | null> {
    if (instalmentId === null) return null;
    const rows = isUuid(instalmentId) ? await this.schedules.rows(m, award.id) : [];
    const instalment = rows.find((r) => r.id === instalmentId);
    if (!instalment) throw new DomainError('validation', 'FINANCE.INSTALMENT_NOT_FOUND', 'This award has no such instalment', [{ field: 'instalmentId', code: 'FINANCE.INSTALMENT_NOT_FOUND', message: 'Choose an instalment of this award' }]);
    if (instalment.condition && !instalment.conditionMetAt) throw this.conditionUnmet();
    const waiting = (await this.schedules.awaitingByInstalment(m, [award.id])).get(instalment.id) ?? 0;
    const left = parsePence(instalment.amountPence) - parsePence(instalment.paidPence) - waiting;
    if (pence > left) {
      throw new DomainError('conflict', 'FINANCE.INSTALMENT_OVERPAID', `Only ${formatPence(left)} of this instalment is left to pay`, [], { instalmentId, outstandingPence: left, requestedPence: pence });
    }
    return instalment;
  }
}
