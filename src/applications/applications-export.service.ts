import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { parsePence } from '../common/money.js';
import { RoundsService } from '../funds/rounds.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { DomainError } from '../common/errors.js';
import { ApplicationAccess } from './application-access.js';
import { penceAsPounds, toCsv } from './csv.js';

export const EXPORT_HEADER = [
  'reference',
  'organisation',
  'org_id',
  'pot',
  'status',
  'project_title',
  'amount_requested_pounds',
  'amount_requested_pence',
  'districts',
  'priorities',
  'submitted_at',
];

/** The CSV export of one round's bids (submitted onwards; drafts are not bids yet). */
@Injectable()
export class ApplicationsExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly referenceData: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly access: ApplicationAccess,
  ) {}

  /** The round's bids that the person's list scope (the application policy) shows them. */
  async roundCsv(user: AuthenticatedUser, actor: Actor, roundId: string): Promise<{ fileName: string; csv: string }> {
    const round = await this.rounds.findRound(roundId);
    if (!round) throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
    const params: unknown[] = [round.id];
    const param = (value: unknown) => `$${params.push(value)}`;
    const scope = (await this.access.listScope(user)).where('a', param);
    const rows: {
      id: string;
      reference: string | null;
      organisation_id: string;
      pot_id: string;
      status: string;
      project_title: string | null;
      amount_requested_pence: string;
      submitted_at: Date | null;
      district_ids: string[];
      priority_ids: string[];
    }[] = await this.dataSource.query(
      `SELECT a.id, a.reference, a.organisation_id, a.pot_id, a.status, a.project_title, a.amount_requested_pence, a.submitted_at,
              ARRAY(SELECT district_id FROM application_districts WHERE application_id = a.id) AS district_ids,
              ARRAY(SELECT priority_id FROM application_priorities WHERE application_id = a.id) AS priority_ids
         FROM applications a
        WHERE a.round_id = $1 AND a.status <> 'draft' AND ${scope}
        ORDER BY a.reference NULLS LAST, a.created_at`,
      params,
    );
    // Names come from the modules that own them.
    const orgs = new Map((await this.organisations.summariesByIds(rows.map((r) => r.organisation_id))).map((o) => [o.id, o]));
    const pots = new Map((await this.rounds.potsByIds(rows.map((r) => r.pot_id))).map((p) => [p.id, p.name]));
    const districts = new Map((await this.referenceData.districtsByIds(rows.flatMap((r) => r.district_ids))).map((d) => [d.id, d.name]));
    const priorities = new Map((await this.referenceData.prioritiesByIds(rows.flatMap((r) => r.priority_ids))).map((p) => [p.id, p.name]));
    const names = (ids: string[], from: Map<string, string>) => {
      const list = ids.map((id) => from.get(id) ?? '').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return list.length ? list.join('; ') : null;
    };
    const csv = toCsv(
      EXPORT_HEADER,
      rows.map((r) => {
        const pence = parsePence(r.amount_requested_pence);
        const org = orgs.get(r.organisation_id);
        return [r.reference, org?.name ?? '', org?.orgId ?? '', pots.get(r.pot_id) ?? '', r.status, r.project_title, penceAsPounds(pence), pence, names(r.district_ids, districts), names(r.priority_ids, priorities), r.submitted_at];
      }),
    );
    // Exports carry personal and organisational data out of the service: record who took one.
    await this.dataSource.transaction((m) =>
      this.audit.record(m, actor, { action: 'round.applications_exported', entityType: 'round', entityId: round.id, after: { rows: rows.length } }),
    );
    return { fileName: `${round.code}-applications.csv`.replace(/[^A-Za-z0-9._-]/g, '_'), csv };
  }
}
