import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { financialYearOf } from '../common/dates.js';
import { DomainError, fieldError } from '../common/errors.js';
import { parsePence } from '../common/money.js';
import { FundingStreamsService, isFinancialYearLabel } from './funding-streams.service.js';
import { resolveFund } from './report-fund.js';
import { sectionSentence } from './section-sentence.js';

/**
 * Awards of these statuses count as awarded: the panel's decision stands and the organisation has
 * not turned it down. A provisional award (panel not yet confirmed), a declined, withdrawn or
 * expired offer does not. The figure is what was awarded, as the Panel reports it: money later
 * returned or released is not taken off (the funding report shows paid and returned money).
 */
export const AWARDED_STATUSES = ['offered', 'accepted', 'active', 'monitoring', 'closed'] as const;

export interface SectionProject {
  /** "award" (made in this service) or "past_award" (imported from a spreadsheet). */
  source: 'award' | 'past_award';
  reference: string | null;
  organisation: string;
  project: string;
  round: string;
  amountPence: number;
  decisionDate: string;
  financialYear: string;
}

export interface OtherFundingYear {
  financialYear: string;
  items: { description: string; amountPence: number | null; source: string | null }[];
}

export interface PrioritySection {
  priority: string;
  priorityCode: string;
  tackling: string;
  fund: { id: string; name: string };
  /** The financial year asked for, or null for everything to date. */
  financialYear: string | null;
  awardedPence: number;
  organisations: number;
  awards: number;
  sentence: string;
  otherFunding: OtherFundingYear[];
  projects: SectionProject[];
}

const isoDay = (d: Date | string) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));

/**
 * The Resources and Funding section of a Panel report for one priority, cumulatively or for one
 * financial year: awards made in this service tagged (through their bid) with the priority, plus
 * past awards imported with it, each counted in the financial year of its decision (London time),
 * and the other funding recorded for the priority. Reads across modules' tables; writes only the wording.
 */
@Injectable()
export class PrioritySectionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: FundingStreamsService,
    private readonly audit: AuditService,
  ) {}

  async section(code: string, options: { financialYear?: string; fundId?: string } = {}): Promise<PrioritySection> {
    const m = this.dataSource.manager;
    const year = options.financialYear || undefined;
    if (year !== undefined && !isFinancialYearLabel(year)) throw fieldError('financialYear', 'REPORT.INVALID_FINANCIAL_YEAR', 'Enter a financial year like 2017/18');
    const priority = await this.priority(code);
    const fund = await resolveFund(m, options.fundId);
    const live: { reference: string; amount_pence: string; organisation_id: string; organisation: string; project: string | null; round: string; decided_at: Date }[] = await m.query(
      `SELECT a.reference, a.amount_pence, a.organisation_id, o.name AS organisation, app.project_title AS project, r.code AS round,
              COALESCE(pn.meeting_at, a.created_at) AS decided_at
         FROM awards a
         JOIN rounds r ON r.id = a.round_id
         JOIN applications app ON app.id = a.application_id
         JOIN application_priorities ap ON ap.application_id = a.application_id AND ap.priority_id = $1
         JOIN organisations o ON o.id = a.organisation_id
         LEFT JOIN panel_decisions d ON d.id = a.decision_id
         LEFT JOIN panels pn ON pn.id = d.panel_id
        WHERE r.fund_id = $2 AND a.status = ANY($3)`,
      [priority.id, fund.id, AWARDED_STATUSES],
    );
    const past: { amount_awarded_pence: string; organisation_key: string; organisation_name: string; project: string; round_label: string; decision_date: string }[] = await m.query(
      `SELECT pa.amount_awarded_pence, pa.organisation_key, pa.organisation_name, pa.project, pa.round_label, to_char(pa.decision_date, 'YYYY-MM-DD') AS decision_date
         FROM past_awards pa JOIN past_award_priorities pp ON pp.past_award_id = pa.id AND pp.priority_id = $1
        WHERE pa.fund_id = $2`,
      [priority.id, fund.id],
    );
    const counted: (SectionProject & { organisationKey: string })[] = [
      ...live.map((a) => ({
        source: 'award' as const,
        reference: a.reference,
        organisation: a.organisation,
        organisationKey: `org:${a.organisation_id}`,
        project: a.project ?? a.reference,
        round: a.round,
        amountPence: parsePence(a.amount_pence),
        decisionDate: isoDay(new Date(a.decided_at).toISOString()),
        financialYear: financialYearOf(new Date(a.decided_at)),
      })),
      ...past.map((p) => ({
        source: 'past_award' as const,
        reference: null,
        organisation: p.organisation_name,
        organisationKey: p.organisation_key,
        project: p.project,
        round: p.round_label,
        amountPence: parsePence(p.amount_awarded_pence),
        decisionDate: p.decision_date,
        financialYear: financialYearOf(p.decision_date),
      })),
    ].filter((p) => !year || p.financialYear === year);
    counted.sort((a, b) => a.decisionDate.localeCompare(b.decisionDate) || a.organisation.localeCompare(b.organisation) || a.project.localeCompare(b.project));
    const awardedPence = counted.reduce((sum, p) => sum + p.amountPence, 0);
    const organisations = new Set(counted.map((p) => p.organisationKey)).size;
    return {
      priority: priority.name,
      priorityCode: priority.code,
      tackling: priority.tackling,
      fund,
      financialYear: year ?? null,
      awardedPence,
      organisations,
      awards: counted.length,
      sentence: sectionSentence(fund.name, awardedPence, organisations, priority.tackling),
      otherFunding: await this.streams.forPriority(m, priority.id, year),
      projects: counted.map(({ organisationKey: _k, ...p }) => p),
    };
  }

  /** The priorities a section can be written for, with their wording. */
  async priorities(): Promise<{ code: string; name: string; tackling: string }[]> {
    return this.dataSource.query(
      `SELECT p.code, p.name, COALESCE(w.tackling, p.name) AS tackling FROM priorities p
         JOIN outcomes o ON o.id = p.outcome_id LEFT JOIN priority_report_wordings w ON w.priority_id = p.id
        ORDER BY o.position, o.name, p.position, p.name`,
    );
  }

  /** How the sentence words the priority ("tackling ..."); empty goes back to the priority's name. */
  async setWording(actor: Actor, code: string, tackling: string): Promise<{ code: string; name: string; tackling: string }> {
    const priority = await this.priority(code);
    const text = tackling.trim();
    await this.dataSource.transaction(async (m) => {
      if (text) {
        await m.query(`INSERT INTO priority_report_wordings (priority_id, tackling) VALUES ($1, $2) ON CONFLICT (priority_id) DO UPDATE SET tackling = EXCLUDED.tackling`, [priority.id, text]);
      } else await m.query(`DELETE FROM priority_report_wordings WHERE priority_id = $1`, [priority.id]);
      await this.audit.record(m, actor, { action: 'priority_wording.set', entityType: 'priority', entityId: priority.id, before: { tackling: priority.tackling }, after: { tackling: text || priority.name } });
    });
    return { code: priority.code, name: priority.name, tackling: text || priority.name };
  }

  private async priority(code: string): Promise<{ id: string; code: string; name: string; tackling: string }> {
    const rows: { id: string; code: string; name: string; tackling: string }[] =
      typeof code === 'string' && code.length <= 60
        ? await this.dataSource.query(
            `SELECT p.id, p.code, p.name, COALESCE(w.tackling, p.name) AS tackling FROM priorities p LEFT JOIN priority_report_wordings w ON w.priority_id = p.id WHERE p.code = $1`,
            [code],
          )
        : [];
    if (!rows.length) throw new DomainError('not_found', 'PRIORITY.NOT_FOUND', 'Priority was not found');
    return rows[0];
  }
}
