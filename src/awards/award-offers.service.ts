import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AwardPolicy } from '../auth/policies/award.policy.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors.js';
import { PotLedger } from '../funds/pot-ledger.service.js';
import { OutboxService } from '../queue/outbox.service.js';
import { awardCan } from './award-lifecycle.js';
import { awardMissing, AwardMoves, type AwardRecord } from './award-moves.js';

export interface Acceptance {
  signatoryName: string;
  signatoryRole: string;
  agreementVersion: number;
  acceptTerms: boolean;
}

const expired = (award: AwardRecord) =>
  new DomainError('conflict', 'AWARD.OFFER_EXPIRED', 'The deadline for answering this offer has passed', [], { offerExpiresAt: award.offerExpiresAt?.toISOString() ?? null });

/**
 * An organisation's answer to an offer, and the offer's expiry. Accepting records who signed, as
 * what, and the terms version they read; declining and expiry give the award's money back to the
 * pot through the ledger (exactly the award's amount, once: key `award:<id>:release`), in the
 * same transaction as the move.
 */
@Injectable()
export class AwardOffersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly moves: AwardMoves,
    private readonly policy: AwardPolicy,
    private readonly ledger: PotLedger,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  async accept(user: AuthenticatedUser, actor: Actor, awardId: string, input: Acceptance): Promise<AwardRecord> {
    return this.dataSource.transaction(async (m) => {
      const award = await this.answerable(m, user, awardId);
      if (input.acceptTerms !== true) {
        throw new DomainError('validation', 'AWARD.TERMS_NOT_ACCEPTED', 'Confirm that you accept the grant agreement', [
          { field: 'acceptTerms', code: 'AWARD.TERMS_NOT_ACCEPTED', message: 'Confirm that you accept the grant agreement' },
        ]);
      }
      if (award.agreementVersion !== input.agreementVersion) {
        throw new DomainError('conflict', 'AWARD.AGREEMENT_VERSION_MISMATCH', 'The grant agreement you accepted is not the version this offer was made under: read the offer again', [], {
          agreementVersion: award.agreementVersion,
        });
      }
      const accepted = await this.moves.move(m, award, 'accepted', 'applicant', actor, {
        reason: `Accepted by ${input.signatoryName} (${input.signatoryRole})`,
        patch: { signatory_name: input.signatoryName, signatory_role: input.signatoryRole, responded_by: user.id, responded_at: this.clock.now() },
      });
      // Other domains react after commit (monitoring creates the returns the award owes).
      await this.outbox.enqueue(m, 'award.accepted', { awardId: award.id }, { key: `award-accepted-${award.id}` });
      return accepted;
    });
  }

  async decline(user: AuthenticatedUser, actor: Actor, awardId: string, reason: string): Promise<AwardRecord> {
    return this.dataSource.transaction(async (m) => {
      const award = await this.answerable(m, user, awardId);
      const declined = await this.moves.move(m, award, 'declined', 'applicant', actor, {
        reason,
        patch: { decline_reason: reason, responded_by: user.id, responded_at: this.clock.now() },
      });
      await this.release(m, award, actor, 'Offer declined');
      return declined;
    });
  }

  /** A grants officer withdraws an offer not yet answered (with a reason); its money goes back to the pot. */
  async withdraw(user: AuthenticatedUser, actor: Actor, awardId: string, reason: string): Promise<AwardRecord> {
    return this.dataSource.transaction(async (m) => {
      const award = await this.moves.locked(m, awardId);
      if (!award) throw awardMissing();
      await this.policy.assert(user, { organisationId: award.organisationId, visibleToApplicant: awardCan(award.status).visibleToApplicant }, 'read', m);
      const withdrawn = await this.moves.move(m, award, 'withdrawn', 'grants_officer', actor, { reason });
      await this.release(m, award, actor, 'Offer withdrawn');
      return withdrawn;
    });
  }

  /**
   * The expiry job's work, idempotent: an award still offered whose deadline has passed expires and
   * its money goes back; anything else (answered, withdrawn, already expired) is left alone, and a
   * job that arrives before the deadline queues itself again for it. Returns whether it expired the award.
   */
  async expire(awardId: string, actor: Actor): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const award = await this.moves.locked(m, awardId);
      if (!award || award.status !== 'offered' || !award.offerExpiresAt) return false;
      if (award.offerExpiresAt.getTime() > this.clock.now().getTime()) {
        // Early (the deadline was moved, or the clocks differ): look again at the deadline itself.
        const now = this.clock.now().getTime();
        const runAt = new Date(Math.max(award.offerExpiresAt.getTime(), now + 1000));
        await this.outbox.enqueue(m, 'award.offer_expiry', { awardId }, { runAt, key: `award-offer-expiry-${awardId}-${now}` });
        return false;
      }
      await this.moves.move(m, award, 'expired', 'system', actor, { reason: 'Not accepted by the deadline' });
      await this.release(m, award, actor, 'Offer expired');
      return true;
    });
  }

  /** The award, locked, if this person may answer it now: 404/403 from the policy, then 409 when it cannot be answered. */
  private async answerable(m: EntityManager, user: AuthenticatedUser, awardId: string): Promise<AwardRecord> {
    const award = await this.moves.locked(m, awardId);
    if (!award) throw awardMissing();
    await this.policy.assert(user, { organisationId: award.organisationId, visibleToApplicant: awardCan(award.status).visibleToApplicant }, 'respond', m);
    if (!awardCan(award.status).acceptable) {
      throw new DomainError('conflict', 'AWARD.NOT_OFFERED', `This offer has already been answered or has ended: it is ${award.status}`, [], { awardStatus: award.status });
    }
    if (award.offerExpiresAt && award.offerExpiresAt.getTime() <= this.clock.now().getTime()) throw expired(award);
    return award;
  }

  private async release(m: EntityManager, award: AwardRecord, actor: Actor, note: string): Promise<void> {
    await this.ledger.release(
      m,
      { potId: award.potId, amountPence: award.amountPence, key: `award:${award.id}:release`, sourceType: 'award', sourceId: award.id, applicationId: award.applicationId, note: `${note} (${award.reference})` },
      actor,
    );
  }
}
