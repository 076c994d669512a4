/** One approved budget line as a return reports against it, in pence. */
export interface SpendRow {
  budgetLineId: string;
  item: string;
  category: string;
  approvedPence: number;
  /** Spent in this return's period. */
  spentThisReturnPence: number;
  /** Spent to date: this return and every earlier one. */
  spentPence: number;
  /** spent − approved: negative is under budget, positive over. */
  variancePence: number;
}

export interface SpendTable {
  lines: SpendRow[];
  totals: { approvedPence: number; spentThisReturnPence: number; spentPence: number; variancePence: number };
}

interface Line {
  budgetLineId: string;
  item: string;
  category: string;
  amountPence: number;
}

interface ReturnSpend {
  number: number;
  spend: { budgetLineId: string; spentPence: number }[];
}

/**
 * The spend table of return `number`: for each approved line, what was spent in this return's
 * period, cumulatively to it (this return and the earlier ones), and the variance against the
 * approved amount; and the totals. Lines the award no longer has are ignored.
 */
export function spendTable(lines: readonly Line[], returns: readonly ReturnSpend[], number: number): SpendTable {
  const upTo = returns.filter((r) => r.number <= number);
  const sum = (rs: readonly ReturnSpend[], lineId: string) => rs.reduce((total, r) => total + r.spend.filter((s) => s.budgetLineId === lineId).reduce((a, s) => a + s.spentPence, 0), 0);
  const rows = lines.map((l) => {
    const spentPence = sum(upTo, l.budgetLineId);
    return {
      budgetLineId: l.budgetLineId,
      item: l.item,
      category: l.category,
      approvedPence: l.amountPence,
      spentThisReturnPence: sum(
        upTo.filter((r) => r.number === number),
        l.budgetLineId,
      ),
      spentPence,
      variancePence: spentPence - l.amountPence,
    };
  });
  const total = (key: 'approvedPence' | 'spentThisReturnPence' | 'spentPence' | 'variancePence') => rows.reduce((a, r) => a + r[key], 0);
  return { lines: rows, totals: { approvedPence: total('approvedPence'), spentThisReturnPence: total('spentThisReturnPence'), spentPence: total('spentPence'), variancePence: total('variancePence') } };
}

/** What the organisation was paid and did not spend: never negative (overspend is its own money). */
export const underspend = (paidPence: number, spentPence: number): number => Math.max(0, paidPence - spentPence);
