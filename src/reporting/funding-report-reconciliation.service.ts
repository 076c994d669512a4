import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { parsePence } from '../common/money.js';
import { AWARDED_STATUSES } from './priority-section.service.js';
import { resolveFund, type ReportFund } from './report-fund.js';

export interface ReconciliationLine {
  figure: 'committed' | 'paid' | 'returned';
  label: string;
  reportPence: number;
  ledgerPence: number;
  awardsPence: number;
  /** Ledger minus report, and awards table minus report: 0 when they reconcile. */
  ledgerDifferencePence: number;
  awardsDifferencePence: number;
}

export interface FundingReconciliation {
  fund: ReportFund;
  reconciled: boolean;
  lines: ReconciliationLine[];
  /** Each figure that does not agree, in words. */
  differences: string[];
}

/**
 * The funding report's grand totals for awards made in this service (past awards have no ledger)
 * against the pot ledger (pot_ledger_entries of the fund's pots) and the awards table, to the
 * penny. Committed: the report's awarded less released, for awards that count; the ledger's
 * commits less releases; the awards table's amounts less released of awards that are not ended
 * without money. Paid is net of repayments; returned is repayments.
 */
@Injectable()
export class FundingReportReconciliationService {
  constructor(private readonly dataSource: DataSource) {}

  async reconcile(fundId: string | undefined): Promise<FundingReconciliation> {
    const m = this.dataSource.manager;
    const fund = await resolveFund(m, fundId);
    const [row]: Record<string, string>[] = await m.query(
      `WITH counted AS (
         SELECT a.* FROM awards a JOIN rounds r ON r.id = a.round_id WHERE r.fund_id = $1 AND a.status = ANY($2)),
       every AS (SELECT a.* FROM awards a JOIN rounds r ON r.id = a.round_id WHERE r.fund_id = $1),
       ledger AS (SELECT e.* FROM pot_ledger_entries e JOIN pots p ON p.id = e.pot_id JOIN rounds r ON r.id = p.round_id WHERE r.fund_id = $1)
       SELECT
         (SELECT COALESCE(SUM(amount_pence - released_pence), 0) FROM counted)::text AS report_committed,
         (SELECT COALESCE(SUM(paid_pence), 0) FROM counted)::text AS report_paid,
         (SELECT COALESCE(SUM(e.amount_pence), 0) FROM ledger e JOIN counted a ON a.application_id = e.application_id AND a.pot_id = e.pot_id WHERE e.kind = 'repayment')::text AS report_returned,
         (SELECT COALESCE(SUM(CASE kind WHEN 'commit' THEN amount_pence WHEN 'release' THEN -amount_pence ELSE 0 END), 0) FROM ledger)::text AS ledger_committed,
         (SELECT COALESCE(SUM(CASE kind WHEN 'payment' THEN amount_pence WHEN 'repayment' THEN -amount_pence ELSE 0 END), 0) FROM ledger)::text AS ledger_paid,
         (SELECT COALESCE(SUM(amount_pence), 0) FROM ledger WHERE kind = 'repayment')::text AS ledger_returned,
         (SELECT COALESCE(SUM(amount_pence - released_pence), 0) FROM every WHERE status NOT IN ('declined', 'withdrawn', 'expired'))::text AS awards_committed,
         (SELECT COALESCE(SUM(paid_pence), 0) FROM every)::text AS awards_paid,
         (SELECT COALESCE(SUM(e.amount_pence), 0) FROM ledger e JOIN every a ON a.application_id = e.application_id AND a.pot_id = e.pot_id WHERE e.kind = 'repayment')::text AS awards_returned`,
      [fund.id, AWARDED_STATUSES],
    );
    const line = (figure: ReconciliationLine['figure'], label: string): ReconciliationLine => {
      const reportPence = parsePence(row[`report_${figure}`]);
      const ledgerPence = parsePence(row[`ledger_${figure}`]);
      const awardsPence = parsePence(row[`awards_${figure}`]);
      return { figure, label, reportPence, ledgerPence, awardsPence, ledgerDifferencePence: ledgerPence - reportPence, awardsDifferencePence: awardsPence - reportPence };
    };
    const lines = [line('committed', 'Committed (awarded less released)'), line('paid', 'Paid (net of repayments)'), line('returned', 'Returned or clawed back')];
    const differences = lines.flatMap((l) => [
      ...(l.ledgerDifferencePence ? [`${l.label}: the pot ledger differs from the report by ${l.ledgerDifferencePence} pence`] : []),
      ...(l.awardsDifferencePence ? [`${l.label}: the awards table differs from the report by ${l.awardsDifferencePence} pence`] : []),
    ]);
    return { fund, reconciled: differences.length === 0, lines, differences };
  }
}
