import { DomainError } from '../common/errors.js';
import { assertDecisionMove, canMoveDecision, checkDecision, checkReducedLines, DECISION_ACTORS, DECISION_CAPABILITIES, DECISION_TRANSITIONS, decisionCan } from './decision-lifecycle.js';
import { DECISION_STATUSES } from './panel.entity.js';

const ALLOWED: Record<string, string[]> = {
  'recorded>changed': ['grants_officer', 'panel_member'],
  'recorded>confirmed': ['confirmation'],
  'changed>changed': ['grants_officer', 'panel_member'],
  'changed>confirmed': ['confirmation'],
};

const codeOf = (work: () => unknown): string | null => {
  try {
    work();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
};

describe('the decision lifecycle table, exhaustively', () => {
  for (const from of DECISION_STATUSES) {
    for (const to of DECISION_STATUSES) {
      for (const by of DECISION_ACTORS) {
        const allowed = (ALLOWED[`${from}>${to}`] ?? []).includes(by);
        it(`${from} → ${to} by ${by}: ${allowed ? 'allowed' : 'refused with a code'}`, () => {
          expect(canMoveDecision(from, to, by)).toBe(allowed);
          const code = codeOf(() => assertDecisionMove(from, to, by));
          if (allowed) expect(code).toBeNull();
          else expect(code).toBe(ALLOWED[`${from}>${to}`] ? 'DECISION.TRANSITION_NOT_PERMITTED' : 'DECISION.ILLEGAL_TRANSITION');
        });
      }
    }
  }

  it('has a row and capabilities for every status; confirmed is final and nothing leaves it', () => {
    expect(Object.keys(DECISION_TRANSITIONS).sort()).toEqual([...DECISION_STATUSES].sort());
    expect(Object.keys(DECISION_CAPABILITIES).sort()).toEqual([...DECISION_STATUSES].sort());
    expect(decisionCan('confirmed')).toEqual({ changeable: false, final: true });
    expect(DECISION_TRANSITIONS.confirmed).toEqual({});
    expect(decisionCan('recorded').changeable && decisionCan('changed').changeable).toBe(true);
  });
});

describe('the outcome rules', () => {
  it('approve is the amount requested; in part is less; reject needs feedback; defer needs a reason', () => {
    expect(checkDecision({ outcome: 'approve' }, 5000)).toMatchObject({ amountPence: 5000 });
    expect(checkDecision({ outcome: 'approve', amountPence: 5000, conditions: [' a ', 'a', ''] }, 5000)).toMatchObject({ amountPence: 5000, conditions: ['a'] });
    expect(codeOf(() => checkDecision({ outcome: 'approve', amountPence: 4000 }, 5000))).toBe('DECISION.AMOUNT_NOT_REQUESTED');
    expect(checkDecision({ outcome: 'approve_in_part', amountPence: 4999 }, 5000)).toMatchObject({ amountPence: 4999 });
    expect(codeOf(() => checkDecision({ outcome: 'approve_in_part', amountPence: 5000 }, 5000))).toBe('DECISION.AMOUNT_NOT_PART');
    expect(codeOf(() => checkDecision({ outcome: 'approve_in_part', amountPence: 0 }, 5000))).toBe('DECISION.AMOUNT_NOT_PART');
    expect(codeOf(() => checkDecision({ outcome: 'approve_in_part' }, 5000))).toBe('DECISION.AMOUNT_REQUIRED');
    expect(codeOf(() => checkDecision({ outcome: 'reject', feedback: '  ' }, 5000))).toBe('DECISION.FEEDBACK_REQUIRED');
    expect(checkDecision({ outcome: 'reject', feedback: 'Not shown', conditions: ['x'] }, 5000)).toMatchObject({ amountPence: null, conditions: [], feedback: 'Not shown' });
    expect(codeOf(() => checkDecision({ outcome: 'reject', feedback: 'x', amountPence: 10 }, 5000))).toBe('DECISION.AMOUNT_NOT_ALLOWED');
    expect(codeOf(() => checkDecision({ outcome: 'defer' }, 5000))).toBe('DECISION.REASON_REQUIRED');
    expect(checkDecision({ outcome: 'defer', reason: 'Reserve list' }, 5000)).toMatchObject({ amountPence: null, reason: 'Reserve list' });
  });
});

describe('the budget lines an approval in part reduces', () => {
  const lines = [
    { id: 'a', amountPence: 300_00 },
    { id: 'b', amountPence: 200_00 },
  ];
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as { code: string }).code;
    }
    return null;
  };
  it('accepts reductions that bring the budget to the amount approved, and none at all', () => {
    expect(checkReducedLines([{ budgetLineId: 'a', amountPence: 100_00 }], lines, 300_00)).toEqual([{ budgetLineId: 'a', amountPence: 100_00 }]);
    expect(checkReducedLines([], lines, 123_00)).toEqual([]);
  });
  it('refuses unknown or repeated lines, a line not reduced, and totals that do not come to the amount', () => {
    expect(codeOf(() => checkReducedLines([{ budgetLineId: 'z', amountPence: 1 }], lines, 300_00))).toBe('DECISION.BUDGET_LINE_UNKNOWN');
    expect(codeOf(() => checkReducedLines([{ budgetLineId: 'a', amountPence: 1 }, { budgetLineId: 'a', amountPence: 2 }], lines, 300_00))).toBe('DECISION.BUDGET_LINE_TWICE');
    expect(codeOf(() => checkReducedLines([{ budgetLineId: 'b', amountPence: 200_00 }], lines, 500_00))).toBe('DECISION.BUDGET_LINE_NOT_REDUCED');
    expect(codeOf(() => checkReducedLines([{ budgetLineId: 'a', amountPence: 100_00 }], lines, 250_00))).toBe('DECISION.BUDGET_LINES_MISMATCH');
  });
});
