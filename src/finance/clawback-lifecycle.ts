import { DomainError } from '../common/errors.js';

export const CLAWBACK_STATUSES = ['raised', 'partly_repaid', 'repaid', 'cancelled'] as const;
export type ClawbackStatus = (typeof CLAWBACK_STATUSES)[number];

/** Who moves a clawback: a grants officer raises and cancels it; money received (finance's repayments) moves it on. */
export const CLAWBACK_ACTORS = ['grants_officer', 'repayment'] as const;
export type ClawbackActor = (typeof CLAWBACK_ACTORS)[number];

export interface ClawbackCapabilities {
  /** Money is still owed on it (it counts against closing the award, and repayments may be recorded against it). */
  open: boolean;
  /** A grants officer may cancel it now. */
  cancellable: boolean;
}

export const CLAWBACK_CAPABILITIES: Readonly<Record<ClawbackStatus, ClawbackCapabilities>> = {
  raised: { open: true, cancellable: true },
  partly_repaid: { open: true, cancellable: true },
  repaid: { open: false, cancellable: false },
  cancelled: { open: false, cancellable: false },
};

export const clawbackCan = (status: ClawbackStatus): ClawbackCapabilities => CLAWBACK_CAPABILITIES[status];

/** THE table of a clawback's moves and who may make each. */
export const CLAWBACK_TRANSITIONS: Readonly<Record<ClawbackStatus, Partial<Record<ClawbackStatus, readonly ClawbackActor[]>>>> = {
  raised: { partly_repaid: ['repayment'], repaid: ['repayment'], cancelled: ['grants_officer'] },
  partly_repaid: { partly_repaid: ['repayment'], repaid: ['repayment'], cancelled: ['grants_officer'] },
  repaid: {},
  cancelled: {},
};

for (const status of CLAWBACK_STATUSES) {
  if (!!CLAWBACK_TRANSITIONS[status].cancelled !== CLAWBACK_CAPABILITIES[status].cancellable) throw new Error(`Clawback lifecycle table disagrees on cancelling from ${status}`);
}

export const CLAWBACK_STATUS_LABELS: Record<ClawbackStatus, string> = {
  raised: 'Due',
  partly_repaid: 'Partly repaid',
  repaid: 'Repaid',
  cancelled: 'Cancelled',
};

export const OPEN_CLAWBACK_STATUSES = CLAWBACK_STATUSES.filter((s) => CLAWBACK_CAPABILITIES[s].open);

/** The status a clawback reaches once `repaidPence` of its `amountPence` has come in. */
export const clawbackStatusFor = (amountPence: number, repaidPence: number): ClawbackStatus => (repaidPence >= amountPence ? 'repaid' : repaidPence > 0 ? 'partly_repaid' : 'raised');

export function assertClawbackMove(from: ClawbackStatus, to: ClawbackStatus, by: ClawbackActor): void {
  const allowed = CLAWBACK_TRANSITIONS[from]?.[to];
  if (!allowed) {
    throw new DomainError('conflict', 'CLAWBACK.ILLEGAL_TRANSITION', `A clawback that is ${CLAWBACK_STATUS_LABELS[from].toLowerCase()} cannot become ${CLAWBACK_STATUS_LABELS[to].toLowerCase()}`, [], {
      from,
      to,
      clawbackStatus: from,
    });
  }
  if (!allowed.includes(by)) throw new DomainError('forbidden', 'CLAWBACK.TRANSITION_NOT_PERMITTED', 'You cannot make this change to the clawback', [], { from, to });
}
