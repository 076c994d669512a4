import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { ClawbackPolicy, clawbackNotFound } from '../auth/policies/clawback.policy.js';
import { AuditService } from '../audit/audit.service.js';
import { formatDate, isIsoDate } from '../common/dates.js';
import { DomainError, validationFailed } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatPence } from '../common/money.js';
import { AwardMoneyAccess } from './award-money-access.js';
import { lockAwardMoney } from './finance-access.js';
import { assertClawbackMove, OPEN_CLAWBACK_STATUSES } from './clawback-lifecycle.js';
import { FinanceMail } from './finance-mail.js';
import { clawbackView, type ClawbackRow, type ClawbackView } from './repayment-records.js';

export interface ClawbackInput {
  amountPence: number;
  reason: string;
  dueOn: string;
}

/**
 * Money an organisation must pay back: a grants officer raises a clawback (no more than has been
 * paid and is not already being clawed back), the owners are emailed; repayments against it move
 * it to partly repaid and repaid (RepaymentsService); a grants officer may cancel an open one.
 */
@Injectable()
export class ClawbacksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AwardMoneyAccess,
    private readonly policy: ClawbackPolicy,
    private readonly audit: AuditService,
    private readonly mail: FinanceMail,
  ) {}

  async raise(user: AuthenticatedUser, actor: Actor, awardId: string, input: ClawbackInput): Promise<ClawbackView> {
    return this.dataSource.transaction(async (m) => {
      const award = await this.access.award(awardId, m);
      await this.policy.assert(user, this.access.facts(award), 'raise', 'award', m);
      const reason = input.reason?.trim();
      if (!reason) throw validationFailed([{ field: 'reason', code: 'CLAWBACK.REASON_REQUIRED', message: 'Say why the money must be paid back' }]);
      if (!isIsoDate(input.dueOn)) throw validationFailed([{ field: 'dueOn', code: 'CLAWBACK.INVALID_DATE', message: 'Enter the date it is due as a real date, for example 2031-04-30' }]);
      if (!Number.isSafeInteger(input.amountPence) || input.amountPence <= 0) {
        throw validationFailed([{ field: 'amountPence', code: 'CLAWBACK.INVALID_AMOUNT', message: 'Enter the amount as a whole number of pence, more than 0' }]);
      }
      await lockAwardMoney(m, awardId);
      const current = await this.access.award(awardId, m);
      const open = await this.openClawbacks(awardId, m);
      const owed = open.reduce((sum, c) => sum + c.outstandingPence, 0);
      const room = current.paidPence - owed;
      if (input.amountPence > room) {
        throw new DomainError('conflict', 'CLAWBACK.MORE_THAN_PAID', `No more than what has been paid can be clawed back: ${formatPence(room)} is left to claw back`, [], {
          paidPence: current.paidPence,
          openClawbacksPence: owed,
          requestedPence: input.amountPence,
        });
      }
      const [row]: ClawbackRow[] = await m.query(
        `INSERT INTO clawbacks (award_id, amount_pence, reason, due_on, raised_by, raised_by_label) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [awardId, input.amountPence, reason, input.dueOn, actor.userId, actor.label],
      );
      const clawback = clawbackView(row);
      await this.audit.record(m, actor, { action: 'clawback.raised', entityType: 'clawback', entityId: clawback.id, after: { awardId, amountPence: input.amountPence, dueOn: input.dueOn }, reason });
      await this.mail.toOwners(m, award.organisation.id, 'clawback-raised', {
        organisationName: award.organisation.name,
        reference: award.reference,
        amount: formatPence(input.amountPence),
        dueOn: formatDate(input.dueOn),
        reason,
        awardPath: `/awards/${award.id}`,
      });
      return clawback;
    });
  }

  async cancel(user: AuthenticatedUser, actor: Actor, clawbackId: string, reason: string): Promise<ClawbackView> {
    return this.dataSource.transaction(async (m) => {
      const clawback = await this.locked(m, clawbackId);
      const award = await this.access.award(clawback.awardId, m);
      await this.policy.assert(user, this.access.facts(award), 'cancel', 'clawback', m);
      if (!reason?.trim()) throw validationFailed([{ field: 'reason', code: 'CLAWBACK.REASON_REQUIRED', message: 'Say why the clawback is cancelled' }]);
      assertClawbackMove(clawback.status, 'cancelled', 'grants_officer');
      const [rows]: [ClawbackRow[], number] = await m.query(
        `UPDATE clawbacks SET status = 'cancelled', cancel_reason = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`,
        [clawbackId, reason.trim()],
      );
      await this.audit.record(m, actor, { action: 'clawback.cancelled', entityType: 'clawback', entityId: clawbackId, before: { status: clawback.status }, after: { status: 'cancelled' }, reason: reason.trim() });
      return clawbackView(rows[0]);
    });
  }

  /** The award's clawbacks, newest first (404 for anyone who may not read the award). */
  async list(user: AuthenticatedUser, awardId: string): Promise<ClawbackView[]> {
    const award = await this.access.award(awardId);
    await this.policy.assert(user, this.access.facts(award), 'read', 'award');
    const rows: ClawbackRow[] = await this.dataSource.query(`SELECT * FROM clawbacks WHERE award_id = $1 ORDER BY created_at DESC, id DESC`, [awardId]);
    return rows.map(clawbackView);
  }

  /** The award's clawbacks still owed (raised or partly repaid), oldest first: what closing the award must wait for. */
  async openClawbacks(awardId: string, m: EntityManager = this.dataSource.manager): Promise<ClawbackView[]> {
    if (!isUuid(awardId)) return [];
    const rows: ClawbackRow[] = await m.query(`SELECT * FROM clawbacks WHERE award_id = $1 AND status = ANY($2::text[]) ORDER BY created_at, id`, [awardId, OPEN_CLAWBACK_STATUSES]);
    return rows.map(clawbackView);
  }

  /** The clawback's row, locked for the caller's transaction; 404 when there is none. */
  async locked(m: EntityManager, clawbackId: string): Promise<ClawbackView> {
    if (!isUuid(clawbackId)) throw clawbackNotFound();
    const [row]: ClawbackRow[] = await m.query(`SELECT * FROM clawbacks WHERE id = $1 FOR UPDATE`, [clawbackId]);
    if (!row) throw clawbackNotFound();
    return clawbackView(row);
  }
}
