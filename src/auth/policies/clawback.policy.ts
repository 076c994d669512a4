import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors.js';
import { OrganisationMembershipReader } from '../../organisations/membership-reader.js';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { awardNotFound } from './award.policy.js';
import { awardMoneyStanding, seesAwardMoney, type AwardMoneyFacts, type AwardMoneyStanding } from './award-money.js';

/**
 * What someone may do with an award's clawbacks (money the organisation must pay back). Every
 * clawback route and page asks this file.
 *
 * - read: staff who read every award (grants and finance officers, the auditor), and members of the
 *   organisation once the award is visible to them;
 * - raise / cancel: a grants officer (anyone else who may read it, 403).
 * Anyone who may not read the award is told it does not exist (404).
 */
export const CLAWBACK_ACTIONS = ['read', 'raise', 'cancel'] as const;
export type ClawbackAction = (typeof CLAWBACK_ACTIONS)[number];
export type ClawbackRefusal = 'hidden' | 'not_officer';

/** THE decision: null when allowed, otherwise why not. Pure, so it is tested for every case. */
export function judgeClawback(standing: AwardMoneyStanding, facts: Pick<AwardMoneyFacts, 'visibleToApplicant'>, action: ClawbackAction): ClawbackRefusal | null {
  if (!seesAwardMoney(standing, facts)) return 'hidden';
  if (action === 'read') return null;
  return standing.grantsOfficer ? null : 'not_officer';
}

export const clawbackNotFound = () => new DomainError('not_found', 'CLAWBACK.NOT_FOUND', 'Clawback was not found');

@Injectable()
export class ClawbackPolicy {
  constructor(private readonly memberships: OrganisationMembershipReader) {}

  /** Throws the refusal's error (404 naming the award or the clawback, or 403) unless the person may do this. */
  async assert(user: AuthenticatedUser, facts: AwardMoneyFacts, action: ClawbackAction, hidden: 'award' | 'clawback', manager?: EntityManager): Promise<void> {
    const refusal = judgeClawback(await awardMoneyStanding(this.memberships, user, facts.organisationId, manager), facts, action);
    if (refusal === 'hidden') throw hidden === 'award' ? awardNotFound() : clawbackNotFound();
    if (refusal) throw new DomainError('forbidden', 'CLAWBACK.OFFICERS_ONLY', 'Only a grants officer can raise or cancel a clawback');
  }
}
