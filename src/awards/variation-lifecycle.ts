import { DomainError } from '../common/errors.js';

/** What a variation asks to change on an award. */
export const VARIATION_KINDS = ['budget', 'end_date', 'amount'] as const;
export type VariationKind = (typeof VARIATION_KINDS)[number];

export const VARIATION_STATUSES = ['requested', 'approved', 'refused', 'withdrawn'] as const;
export type VariationStatus = (typeof VARIATION_STATUSES)[number];

/** Who moves a variation: an owner of the award's organisation (applicant) or a grants officer. */
export const VARIATION_ACTORS = ['applicant', 'grants_officer'] as const;
export type VariationActor = (typeof VARIATION_ACTORS)[number];

/** What a variation allows in each status. Code asks this table, never compares statuses itself. */
export interface VariationCapabilities {
  /** Still waiting for a decision: the award's one open variation (no second may be asked for). */
  open: boolean;
  /** A grants officer may approve or refuse it now. */
  decidable: boolean;
  /** An owner may withdraw it now. */
  withdrawable: boolean;
}

export const VARIATION_CAPABILITIES: Readonly<Record<VariationStatus, VariationCapabilities>> = {
  requested: { open: true, decidable: true, withdrawable: true },
  approved: { open: false, decidable: false, withdrawable: false },
  refused: { open: false, decidable: false, withdrawable: false },
  withdrawn: { open: false, decidable: false, withdrawable: false },
};

export const variationCan = (status: VariationStatus): VariationCapabilities => VARIATION_CAPABILITIES[status];

/** THE table of a variation's moves and who may make each. */
export const VARIATION_TRANSITIONS: Readonly<Record<VariationStatus, Partial<Record<VariationStatus, readonly VariationActor[]>>>> = {
  requested: { approved: ['grants_officer'], refused: ['grants_officer'], withdrawn: ['applicant'] },
  approved: {},
  refused: {},
  withdrawn: {},
};

// The capabilities and the table must agree (checked once at load).
for (const status of VARIATION_STATUSES) {
  const moves = VARIATION_TRANSITIONS[status];
  if (!!moves.approved !== VARIATION_CAPABILITIES[status].decidable || !!moves.withdrawn !== VARIATION_CAPABILITIES[status].withdrawable) {
    throw new Error(`Variation lifecycle table disagrees with its capabilities for ${status}`);
  }
}

export const VARIATION_STATUS_LABELS: Record<VariationStatus, string> = {
  requested: 'Waiting for a decision',
  approved: 'Approved',
  refused: 'Refused',
  withdrawn: 'Withdrawn',
};

export const VARIATION_TAG_CLASSES: Record<VariationStatus, string> = {
  requested: 'govuk-tag--blue',
  approved: 'govuk-tag--green',
  refused: 'govuk-tag--red',
  withdrawn: 'govuk-tag--grey',
};

export const VARIATION_KIND_LABELS: Record<VariationKind, string> = {
  budget: 'Move money between budget lines',
  end_date: 'Extend the end date',
  amount: 'Change the grant amount',
};

export const OPEN_VARIATION_STATUSES = VARIATION_STATUSES.filter((s) => VARIATION_CAPABILITIES[s].open);

export const isVariationKind = (value: unknown): value is VariationKind => typeof value === 'string' && (VARIATION_KINDS as readonly string[]).includes(value);

export function canMoveVariation(from: VariationStatus, to: VariationStatus, by: VariationActor): boolean {
  return !!VARIATION_TRANSITIONS[from]?.[to]?.includes(by);
}

/** Refuses anything the table does not allow: 409 for a move the table lacks, 403 for the wrong actor. */
export function assertVariationMove(from: VariationStatus, to: VariationStatus, by: VariationActor): void {
  const allowed = VARIATION_TRANSITIONS[from]?.[to];
  if (!allowed) {
    throw new DomainError('conflict', 'VARIATION.ILLEGAL_TRANSITION', `A variation that is ${VARIATION_STATUS_LABELS[from].toLowerCase()} cannot be ${VARIATION_STATUS_LABELS[to].toLowerCase()}`, [], {
      from,
      to,
      variationStatus: from,
    });
  }
  if (!allowed.includes(by)) throw new DomainError('forbidden', 'VARIATION.TRANSITION_NOT_PERMITTED', 'You cannot make this change to the variation', [], { from, to });
}
