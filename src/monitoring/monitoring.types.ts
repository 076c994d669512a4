import type { ReturnStatus } from './return-lifecycle.js';

/** What other modules read about an award's returns (MonitoringReader). */
export interface ReturnSummary {
  id: string;
  awardId: string;
  number: number;
  periodLabel: string;
  dueOn: string;
  final: boolean;
  status: ReturnStatus;
  submittedAt: Date | null;
  reviewedAt: Date | null;
}

/** The award's final return as finance and closure see it. */
export interface FinalReturnFigures {
  returnId: string;
  status: ReturnStatus;
  /** Spend reported across all the award's returns, in pence. */
  totalSpentPence: number;
  /** Paid − total spent, never negative: what the organisation did not spend of what it was paid. */
  underspendPence: number;
}
