import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../common/errors.js';
import { parsePence } from '../common/money.js';
import { grantCsvLine, grantJson, toGrant, CSV_COLUMNS, csvCell, type OpenDataPublisher, type OpenDataRow } from './open-data-grant.js';
import { AWARDED_STATUSES } from './priority-section.service.js';

/** How many awards each keyset page reads: memory stays constant however many awards there are. */
export const OPEN_DATA_PAGE_SIZE = 500;

export const OPEN_DATA_LICENSE = 'https://creativecommons.org/licenses/by/4.0/';

interface AwardRow {
  id: string;
  reference: string;
  project_title: string | null;
  project_summary: string | null;
  amount_pence: string;
  decided_at: Date;
  starts_on: string | null;
  ends_on: string | null;
  updated_at: Date;
  application_id: string;
  org_id: string;
  org_name: string;
  postcode: string | null;
  charity_number: string | null;
  company_number: string | null;
  round_title: string;
  round_code: string;
  withheld: 'location' | null;
}

/**
 * The 360Giving open data (issue 10): every published award (offered, accepted, active,
 * monitoring, closed) not withheld, as a 360Giving 1.4 package (JSON) or its flattened CSV,
 * streamed page by page (keyset on the award reference). Reads across modules' tables (reporting
 * is the read-only module that may); only the columns that are published are ever selected.
 *
 * Imported past awards are left out: they have no project description, planned dates or award
 * reference (a stable 360Giving identifier), which the standard requires or the file would need
 * to invent, and their recipients are often unregistered groups without an org-id.
 */
@Injectable()
export class OpenDataService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Who publishes; 503 OPEN_DATA.NOT_CONFIGURED when OPEN_DATA_ORG_ID is not set in production. */
  publisher(): OpenDataPublisher {
    const { orgId, orgName, prefix } = this.config.openData;
    if (!orgId) throw new DomainError('unavailable', 'OPEN_DATA.NOT_CONFIGURED', 'The open data is not published yet: OPEN_DATA_ORG_ID is not set');
    return { orgId, orgName, prefix, dataSource: `${this.config.publicUrl}/api/v1/open-data/360giving.json` };
  }

  /** The package as JSON text, in pieces: the opening, each grant, the closing. */
  async *json(publisher: OpenDataPublisher = this.publisher()): AsyncGenerator<string> {
    const head = { license: OPEN_DATA_LICENSE, publisher: { identifier: publisher.orgId, name: publisher.orgName }, version: '1.4', modified: new Date().toISOString() };
    yield JSON.stringify(head).replace(/}$/, ',"grants":[');
    let first = true;
    for await (const row of this.rows()) {
      yield (first ? '\n' : ',\n') + grantJson(toGrant(row, publisher));
      first = false;
    }
    yield '\n]}\n';
  }

  /** The same grants as CSV (360Giving's column titles), in pieces. */
  async *csv(publisher: OpenDataPublisher = this.publisher()): AsyncGenerator<string> {
    yield CSV_COLUMNS.map((c) => csvCell(c)).join(',') + '\r\n';
    for await (const row of this.rows()) yield grantCsvLine(toGrant(row, publisher));
  }

  /** Every published award, page by page (keyset on reference), with its districts and priorities. */
  async *rows(): AsyncGenerator<OpenDataRow> {
    let after = '';
    for (;;) {
      const page: AwardRow[] = await this.dataSource.query(
        `SELECT a.id, a.reference, app.project_title, app.project_summary, a.amount_pence, COALESCE(pn.meeting_at, a.created_at) AS decided_at,
                to_char(a.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(a.ends_on, 'YYYY-MM-DD') AS ends_on, a.updated_at, a.application_id,
                o.org_id, o.name AS org_name, o.postcode, o.charity_number, o.company_number, r.title AS round_title, r.code AS round_code,
                w.scope AS withheld
           FROM awards a
           JOIN applications app ON app.id = a.application_id
           JOIN organisations o ON o.id = a.organisation_id
           JOIN rounds r ON r.id = a.round_id
           LEFT JOIN panel_decisions d ON d.id = a.decision_id
           LEFT JOIN panels pn ON pn.id = d.panel_id
           LEFT JOIN open_data_withholdings w ON w.award_id = a.id
          WHERE a.status = ANY($1) AND a.reference > $2 AND (w.scope IS NULL OR w.scope <> 'award')
          ORDER BY a.reference
          LIMIT $3`,
        [AWARDED_STATUSES, after, OPEN_DATA_PAGE_SIZE],
      );
      if (!page.length) return;
      const applicationIds = page.map((a) => a.application_id);
      const districts = await this.byApplication<{ name: string; gssCode: string }>(
        `SELECT ad.application_id, d.name, d.gss_code AS "gssCode" FROM application_districts ad JOIN districts d ON d.id = ad.district_id
          WHERE ad.application_id = ANY($1) ORDER BY d.name`,
        applicationIds,
      );
      const priorities = await this.byApplication<{ code: string; name: string }>(
        `SELECT ap.application_id, p.code, p.name FROM application_priorities ap JOIN priorities p ON p.id = ap.priority_id
          WHERE ap.application_id = ANY($1) ORDER BY p.position, p.name`,
        applicationIds,
      );
      for (const a of page) {
        yield {
          awardId: a.id,
          reference: a.reference,
          projectTitle: a.project_title,
          projectSummary: a.project_summary,
          amountPence: parsePence(a.amount_pence),
          decidedAt: new Date(a.decided_at),
          startsOn: a.starts_on,
          endsOn: a.ends_on,
          updatedAt: new Date(a.updated_at),
          orgId: a.org_id,
          orgName: a.org_name,
          postcode: a.postcode,
          charityNumber: a.charity_number,
          companyNumber: a.company_number,
          roundTitle: a.round_title,
          roundCode: a.round_code,
          withheld: a.withheld === 'location' ? 'location' : null,
          districts: districts.get(a.application_id) ?? [],
          priorities: priorities.get(a.application_id) ?? [],
        };
      }
      if (page.length < OPEN_DATA_PAGE_SIZE) return;
      after = page[page.length - 1].reference;
    }
  }

  private async byApplication<T>(sql: string, ids: string[]): Promise<Map<string, T[]>> {
    const rows: (T & { application_id: string })[] = await this.dataSource.query(sql, [ids]);
    const map = new Map<string, T[]>();
    for (const { application_id, ...rest } of rows) {
      const list = map.get(application_id) ?? [];
      list.push(rest as unknown as T);
      map.set(application_id, list);
    }
    return map;
  }
}
