import { spendTable, underspend } from './spend-table.js';

describe('the spend table of a return', () => {
  const lines = [
    { budgetLineId: 'a', item: 'Venue hire', category: 'Premises', amountPence: 100_000 },
    { budgetLineId: 'b', item: 'Sessional worker', category: 'Staff', amountPence: 250_000 },
  ];
  const returns = [
    { number: 1, spend: [{ budgetLineId: 'a', spentPence: 40_000 }, { budgetLineId: 'b', spentPence: 100_000 }] },
    { number: 2, spend: [{ budgetLineId: 'a', spentPence: 70_000 }, { budgetLineId: 'gone', spentPence: 5 }] },
  ];

  it('shows spend to date, this return’s spend and the variance per line, with totals', () => {
    expect(spendTable(lines, returns, 1)).toEqual({
      lines: [
        { budgetLineId: 'a', item: 'Venue hire', category: 'Premises', approvedPence: 100_000, spentThisReturnPence: 40_000, spentPence: 40_000, variancePence: -60_000 },
        { budgetLineId: 'b', item: 'Sessional worker', category: 'Staff', approvedPence: 250_000, spentThisReturnPence: 100_000, spentPence: 100_000, variancePence: -150_000 },
      ],
      totals: { approvedPence: 350_000, spentThisReturnPence: 140_000, spentPence: 140_000, variancePence: -210_000 },
    });
    const second = spendTable(lines, returns, 2);
    expect(second.lines[0]).toMatchObject({ spentThisReturnPence: 70_000, spentPence: 110_000, variancePence: 10_000 });
    expect(second.totals).toEqual({ approvedPence: 350_000, spentThisReturnPence: 70_000, spentPence: 210_000, variancePence: -140_000 });
  });

  it('gives the underspend as paid less spent, never below nothing', () => {
    expect(underspend(300_000, 210_000)).toBe(90_000);
    expect(underspend(200_000, 210_000)).toBe(0);
  });
});
