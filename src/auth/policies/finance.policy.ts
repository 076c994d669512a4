import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors.js';
import { OrganisationMembershipReader } from '../../organisations/membership-reader.js';
import { hasRole, type AuthenticatedUser } from '../authenticated-user.js';
import type { StaffRole } from '../roles.js';

/**
 * What someone may do with an award's money: its bank details, payment schedule and payments.
 * Every finance API route, page, list and download asks this file.
 *
 * - read: the payment plan, the payments and the bank details (masked): members of the award's
 *   organisation once the award is visible to applicants, and staff who read awards (grants
 *   officers, finance officers, the auditor); anyone else is told the award does not exist (404);
 * - enter_bank_details: an owner of the organisation;
 * - verify_bank_details, change_schedule, pay, approve_payment: finance officers (the second-person
 *   rules, "not the one who entered / recorded it", are the services');
 * - mark_condition_met: grants officers and finance officers;
 * - read_bank_details_in_full: finance officers only (everyone else sees ****1234, **-**-56).
 * Someone who may read but not do the action is refused with 403.
 */
export const FINANCE_ACTIONS = [
  'read',
  'read_bank_details_in_full',
  'enter_bank_details',
  'verify_bank_details',
  'change_schedule',
  'pay',
  'approve_payment',
  'mark_condition_met',
] as const;
export type FinanceAction = (typeof FINANCE_ACTIONS)[number];

/** Staff roles that read every award's money (the auditor never changes anything). */
export const FINANCE_READER_ROLES: readonly StaffRole[] = ['grants_officer', 'finance_officer', 'auditor'];

const STAFF_ACTIONS: Partial<Record<FinanceAction, readonly StaffRole[]>> = {
  read_bank_details_in_full: ['finance_officer'],
  verify_bank_details: ['finance_officer'],
  change_schedule: ['finance_officer'],
  pay: ['finance_officer'],
  approve_payment: ['finance_officer'],
  mark_condition_met: ['grants_officer', 'finance_officer'],
};

export interface FinanceStanding {
  member: boolean;
  owner: boolean;
  roles: readonly StaffRole[];
}

export interface FinanceFacts {
  organisationId: string;
  /** awardCan(status).visibleToApplicant */
  visibleToApplicant: boolean;
}

export type FinanceRefusal = 'hidden' | 'forbidden';

/** THE decision: null when allowed, otherwise why not. Pure, so it is tested for every case. */
export function judgeFinance(standing: FinanceStanding, facts: Pick<FinanceFacts, 'visibleToApplicant'>, action: FinanceAction): FinanceRefusal | null {
  const asMember = standing.member && facts.visibleToApplicant;
  const readsAll = standing.roles.some((r) => FINANCE_READER_ROLES.includes(r));
  if (!asMember && !readsAll) return 'hidden';
  if (action === 'read') return null;
  if (action === 'enter_bank_details') return asMember && standing.owner ? null : 'forbidden';
  return standing.roles.some((r) => STAFF_ACTIONS[action]?.includes(r)) ? null : 'forbidden';
}

export const financeAwardNotFound = () => new DomainError('not_found', 'AWARD.NOT_FOUND', 'Award was not found');

const FORBIDDEN_MESSAGES: Record<FinanceAction, string> = {
  read: '',
  read_bank_details_in_full: 'Only finance officers see bank details in full',
  enter_bank_details: 'Only an owner of the organisation can enter its bank details',
  verify_bank_details: 'Only a finance officer can verify bank details',
  change_schedule: 'Only a finance officer can change a payment schedule',
  pay: 'Only a finance officer can record a payment',
  approve_payment: 'Only a finance officer can approve a payment',
  mark_condition_met: 'Only a grants officer or finance officer can mark a condition met',
};

export function financeRefusalError(refusal: FinanceRefusal, action: FinanceAction): DomainError {
  return refusal === 'hidden' ? financeAwardNotFound() : new DomainError('forbidden', 'FINANCE.NOT_PERMITTED', FORBIDDEN_MESSAGES[action]);
}

export const seesBankDetailsInFull = (user: AuthenticatedUser): boolean => hasRole(user, 'finance_officer');

@Injectable()
export class FinancePolicy {
  constructor(private readonly memberships: OrganisationMembershipReader) {}

  async standing(user: AuthenticatedUser, organisationId: string, manager?: EntityManager): Promise<FinanceStanding> {
    const membership = (await this.memberships.organisationsOf(user.id, manager)).find((o) => o.id === organisationId);
    return { member: !!membership, owner: membership?.role === 'owner', roles: user.roles };
  }

  /** Throws the refusal (404 or 403) unless the person may do this with the award's money. */
  async assert(user: AuthenticatedUser, facts: FinanceFacts, action: FinanceAction, manager?: EntityManager): Promise<FinanceStanding> {
    const standing = await this.standing(user, facts.organisationId, manager);
    const refusal = judgeFinance(standing, facts, action);
    if (refusal) throw financeRefusalError(refusal, action);
    return standing;
  }

  /** Whether the person may (the pages show or hide a form; the services still assert). */
  async may(user: AuthenticatedUser, facts: FinanceFacts, action: FinanceAction, manager?: EntityManager): Promise<boolean> {
    return judgeFinance(await this.standing(user, facts.organisationId, manager), facts, action) === null;
  }
}
