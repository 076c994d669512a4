import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { RoundsService } from '../funds/rounds.service.js';
import { CHECKLIST_KEY, DEFAULT_CHECKLIST, MAX_CHECKLIST_ITEMS } from './checklist-defaults.js';

export interface ChecklistItemView {
  key: string;
  label: string;
  position: number;
}

export const roundNotFound = () => new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
export const invalid = (errors: FieldError[]) =>
  new DomainError('validation', errors.length === 1 ? errors[0].code : 'VALIDATION.FAILED', errors.length === 1 ? errors[0].message : 'The request has errors', errors);

export const checklistFrozen = () =>
  new DomainError('conflict', 'SCREENING.CHECKLIST_FROZEN', 'The screening checklist cannot change once screening of an application in the round has started');

/** Each round's screening checklist, as data: read (defaults on first use) and replaced by grants officers. */
@Injectable()
export class ScreeningChecklistsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly audit: AuditService,
  ) {}

  /** The round's checklist in order; a round without one gets the defaults (inserted once, whoever asks first). */
  async checklistFor(roundId: string, manager?: EntityManager): Promise<ChecklistItemView[]> {
    const m = manager ?? this.dataSource.manager;
    const rows = await this.rows(m, roundId);
    if (rows.length) return rows;
    await m.query(
      `INSERT INTO screening_checklist_items (round_id, key, label, position)
       SELECT $1, d.key, d.label, d.position FROM unnest($2::text[], $3::text[], $4::int[]) AS d(key, label, position)
        WHERE NOT EXISTS (SELECT 1 FROM screening_checklist_items WHERE round_id = $1)
       ON CONFLICT DO NOTHING`,
      [roundId, DEFAULT_CHECKLIST.map((d) => d.key), DEFAULT_CHECKLIST.map((d) => d.label), DEFAULT_CHECKLIST.map((_, i) => i + 1)],
    );
    return this.rows(m, roundId);
  }

  async get(roundId: string): Promise<{ roundId: string; items: ChecklistItemView[]; frozen: boolean }> {
    await this.assertRound(roundId);
    return { roundId, items: await this.checklistFor(roundId), frozen: await this.isFrozen(roundId) };
  }

  /** Whether screening of a bid in the round has started, so its checklist can no longer change. */
  async isFrozen(roundId: string, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (manager ?? this.dataSource.manager).query(`SELECT 1 FROM screening_checklist_items WHERE round_id = $1 AND frozen_at IS NOT NULL LIMIT 1`, [roundId]);
    return rows.length > 0;
  }

  /**
   * Screening of a bid in the round starts (inside its transaction): the round's checklist is
   * frozen from now on. The round's lock orders this against a replacement in flight.
   */
  async freeze(m: EntityManager, roundId: string): Promise<void> {
    await this.lockRound(m, roundId);
    await this.checklistFor(roundId, m);
    await m.query(`UPDATE screening_checklist_items SET frozen_at = now() WHERE round_id = $1 AND frozen_at IS NULL`, [roundId]);
  }

  /** Replaces the round's checklist (keys unique, labels 1–200 characters); audited. Once screening has started: 409 SCREENING.CHECKLIST_FROZEN. */
  async replace(actor: Actor, roundId: string, items: { key: string; label: string }[]): Promise<{ roundId: string; items: ChecklistItemView[]; frozen: boolean }> {
    await this.assertRound(roundId);
    const errors: FieldError[] = [];
    if (!items.length) errors.push({ field: 'items', code: 'SCREENING.CHECKLIST_EMPTY', message: 'A checklist needs at least one item' });
    if (items.length > MAX_CHECKLIST_ITEMS) errors.push({ field: 'items', code: 'SCREENING.CHECKLIST_TOO_LONG', message: `A checklist has at most ${MAX_CHECKLIST_ITEMS} items` });
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (!CHECKLIST_KEY.test(item.key)) {
        errors.push({ field: `items.${i}.key`, code: 'SCREENING.BAD_CHECKLIST_KEY', message: 'A key is 2–60 lower-case letters, digits and underscores, starting with a letter' });
      } else if (seen.has(item.key)) {
        errors.push({ field: `items.${i}.key`, code: 'SCREENING.DUPLICATE_CHECKLIST_KEY', message: `The key ${item.key} is used twice` });
      }
      seen.add(item.key);
      if (!item.label.trim()) errors.push({ field: `items.${i}.label`, code: 'FIELD.REQUIRED', message: 'Enter what the officer checks' });
    });
    if (errors.length) throw invalid(errors);
    return this.dataSource.transaction(async (m) => {
      // The round's checklist is replaced whole, in one transaction, under the round's lock (which freezing takes too).
      await this.lockRound(m, roundId);
      if (await this.isFrozen(roundId, m)) throw checklistFrozen();
      const before = await this.rows(m, roundId);
      await m.query(`DELETE FROM screening_checklist_items WHERE round_id = $1`, [roundId]);
      await m.query(
        `INSERT INTO screening_checklist_items (round_id, key, label, position) SELECT $1, d.key, d.label, d.position FROM unnest($2::text[], $3::text[], $4::int[]) AS d(key, label, position)`,
        [roundId, items.map((i) => i.key), items.map((i) => i.label.trim()), items.map((_, i) => i + 1)],
      );
      const after = await this.rows(m, roundId);
      await this.audit.record(m, actor, { action: 'screening.checklist_changed', entityType: 'round', entityId: roundId, before: { items: before }, after: { items: after } });
      return { roundId, items: after, frozen: false };
    });
  }

  private async lockRound(m: EntityManager, roundId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('screening_checklist:' || $1))`, [roundId]);
  }

  private async rows(m: EntityManager, roundId: string): Promise<ChecklistItemView[]> {
    return m.query(`SELECT key, label, position FROM screening_checklist_items WHERE round_id = $1 ORDER BY position, key`, [roundId]);
  }

  private async assertRound(roundId: string): Promise<void> {
    if (!isUuid(roundId) || !(await this.rounds.findRound(roundId))) throw roundNotFound();
  }
}
