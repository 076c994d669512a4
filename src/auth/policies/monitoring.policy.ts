import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors.js';
import { OrganisationMembershipReader } from '../../organisations/membership-reader.js';
import { hasRole, type AuthenticatedUser } from '../authenticated-user.js';
import type { StaffRole } from '../roles.js';

/**
 * What someone may do with an award's monitoring returns and its closure. Every monitoring API
 * route and page asks this file.
 *
 * - read: see the award's returns: a member (owner or not) of the organisation while the award is
 *   visible to it, or staff who read every award (grants officers, finance officers, auditors);
 *   anyone else is told the award or return does not exist (404);
 * - write: save and submit a return: a member or owner of the organisation, while the return is
 *   editable (409 once it is with the grants officer or accepted); staff who only read are 403;
 * - review: accept a return or ask for changes: grants officers (403 for everyone else who reads it);
 * - close: close the award once monitoring is complete: grants officers.
 */
export const MONITORING_ACTIONS = ['read', 'write', 'review', 'close'] as const;
export type MonitoringAction = (typeof MONITORING_ACTIONS)[number];

/** Staff roles that read every award's returns. */
export const MONITORING_READER_ROLES: readonly StaffRole[] = ['grants_officer', 'finance_officer', 'auditor'];

export interface MonitoringStanding {
  member: boolean;
  readsAll: boolean;
  grantsOfficer: boolean;
}

/** What the decision needs to know: plain facts, never an entity. */
export interface MonitoringFacts {
  organisationId: string;
  /** The award is visible to its organisation (the award lifecycle's capability). */
  awardVisible: boolean;
  /** The return may be changed by its organisation now (the return lifecycle's capability); true for award-level actions. */
  editable: boolean;
}

export type MonitoringRefusal = 'hidden' | 'members_only' | 'not_editable' | 'officers_only';

/** THE decision: null when allowed, otherwise why not. Pure, so it is tested for every case. */
export function judgeMonitoring(standing: MonitoringStanding, facts: Pick<MonitoringFacts, 'awardVisible' | 'editable'>, action: MonitoringAction): MonitoringRefusal | null {
  const seesAsMember = standing.member && facts.awardVisible;
  if (!standing.readsAll && !seesAsMember) return 'hidden';
  if (action === 'read') return null;
  if (action === 'write') {
    if (!seesAsMember) return 'members_only';
    return facts.editable ? null : 'not_editable';
  }
  return standing.grantsOfficer ? null : 'officers_only';
}

export type MonitoringSubject = 'award' | 'return';

export const monitoringNotFound = (subject: MonitoringSubject) =>
  subject === 'award' ? new DomainError('not_found', 'AWARD.NOT_FOUND', 'Award was not found') : new DomainError('not_found', 'MONITORING.RETURN_NOT_FOUND', 'Return was not found');

export function monitoringRefusalError(refusal: MonitoringRefusal, subject: MonitoringSubject): DomainError {
  switch (refusal) {
    case 'hidden':
      return monitoringNotFound(subject);
    case 'members_only':
      return new DomainError('forbidden', 'MONITORING.MEMBERS_ONLY', 'Only members of the organisation can write or submit its returns');
    case 'not_editable':
      return new DomainError('conflict', 'MONITORING.RETURN_NOT_EDITABLE', 'This return has been sent to the grants officer and cannot be changed now');
    case 'officers_only':
      return new DomainError('forbidden', 'MONITORING.OFFICERS_ONLY', 'Only a grants officer can do this');
  }
}

export const readsAllReturns = (user: AuthenticatedUser): boolean => hasRole(user, ...MONITORING_READER_ROLES);

@Injectable()
export class MonitoringPolicy {
  constructor(private readonly memberships: OrganisationMembershipReader) {}

  /** Where a person stands towards an organisation's returns (one query, none for staff who read all). */
  async standing(user: AuthenticatedUser, organisationId: string, manager?: EntityManager): Promise<MonitoringStanding> {
    const member = await this.memberships.isMember(user.id, organisationId, manager);
    return { member, readsAll: readsAllReturns(user), grantsOfficer: hasRole(user, 'grants_officer') };
  }

  /** Throws the refusal's error (404, 403 or 409) unless the person may do this. */
  async assert(user: AuthenticatedUser, facts: MonitoringFacts, action: MonitoringAction, subject: MonitoringSubject, manager?: EntityManager): Promise<MonitoringStanding> {
    const standing = await this.standing(user, facts.organisationId, manager);
    const refusal = judgeMonitoring(standing, facts, action);
    if (refusal) throw monitoringRefusalError(refusal, subject);
    return standing;
  }

  /** Whether the person may do this (for showing buttons; the services decide). */
  async allows(user: AuthenticatedUser, facts: MonitoringFacts, action: MonitoringAction, manager?: EntityManager): Promise<boolean> {
    return judgeMonitoring(await this.standing(user, facts.organisationId, manager), facts, action) === null;
  }
}
