import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors.js';
import { OrganisationMembershipReader } from '../../organisations/membership-reader.js';
import { hasRole, type AuthenticatedUser } from '../authenticated-user.js';
import { AWARD_READER_ROLES, awardNotFound } from './award.policy.js';

/**
 * What someone may do with an award's variations. Every variations API route, page and list asks
 * this file.
 *
 * - read: see the award's variations: staff who read every award (grants and finance officers,
 *   the auditor), or a member of the organisation once the award is visible to applicants;
 * - request / withdraw: an owner of the organisation (members who are not owners, and staff, 403);
 * - decide: approve or refuse: a grants officer (anyone else who may read it, 403).
 * Anyone who may not read the award is told it does not exist (404).
 */
export const VARIATION_ACTIONS = ['read', 'request', 'withdraw', 'decide'] as const;
export type VariationAction = (typeof VARIATION_ACTIONS)[number];

export interface VariationStanding {
  member: boolean;
  owner: boolean;
  readsAll: boolean;
  /** Holds the grants officer role. */
  decides: boolean;
}

export interface VariationFacts {
  organisationId: string;
  /** The award's status lets its organisation see it. */
  visibleToApplicant: boolean;
}

export type VariationRefusal = 'hidden' | 'not_owner' | 'not_officer';

/** THE decision: null when allowed, otherwise why not. Pure, so it is tested for every case. */
export function judgeVariation(standing: VariationStanding, facts: Pick<VariationFacts, 'visibleToApplicant'>, action: VariationAction): VariationRefusal | null {
  const seesAsMember = standing.member && facts.visibleToApplicant;
  if (!standing.readsAll && !seesAsMember) return 'hidden';
  switch (action) {
    case 'read':
      return null;
    case 'request':
    case 'withdraw':
      return seesAsMember && standing.owner ? null : 'not_owner';
    case 'decide':
      return standing.decides ? null : 'not_officer';
  }
}

export const variationNotFound = () => new DomainError('not_found', 'VARIATION.NOT_FOUND', 'Variation was not found');

export function variationRefusalError(refusal: VariationRefusal, hidden: 'award' | 'variation'): DomainError {
  if (refusal === 'hidden') return hidden === 'award' ? awardNotFound() : variationNotFound();
  if (refusal === 'not_owner') return new DomainError('forbidden', 'VARIATION.OWNERS_ONLY', 'Only an owner of the organisation can ask for or withdraw a variation');
  return new DomainError('forbidden', 'VARIATION.OFFICERS_ONLY', 'Only a grants officer can decide a variation');
}

@Injectable()
export class VariationPolicy {
  constructor(private readonly memberships: OrganisationMembershipReader) {}

  async standing(user: AuthenticatedUser, organisationId: string, manager?: EntityManager): Promise<VariationStanding> {
    const membership = (await this.memberships.organisationsOf(user.id, manager)).find((o) => o.id === organisationId);
    return { member: !!membership, owner: membership?.role === 'owner', readsAll: hasRole(user, ...AWARD_READER_ROLES), decides: hasRole(user, 'grants_officer') };
  }

  /** Throws the refusal's error (404 naming the award or the variation, or 403) unless the person may do this. */
  async assert(user: AuthenticatedUser, facts: VariationFacts, action: VariationAction, hidden: 'award' | 'variation', manager?: EntityManager): Promise<VariationStanding> {
    const standing = await this.standing(user, facts.organisationId, manager);
    const refusal = judgeVariation(standing, facts, action);
    if (refusal) throw variationRefusalError(refusal, hidden);
    return standing;
  }

  /** Whether the staff list of variations to decide is open to this person (readers of every award). */
  readsAll(user: AuthenticatedUser): boolean {
    return hasRole(user, ...AWARD_READER_ROLES);
  }
}
