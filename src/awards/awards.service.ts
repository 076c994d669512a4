import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { addCalendarDays, fromLondon, londonDate } from '../common/dates.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatPence } from '../common/money.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RoundsService } from '../funds/rounds.service.js';
import { OutboxService } from '../queue/outbox.service.js';
import { ApplicationReader } from '../applications/application-reader.js';
import { awardCan, AWARD_STATUS_LABELS } from './award-lifecycle.js';
import type { ApprovedBudgetLine } from './award.entity.js';
import { AwardMail } from './award-mail.js';
import { awardMissing, AwardMoves, toRecord, type AwardRecord, type AwardRow } from './award-moves.js';
import { AgreementTermsService } from './agreement-terms.service.js';

/** What panels passes when an approval is recorded (see the interface between panels and awards). */
export interface ProvisionalAwardInput {
  decisionId: string;
  applicationId: string;
  roundId: string;
  potId: string;
  organisationId: string;
  amountPence: number;
  conditions: string[];
  /** The approved budget lines: the bid's, with the panel's reductions when it approved in part. */
  budgetLines: ApprovedBudgetLine[];
}

/** The offer's deadline: the end of the day `days` days after `from`, London time (midnight starting the next day). */
export function offerDeadline(from: Date, days: number): Date {
  const [year, month, day] = addCalendarDays(londonDate(from), days + 1).split('-').map(Number);
  return fromLondon({ year, month, day, hour: 0, minute: 0 });
}

const invalidInput = (field: string, message: string) => new DomainError('validation', 'AWARD.INVALID_INPUT', message, [{ field, code: 'AWARD.INVALID_INPUT', message }]);

function checkLines(lines: ApprovedBudgetLine[]): ApprovedBudgetLine[] {
  if (!Array.isArray(lines) || lines.some((l) => typeof l?.budgetLineId !== 'string' || !Number.isSafeInteger(l.amountPence) || l.amountPence < 0)) {
    throw invalidInput('budgetLines', 'Budget lines must each name a line of the bid and a whole number of pence');
  }
  return lines.map((l) => ({ budgetLineId: l.budgetLineId, item: l.item, category: l.category, amountPence: l.amountPence }));
}

function checkTerms(amountPence: number, conditions: string[]): string[] {
  if (!Number.isSafeInteger(amountPence) || amountPence <= 0) throw invalidInput('amountPence', 'The award must be a positive whole number of pence');
  if (!Array.isArray(conditions) || conditions.some((c) => typeof c !== 'string')) throw invalidInput('conditions', 'Conditions must be a list of text');
  return conditions.map((c) => c.trim()).filter(Boolean);
}

/**
 * The door panels calls, always inside its own transaction `m`: an approval becomes a provisional
 * award, follows the unconfirmed decision's changes, is cancelled when the approval is, and is
 * offered when the meeting is confirmed. None of these moves money: panels commits and releases
 * the decision's money in the same transaction; after the offer, awards releases it (decline, expiry).
 */
@Injectable()
export class AwardsService {
  constructor(
    private readonly moves: AwardMoves,
    private readonly agreements: AgreementTermsService,
    private readonly rounds: RoundsService,
    private readonly applications: ApplicationReader,
    private readonly mail: AwardMail,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** An approval recorded at a panel: the award in status 'provisional' (invisible to applicants), with its reference. */
  async createProvisional(m: EntityManager, input: ProvisionalAwardInput, actor: Actor): Promise<{ awardId: string; reference: string }> {
    const conditions = checkTerms(input.amountPence, input.conditions);
    const budgetLines = checkLines(input.budgetLines);
    const bid = await this.applications.detailById(input.applicationId, m);
    const reference = await this.moves.nextReference(m, input.roundId);
    const [row]: AwardRow[] = await m.query(
      `INSERT INTO awards (reference, decision_id, application_id, round_id, pot_id, organisation_id, amount_pence, conditions, budget_lines, starts_on, ends_on, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'provisional') RETURNING *`,
      [
        reference,
        input.decisionId,
        input.applicationId,
        input.roundId,
        input.potId,
        input.organisationId,
        input.amountPence,
        JSON.stringify(conditions),
        JSON.stringify(budgetLines),
        bid?.projectStartDate ?? null,
        bid?.projectEndDate ?? null,
      ],
    );
    await this.moves.history(m, row.id, null, 'provisional', 'panel', actor, 'Approved at a panel meeting');
    await this.audit.record(m, actor, {
      action: 'award.provisional',
      entityType: 'award',
      entityId: row.id,
      after: { reference, decisionId: input.decisionId, applicationId: input.applicationId, amountPence: input.amountPence, conditions, budgetLines },
    });
    return { awardId: row.id, reference };
  }

  /** The unconfirmed decision changed its amount or conditions (no ledger call: panels moves the money). */
  async changeProvisional(m: EntityManager, awardId: string, change: { amountPence: number; conditions: string[]; budgetLines: ApprovedBudgetLine[] }, actor: Actor): Promise<void> {
    const conditions = checkTerms(change.amountPence, change.conditions);
    const budgetLines = checkLines(change.budgetLines);
    const award = await this.moves.locked(m, awardId);
    if (!award) throw awardMissing();
    if (!awardCan(award.status).changeable) {
      throw new DomainError('conflict', 'AWARD.NOT_PROVISIONAL', 'Only a provisional award follows changes to its decision', [], { awardStatus: award.status });
    }
    await m.query(`UPDATE awards SET amount_pence = $2, conditions = $3, budget_lines = $4, version = version + 1, updated_at = now() WHERE id = $1`, [
      awardId,
      change.amountPence,
      JSON.stringify(conditions),
      JSON.stringify(budgetLines),
    ]);
    await this.audit.record(m, actor, {
      action: 'award.changed',
      entityType: 'award',
      entityId: awardId,
      before: { amountPence: award.amountPence, conditions: award.conditions, budgetLines: award.budgetLines },
      after: { amountPence: change.amountPence, conditions, budgetLines },
    });
  }

  /** The unconfirmed approval became another outcome: provisional → cancelled (no ledger call). */
  async cancelProvisional(m: EntityManager, awardId: string, actor: Actor): Promise<void> {
    const award = await this.moves.locked(m, awardId);
    if (!award) throw awardMissing();
    await this.moves.move(m, award, 'cancelled', 'panel', actor, { reason: 'The panel changed its decision before confirming the meeting' });
  }

  /**
   * The meeting was confirmed: each provisional award is offered under its fund's current
   * agreement terms, with a deadline OFFER_ACCEPT_DAYS away; the offer email to the organisation's
   * owners and the expiry job go through the outbox. Awards already offered are left as they are.
   */
  async offer(m: EntityManager, awardIds: string[], actor: Actor): Promise<void> {
    const [{ now }]: { now: Date }[] = await m.query(`SELECT now() AS now`);
    for (const awardId of [...new Set(awardIds)].sort()) {
      if (!isUuid(awardId)) throw awardMissing();
      const award = await this.moves.locked(m, awardId);
      if (!award) throw awardMissing();
      if (award.status === 'offered') continue;
      const round = await this.rounds.findRound(award.roundId, m);
      if (!round) throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
      const terms = await this.agreements.current(round.fundId, m);
      const expiresAt = offerDeadline(new Date(now), this.config.offerAcceptDays);
      const offered = await this.moves.move(m, award, 'offered', 'panel', actor, {
        reason: 'The panel meeting was confirmed',
        patch: { offered_at: now, offer_expires_at: expiresAt, agreement_terms_id: terms.id, agreement_version: terms.version },
      });
      await this.mail.offer(m, offered, round.title);
      await this.outbox.enqueue(m, 'award.offer_expiry', { awardId }, { runAt: expiresAt, key: `award-offer-expiry-${awardId}` });
    }
  }

  /**
   * Finance paid `pence` against the award, in finance's transaction: `409 AWARD.NOT_PAYABLE` unless
   * its status is payable, `409 AWARD.OVERPAID` when paid would pass the award (less what was
   * released); the awards CHECK is the last line. The first payment makes an accepted award active.
   */
  async recordPaid(m: EntityManager, awardId: string, pence: number, actor: Actor): Promise<AwardRecord> {
    if (!Number.isSafeInteger(pence) || pence <= 0) throw invalidInput('amountPence', 'A payment is a positive whole number of pence');
    const award = await this.moves.locked(m, awardId);
    if (!award) throw awardMissing();
    if (!awardCan(award.status).payable) {
      throw new DomainError('conflict', 'AWARD.NOT_PAYABLE', `An award that is ${AWARD_STATUS_LABELS[award.status].toLowerCase()} cannot be paid`, [], { awardStatus: award.status });
    }
    const outstanding = award.amountPence - award.paidPence - award.releasedPence;
    if (pence > outstanding) {
      throw new DomainError('conflict', 'AWARD.OVERPAID', `This would take payments past the award: ${formatPence(outstanding)} is left to pay and ${formatPence(pence)} was asked for`, [], {
        outstandingPence: outstanding,
        requestedPence: pence,
        amountPence: award.amountPence,
        paidPence: award.paidPence,
      });
    }
    await m.query(`UPDATE awards SET paid_pence = paid_pence + $2, version = version + 1, updated_at = now() WHERE id = $1`, [awardId, pence]);
    await this.audit.record(m, actor, { action: 'award.paid', entityType: 'award', entityId: awardId, before: { paidPence: award.paidPence }, after: { paidPence: award.paidPence + pence } });
    const paid = { ...award, paidPence: award.paidPence + pence, version: award.version + 1 };
    if (award.status === 'accepted') return this.moves.move(m, paid, 'active', 'system', actor, { reason: 'The first payment was made' });
    return paid;
  }

  /**
   * Money came back (in finance's transaction): paid goes down by `pence`; with `release` the
   * money also leaves the award for good (an underspend or clawback repaid: released goes up, so
   * it is not paid again). `409 AWARD.REPAID_TOO_MUCH` when more comes back than was paid.
   */
  async recordRepaid(m: EntityManager, awardId: string, pence: number, options: { release: boolean }, actor: Actor): Promise<AwardRecord> {
    if (!Number.isSafeInteger(pence) || pence <= 0) throw invalidInput('amountPence', 'A repayment is a positive whole number of pence');
    const award = await this.moves.locked(m, awardId);
    if (!award) throw awardMissing();
    if (pence > award.paidPence) {
      throw new DomainError('conflict', 'AWARD.REPAID_TOO_MUCH', `Only ${formatPence(award.paidPence)} has been paid, so no more than that can come back`, [], { paidPence: award.paidPence, requestedPence: pence });
    }
    const released = options.release ? pence : 0;
    await m.query(`UPDATE awards SET paid_pence = paid_pence - $2, released_pence = released_pence + $3, version = version + 1, updated_at = now() WHERE id = $1`, [awardId, pence, released]);
    await this.audit.record(m, actor, {
      action: 'award.repaid',
      entityType: 'award',
      entityId: awardId,
      before: { paidPence: award.paidPence, releasedPence: award.releasedPence },
      after: { paidPence: award.paidPence - pence, releasedPence: award.releasedPence + released },
    });
    return { ...award, paidPence: award.paidPence - pence, releasedPence: award.releasedPence + released, version: award.version + 1 };
  }

  /**
   * Money the award will never pay leaves it (the unpaid rest at closure, a reduction by
   * variation is a change of amount instead): released goes up by `pence`, at most what is
   * outstanding. The caller releases the same amount in the pot ledger in the same transaction.
   */
  async recordReleased(m: EntityManager, awardId: string, pence: number, actor: Actor): Promise<AwardRecord> {
    if (!Number.isSafeInteger(pence) || pence <= 0) throw invalidInput('amountPence', 'A release is a positive whole number of pence');
    const award = await this.moves.locked(m, awardId);
    if (!award) throw awardMissing();
    const outstanding = award.amountPence - award.paidPence - award.releasedPence;
    if (pence > outstanding) throw new DomainError('conflict', 'AWARD.RELEASE_TOO_MUCH', `Only ${formatPence(outstanding)} is outstanding on the award`, [], { outstandingPence: outstanding, requestedPence: pence });
    await m.query(`UPDATE awards SET released_pence = released_pence + $2, version = version + 1, updated_at = now() WHERE id = $1`, [awardId, pence]);
    await this.audit.record(m, actor, { action: 'award.released', entityType: 'award', entityId: awardId, before: { releasedPence: award.releasedPence }, after: { releasedPence: award.releasedPence + pence } });
    return { ...award, releasedPence: award.releasedPence + pence, version: award.version + 1 };
  }

  /**
   * An approved variation changes the award's amount, budget lines and end date (in the
   * variation's transaction, which moves the money in the ledger): `409 AWARD.NOT_VARIABLE` unless
   * its status allows variations, `409 AWARD.BELOW_PAID` when the amount would fall below what is
   * paid and released; the lines must sum to the amount. Audited with before and after.
   */
  async applyVariation(m: EntityManager, awardId: string, change: { amountPence: number; budgetLines: ApprovedBudgetLine[]; endsOn: string | null }, actor: Actor): Promise<{ before: AwardRecord; after: AwardRecord }> {
    if (!Number.isSafeInteger(change.amountPence) || change.amountPence <= 0) throw invalidInput('amountPence', 'The award must be a positive whole number of pence');
    const budgetLines = checkLines(change.budgetLines);
    if (budgetLines.length > 0 && budgetLines.reduce((sum, l) => sum + l.amountPence, 0) !== change.amountPence) throw invalidInput('budgetLines', 'The budget lines must add up to the award');
    const award = await this.moves.locked(m, awardId);
    if (!award) throw awardMissing();
    if (!awardCan(award.status).variable) {
      throw new DomainError('conflict', 'AWARD.NOT_VARIABLE', `An award that is ${AWARD_STATUS_LABELS[award.status].toLowerCase()} cannot be varied`, [], { awardStatus: award.status });
    }
    const floor = award.paidPence + award.releasedPence;
    if (change.amountPence < floor) {
      throw new DomainError('conflict', 'AWARD.BELOW_PAID', `The award cannot go below what has been paid and given back: ${formatPence(floor)}`, [], {
        paidPence: award.paidPence,
        releasedPence: award.releasedPence,
        requestedPence: change.amountPence,
      });
    }
    const [rows]: [AwardRow[], number] = await m.query(
      `UPDATE awards SET amount_pence = $2, budget_lines = $3, ends_on = $4, version = version + 1, updated_at = now() WHERE id = $1 RETURNING *`,
      [awardId, change.amountPence, JSON.stringify(budgetLines), change.endsOn],
    );
    const after = toRecord(rows[0]);
    await this.audit.record(m, actor, {
      action: 'award.varied',
      entityType: 'award',
      entityId: awardId,
      before: { amountPence: award.amountPence, budgetLines: award.budgetLines, endsOn: award.endsOn },
      after: { amountPence: after.amountPence, budgetLines: after.budgetLines, endsOn: after.endsOn },
    });
    return { before: award, after };
  }

  /**
   * Monitoring's first submitted return: an active award moves to monitoring (by the system, in
   * the caller's transaction); an award in any other status is left as it is.
   */
  async startMonitoring(m: EntityManager, awardId: string, actor: Actor): Promise<void> {
    const award = await this.moves.locked(m, awardId);
    if (!award) throw awardMissing();
    if (award.status !== 'active') return;
    await this.moves.move(m, award, 'monitoring', 'system', actor, { reason: 'The first monitoring return was submitted' });
  }

  /**
   * Monitoring closes the award (a grants officer, in monitoring's transaction, after its own
   * checks and after releasing the unpaid rest): monitoring → closed, with the officer's note.
   */
  async close(m: EntityManager, awardId: string, actor: Actor, note: string | null): Promise<void> {
    const award = await this.moves.locked(m, awardId);
    if (!award) throw awardMissing();
    await this.moves.move(m, award, 'closed', 'grants_officer', actor, { reason: note ?? 'Closed: monitoring complete and the money reconciles' });
  }
}
