import { DomainError } from '../common/errors.js';
import { budgetLineErrors, budgetLineErrorsWith, budgetProblems, checkBudgetLine } from './budget-rules.js';

describe('budget line rules (the one copy, for the API and the pages)', () => {
  it('lists every error of a line at once, in the order of the page', () => {
    expect(budgetLineErrors({ item: ' ', category: '', otherFundingPence: 500 }).map((e) => [e.field, e.code])).toEqual([
      ['item', 'FIELD.REQUIRED'],
      ['category', 'FIELD.REQUIRED'],
      ['amountPence', 'FIELD.REQUIRED'],
      ['otherFundingSource', 'FIELD.REQUIRED'],
    ]);
  });

  it('refuses amounts that are not whole positive pence, and unknown categories', () => {
    const codes = (amountPence: number, category = 'staff') => budgetLineErrors({ item: 'Hall', category, amountPence }).map((e) => e.code);
    expect(codes(0)).toEqual(['FIELD.TOO_SMALL']);
    expect(codes(12.5)).toEqual(['FIELD.NOT_AN_INTEGER']);
    expect(codes(2_000_000_000)).toEqual(['FIELD.TOO_LARGE']);
    expect(codes(100, 'yachts')).toEqual(['FIELD.NOT_ALLOWED_VALUE']);
  });

  it('normalises a good line and throws a coded validation error for a bad one', () => {
    expect(checkBudgetLine({ item: ' Hall hire ', category: 'venue', amountPence: 1000, otherFundingSource: '  ' })).toEqual({
      item: 'Hall hire',
      category: 'venue',
      amountPence: 1000,
      otherFundingPence: 0,
      otherFundingSource: null,
    });
    expect(() => checkBudgetLine({ item: 'Hall', category: 'venue' })).toThrow(DomainError);
  });

  it("puts what the caller found first for its fields, the rules for the rest, the bid's limit before all, in field order", () => {
    const found = [
      { field: 'version', code: 'FIELD.REQUIRED', message: 'v' },
      { field: 'amountPence', code: 'FIELD.NOT_AN_AMOUNT', message: 'pounds' },
      { field: 'budget', code: 'APPLICATION.TOO_MANY_BUDGET_LINES', message: 'full' },
    ];
    expect(budgetLineErrorsWith({ item: '', category: 'venue' }, found).map((e) => [e.field, e.code])).toEqual([
      ['budget', 'APPLICATION.TOO_MANY_BUDGET_LINES'],
      ['item', 'FIELD.REQUIRED'],
      ['amountPence', 'FIELD.NOT_AN_AMOUNT'],
      ['version', 'FIELD.REQUIRED'],
    ]);
    // A line the rules accept is still refused when the caller found something wrong.
    expect(() => checkBudgetLine({ item: 'Hall', category: 'venue', amountPence: 100 }, [found[2]])).toThrow(DomainError);
  });

  it('a complete budget has lines and a total within the pot', () => {
    const pot = { minGrantPence: 100_000, maxGrantPence: 500_000 };
    expect(budgetProblems(0, 0, pot)[0].code).toBe('APPLICATION.BUDGET_EMPTY');
    expect(budgetProblems(1, 99_999, pot)[0].code).toBe('APPLICATION.BUDGET_OUTSIDE_POT_LIMITS');
    expect(budgetProblems(2, 500_001, pot)[0].code).toBe('APPLICATION.BUDGET_OUTSIDE_POT_LIMITS');
    expect(budgetProblems(2, 500_000, pot)).toEqual([]);
  });
});
