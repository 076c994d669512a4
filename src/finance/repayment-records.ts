import { parsePence } from '../common/money.js';
import { CLAWBACK_STATUS_LABELS, clawbackCan, type ClawbackStatus } from './clawback-lifecycle.js';
import type { RepaymentReason } from './repayment.entity.js';

export interface ClawbackView {
  id: string;
  awardId: string;
  amountPence: number;
  repaidPence: number;
  /** Still owed: amount − repaid (0 once repaid or cancelled). */
  outstandingPence: number;
  reason: string;
  dueOn: string;
  status: ClawbackStatus;
  statusLabel: string;
  open: boolean;
  raisedBy: string;
  raisedAt: Date;
  cancelReason: string | null;
}

export interface RepaymentView {
  id: string;
  awardId: string;
  clawbackId: string | null;
  amountPence: number;
  receivedOn: string;
  reference: string;
  reason: RepaymentReason;
  recordedBy: string;
  recordedAt: Date;
}

export interface ClawbackRow {
  id: string;
  award_id: string;
  amount_pence: string;
  repaid_pence: string;
  reason: string;
  due_on: string | Date;
  status: ClawbackStatus;
  raised_by_label: string;
  cancel_reason: string | null;
  created_at: Date;
}

export interface RepaymentRow {
  id: string;
  award_id: string;
  clawback_id: string | null;
  amount_pence: string;
  received_on: string | Date;
  reference: string;
  reason: RepaymentReason;
  recorded_by_label: string;
  created_at: Date;
}

/** A DATE column as YYYY-MM-DD whichever way the driver hands it over. */
export const dateOnly = (v: string | Date): string =>
  typeof v === 'string' ? v.slice(0, 10) : `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;

export function clawbackView(r: ClawbackRow): ClawbackView {
  const amountPence = parsePence(r.amount_pence);
  const repaidPence = parsePence(r.repaid_pence);
  const open = clawbackCan(r.status).open;
  return {
    id: r.id,
    awardId: r.award_id,
    amountPence,
    repaidPence,
    outstandingPence: open ? amountPence - repaidPence : 0,
    reason: r.reason,
    dueOn: dateOnly(r.due_on),
    status: r.status,
    statusLabel: CLAWBACK_STATUS_LABELS[r.status],
    open,
    raisedBy: r.raised_by_label,
    raisedAt: r.created_at,
    cancelReason: r.cancel_reason,
  };
}

export const repaymentView = (r: RepaymentRow): RepaymentView => ({
  id: r.id,
  awardId: r.award_id,
  clawbackId: r.clawback_id,
  amountPence: parsePence(r.amount_pence),
  receivedOn: dateOnly(r.received_on),
  reference: r.reference,
  reason: r.reason,
  recordedBy: r.recorded_by_label,
  recordedAt: r.created_at,
});
