import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors.js';
import { OrganisationMembershipReader } from '../../organisations/membership-reader.js';
import { hasRole, type AuthenticatedUser } from '../authenticated-user.js';
import type { StaffRole } from '../roles.js';

/**
 * What someone may do with an award. Every awards API route, page, list and download asks this
 * file; nothing else decides who sees or answers an offer.
 *
 * - read: see the award and its offer letter: staff who read every award, or a member of the
 *   organisation once the award is visible to applicants (a provisional award does not exist for
 *   them: 404, like another organisation's);
 * - respond: accept or decline the offer: an owner of the organisation (a member who is not an
 *   owner, and staff who read it, are refused with 403); the lifecycle table then decides whether
 *   the award may move from its status.
 */
export const AWARD_ACTIONS = ['read', 'respond'] as const;
export type AwardAction = (typeof AWARD_ACTIONS)[number];

/** Staff roles that read every award (finance pays them; the auditor never changes anything). */
export const AWARD_READER_ROLES: readonly StaffRole[] = ['grants_officer', 'finance_officer', 'auditor'];

export interface AwardStanding {
  member: boolean;
  owner: boolean;
  readsAll: boolean;
}

/** What the decision needs to know about the award: a plain shape, never the awards entity. */
export interface AwardFacts {
  organisationId: string;
  /** The award's status lets its organisation see it (awardCan(status).visibleToApplicant). */
  visibleToApplicant: boolean;
}

export type AwardRefusal = 'hidden' | 'not_owner';

/** THE decision: null when allowed, otherwise why not. Pure, so it is tested for every case. */
export function judgeAward(standing: AwardStanding, facts: Pick<AwardFacts, 'visibleToApplicant'>, action: AwardAction): AwardRefusal | null {
  const seesAsMember = standing.member && facts.visibleToApplicant;
  if (!standing.readsAll && !seesAsMember) return 'hidden';
  if (action === 'read') return null;
  return seesAsMember && standing.owner ? null : 'not_owner';
}

export const awardNotFound = () => new DomainError('not_found', 'AWARD.NOT_FOUND', 'Award was not found');

export function awardRefusalError(refusal: AwardRefusal): DomainError {
  return refusal === 'hidden' ? awardNotFound() : new DomainError('forbidden', 'AWARD.OWNERS_ONLY', 'Only an owner of the organisation can accept or decline its offer');
}

export const readsAllAwards = (user: AuthenticatedUser): boolean => hasRole(user, ...AWARD_READER_ROLES);

@Injectable()
export class AwardPolicy {
  constructor(private readonly memberships: OrganisationMembershipReader) {}

  /** Where a person stands towards an organisation's awards (one query). */
  async standing(user: AuthenticatedUser, organisationId: string, manager?: EntityManager): Promise<AwardStanding> {
    const membership = (await this.memberships.organisationsOf(user.id, manager)).find((o) => o.id === organisationId);
    return { member: !!membership, owner: membership?.role === 'owner', readsAll: readsAllAwards(user) };
  }

  /** Throws the refusal's error (404 or 403) unless the person may do this with the award. */
  async assert(user: AuthenticatedUser, facts: AwardFacts, action: AwardAction, manager?: EntityManager): Promise<AwardStanding> {
    const standing = await this.standing(user, facts.organisationId, manager);
    const refusal = judgeAward(standing, facts, action);
    if (refusal) throw awardRefusalError(refusal);
    return standing;
  }

  /**
   * Which awards a list shows the person: every award (null) for staff who read them all,
   * otherwise those of the organisations they belong to (the list then keeps only visible ones).
   */
  async listScope(user: AuthenticatedUser, manager?: EntityManager): Promise<string[] | null> {
    if (readsAllAwards(user)) return null;
    return this.memberships.organisationIdsOf(user.id, manager);
  }
}
