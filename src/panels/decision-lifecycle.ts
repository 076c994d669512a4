import { DomainError } from '../common/errors.js';
import { DECISION_STATUSES, type DecisionOutcome, type DecisionStatus } from './panel.entity.js';

/**
 * Who moves a decision: a grants officer, a member of the meeting's panel (never on a bid they
 * are conflicted on: the service asks ConflictsService first), or the meeting's confirmation.
 */
export const DECISION_ACTORS = ['grants_officer', 'panel_member', 'confirmation'] as const;
export type DecisionActor = (typeof DECISION_ACTORS)[number];

/** What a decision allows in each status. Code asks this table, never compares statuses itself. */
export interface DecisionCapabilities {
  /** It may still be changed (another outcome, amount or conditions). */
  changeable: boolean;
  /** It is final: the bid has moved to its outcome and its award (if any) was offered. */
  final: boolean;
}

export const DECISION_CAPABILITIES: Readonly<Record<DecisionStatus, DecisionCapabilities>> = {
  recorded: { changeable: true, final: false },
  changed: { changeable: true, final: false },
  confirmed: { changeable: false, final: true },
};

/** THE table of a decision's moves and who may make each: recorded → changed (again and again) → confirmed, which is final. */
export const DECISION_TRANSITIONS: Readonly<Record<DecisionStatus, Partial<Record<DecisionStatus, readonly DecisionActor[]>>>> = {
  recorded: { changed: ['grants_officer', 'panel_member'], confirmed: ['confirmation'] },
  changed: { changed: ['grants_officer', 'panel_member'], confirmed: ['confirmation'] },
  confirmed: {},
};

export const decisionCan = (status: DecisionStatus): DecisionCapabilities => DECISION_CAPABILITIES[status];

export function canMoveDecision(from: DecisionStatus, to: DecisionStatus, by: DecisionActor): boolean {
  return !!DECISION_TRANSITIONS[from]?.[to]?.includes(by);
}

/** Refuses what the table does not allow: 409 DECISION.ILLEGAL_TRANSITION (no such move), 403 DECISION.TRANSITION_NOT_PERMITTED (wrong actor). */
export function assertDecisionMove(from: DecisionStatus, to: DecisionStatus, by: DecisionActor): void {
  const allowed = DECISION_TRANSITIONS[from]?.[to];
  if (!allowed) {
    const why = decisionCan(from).final ? 'it is final: the meeting was confirmed' : `a ${from} decision cannot become ${to}`;
    throw new DomainError('conflict', 'DECISION.ILLEGAL_TRANSITION', `This decision cannot be changed: ${why}`, [], { from, to });
  }
  if (!allowed.includes(by)) throw new DomainError('forbidden', 'DECISION.TRANSITION_NOT_PERMITTED', 'You cannot make this change to the decision', [], { from, to });
}

// Every status has its capabilities and a row in the table (checked once at load).
for (const status of DECISION_STATUSES) {
  if (!DECISION_TRANSITIONS[status] || !DECISION_CAPABILITIES[status]) throw new Error(`Decision lifecycle table lacks ${status}`);
  if (DECISION_CAPABILITIES[status].changeable !== !!DECISION_TRANSITIONS[status].changed) throw new Error(`Decision lifecycle disagrees on changing ${status}`);
}

/** The outcome's effect on the bid when the meeting is confirmed. */
export const OUTCOME_TO_STATUS: Readonly<Record<DecisionOutcome, 'approved' | 'rejected' | 'deferred'>> = {
  approve: 'approved',
  approve_in_part: 'approved',
  reject: 'rejected',
  defer: 'deferred',
};

export const commitsMoney = (outcome: DecisionOutcome): boolean => outcome === 'approve' || outcome === 'approve_in_part';

export const OUTCOME_LABELS: Record<DecisionOutcome, string> = {
  approve: 'Approve in full',
  approve_in_part: 'Approve in part',
  reject: 'Reject',
  defer: 'Defer',
};

export interface DecisionInput {
  outcome: DecisionOutcome;
  amountPence?: number | null;
  reducedBudgetLines?: { budgetLineId: string; amountPence: number }[] | null;
  conditions?: string[] | null;
  feedback?: string | null;
  reason?: string | null;
}

export interface CheckedDecision {
  outcome: DecisionOutcome;
  amountPence: number | null;
  reducedBudgetLines: { budgetLineId: string; amountPence: number }[];
  conditions: string[];
  feedback: string | null;
  reason: string | null;
}

const invalid = (field: string, code: string, message: string) => new DomainError('validation', code, message, [{ field, code, message }]);

/**
 * The rules of an outcome, pure: approve = the amount requested; approve in part = less than
 * requested (more than nothing); reject needs feedback for the applicant; defer needs a reason
 * (a reserve list is a deferral with a reason). Only approvals carry an amount and conditions.
 */
export function checkDecision(input: DecisionInput, amountRequestedPence: number): CheckedDecision {
  const text = (v: string | null | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const conditions = [...new Set((input.conditions ?? []).map((c) => c.trim()).filter(Boolean))];
  const feedback = text(input.feedback);
  const reason = text(input.reason);
  const amount = input.amountPence ?? null;
  switch (input.outcome) {
    case 'approve':
      if (amount !== null && amount !== amountRequestedPence) {
        throw invalid('amountPence', 'DECISION.AMOUNT_NOT_REQUESTED', `An approval in full is the amount requested (${amountRequestedPence} pence): use approve_in_part for less`);
      }
      return { outcome: 'approve', amountPence: amountRequestedPence, reducedBudgetLines: [], conditions, feedback, reason };
    case 'approve_in_part':
      if (amount === null) throw invalid('amountPence', 'DECISION.AMOUNT_REQUIRED', 'Enter the amount approved');
      if (amount <= 0 || amount >= amountRequestedPence) {
        throw invalid('amountPence', 'DECISION.AMOUNT_NOT_PART', `An approval in part is more than nothing and less than the amount requested (${amountRequestedPence} pence)`);
      }
      return { outcome: 'approve_in_part', amountPence: amount, reducedBudgetLines: input.reducedBudgetLines ?? [], conditions, feedback, reason };
    case 'reject':
      if (!feedback) throw invalid('feedback', 'DECISION.FEEDBACK_REQUIRED', 'Give the applicant feedback on why the bid was not funded');
      if (amount !== null) throw invalid('amountPence', 'DECISION.AMOUNT_NOT_ALLOWED', 'Only an approval has an amount');
      return { outcome: 'reject', amountPence: null, reducedBudgetLines: [], conditions: [], feedback, reason };
    case 'defer':
      if (!reason) throw invalid('reason', 'DECISION.REASON_REQUIRED', 'Give the reason for deferring the bid (for example, a reserve list)');
      if (amount !== null) throw invalid('amountPence', 'DECISION.AMOUNT_NOT_ALLOWED', 'Only an approval has an amount');
      return { outcome: 'defer', amountPence: null, reducedBudgetLines: [], conditions: [], feedback, reason };
  }
}

/**
 * The budget lines an approval in part reduces: each a line of this bid, named once, reduced to an
 * amount below what it asked; the bid's lines after the reductions add up to the amount approved.
 * None given: the organisation and the officer agree the reductions later (the offer says the amount).
 */
export function checkReducedLines(
  reduced: readonly { budgetLineId: string; amountPence: number }[],
  lines: readonly { id: string; amountPence: number }[],
  approvedPence: number,
): { budgetLineId: string; amountPence: number }[] {
  if (!reduced.length) return [];
  const byId = new Map(lines.map((l) => [l.id, l]));
  const seen = new Set<string>();
  for (const [i, r] of reduced.entries()) {
    const line = byId.get(r.budgetLineId);
    if (!line) throw invalid(`reducedBudgetLines[${i}].budgetLineId`, 'DECISION.BUDGET_LINE_UNKNOWN', 'This is not one of the bid’s budget lines');
    if (seen.has(r.budgetLineId)) throw invalid(`reducedBudgetLines[${i}].budgetLineId`, 'DECISION.BUDGET_LINE_TWICE', 'Each budget line can be reduced once');
    seen.add(r.budgetLineId);
    if (r.amountPence >= line.amountPence) {
      throw invalid(`reducedBudgetLines[${i}].amountPence`, 'DECISION.BUDGET_LINE_NOT_REDUCED', `A reduced line is less than it asked for (${line.amountPence} pence)`);
    }
  }
  const after = lines.reduce((sum, l) => sum + (reduced.find((r) => r.budgetLineId === l.id)?.amountPence ?? l.amountPence), 0);
  if (after !== approvedPence) {
    throw invalid('reducedBudgetLines', 'DECISION.BUDGET_LINES_MISMATCH', `With these reductions the budget comes to ${after} pence, not the ${approvedPence} pence approved`);
  }
  return reduced.map((r) => ({ budgetLineId: r.budgetLineId, amountPence: r.amountPence }));
}
