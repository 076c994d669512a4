import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validationFailed, type FieldError } from '../common/errors.js';
import { parsePence } from '../common/money.js';
import { PotLedger } from '../funds/pot-ledger.service.js';
import { isFinancialYearLabel } from './funding-streams.service.js';
import { AWARDED_STATUSES } from './priority-section.service.js';
import { resolveFund, type ReportFund } from './report-fund.js';

export const FUNDING_GROUPS = ['priority', 'district', 'round', 'pot', 'financialYear', 'organisationType'] as const;
export type FundingGroup = (typeof FUNDING_GROUPS)[number];
/** Groupings an award can count in more than once (it is tagged with several). */
const MULTI_GROUPS: readonly FundingGroup[] = ['priority', 'district'];

export const FUNDING_MEASURES = ['bids', 'requestedPence', 'awards', 'organisations', 'awardedPence', 'paidPence', 'returnedPence'] as const;
export type FundingMeasure = (typeof FUNDING_MEASURES)[number];
export type FundingFigures = Record<FundingMeasure, number>;
export type FundingRow = Partial<Record<FundingGroup, string | null>> & FundingFigures;

export interface FundingReportQuery {
  groupBy?: string;
  fundId?: string;
  from?: string;
  to?: string;
}

export interface FundingReport {
  fund: ReportFund;
  groupBy: FundingGroup[];
  from: string | null;
  to: string | null;
  rows: FundingRow[];
  totals: FundingFigures;
  /** Each of the fund's pots as its ledger stands now (not limited to the period): budget, committed, paid, available. */
  pots: FundingPot[];
  notes: string[];
}

export interface FundingPot {
  pot: string;
  round: string;
  budgetPence: number;
  committedPence: number;
  paidPence: number;
  availablePence: number;
}

/** SQL for the financial year label ("2017/18") of a local timestamp or date expression. */
const fyOf = (local: string) => {
  const start = `(EXTRACT(YEAR FROM ${local})::int - CASE WHEN EXTRACT(MONTH FROM ${local}) < 4 THEN 1 ELSE 0 END)`;
  return `(${start}::text || '/' || lpad(((${start} + 1) % 100)::text, 2, '0'))`;
};

/**
 * One row per bid received and per award counted (awards made here of AWARDED_STATUSES, and
 * imported past awards), with the values every grouping needs: priorities and districts as arrays
 * (an award counts in each), the round, pot, organisation type and financial year (of submission
 * for a bid, of the decision, London time, for an award). Paid is the award's net paid figure;
 * returned is what the pot ledger shows repaid against the award's application.
 */
const FACTS = `
  SELECT 'bid' AS kind, app.id::text AS id, 'org:' || app.organisation_id AS org_key,
         ARRAY(SELECT pr.name FROM application_priorities ap JOIN priorities pr ON pr.id = ap.priority_id WHERE ap.application_id = app.id) AS priorities,
         ARRAY(SELECT d.name FROM application_districts ad JOIN districts d ON d.id = ad.district_id WHERE ad.application_id = app.id) AS districts,
         r.code AS round, p.name AS pot, o.legal_form AS organisation_type,
         ${fyOf(`(app.submitted_at AT TIME ZONE 'Europe/London')`)} AS financial_year,
         app.amount_requested_pence AS requested, 0::bigint AS awarded, 0::bigint AS paid, 0::bigint AS returned
    FROM applications app JOIN rounds r ON r.id = app.round_id JOIN pots p ON p.id = app.pot_id JOIN organisations o ON o.id = app.organisation_id
   WHERE r.fund_id = $1 AND app.submitted_at IS NOT NULL
  UNION ALL
  SELECT 'award', a.id::text, 'org:' || a.organisation_id,
         ARRAY(SELECT pr.name FROM application_priorities ap JOIN priorities pr ON pr.id = ap.priority_id WHERE ap.application_id = a.application_id),
         ARRAY(SELECT d.name FROM application_districts ad JOIN districts d ON d.id = ad.district_id WHERE ad.application_id = a.application_id),
         r.code, p.name, o.legal_form,
         ${fyOf(`(COALESCE(pn.meeting_at, a.created_at) AT TIME ZONE 'Europe/London')`)},
         0::bigint, a.amount_pence, a.paid_pence, COALESCE(rep.pence, 0)
    FROM awards a JOIN rounds r ON r.id = a.round_id JOIN pots p ON p.id = a.pot_id JOIN organisations o ON o.id = a.organisation_id
    LEFT JOIN panel_decisions dec ON dec.id = a.decision_id LEFT JOIN panels pn ON pn.id = dec.panel_id
    LEFT JOIN (SELECT pot_id, application_id, SUM(amount_pence) AS pence FROM pot_ledger_entries WHERE kind = 'repayment' GROUP BY pot_id, application_id) rep
           ON rep.pot_id = a.pot_id AND rep.application_id = a.application_id
   WHERE r.fund_id = $1 AND a.status = ANY($2)
  UNION ALL
  SELECT 'award', pa.id::text, pa.organisation_key,
         ARRAY(SELECT pr.name FROM past_award_priorities pp JOIN priorities pr ON pr.id = pp.priority_id WHERE pp.past_award_id = pa.id),
         ARRAY(SELECT d.name FROM districts d WHERE d.id = pa.district_id),
         pa.round_label, NULL, o.legal_form,
         ${fyOf('pa.decision_date')},
         0::bigint, pa.amount_awarded_pence, COALESCE(pa.amount_paid_pence, 0), 0::bigint
    FROM past_awards pa LEFT JOIN organisations o ON o.id = pa.organisation_id
   WHERE pa.fund_id = $1`;

const COLUMN: Record<FundingGroup, string> = {
  priority: 'g_priority',
  district: 'g_district',
  round: 'f.round',
  pot: 'f.pot',
  financialYear: 'f.financial_year',
  organisationType: 'f.organisation_type',
};

const FIGURES = `COUNT(*) FILTER (WHERE f.kind = 'bid')::int AS bids, COALESCE(SUM(f.requested), 0)::text AS "requestedPence",
  COUNT(*) FILTER (WHERE f.kind = 'award')::int AS awards, COUNT(DISTINCT f.org_key) FILTER (WHERE f.kind = 'award')::int AS organisations,
  COALESCE(SUM(f.awarded), 0)::text AS "awardedPence", COALESCE(SUM(f.paid), 0)::text AS "paidPence", COALESCE(SUM(f.returned), 0)::text AS "returnedPence"`;

const figures = (r: Record<string, unknown>): FundingFigures => ({
  bids: Number(r.bids),
  requestedPence: parsePence(String(r.requestedPence)),
  awards: Number(r.awards),
  organisations: Number(r.organisations),
  awardedPence: parsePence(String(r.awardedPence)),
  paidPence: parsePence(String(r.paidPence)),
  returnedPence: parsePence(String(r.returnedPence)),
});

/** Checks groupBy and the years: 422 with a field error for each bad one. */
export function parseFundingQuery(query: FundingReportQuery): { groupBy: FundingGroup[]; from: string | null; to: string | null } {
  const errors: FieldError[] = [];
  const raw = typeof query.groupBy === 'string' ? query.groupBy : '';
  const groupBy = raw.split(',').map((g) => g.trim()).filter(Boolean);
  const unknown = groupBy.filter((g) => !(FUNDING_GROUPS as readonly string[]).includes(g));
  if (query.groupBy !== undefined && typeof query.groupBy !== 'string') errors.push({ field: 'groupBy', code: 'REPORT.INVALID_GROUP_BY', message: 'Choose groupings from the list' });
  else if (unknown.length) errors.push({ field: 'groupBy', code: 'REPORT.INVALID_GROUP_BY', message: `Group by ${FUNDING_GROUPS.join(', ')}; not ${unknown.join(', ')}` });
  else if (new Set(groupBy).size !== groupBy.length) errors.push({ field: 'groupBy', code: 'REPORT.INVALID_GROUP_BY', message: 'Name each grouping once' });
  const year = (field: 'from' | 'to') => {
    const value = query[field];
    if (value === undefined || value === '') return null;
    if (!isFinancialYearLabel(value)) errors.push({ field, code: 'REPORT.INVALID_FINANCIAL_YEAR', message: 'Enter a financial year like 2017/18' });
    return String(value);
  };
  const from = year('from');
  const to = year('to');
  if (!errors.length && from && to && from > to) errors.push({ field: 'to', code: 'REPORT.INVALID_PERIOD', message: 'The last year must be the same as or after the first' });
  if (errors.length) throw validationFailed(errors);
  return { groupBy: groupBy as FundingGroup[], from, to };
}

/**
 * The funding report (issue 10): bids and amount asked, awards and amount awarded, organisations
 * funded, paid and returned, for one fund and a period of financial years, grouped as asked, with
 * totals, and the pots' money. Five queries at most whatever the groupings (SQL GROUP BY over the facts above). Reads across
 * modules' tables as reporting does (DESIGN.md); writes nothing.
 */
@Injectable()
export class FundingReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: PotLedger,
  ) {}

  async report(query: FundingReportQuery): Promise<FundingReport> {
    const { groupBy, from, to } = parseFundingQuery(query);
    const m = this.dataSource.manager;
    const fund = await resolveFund(m, query.fundId);
    const params: unknown[] = [fund.id, AWARDED_STATUSES, from, to];
    const where = `WHERE ($3::text IS NULL OR f.financial_year >= $3) AND ($4::text IS NULL OR f.financial_year <= $4)`;
    const unnest = [
      groupBy.includes('priority') ? `LEFT JOIN LATERAL unnest(f.priorities) AS g_priority ON true` : '',
      groupBy.includes('district') ? `LEFT JOIN LATERAL unnest(f.districts) AS g_district ON true` : '',
    ].join(' ');
    const keys = groupBy.map((g) => `${COLUMN[g]} AS "${g}"`);
    const order = groupBy.map((g) => `${COLUMN[g]} NULLS LAST`).join(', ');
    const grouped: Record<string, unknown>[] = groupBy.length
      ? await m.query(`WITH facts AS (${FACTS}) SELECT ${keys.join(', ')}, ${FIGURES} FROM facts f ${unnest} ${where} GROUP BY ${groupBy.map((g) => COLUMN[g]).join(', ')} ORDER BY ${order}`, params)
      : [];
    const [total]: Record<string, unknown>[] = await m.query(`WITH facts AS (${FACTS}) SELECT ${FIGURES} FROM facts f ${where}`, params);
    const rows = grouped.map((r) => ({ ...Object.fromEntries(groupBy.map((g) => [g, (r[g] as string | null) ?? null])), ...figures(r) }) as FundingRow);
    const pots: { id: string; pot: string; round: string }[] = await m.query(
      `SELECT p.id, p.name AS pot, r.code AS round FROM pots p JOIN rounds r ON r.id = p.round_id WHERE r.fund_id = $1 ORDER BY r.code, p.position, p.name`,
      [fund.id],
    );
    const money = await this.ledger.money(pots.map((p) => p.id), m);
    const potRows = pots.map((p) => {
      const { budgetPence, committedPence, paidPence, availablePence } = money.get(p.id)!;
      return { pot: p.pot, round: p.round, budgetPence, committedPence, paidPence, availablePence };
    });
    return { fund, groupBy, from, to, rows, totals: figures(total), pots: potRows, notes: notesFor(groupBy) };
  }
}

export function notesFor(groupBy: readonly FundingGroup[]): string[] {
  const notes = ['An award counts in the financial year of its decision; a bid in the year it was submitted. Past awards count as awards, with their amount paid.'];
  const multi = groupBy.filter((g) => MULTI_GROUPS.includes(g));
  if (multi.length) {
    notes.push(
      `An award or bid tagged with more than one ${multi.join(' or ')} counts in each of their rows, so the totals are not the sum of the rows. Rows with no ${multi.join(' or ')} show them as blank.`,
    );
  }
  return notes;
}
