import type { EntityManager } from 'typeorm';
import type { OrganisationMembershipReader } from '../../organisations/membership-reader.js';
import { hasRole, type AuthenticatedUser } from '../authenticated-user.js';
import { AWARD_READER_ROLES } from './award.policy.js';

/** Where a person stands towards the money coming back on an organisation's award (clawbacks and repayments share it). */
export interface AwardMoneyStanding {
  member: boolean;
  readsAll: boolean;
  grantsOfficer: boolean;
  financeOfficer: boolean;
}

/** What the policies need to know about the award: a plain shape, never the awards entity. */
export interface AwardMoneyFacts {
  organisationId: string;
  /** The award's status lets its organisation see it. */
  visibleToApplicant: boolean;
}

/** One query: the person's memberships, and their staff roles. */
export async function awardMoneyStanding(memberships: OrganisationMembershipReader, user: AuthenticatedUser, organisationId: string, manager?: EntityManager): Promise<AwardMoneyStanding> {
  const member = (await memberships.organisationsOf(user.id, manager)).some((o) => o.id === organisationId);
  return { member, readsAll: hasRole(user, ...AWARD_READER_ROLES), grantsOfficer: hasRole(user, 'grants_officer'), financeOfficer: hasRole(user, 'finance_officer') };
}

/** Whether the person sees the award's money at all: staff who read awards, or its organisation's members once visible. */
export const seesAwardMoney = (standing: AwardMoneyStanding, facts: Pick<AwardMoneyFacts, 'visibleToApplicant'>): boolean => standing.readsAll || (standing.member && facts.visibleToApplicant);
