import { DomainError } from '../common/errors.js';

/** An award's statuses, from the panel's approval to the end of monitoring (the finance issue adds variations and clawback). */
export const AWARD_STATUSES = ['provisional', 'offered', 'accepted', 'declined', 'expired', 'withdrawn', 'cancelled', 'active', 'monitoring', 'closed'] as const;
export type AwardStatus = (typeof AWARD_STATUSES)[number];

/**
 * Who moves an award:
 * - panel: the panels module, on a decision recorded, changed or confirmed (its own rules decide who may do that);
 * - applicant: an owner of the organisation the award is for;
 * - grants_officer / finance_officer: staff roles;
 * - system: a scheduled job (the offer's expiry) or an automatic step (the first payment).
 */
export const AWARD_ACTORS = ['panel', 'applicant', 'grants_officer', 'finance_officer', 'system'] as const;
export type AwardActor = (typeof AWARD_ACTORS)[number];

/** What an award allows in each status. Code asks this table, never compares statuses itself. */
export interface AwardCapabilities {
  /** Its organisation's members see it (the offer letter, their list); otherwise it does not exist for them (404). */
  visibleToApplicant: boolean;
  /** An owner may accept or decline it now (if the deadline has not passed). */
  acceptable: boolean;
  /** Money may be paid against it (the finance issue). */
  payable: boolean;
  /** Its amount counts in the pot's committed money (the ledger's invariant). */
  committed: boolean;
  /** Its amount and conditions still follow the panel's unconfirmed decision. */
  changeable: boolean;
  /** An owner may ask to vary it (its budget lines, end date or amount) and a grants officer may approve that. */
  variable: boolean;
}

const can = (visibleToApplicant: boolean, acceptable: boolean, payable: boolean, committed: boolean, changeable = false, variable = false): AwardCapabilities => ({
  visibleToApplicant,
  acceptable,
  payable,
  committed,
  changeable,
  variable,
});

export const AWARD_CAPABILITIES: Readonly<Record<AwardStatus, AwardCapabilities>> = {
  provisional: can(false, false, false, true, true),
  offered: can(true, true, false, true),
  accepted: can(true, false, true, true, false, true),
  declined: can(true, false, false, false),
  expired: can(true, false, false, false),
  withdrawn: can(true, false, false, false),
  cancelled: can(false, false, false, false),
  active: can(true, false, true, true, false, true),
  monitoring: can(true, false, true, true, false, true),
  closed: can(true, false, false, true),
};

export const awardCan = (status: AwardStatus): AwardCapabilities => AWARD_CAPABILITIES[status];

/**
 * THE table of an award's moves and who may make each. Nothing else decides whether an award may
 * change status: it asks `assertAwardMove`.
 */
export const AWARD_TRANSITIONS: Readonly<Record<AwardStatus, Partial<Record<AwardStatus, readonly AwardActor[]>>>> = {
  provisional: { offered: ['panel'], cancelled: ['panel'] },
  offered: { accepted: ['applicant'], declined: ['applicant'], expired: ['system'], withdrawn: ['grants_officer'] },
  accepted: { active: ['finance_officer', 'system'] },
  active: { monitoring: ['grants_officer', 'system'] },
  monitoring: { closed: ['grants_officer'] },
  declined: {},
  expired: {},
  withdrawn: {},
  cancelled: {},
  closed: {},
};

// Acceptable means "an owner may accept it": the capability and the table must agree (checked once at load).
for (const status of AWARD_STATUSES) {
  if (!!AWARD_TRANSITIONS[status].accepted !== AWARD_CAPABILITIES[status].acceptable) throw new Error(`Award lifecycle table disagrees on accepting from ${status}`);
}

export const AWARD_STATUS_LABELS: Record<AwardStatus, string> = {
  provisional: 'Provisional',
  offered: 'Offered',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Offer expired',
  withdrawn: 'Offer withdrawn',
  cancelled: 'Cancelled',
  active: 'Active',
  monitoring: 'Monitoring',
  closed: 'Closed',
};

export const AWARD_TAG_CLASSES: Record<AwardStatus, string> = {
  provisional: 'govuk-tag--grey',
  offered: 'govuk-tag--blue',
  accepted: 'govuk-tag--green',
  declined: 'govuk-tag--orange',
  expired: 'govuk-tag--grey',
  withdrawn: 'govuk-tag--grey',
  cancelled: 'govuk-tag--grey',
  active: 'govuk-tag--green',
  monitoring: 'govuk-tag--purple',
  closed: 'govuk-tag--grey',
};

/** The statuses whose amounts the pot's committed money includes. */
export const COMMITTED_STATUSES = AWARD_STATUSES.filter((s) => AWARD_CAPABILITIES[s].committed);

export const isAwardStatus = (value: unknown): value is AwardStatus => typeof value === 'string' && (AWARD_STATUSES as readonly string[]).includes(value);

export function canMoveAward(from: AwardStatus, to: AwardStatus, by: AwardActor): boolean {
  return !!AWARD_TRANSITIONS[from]?.[to]?.includes(by);
}

/** Refuses anything the table does not allow: 409 for a move the table lacks, 403 for the wrong actor. */
export function assertAwardMove(from: AwardStatus, to: AwardStatus, by: AwardActor): void {
  const allowed = AWARD_TRANSITIONS[from]?.[to];
  if (!allowed) {
    throw new DomainError('conflict', 'AWARD.ILLEGAL_TRANSITION', `An award that is ${AWARD_STATUS_LABELS[from].toLowerCase()} cannot become ${AWARD_STATUS_LABELS[to]?.toLowerCase() ?? to}`, [], {
      from,
      to,
      awardStatus: from,
    });
  }
  if (!allowed.includes(by)) throw new DomainError('forbidden', 'AWARD.TRANSITION_NOT_PERMITTED', 'You cannot make this change to the award', [], { from, to });
}
