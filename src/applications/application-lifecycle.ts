import { DomainError } from '../common/errors.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './application.entity.js';

export { APPLICATION_STATUSES, type ApplicationStatus };

/**
 * Who makes a change to a bid:
 * - applicant: a member of the organisation that owns the bid;
 * - grants_officer / panel_member: staff roles;
 * - system: a scheduled or automatic job.
 */
export const TRANSITION_ACTORS = ['applicant', 'grants_officer', 'panel_member', 'system'] as const;
export type TransitionActor = (typeof TRANSITION_ACTORS)[number];

/** What a bid allows in each status. Code asks this table, never compares statuses itself. */
export interface ApplicationCapabilities {
  /** Its organisation's members may change answers, budget lines and attachments. */
  editable: boolean;
  /** Its organisation may still withdraw it (no decision yet). */
  withdrawable: boolean;
  /** It has been sent to the funder (it has a reference and counts as received). */
  submitted: boolean;
  /** A decision has been made; nothing about it changes any more. */
  decided: boolean;
  /** Only the parts an officer reopened (named sections and attachment kinds) may be changed. */
  partsReopened: boolean;
}

const capability = (editable: boolean, withdrawable: boolean, submitted: boolean, decided: boolean, partsReopened = false): ApplicationCapabilities => ({
  editable,
  withdrawable,
  submitted,
  decided,
  partsReopened,
});

/**
 * Per-status capabilities. More information requested is not editable as a whole: the screening
 * issue opens only the sections and attachments the officer names, through its own rule.
 */
export const APPLICATION_CAPABILITIES: Readonly<Record<ApplicationStatus, ApplicationCapabilities>> = {
  draft: capability(true, true, false, false),
  submitted: capability(false, true, true, false),
  screening: capability(false, true, true, false),
  more_info_requested: capability(false, true, true, false, true),
  in_assessment: capability(false, true, true, false),
  assessed: capability(false, true, true, false),
  at_panel: capability(false, true, true, false),
  deferred: capability(false, true, true, false),
  approved: capability(false, false, true, true),
  rejected: capability(false, false, true, true),
  withdrawn: capability(false, false, false, false),
};

export const applicationCan = (status: ApplicationStatus): ApplicationCapabilities => APPLICATION_CAPABILITIES[status];

/** What of a bid is open again while more information is asked for (the bid's own columns). */
export interface ReopenedParts {
  status: ApplicationStatus;
  reopenedSections?: readonly string[] | null;
  reopenedAttachmentKinds?: readonly string[] | null;
}

/**
 * A part of a bid someone wants to change: a section by key (the project details and the budget
 * are sections too), or files of a kind. Without a key or kind: "any section" / "any file", the
 * question asked before the part is known (a file's kind is read after the upload's body).
 */
export type ApplicationPart = { section: string | null } | { attachmentKind: string | null };

/**
 * THE rule for "may this part of the bid be changed now", asked by the API, the pages and the
 * attachments module (through the application policy): any part while the status is editable;
 * while only reopened parts are, the named sections and attachment kinds; otherwise nothing.
 */
export function mayChangePart(bid: ReopenedParts, part: ApplicationPart): boolean {
  const can = APPLICATION_CAPABILITIES[bid.status];
  if (can.editable) return true;
  if (!can.partsReopened) return false;
  const open = 'section' in part ? (bid.reopenedSections ?? []) : (bid.reopenedAttachmentKinds ?? []);
  const wanted = 'section' in part ? part.section : part.attachmentKind;
  return wanted === null ? open.length > 0 : open.includes(wanted);
}

/**
 * THE table of allowed changes of a bid's status, and who may make each. Nothing else in the code
 * decides whether a transition is allowed: it asks `assertTransition`.
 */
export const APPLICATION_TRANSITIONS: Readonly<Record<ApplicationStatus, Partial<Record<ApplicationStatus, readonly TransitionActor[]>>>> = {
  draft: { submitted: ['applicant'], withdrawn: ['applicant'] },
  submitted: { screening: ['grants_officer', 'system'], withdrawn: ['applicant'] },
  screening: {
    more_info_requested: ['grants_officer'],
    in_assessment: ['grants_officer'],
    rejected: ['grants_officer'],
    withdrawn: ['applicant'],
  },
  more_info_requested: { screening: ['applicant', 'grants_officer'], withdrawn: ['applicant'] },
  in_assessment: { assessed: ['grants_officer', 'system'], withdrawn: ['applicant'] },
  assessed: { at_panel: ['grants_officer'], withdrawn: ['applicant'] },
  at_panel: {
    approved: ['panel_member', 'grants_officer'],
    rejected: ['panel_member', 'grants_officer'],
    deferred: ['panel_member', 'grants_officer'],
    withdrawn: ['applicant'],
  },
  deferred: { at_panel: ['grants_officer'], withdrawn: ['applicant'] },
  approved: {},
  rejected: {},
  withdrawn: {},
};

// Keep the withdrawal capability and the table of moves in step (checked once at load).
for (const status of APPLICATION_STATUSES) {
  const canWithdraw = !!APPLICATION_TRANSITIONS[status].withdrawn;
  if (canWithdraw !== APPLICATION_CAPABILITIES[status].withdrawable) throw new Error(`Application lifecycle table disagrees on withdrawing from ${status}`);
}

export const STATUS_LABELS: Record<ApplicationStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted',
  screening: 'Being checked',
  more_info_requested: 'More information needed',
  in_assessment: 'Being assessed',
  assessed: 'Assessed',
  at_panel: 'At panel',
  approved: 'Approved',
  rejected: 'Not funded',
  deferred: 'Deferred',
  withdrawn: 'Withdrawn',
};

/** govuk-tag colour classes per status. */
export const STATUS_TAG_CLASSES: Record<ApplicationStatus, string> = {
  draft: 'govuk-tag--grey',
  submitted: 'govuk-tag--blue',
  screening: 'govuk-tag--light-blue',
  more_info_requested: 'govuk-tag--yellow',
  in_assessment: 'govuk-tag--light-blue',
  assessed: 'govuk-tag--light-blue',
  at_panel: 'govuk-tag--purple',
  approved: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
  deferred: 'govuk-tag--orange',
  withdrawn: 'govuk-tag--grey',
};

export function canTransition(from: ApplicationStatus, to: ApplicationStatus, by: TransitionActor): boolean {
  return !!APPLICATION_TRANSITIONS[from]?.[to]?.includes(by);
}

export function isWithdrawable(status: ApplicationStatus): boolean {
  return APPLICATION_CAPABILITIES[status].withdrawable;
}

/** Refuses anything the table does not allow: 409 for a move the table lacks, 403 for the wrong actor. */
export function assertTransition(from: ApplicationStatus, to: ApplicationStatus, by: TransitionActor): void {
  const allowed = APPLICATION_TRANSITIONS[from]?.[to];
  if (!allowed) {
    throw new DomainError(
      'conflict',
      'APPLICATION.ILLEGAL_TRANSITION',
      `An application that is ${STATUS_LABELS[from].toLowerCase()} cannot become ${STATUS_LABELS[to]?.toLowerCase() ?? to}`,
      [],
      { from, to },
    );
  }
  if (!allowed.includes(by)) {
    throw new DomainError('forbidden', 'APPLICATION.TRANSITION_NOT_PERMITTED', `You cannot make this change to the application`, [], {
      from,
      to,
    });
  }
}
