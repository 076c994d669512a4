import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { DomainError, fieldError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { OpenDataWithholding, WITHHOLDING_SCOPES, type WithholdingScope } from './open-data.entities.js';

export interface WithholdingView {
  awardId: string;
  reference: string;
  organisation: string;
  project: string | null;
  withhold: WithholdingScope;
  reason: string;
  withheldBy: string | null;
  withheldAt: string;
}

const REASON_MAX = 500;

/**
 * Holding an award back from the 360Giving open data (wholly, or only where it is), with a reason;
 * audited. Reporting owns this door (awards never import reporting); it reads awards' table.
 */
@Injectable()
export class OpenDataWithholdingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<WithholdingView[]> {
    return this.views(this.dataSource.manager, null);
  }

  async get(awardId: string): Promise<WithholdingView | null> {
    await this.award(this.dataSource.manager, awardId);
    return (await this.views(this.dataSource.manager, awardId))[0] ?? null;
  }

  /** The award's id from its reference (the staff page's form), or 422 on the reference field. */
  private async awardIdByReference(reference: string): Promise<string> {
    const text = typeof reference === 'string' ? reference.trim().toUpperCase() : '';
    if (!text) throw fieldError('reference', 'OPEN_DATA.REFERENCE_REQUIRED', 'Enter the award reference');
    const rows: { id: string }[] = text.length <= 40 ? await this.dataSource.query(`SELECT id FROM awards WHERE upper(reference) = $1`, [text]) : [];
    if (!rows.length) throw fieldError('reference', 'OPEN_DATA.AWARD_NOT_FOUND', 'There is no award with this reference');
    return rows[0].id;
  }

  /** The staff page's form: the award by its reference, then as withhold(). */
  async withholdByReference(actor: Actor, input: { reference?: unknown; withhold?: unknown; reason?: unknown }): Promise<WithholdingView> {
    return this.withhold(actor, await this.awardIdByReference(typeof input.reference === 'string' ? input.reference : ''), input);
  }

  async withhold(actor: Actor, awardId: string, input: { withhold?: unknown; reason?: unknown }): Promise<WithholdingView> {
    const scope = input.withhold;
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    const errors = [];
    if (typeof scope !== 'string' || !(WITHHOLDING_SCOPES as readonly string[]).includes(scope)) {
      errors.push({ field: 'withhold', code: 'OPEN_DATA.INVALID_SCOPE', message: 'Choose whether to withhold the whole award or only its location' });
    }
    if (!reason) errors.push({ field: 'reason', code: 'OPEN_DATA.REASON_REQUIRED', message: 'Enter why it is withheld' });
    else if (reason.length > REASON_MAX) errors.push({ field: 'reason', code: 'OPEN_DATA.REASON_TOO_LONG', message: `The reason must be ${REASON_MAX} characters or fewer` });
    await this.award(this.dataSource.manager, awardId);
    if (errors.length) throw new DomainError('validation', 'VALIDATION.FAILED', 'Check the withholding', errors);
    return this.dataSource.transaction(async (m) => {
      await this.award(m, awardId, true);
      const before = await m.findOne(OpenDataWithholding, { where: { awardId } });
      const row = { awardId, scope: scope as WithholdingScope, reason, withheldBy: actor.userId, withheldAt: new Date() };
      await m.upsert(OpenDataWithholding, row, ['awardId']);
      await this.audit.record(m, actor, {
        action: 'open_data.withheld',
        entityType: 'award',
        entityId: awardId,
        before: before ? { withhold: before.scope, reason: before.reason } : null,
        after: { withhold: row.scope, reason },
        reason,
      });
      return (await this.views(m, awardId))[0];
    });
  }

  /** Publishes the award again (in full); nothing to do when it was not withheld. */
  async release(actor: Actor, awardId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.award(m, awardId, true);
      const before = await m.findOne(OpenDataWithholding, { where: { awardId } });
      if (!before) return;
      await m.delete(OpenDataWithholding, { awardId });
      await this.audit.record(m, actor, { action: 'open_data.published', entityType: 'award', entityId: awardId, before: { withhold: before.scope, reason: before.reason }, after: null });
    });
  }

  private async award(m: EntityManager, awardId: string, lock = false): Promise<void> {
    const rows: { id: string }[] = isUuid(awardId) ? await m.query(`SELECT id FROM awards WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [awardId]) : [];
    if (!rows.length) throw new DomainError('not_found', 'AWARD.NOT_FOUND', 'Award was not found');
  }

  private async views(m: EntityManager, awardId: string | null): Promise<WithholdingView[]> {
    const rows: { award_id: string; reference: string; organisation: string; project: string | null; scope: WithholdingScope; reason: string; withheld_by: string | null; withheld_at: Date }[] = await m.query(
      `SELECT w.award_id, a.reference, o.name AS organisation, app.project_title AS project, w.scope, w.reason, u.email AS withheld_by, w.withheld_at
         FROM open_data_withholdings w JOIN awards a ON a.id = w.award_id JOIN organisations o ON o.id = a.organisation_id
         JOIN applications app ON app.id = a.application_id LEFT JOIN users u ON u.id = w.withheld_by
        WHERE $1::uuid IS NULL OR w.award_id = $1 ORDER BY a.reference`,
      [awardId],
    );
    return rows.map((r) => ({
      awardId: r.award_id,
      reference: r.reference,
      organisation: r.organisation,
      project: r.project,
      withhold: r.scope,
      reason: r.reason,
      withheldBy: r.withheld_by,
      withheldAt: new Date(r.withheld_at).toISOString(),
    }));
  }
}
