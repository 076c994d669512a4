import { AWARD_SCHEDULE_FOLLOWER, type AwardScheduleFollower } from './award-hub.types.js';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { VariationPolicy, variationNotFound } from '../auth/policies/variation.policy.js';
import { AuditService } from '../audit/audit.service.js';
import { formatDate } from '../common/dates.js';
import { DomainError, validationFailed } from '../common/errors.js';
import { formatPence } from '../common/money.js';
import { PotLedger } from '../funds/pot-ledger.service.js';
import { IdempotencyService, type StoredResponse } from '../idempotency/idempotency.service.js';
import { isUniqueViolation } from '../reference-data/input.js';
import { awardCan, AWARD_STATUS_LABELS } from './award-lifecycle.js';
import { AwardMail } from './award-mail.js';
import { awardMissing, AwardMoves, type AwardRecord } from './award-moves.js';
import { AwardReader } from './award-reader.js';
import { AwardsService } from './awards.service.js';
import { viewOf, type VariationView } from './variation-reader.js';
import { variationRow, type VariationRecord, type VariationRow, toVariation } from './variation-records.js';
import { assertVariationMove, OPEN_VARIATION_STATUSES, type VariationActor, type VariationStatus } from './variation-lifecycle.js';
import { proposedTerms, type VariationRequest } from './variation-rules.js';

export interface VariationDecision {
  outcome: 'approve' | 'refuse';
  note?: string | null;
}

const alreadyOpen = (awardId: string, variationId?: string) =>
  new DomainError('conflict', 'VARIATION.ALREADY_OPEN', 'This award already has a variation waiting for a decision: wait for it, or withdraw it first', [], { awardId, variationId: variationId ?? null });

/** The change in words, for emails and the audit trail. */
export function describeChange(v: Pick<VariationRecord, 'kind' | 'before' | 'proposed'>): string {
  switch (v.kind) {
    case 'budget':
      return 'money moved between the budget lines';
    case 'end_date':
      return `the end date moved from ${v.before.endsOn ? formatDate(v.before.endsOn) : 'none'} to ${formatDate(v.proposed.endsOn)}`;
    case 'amount':
      return `the grant changed from ${formatPence(v.before.amountPence)} to ${formatPence(v.proposed.amountPence)}`;
  }
}

/**
 * Variations of an accepted award: an owner asks (one open at a time), withdraws; a grants officer
 * approves or refuses. Approving changes the award through AwardsService.applyVariation and moves
 * the difference in the pot ledger (an increase commits: `409 POT.BUDGET_EXCEEDED` and nothing
 * changed when the pot cannot take it; a decrease releases), all in one transaction.
 */
@Injectable()
export class VariationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly moves: AwardMoves,
    private readonly awards: AwardsService,
    private readonly policy: VariationPolicy,
    private readonly ledger: PotLedger,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly mail: AwardMail,
    private readonly reader: AwardReader,
    @Inject(AWARD_SCHEDULE_FOLLOWER) private readonly schedule: AwardScheduleFollower,
  ) {}

  async request(user: AuthenticatedUser, actor: Actor, awardId: string, input: VariationRequest): Promise<VariationRecord> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const award = await this.moves.locked(m, awardId);
        if (!award) throw awardMissing();
        await this.policy.assert(user, { organisationId: award.organisationId, visibleToApplicant: awardCan(award.status).visibleToApplicant }, 'request', 'award', m);
        this.assertVariable(award);
        const [open]: { id: string }[] = await m.query(`SELECT id FROM award_variations WHERE award_id = $1 AND status = ANY($2::text[])`, [awardId, OPEN_VARIATION_STATUSES]);
        if (open) throw alreadyOpen(awardId, open.id);
        const { before, proposed } = proposedTerms(award, input);
        const [row]: VariationRow[] = await m.query(
          `INSERT INTO award_variations (award_id, kind, reason, before, proposed, requested_by, requested_by_label) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [awardId, input.kind, input.reason.trim(), JSON.stringify(before), JSON.stringify(proposed), actor.userId, actor.label],
        );
        const variation = toVariation(row);
        await this.audit.record(m, actor, { action: 'variation.requested', entityType: 'award_variation', entityId: variation.id, before: { ...before }, after: { kind: input.kind, ...proposed }, reason: variation.reason });
        return variation;
      });
    } catch (error) {
      // Two requests at once: the partial unique index lets one through.
      if (isUniqueViolation(error, 'uq_award_variations_open')) throw alreadyOpen(awardId);
      throw error;
    }
  }

  async withdraw(user: AuthenticatedUser, actor: Actor, variationId: string, note: string | null): Promise<VariationRecord> {
    return this.dataSource.transaction(async (m) => {
      const { variation, award } = await this.lockedPair(m, variationId);
      await this.policy.assert(user, { organisationId: award.organisationId, visibleToApplicant: awardCan(award.status).visibleToApplicant }, 'withdraw', 'variation', m);
      return this.move(m, variation, 'withdrawn', 'applicant', actor, note);
    });
  }

  /** A grants officer's decision, idempotent under `Idempotency-Key` (it moves money). */
  async decide(user: AuthenticatedUser, actor: Actor, variationId: string, decision: VariationDecision, key: string | undefined): Promise<StoredResponse<VariationView>> {
    return this.dataSource.transaction((m) =>
      this.idempotency.run(m, { key, callerId: user.id, scope: `POST /api/v1/variations/${variationId}/decision`, body: decision }, 200, async () => {
        const note = decision.note?.trim() || null;
        const { variation, award } = await this.lockedPair(m, variationId);
        await this.policy.assert(user, { organisationId: award.organisationId, visibleToApplicant: awardCan(award.status).visibleToApplicant }, 'decide', 'variation', m);
        if (decision.outcome === 'refuse') {
          if (!note) throw validationFailed([{ field: 'note', code: 'VARIATION.NOTE_REQUIRED', message: 'Say why the change is refused' }], 'Say why the change is refused');
          const refused = await this.move(m, variation, 'refused', 'grants_officer', actor, note);
          await this.tell(m, award, refused);
          return this.view(m, award, refused);
        }
        assertVariationMove(variation.status, 'approved', 'grants_officer');
        this.assertVariable(award);
        if (award.amountPence !== variation.before.amountPence) {
          throw new DomainError('conflict', 'VARIATION.STALE', 'The award’s amount has changed since this variation was asked for: refuse it and ask again', [], { awardAmountPence: award.amountPence });
        }
        await this.awards.applyVariation(m, award.id, variation.proposed, actor);
        const difference = variation.proposed.amountPence - variation.before.amountPence;
        const move = { potId: award.potId, sourceType: 'variation', sourceId: variation.id, applicationId: award.applicationId, note: `Variation of ${award.reference}` };
        if (difference > 0) await this.ledger.commit(m, { ...move, amountPence: difference, key: `variation:${variation.id}:commit` }, actor);
        if (difference < 0) await this.ledger.release(m, { ...move, amountPence: -difference, key: `variation:${variation.id}:release` }, actor);
        // The payment schedule follows the new amount in this transaction, so it still adds up to the award.
        if (difference !== 0) await this.schedule.amountChanged(m, award.id, actor);
        const approved = await this.move(m, variation, 'approved', 'grants_officer', actor, note);
        await this.tell(m, award, approved);
        return this.view(m, award, approved);
      }),
    );
  }

  private async view(m: EntityManager, award: AwardRecord, variation: VariationRecord): Promise<VariationView> {
    const names = await this.reader.organisationNames([award.organisationId], m);
    return viewOf(variation, { reference: award.reference, organisationName: names.get(award.organisationId) ?? '' });
  }

  private assertVariable(award: AwardRecord): void {
    if (!awardCan(award.status).variable) {
      throw new DomainError('conflict', 'AWARD.NOT_VARIABLE', `An award that is ${AWARD_STATUS_LABELS[award.status].toLowerCase()} cannot be varied`, [], { awardStatus: award.status });
    }
  }

  /** The variation and its award, both locked (award first, as every other money move locks it). */
  private async lockedPair(m: EntityManager, variationId: string): Promise<{ variation: VariationRecord; award: AwardRecord }> {
    const unlocked = await variationRow(m, variationId);
    if (!unlocked) throw variationNotFound();
    const award = await this.moves.locked(m, unlocked.awardId);
    if (!award) throw variationNotFound();
    const variation = (await variationRow(m, variationId, true))!;
    return { variation, award };
  }

  private async move(m: EntityManager, variation: VariationRecord, to: VariationStatus, by: VariationActor, actor: Actor, note: string | null): Promise<VariationRecord> {
    assertVariationMove(variation.status, to, by);
    const [rows]: [VariationRow[], number] = await m.query(
      `UPDATE award_variations SET status = $3, decided_by = $4, decided_by_label = $5, decided_at = now(), decision_note = $6, version = version + 1, updated_at = now()
        WHERE id = $1 AND status = $2 RETURNING *`,
      [variation.id, variation.status, to, actor.userId, actor.label, note],
    );
    if (!rows.length) throw new DomainError('conflict', 'VARIATION.CHANGED', 'The variation was changed by someone else: reload it');
    await this.audit.record(m, actor, { action: `variation.${to}`, entityType: 'award_variation', entityId: variation.id, before: { status: variation.status }, after: { status: to }, reason: note });
    return toVariation(rows[0]);
  }

  private async tell(m: EntityManager, award: AwardRecord, variation: VariationRecord): Promise<void> {
    const approved = variation.status === 'approved';
    await this.mail.toOwners(m, award.organisationId, 'variation-decided', (organisationName) => ({
      organisationName,
      reference: award.reference,
      approved,
      outcomeWord: approved ? 'approved' : 'not approved',
      change: describeChange(variation),
      note: variation.decisionNote ?? '',
      awardPath: `/awards/${award.id}`,
    }));
  }
}
