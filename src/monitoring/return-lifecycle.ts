import { DomainError } from '../common/errors.js';

/**
 * A monitoring return's statuses: due (created when the award was accepted, nothing written yet),
 * draft (the organisation is writing it), submitted (with the grants officer), accepted, or
 * changes_requested (back with the organisation, who edits it and submits it again).
 */
export const RETURN_STATUSES = ['due', 'draft', 'submitted', 'accepted', 'changes_requested'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** Who moves a return: a member or owner of the organisation, a grants officer. */
export const RETURN_ACTORS = ['applicant', 'grants_officer'] as const;
export type ReturnActor = (typeof RETURN_ACTORS)[number];

/** What a return allows in each status. Code asks this table, never compares statuses itself. */
export interface ReturnCapabilities {
  /** The organisation may change its answers now. */
  editable: boolean;
  /** The organisation may send it to the grants officer now. */
  submittable: boolean;
  /** A grants officer may accept it or ask for changes now. */
  reviewable: boolean;
  /** Reminders still go out for it (it has never been sent in). */
  reminded: boolean;
}

const can = (editable: boolean, submittable: boolean, reviewable: boolean, reminded: boolean): ReturnCapabilities => ({ editable, submittable, reviewable, reminded });

export const RETURN_CAPABILITIES: Readonly<Record<ReturnStatus, ReturnCapabilities>> = {
  due: can(true, false, false, true),
  draft: can(true, true, false, true),
  submitted: can(false, false, true, false),
  accepted: can(false, false, false, false),
  changes_requested: can(true, true, false, false),
};

export const returnCan = (status: ReturnStatus): ReturnCapabilities => RETURN_CAPABILITIES[status];

/** THE table of a return's moves and who may make each; nothing else decides whether a return may change status. */
export const RETURN_TRANSITIONS: Readonly<Record<ReturnStatus, Partial<Record<ReturnStatus, readonly ReturnActor[]>>>> = {
  due: { draft: ['applicant'] },
  draft: { submitted: ['applicant'] },
  submitted: { accepted: ['grants_officer'], changes_requested: ['grants_officer'] },
  changes_requested: { submitted: ['applicant'] },
  accepted: {},
};

// Submittable means "the organisation may send it in": the capability and the table must agree (checked once at load).
for (const status of RETURN_STATUSES) {
  if (!!RETURN_TRANSITIONS[status].submitted !== RETURN_CAPABILITIES[status].submittable) throw new Error(`Return lifecycle table disagrees on submitting from ${status}`);
  const reviewable = !!RETURN_TRANSITIONS[status].accepted && !!RETURN_TRANSITIONS[status].changes_requested;
  if (reviewable !== RETURN_CAPABILITIES[status].reviewable) throw new Error(`Return lifecycle table disagrees on reviewing from ${status}`);
}

export const RETURN_STATUS_LABELS: Record<ReturnStatus, string> = {
  due: 'Due',
  draft: 'In progress',
  submitted: 'Submitted',
  accepted: 'Accepted',
  changes_requested: 'Changes requested',
};

export const RETURN_TAG_CLASSES: Record<ReturnStatus, string> = {
  due: 'govuk-tag--grey',
  draft: 'govuk-tag--blue',
  submitted: 'govuk-tag--purple',
  accepted: 'govuk-tag--green',
  changes_requested: 'govuk-tag--orange',
};

export const isReturnStatus = (value: unknown): value is ReturnStatus => typeof value === 'string' && (RETURN_STATUSES as readonly string[]).includes(value);

export function canMoveReturn(from: ReturnStatus, to: ReturnStatus, by: ReturnActor): boolean {
  return !!RETURN_TRANSITIONS[from]?.[to]?.includes(by);
}

/** Refuses anything the table does not allow: 409 for a move the table lacks, 403 for the wrong actor. */
export function assertReturnMove(from: ReturnStatus, to: ReturnStatus, by: ReturnActor): void {
  const allowed = RETURN_TRANSITIONS[from]?.[to];
  if (!allowed) {
    throw new DomainError('conflict', 'MONITORING.ILLEGAL_TRANSITION', `A return that is ${RETURN_STATUS_LABELS[from].toLowerCase()} cannot become ${RETURN_STATUS_LABELS[to].toLowerCase()}`, [], {
      from,
      to,
      returnStatus: from,
    });
  }
  if (!allowed.includes(by)) throw new DomainError('forbidden', 'MONITORING.TRANSITION_NOT_PERMITTED', 'You cannot make this change to the return', [], { from, to });
}
