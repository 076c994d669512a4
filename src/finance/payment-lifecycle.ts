import { DomainError } from '../common/errors.js';

/**
 * A payment's statuses. A payment at or under the approval threshold is `recorded` and counted at
 * once (recorded → paid, in the same transaction); one above it waits for a second finance
 * officer (awaiting_approval → paid | rejected). Only `paid` money counts in the award and the pot.
 */
export const PAYMENT_STATUSES = ['recorded', 'awaiting_approval', 'paid', 'rejected'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Who moves a payment: the finance officer who recorded it, or another finance officer (the approver). */
export const PAYMENT_ACTORS = ['recorder', 'other_finance_officer'] as const;
export type PaymentActor = (typeof PAYMENT_ACTORS)[number];

export interface PaymentCapabilities {
  /** Its money counts as paid (the award's paid amount, the ledger's payment entry). */
  counted: boolean;
  /** It holds back money from being paid again: counted, or waiting for approval. */
  reservesMoney: boolean;
  /** A finance officer may approve or reject it now. */
  awaitsDecision: boolean;
}

export const PAYMENT_CAPABILITIES: Readonly<Record<PaymentStatus, PaymentCapabilities>> = {
  recorded: { counted: false, reservesMoney: true, awaitsDecision: false },
  awaiting_approval: { counted: false, reservesMoney: true, awaitsDecision: true },
  paid: { counted: true, reservesMoney: true, awaitsDecision: false },
  rejected: { counted: false, reservesMoney: false, awaitsDecision: false },
};

export const paymentCan = (status: PaymentStatus): PaymentCapabilities => PAYMENT_CAPABILITIES[status];

/** THE table of a payment's moves and who may make each. */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentStatus, Partial<Record<PaymentStatus, readonly PaymentActor[]>>>> = {
  recorded: { paid: ['recorder'] },
  awaiting_approval: { paid: ['other_finance_officer'], rejected: ['recorder', 'other_finance_officer'] },
  paid: {},
  rejected: {},
};

export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, string> = {
  recorded: 'Recorded',
  awaiting_approval: 'Awaiting approval',
  paid: 'Paid',
  rejected: 'Rejected',
};

/** The statuses that hold money back, for SQL. */
export const RESERVING_STATUSES = PAYMENT_STATUSES.filter((s) => PAYMENT_CAPABILITIES[s].reservesMoney);

export const canMovePayment = (from: PaymentStatus, to: PaymentStatus, by: PaymentActor): boolean => !!PAYMENT_TRANSITIONS[from]?.[to]?.includes(by);

/** 409 FINANCE.PAYMENT_ILLEGAL_TRANSITION for a move the table lacks; 403 FINANCE.APPROVE_OWN_PAYMENT when only another officer may make it. */
export function assertPaymentMove(from: PaymentStatus, to: PaymentStatus, by: PaymentActor): void {
  const allowed = PAYMENT_TRANSITIONS[from]?.[to];
  if (!allowed) {
    throw new DomainError('conflict', 'FINANCE.PAYMENT_ILLEGAL_TRANSITION', `A payment that is ${PAYMENT_STATUS_LABELS[from].toLowerCase()} cannot become ${PAYMENT_STATUS_LABELS[to].toLowerCase()}`, [], {
      from,
      to,
      paymentStatus: from,
    });
  }
  if (!allowed.includes(by)) {
    throw new DomainError('forbidden', 'FINANCE.APPROVE_OWN_PAYMENT', 'Another finance officer must approve a payment you recorded', [], { from, to });
  }
}
