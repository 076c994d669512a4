import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { applicationCan, mayChangePart, STATUS_LABELS, type ApplicationPart } from '../../applications/application-lifecycle.js';
import type { ApplicationStatus } from '../../applications/application.types.js';
import { DomainError } from '../../common/errors.js';
import { OrganisationsService } from '../../organisations/organisations.service.js';
import { hasRole, type AuthenticatedUser } from '../authenticated-user.js';
import type { StaffRole } from '../roles.js';

/**
 * What someone may do with a bid. Every API route, page, list and download for applications and
 * their attachments asks this file; nothing else decides who sees or changes a bid.
 *
 * - read / read_files: see the bid (answers, budget, history) / list and download its files;
 * - act_for: move it as the applicant (submit, withdraw); the lifecycle table then decides whether
 *   the move is allowed from its status;
 * - change / change_files: change its answers and budget / add and remove files, which needs the
 *   status to be editable (`applicationCan(status).editable`).
 *
 * Files have their own actions, although today they follow the bid's, because they will part:
 * assessors will read a bid's files but not its history, and the screening issue opens named files
 * again while more information is asked for. Scores will be actions here too (read_scores, score).
 */
export const APPLICATION_ACTIONS = ['read', 'read_files', 'act_for', 'change', 'change_files'] as const;
export type ApplicationAction = (typeof APPLICATION_ACTIONS)[number];

/** Staff roles that read every bid; the auditor never changes anything. */
export const APPLICATION_READER_ROLES: readonly StaffRole[] = ['grants_officer', 'auditor'];
export const READ_ONLY_ROLES: readonly StaffRole[] = ['auditor'];

/**
 * Where a person stands towards one bid: the facts the decision is made from, gathered once.
 * Besides membership and roles: `assigned` (an assessor with an assignment to this bid and no
 * declared conflict of interest) and `onPanel` (a member of a panel meeting that has it, unconflicted).
 */
export interface ApplicationStanding {
  /** Belongs to the organisation that owns the bid. */
  member: boolean;
  /** Holds a staff role that reads every bid. */
  readsAll: boolean;
  /** Holds a role that may never change anything, even as a member. */
  readOnly: boolean;
  /** An assessor with an assignment to this bid and no declared conflict (from the assessment port). */
  assigned?: boolean;
  /** A member of a panel meeting with this bid on its agenda and no declared conflict (from the panels port): reads the bid, not its files. */
  onPanel?: boolean;
}

/**
 * The port through which assessment tells the policy who is an assigned assessor of a bid (so
 * assessment does not re-implement the bid's access, and this file does not know its tables).
 * Assessment registers its source at start-up; with none, nobody is assigned.
 */
export interface AssignedAssessorSource {
  isAssigned(manager: EntityManager, userId: string, applicationId: string): Promise<boolean>;
}

@Injectable()
export class AssignedAssessorPort {
  private source: AssignedAssessorSource | null = null;

  register(source: AssignedAssessorSource): void {
    this.source = source;
  }

  async isAssigned(manager: EntityManager, userId: string, applicationId: string | undefined): Promise<boolean> {
    if (!this.source || !applicationId) return false;
    return this.source.isAssigned(manager, userId, applicationId);
  }
}

/**
 * The port through which panels tell the policy who sits on a meeting that has a bid on its agenda
 * (without a conflict of interest with its organisation). Panels register at start-up.
 */
export interface PanelSeatSource {
  sitsOnPanelFor(manager: EntityManager, userId: string, applicationId: string): Promise<boolean>;
}

@Injectable()
export class PanelSeatPort {
  private source: PanelSeatSource | null = null;

  register(source: PanelSeatSource): void {
    this.source = source;
  }

  async sitsOnPanelFor(manager: EntityManager, userId: string, applicationId: string | undefined): Promise<boolean> {
    if (!this.source || !applicationId) return false;
    return this.source.sitsOnPanelFor(manager, userId, applicationId);
  }
}

/** What the decision needs to know about the bid itself: a plain shape, never the applications entity. */
export interface ApplicationFacts {
  /** The bid's id (an assigned assessor's standing is looked up by it). */
  id?: string;
  organisationId: string;
  status: ApplicationStatus;
  /** The parts reopened while more information is asked for (see mayChangePart). */
  reopenedSections?: readonly string[] | null;
  reopenedAttachmentKinds?: readonly string[] | null;
}

type Reopened = Pick<ApplicationFacts, 'reopenedSections' | 'reopenedAttachmentKinds'>;

/** Why a request is refused: hidden (404, the id is not confirmed), forbidden (403), not now (409). */
export type ApplicationRefusal = 'hidden' | 'forbidden' | 'read_only' | 'not_editable';

export const readsAllApplications = (user: AuthenticatedUser): boolean => hasRole(user, ...APPLICATION_READER_ROLES);

/**
 * A person's standing from their roles and whether they belong to the owning organisation;
 * `asMember` leaves their staff roles out (the applicant's own pages and dashboard).
 */
export const standingFrom = (user: AuthenticatedUser, member: boolean, options: { asMember?: boolean } = {}): ApplicationStanding =>
  options.asMember
    ? { member, readsAll: false, readOnly: false }
    : { member, readsAll: readsAllApplications(user), readOnly: hasRole(user, ...READ_ONLY_ROLES) };

/**
 * THE decision: null when allowed, otherwise why not. Pure, so it is tested for every case.
 * Changes ask mayChangePart (the lifecycle's one rule): `part` names the section or attachment kind
 * when known, otherwise any reopened section (change) or kind (change_files) will do.
 */
export function judgeApplication(
  standing: ApplicationStanding,
  status: ApplicationStatus,
  action: ApplicationAction,
  reopened: Reopened = {},
  part?: ApplicationPart,
): ApplicationRefusal | null {
  const reads = standing.member || standing.readsAll || !!standing.assigned;
  if (!reads && !(standing.onPanel && action === 'read')) return 'hidden';
  switch (action) {
    case 'read':
    case 'read_files':
      return null;
    case 'act_for':
    case 'change':
    case 'change_files':
      if (!standing.member) return 'forbidden';
      if (standing.readOnly) return 'read_only';
      if (action === 'act_for') return null;
      return mayChangePart({ status, ...reopened }, part ?? (action === 'change' ? { section: null } : { attachmentKind: null })) ? null : 'not_editable';
  }
}

export const applicationNotFound = () => new DomainError('not_found', 'APPLICATION.NOT_FOUND', 'Application was not found');

/** The error for a refusal, in the codes the API documents (files keep their ATTACHMENT.* codes). */
export function applicationRefusalError(refusal: ApplicationRefusal, status: ApplicationStatus, action: ApplicationAction): DomainError {
  const files = action === 'read_files' || action === 'change_files';
  switch (refusal) {
    case 'hidden':
      return applicationNotFound();
    case 'read_only':
      return new DomainError('forbidden', 'ACCESS.READ_ONLY', 'Your role can read applications but not change them');
    case 'forbidden':
      return files
        ? new DomainError('forbidden', 'ATTACHMENT.MEMBERS_ONLY', 'Only members of the applying organisation can change its application’s files')
        : new DomainError('forbidden', 'APPLICATION.MEMBERS_ONLY', 'Only members of the organisation can change its application');
    case 'not_editable':
      if (applicationCan(status).partsReopened) {
        return new DomainError(
          'conflict',
          files ? 'ATTACHMENT.NOT_REOPENED' : 'APPLICATION.PART_NOT_REOPENED',
          files ? 'Only the kinds of document the grants officer asked for can be added or removed' : 'Only the sections the grants officer asked about can be changed',
          [],
          { applicationStatus: status },
        );
      }
      return files
        ? new DomainError('conflict', 'ATTACHMENT.NOT_EDITABLE', 'Files can only be added or removed while the application is a draft', [], { applicationStatus: status })
        : new DomainError('conflict', 'APPLICATION.NOT_EDITABLE', `This application is ${STATUS_LABELS[status].toLowerCase()} and can no longer be changed`, [], {
            applicationStatus: status,
          });
  }
}

/**
 * Which bids a list may show someone, as a filter for the list's own query: every bid for staff
 * who read all (drafts only when asked for, since a draft is the organisation's work in progress),
 * otherwise the bids of their organisations. Assigned assessors will add `applicationIds`.
 */
export interface ApplicationListScope {
  readsAll: boolean;
  organisationIds: readonly string[];
  /**
   * A WHERE condition over the applications table under `alias`; `param` adds a bound parameter
   * and returns its placeholder. `includeDrafts` when the caller chose a status itself.
   */
  where(alias: string, param: (value: unknown) => string, options?: { includeDrafts?: boolean }): string;
}

export function listScope(readsAll: boolean, organisationIds: readonly string[]): ApplicationListScope {
  return {
    readsAll,
    organisationIds,
    where(alias, param, options = {}) {
      if (readsAll) return options.includeDrafts ? 'TRUE' : `${alias}.status <> 'draft'`;
      if (!organisationIds.length) return 'FALSE';
      return `${alias}.organisation_id = ANY(${param([...organisationIds])}::uuid[])`;
    },
  };
}

/**
 * The application policy: gathers a person's standing towards a bid (membership through the
 * organisations module's door, never its tables) and asks `judgeApplication`.
 */
@Injectable()
export class ApplicationPolicy {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly assessors: AssignedAssessorPort,
    private readonly panelSeats: PanelSeatPort,
  ) {}

  /** `asMember` leaves the person's staff roles out: their standing as an applicant only. */
  async standingOf(manager: EntityManager, user: AuthenticatedUser, bid: ApplicationFacts, options: { asMember?: boolean } = {}): Promise<ApplicationStanding> {
    const standing = standingFrom(user, await this.organisations.isMember(manager, user.id, bid.organisationId), options);
    if (options.asMember || standing.member || standing.readsAll) return standing;
    const assigned = hasRole(user, 'assessor') && (await this.assessors.isAssigned(manager, user.id, bid.id));
    const onPanel = !assigned && hasRole(user, 'panel_member') && (await this.panelSeats.sitsOnPanelFor(manager, user.id, bid.id));
    return { ...standing, assigned, onPanel };
  }

  allows(standing: ApplicationStanding, bid: ApplicationFacts, action: ApplicationAction, part?: ApplicationPart): boolean {
    return judgeApplication(standing, bid.status, action, bid, part) === null;
  }

  /** Throws the refusal's error (404, 403 or 409) unless the action is allowed (on `part`, when named). */
  assert(standing: ApplicationStanding, bid: ApplicationFacts, action: ApplicationAction, part?: ApplicationPart): void {
    const refusal = judgeApplication(standing, bid.status, action, bid, part);
    if (refusal) throw applicationRefusalError(refusal, bid.status, action);
  }

  /** Gathers the standing and asserts the action in one go; returns the standing for the caller's view. */
  async check(manager: EntityManager, user: AuthenticatedUser, bid: ApplicationFacts, action: ApplicationAction, options: { asMember?: boolean } = {}): Promise<ApplicationStanding> {
    const standing = await this.standingOf(manager, user, bid, options);
    this.assert(standing, bid, action);
    return standing;
  }

  /** May this person start a bid for this organisation? Members may (404 otherwise); read-only roles never. */
  async assertMayStart(manager: EntityManager, user: AuthenticatedUser, organisationId: string): Promise<void> {
    if (!(await this.organisations.isMember(manager, user.id, organisationId))) {
      throw new DomainError('not_found', 'ORGANISATION.NOT_FOUND', 'Organisation was not found');
    }
    if (standingFrom(user, true).readOnly) throw applicationRefusalError('read_only', 'draft', 'change');
  }

  /**
   * `asMember`: only the person's own organisations' bids, whatever staff roles they hold (the
   * dashboard and the applicant's pages, where staff who are not members have nothing).
   */
  async listScope(manager: EntityManager, user: AuthenticatedUser, options: { asMember?: boolean } = {}): Promise<ApplicationListScope> {
    if (!options.asMember && readsAllApplications(user)) return listScope(true, []);
    const memberships = await this.organisations.membershipsOf(manager, user.id);
    return listScope(false, memberships.map((m) => m.id));
  }
}
