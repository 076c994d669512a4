import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors.js';
import { OrganisationMembershipReader } from '../../organisations/membership-reader.js';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { awardNotFound } from './award.policy.js';
import { awardMoneyStanding, seesAwardMoney, type AwardMoneyFacts, type AwardMoneyStanding } from './award-money.js';

/**
 * What someone may do with an award's repayments (money received back). Every repayment route and
 * page asks this file.
 *
 * - read: staff who read every award, and members of the organisation once the award is visible;
 * - record: a finance officer records money received (anyone else who may read it, 403).
 * Anyone who may not read the award is told it does not exist (404).
 */
export const REPAYMENT_ACTIONS = ['read', 'record'] as const;
export type RepaymentAction = (typeof REPAYMENT_ACTIONS)[number];
export type RepaymentRefusal = 'hidden' | 'not_finance';

/** THE decision: null when allowed, otherwise why not. Pure, so it is tested for every case. */
export function judgeRepayment(standing: AwardMoneyStanding, facts: Pick<AwardMoneyFacts, 'visibleToApplicant'>, action: RepaymentAction): RepaymentRefusal | null {
  if (!seesAwardMoney(standing, facts)) return 'hidden';
  if (action === 'read') return null;
  return standing.financeOfficer ? null : 'not_finance';
}

@Injectable()
export class RepaymentPolicy {
  constructor(private readonly memberships: OrganisationMembershipReader) {}

  async assert(user: AuthenticatedUser, facts: AwardMoneyFacts, action: RepaymentAction, manager?: EntityManager): Promise<void> {
    const refusal = judgeRepayment(await awardMoneyStanding(this.memberships, user, facts.organisationId, manager), facts, action);
    if (refusal === 'hidden') throw awardNotFound();
    if (refusal) throw new DomainError('forbidden', 'REPAYMENT.FINANCE_ONLY', 'Only a finance officer can record money received');
  }
}
