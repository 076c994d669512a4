import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { parsePence } from '../common/money.js';
import { RoundsService } from '../funds/rounds.service.js';
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
    const rows: Record<string, any>[] = await this.dataSource.query(
      `SELECT a.reference, o.name AS organisation, o.org_id, p.name AS pot, a.status, a.project_title, a.amount_requested_pence, a.submitted_at,
              (SELECT string_agg(d.name, '; ' ORDER BY d.name) FROM application_districts ad JOIN districts d ON d.id = ad.district_id WHERE ad.application_id = a.id) AS districts,
              (SELECT string_agg(pr.name, '; ' ORDER BY pr.name) FROM application_priorities ap JOIN priorities pr ON pr.id = ap.priority_id WHERE ap.application_id = a.id) AS priorities
         FROM applications a JOIN organisations o ON o.id = a.organisation_id JOIN pots p ON p.id = a.pot_id
        WHERE a.round_id = $1 AND a.status <> 'draft' AND ${scope}
        ORDER BY a.reference NULLS LAST, a.created_at`,
      params,
    );
    const csv = toCsv(
      EXPORT_HEADER,
      rows.map((r) => {
        const pence = parsePence(r.amount_requested_pence);
        return [r.reference, r.organisation, r.org_id, r.pot, r.status, r.project_title, penceAsPounds(pence), pence, r.districts, r.priorities, r.submitted_at];
      }),
    );
    // Exports carry personal and organisational data out of the service: record who took one.
    await this.dataSource.transaction((m) =>
      this.audit.record(m, actor, { action: 'round.applications_exported', entityType: 'round', entityId: round.id, after: { rows: rows.length } }),
    );
    return { fileName: `${round.code}-applications.csv`.replace(/[^A-Za-z0-9._-]/g, '_'), csv };
  }
}
