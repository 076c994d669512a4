import type { OfferLetterFacts } from '../awards/award-hub.types.js';
import { AwardReader } from '../awards/award-reader.js';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { awardCan } from '../awards/award-lifecycle.js';
import { formatDate, londonDate } from '../common/dates.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatPence, parsePence } from '../common/money.js';
import { RoundsService } from '../funds/rounds.service.js';
import { FinanceAccess, lockAwardMoney, type FinanceAward } from './finance-access.js';
import { PaymentInstalment } from './finance.entity.js';
import { checkSchedule, conditionText, followTotal, splitByPlan, type InstalmentCondition } from './payment-plan.js';
import { RESERVING_STATUSES } from './payment-lifecycle.js';
import { PaymentSettingsService } from './payment-settings.service.js';

export interface InstalmentView {
  id: string;
  awardId: string;
  position: number;
  dueOn: string;
  amountPence: number;
  paidPence: number;
  /** Held by payments waiting for a second finance officer. */
  awaitingApprovalPence: number;
  /** amount − paid − awaiting approval. */
  outstandingPence: number;
  condition: InstalmentCondition | null;
  conditionText: string | null;
  /** True when there is no condition, or it was marked met. */
  conditionMet: boolean;
  conditionMetAt: Date | null;
  conditionMetBy: string | null;
  conditionNote: string | null;
}

export interface ScheduleView {
  awardId: string;
  reference: string;
  /** What the schedule must add up to: the award less what was released. */
  totalPence: number;
  paidPence: number;
  instalments: InstalmentView[];
}

const instalmentNotFound = () => new DomainError('not_found', 'FINANCE.INSTALMENT_NOT_FOUND', 'Instalment was not found');
const sameCondition = (a: InstalmentCondition | null, b: InstalmentCondition | null) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function instalmentView(row: PaymentInstalment, awaitingPence = 0): InstalmentView {
  const amountPence = parsePence(row.amountPence);
  const paidPence = parsePence(row.paidPence);
  return {
    id: row.id,
    awardId: row.awardId,
    position: row.position,
    dueOn: row.dueOn,
    amountPence,
    paidPence,
    awaitingApprovalPence: awaitingPence,
    outstandingPence: amountPence - paidPence - awaitingPence,
    condition: row.condition,
    conditionText: conditionText(row.condition),
    conditionMet: !row.condition || !!row.conditionMetAt,
    conditionMetAt: row.conditionMetAt,
    conditionMetBy: row.conditionMetBy,
    conditionNote: row.conditionNote,
  };
}

/** ", once …" for an instalment's condition, in the letter's words. */
function conditionClause(condition: InstalmentCondition | null): string {
  if (!condition) return '';
  return condition.kind === 'return_accepted' ? `, once monitoring return ${condition.returnNumber} has been accepted` : `, once this condition is met: ${condition.text}`;
}

/**
 * Each award's payment schedule: made on first read from its round's plan (exact pence, the
 * remainder on the last instalment), changed by finance (adding up to the award less what was
 * released; instalments with money paid or waiting for approval stay as they are), and the
 * instalments' conditions marked met by staff or, for "return N accepted", by monitoring.
 */
@Injectable()
export class PaymentSchedulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: FinanceAccess,
    private readonly settings: PaymentSettingsService,
    private readonly rounds: RoundsService,
    private readonly audit: AuditService,
    private readonly awardReader: AwardReader,
  ) {}

  /**
   * An award was accepted: its schedule is made from the round's plan now, so it is on finance's
   * payments-due list without anyone having opened it first. Idempotent (nothing if it exists).
   */
  async ensureForAward(awardId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const award = await this.awardReader.record(awardId, m);
      if (!award || !awardCan(award.status).payable) return;
      await this.ensure(m, award);
    });
  }

  async get(user: AuthenticatedUser, awardId: string): Promise<ScheduleView> {
    return this.dataSource.transaction(async (m) => {
      const { award } = await this.access.award(user, awardId, 'read', m);
      return this.view(m, award, await this.ensure(m, award));
    });
  }

  async put(user: AuthenticatedUser, actor: Actor, awardId: string, instalments: unknown): Promise<ScheduleView> {
    return this.dataSource.transaction(async (m) => {
      const { award } = await this.access.award(user, awardId, 'change_schedule', m);
      if (!awardCan(award.status).payable && !awardCan(award.status).acceptable) {
        throw new DomainError('conflict', 'FINANCE.SCHEDULE_CLOSED', 'The schedule of an award that cannot be paid any more cannot change', [], { awardStatus: award.status });
      }
      const existing = await this.ensure(m, award);
      const fresh = (await this.access.record(awardId, m))!;
      const input = checkSchedule(instalments, fresh.amountPence - fresh.releasedPence);
      const awaiting = await this.awaitingByInstalment(m, [awardId]);
      const byId = new Map(existing.map((r) => [r.id, r]));
      const missing: FieldError[] = input.flatMap((x, i) => (x.id !== undefined && !byId.has(x.id) ? [{ field: `instalments.${i}.id`, code: 'FINANCE.INSTALMENT_NOT_FOUND', message: 'This instalment is not in the schedule' }] : []));
      if (missing.length) throw new DomainError('validation', 'FINANCE.INSTALMENT_NOT_FOUND', 'The schedule names instalments it does not have', missing);
      for (const row of existing.filter((r) => parsePence(r.paidPence) > 0 || (awaiting.get(r.id) ?? 0) > 0)) {
        const kept = input.find((x) => x.id === row.id);
        if (!kept || kept.dueOn !== row.dueOn || kept.amountPence !== parsePence(row.amountPence) || !sameCondition(kept.condition, row.condition)) {
          throw new DomainError('conflict', 'FINANCE.INSTALMENT_PAID', `The instalment due on ${row.dueOn} has money paid or waiting for approval: it cannot be removed or changed`, [], { instalmentId: row.id });
        }
      }
      const keptIds = new Set(input.map((x) => x.id).filter((id): id is string => !!id));
      const removed = existing.filter((r) => !keptIds.has(r.id)).map((r) => r.id);
      if (removed.length) await m.delete(PaymentInstalment, removed);
      const fundId = existing[0]?.fundId ?? (await this.rounds.findRound(award.roundId, m))!.fundId;
      for (const [i, x] of input.entries()) {
        const old = x.id ? byId.get(x.id) : undefined;
        if (old) {
          const conditionChanged = !sameCondition(old.condition, x.condition);
          await m.update(PaymentInstalment, { id: old.id }, {
            position: i + 1,
            dueOn: x.dueOn,
            amountPence: String(x.amountPence),
            condition: x.condition,
            ...(conditionChanged ? { conditionMetAt: null, conditionMetBy: null, conditionNote: null } : {}),
          });
        } else {
          await m.insert(PaymentInstalment, { awardId, roundId: award.roundId, fundId, position: i + 1, dueOn: x.dueOn, amountPence: String(x.amountPence), condition: x.condition });
        }
      }
      await this.audit.record(m, actor, {
        action: 'finance.schedule_changed',
        entityType: 'award',
        entityId: awardId,
        before: { instalments: existing.map((r) => ({ id: r.id, dueOn: r.dueOn, amountPence: parsePence(r.amountPence), condition: r.condition })) },
        after: { instalments: input },
      });
      return this.view(m, fresh, await this.rows(m, awardId));
    });
  }

  /** POST /instalments/{id}/condition-met: a grants or finance officer says the instalment's condition is met. */
  async markConditionMet(user: AuthenticatedUser, actor: Actor, instalmentId: string, note: string | null): Promise<InstalmentView> {
    return this.dataSource.transaction(async (m) => {
      const row = isUuid(instalmentId) ? await m.findOne(PaymentInstalment, { where: { id: instalmentId } }) : null;
      if (!row) throw instalmentNotFound();
      await this.access.award(user, row.awardId, 'mark_condition_met', m);
      await lockAwardMoney(m, row.awardId);
      const current = await m.findOneByOrFail(PaymentInstalment, { id: instalmentId });
      if (!current.condition) throw new DomainError('conflict', 'FINANCE.NO_CONDITION', 'This instalment has no condition to meet');
      if (current.conditionMetAt) throw new DomainError('conflict', 'FINANCE.CONDITION_ALREADY_MET', 'This instalment’s condition is met already');
      await m.update(PaymentInstalment, { id: instalmentId }, { conditionMetAt: new Date(), conditionMetBy: actor.label, conditionNote: note });
      await this.audit.record(m, actor, { action: 'finance.condition_met', entityType: 'award', entityId: row.awardId, after: { instalmentId, condition: current.condition, note } });
      const awaiting = await this.awaitingByInstalment(m, [row.awardId]);
      return instalmentView(await m.findOneByOrFail(PaymentInstalment, { id: instalmentId }), awaiting.get(instalmentId) ?? 0);
    });
  }

  /**
   * The door monitoring calls when it accepts an award's return number `returnNumber`, in its own
   * transaction: every instalment of the award conditioned on that return is marked met. Returns
   * how many were (0 when none waited on it, or all were met already).
   */
  async markReturnAccepted(m: EntityManager, awardId: string, returnNumber: number, actor: Actor): Promise<number> {
    const [rows]: [{ id: string }[], number] = await m.query(
      `UPDATE payment_instalments SET condition_met_at = now(), condition_met_by = $3, condition_note = $4
        WHERE award_id = $1 AND condition_met_at IS NULL AND condition->>'kind' = 'return_accepted' AND (condition->>'returnNumber')::int = $2
        RETURNING id`,
      [awardId, returnNumber, actor.label, `Monitoring return ${returnNumber} was accepted`],
    );
    for (const r of rows) await this.audit.record(m, actor, { action: 'finance.condition_met', entityType: 'award', entityId: awardId, after: { instalmentId: r.id, returnNumber } });
    return rows.length;
  }

  /**
   * The award's amount changed (an approved variation, in its transaction): the schedule follows it
   * so it adds up to the award less what was released (followTotal: an increase on the last
   * instalment not fully paid, a decrease off the last first, never below what was paid or waits
   * for approval). An award without a schedule yet gets one from the new amount when it is made.
   */
  async followAmount(m: EntityManager, awardId: string, actor: Actor): Promise<void> {
    const award = await this.access.record(awardId, m);
    if (!award) return;
    await lockAwardMoney(m, awardId);
    const rows = await this.rows(m, awardId);
    if (!rows.length) return;
    const awaiting = await this.awaitingByInstalment(m, [awardId]);
    const before = rows.map((r) => ({ id: r.id, amountPence: parsePence(r.amountPence), floorPence: parsePence(r.paidPence) + (awaiting.get(r.id) ?? 0) }));
    const { amounts, addPence } = followTotal(before, award.amountPence - award.releasedPence);
    if (!amounts.size && !addPence) return;
    for (const [id, pence] of amounts) {
      if (pence === 0) await m.delete(PaymentInstalment, { id });
      else await m.update(PaymentInstalment, { id }, { amountPence: String(pence) });
    }
    if (addPence) {
      const last = rows[rows.length - 1];
      await m.insert(PaymentInstalment, { awardId, roundId: last.roundId, fundId: last.fundId, position: last.position + 1, dueOn: londonDate(new Date()), amountPence: String(addPence), condition: null });
    }
    await this.audit.record(m, actor, {
      action: 'finance.schedule_followed',
      entityType: 'award',
      entityId: awardId,
      before: { instalments: before.map(({ id, amountPence }) => ({ id, amountPence })) },
      after: { amountPence: award.amountPence, changed: Object.fromEntries(amounts), addedPence: addPence },
    });
  }

  /**
   * How the offer letter says the award is paid: its instalments once it has them, otherwise the
   * round's plan applied to the award (amounts exact, dates from the project's start where the
   * plan counts from it), each with its condition; payments wait for checked bank details.
   */
  async letterLines(award: OfferLetterFacts): Promise<string[]> {
    const m = this.dataSource.manager;
    const rows = await this.rows(m, award.awardId);
    const lines = rows.length
      ? rows.map((r) => `${formatPence(parsePence(r.amountPence))} on or after ${formatDate(r.dueOn)}${conditionClause(r.condition)}.`)
      : splitByPlan(award.payablePence, (await this.settings.roundPlan(award.roundId, m)).steps, { acceptedOn: londonDate(new Date()), startsOn: award.startsOn }).map((x) => {
          // Before acceptance the acceptance date is not known: the letter says "when accepted" or counts from the start.
          const when = x.monthsAfterStart === null ? 'when the offer is accepted' : award.startsOn ? `on or after ${formatDate(x.dueOn)}` : `${x.monthsAfterStart} months after the offer is accepted`;
          return `${formatPence(x.amountPence)} ${when}${conditionClause(x.condition)}.`;
        });
    return [...lines, 'Each payment is made once the organisation’s bank details have been checked by our finance team.'];
  }

  /** The award's instalments, made from the round's plan the first time (under the award's money lock). */
  async ensure(m: EntityManager, award: FinanceAward): Promise<PaymentInstalment[]> {
    await lockAwardMoney(m, award.id);
    const rows = await this.rows(m, award.id);
    if (rows.length) return rows;
    const plan = await this.settings.roundPlan(award.roundId, m);
    const acceptedOn = londonDate(award.respondedAt && award.status !== 'declined' ? award.respondedAt : new Date());
    const total = award.amountPence - award.releasedPence;
    if (total <= 0) return [];
    const made = splitByPlan(total, plan.steps, { acceptedOn, startsOn: award.startsOn });
    for (const [i, x] of made.entries()) {
      await m.insert(PaymentInstalment, { awardId: award.id, roundId: award.roundId, fundId: plan.fundId, position: i + 1, dueOn: x.dueOn, amountPence: String(x.amountPence), condition: x.condition });
    }
    return this.rows(m, award.id);
  }

  /** Pence held by payments waiting for approval, per instalment (one query). */
  async awaitingByInstalment(m: EntityManager, awardIds: readonly string[]): Promise<Map<string, number>> {
    if (awardIds.length === 0) return new Map();
    const rows: { instalment_id: string; pence: string }[] = await m.query(
      `SELECT instalment_id, SUM(amount_pence)::text AS pence FROM payments
        WHERE award_id = ANY($1::uuid[]) AND instalment_id IS NOT NULL AND status = ANY($2::text[]) AND status <> 'paid' GROUP BY instalment_id`,
      [awardIds, RESERVING_STATUSES],
    );
    return new Map(rows.map((r) => [r.instalment_id, parsePence(r.pence)]));
  }

  rows(m: EntityManager, awardId: string): Promise<PaymentInstalment[]> {
    return m.find(PaymentInstalment, { where: { awardId }, order: { position: 'ASC' } });
  }

  private async view(m: EntityManager, award: FinanceAward, rows: PaymentInstalment[]): Promise<ScheduleView> {
    const awaiting = await this.awaitingByInstalment(m, [award.id]);
    return {
      awardId: award.id,
      reference: award.reference,
      totalPence: award.amountPence - award.releasedPence,
      paidPence: award.paidPence,
      instalments: rows.map((r) => instalmentView(r, awaiting.get(r.id) ?? 0)),
    };
  }
}
