import { DomainError } from '../common/errors.js';
import { proposedTerms, type VariableAward, type VariationRequest } from './variation-rules.js';

const award: VariableAward = {
  amountPence: 250000,
  paidPence: 100000,
  releasedPence: 20000,
  startsOn: '2030-04-01',
  endsOn: '2031-03-31',
  budgetLines: [
    { budgetLineId: 'a', item: 'Youth worker', category: 'staff', amountPence: 150000 },
    { budgetLineId: 'b', item: 'Venue hire', category: 'premises', amountPence: 100000 },
  ],
};

const codes = (request: Partial<VariationRequest>, on: VariableAward = award): string[] => {
  try {
    proposedTerms(on, { reason: 'Because', ...request } as VariationRequest);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.errors.map((e) => e.code);
  }
};

describe('the rules of a variation request (proposedTerms)', () => {
  it('a budget move keeps the total and the lines: same ids, each once, adding up to the award', () => {
    const { before, proposed } = proposedTerms(award, { kind: 'budget', reason: 'Venue', budgetLines: [{ budgetLineId: 'b', amountPence: 120000 }, { budgetLineId: 'a', amountPence: 130000 }] });
    expect(before.budgetLines.map((l) => l.amountPence)).toEqual([150000, 100000]);
    expect(proposed).toEqual({ amountPence: 250000, endsOn: '2031-03-31', budgetLines: [{ ...award.budgetLines[0], amountPence: 130000 }, { ...award.budgetLines[1], amountPence: 120000 }] });
    expect(codes({ kind: 'budget', budgetLines: [{ budgetLineId: 'a', amountPence: 150000 }, { budgetLineId: 'b', amountPence: 99999 }] })).toEqual(['VARIATION.BUDGET_LINES_SUM']);
    expect(codes({ kind: 'budget', budgetLines: [{ budgetLineId: 'a', amountPence: 250000 }] })).toEqual(['VARIATION.BUDGET_LINES_MISSING']);
    expect(codes({ kind: 'budget', budgetLines: [{ budgetLineId: 'a', amountPence: 125000 }, { budgetLineId: 'a', amountPence: 125000 }] })).toEqual(['VARIATION.DUPLICATE_BUDGET_LINE']);
    expect(codes({ kind: 'budget', budgetLines: [{ budgetLineId: 'a', amountPence: 250000 }, { budgetLineId: 'z', amountPence: 0 }] })).toEqual(['VARIATION.UNKNOWN_BUDGET_LINE']);
    expect(codes({ kind: 'budget', budgetLines: [{ budgetLineId: 'a', amountPence: 150000 }, { budgetLineId: 'b', amountPence: 100000 }] })).toEqual(['VARIATION.NO_CHANGE']);
    expect(codes({ kind: 'budget', budgetLines: [{ budgetLineId: 'a', amountPence: -1 }, { budgetLineId: 'b', amountPence: 250001 }] })).toEqual(['VARIATION.INVALID_INPUT']);
    expect(codes({ kind: 'budget' }, { ...award, budgetLines: [] })).toEqual(['VARIATION.NO_BUDGET_LINES']);
  });

  it('an end date must be a real date after the current end (or the start when there is no end)', () => {
    expect(proposedTerms(award, { kind: 'end_date', reason: 'Time', endsOn: '2031-04-01' }).proposed.endsOn).toBe('2031-04-01');
    expect(codes({ kind: 'end_date', endsOn: '2031-03-31' })).toEqual(['VARIATION.END_NOT_LATER']);
    expect(codes({ kind: 'end_date', endsOn: '2031-02-29' })).toEqual(['VARIATION.INVALID_INPUT']);
    expect(codes({ kind: 'end_date', endsOn: '2030-04-01' }, { ...award, endsOn: null })).toEqual(['VARIATION.END_NOT_LATER']);
    expect(codes({ kind: 'end_date', endsOn: '2030-04-02' }, { ...award, endsOn: null })).toEqual([]);
  });

  it('an amount must differ, never fall below paid + released, and come with lines adding up to it', () => {
    const up = proposedTerms(award, { kind: 'amount', reason: 'More', amountPence: 300000, budgetLines: [{ budgetLineId: 'a', amountPence: 200000 }, { budgetLineId: 'b', amountPence: 100000 }] });
    expect(up.proposed.amountPence).toBe(300000);
    expect(codes({ kind: 'amount', amountPence: 119999, budgetLines: [{ budgetLineId: 'a', amountPence: 119999 }, { budgetLineId: 'b', amountPence: 0 }] })).toEqual(['VARIATION.BELOW_PAID']);
    expect(codes({ kind: 'amount', amountPence: 120000, budgetLines: [{ budgetLineId: 'a', amountPence: 120000 }, { budgetLineId: 'b', amountPence: 0 }] })).toEqual([]);
    expect(codes({ kind: 'amount', amountPence: 250000, budgetLines: [] })).toEqual(['VARIATION.NO_CHANGE']);
    expect(codes({ kind: 'amount', amountPence: 300000 })).toEqual(['VARIATION.INVALID_INPUT']);
    expect(codes({ kind: 'amount', amountPence: 300000, budgetLines: [{ budgetLineId: 'a', amountPence: 150000 }, { budgetLineId: 'b', amountPence: 100000 }] })).toEqual(['VARIATION.BUDGET_LINES_SUM']);
    // An award that kept no lines changes its amount alone.
    expect(proposedTerms({ ...award, budgetLines: [] }, { kind: 'amount', reason: 'More', amountPence: 300000 }).proposed.budgetLines).toEqual([]);
  });

  it('needs a kind and a reason', () => {
    expect(codes({ kind: 'other' as never })).toEqual(['VARIATION.INVALID_INPUT']);
    expect(codes({ kind: 'end_date', endsOn: '2031-04-01', reason: '  ' })).toEqual(['VARIATION.INVALID_INPUT']);
  });
});
