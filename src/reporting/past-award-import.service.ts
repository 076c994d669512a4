import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { fromLondon } from '../common/dates.js';
import { RoundHistoryService } from '../funds/round-history.service.js';
import { OutboxService } from '../queue/outbox.service.js';
import { sameName } from './import-values.js';
import { readImportFile } from './import-file.js';
import { checkPastAwards } from './past-award-check.js';
import { resolveFund } from './report-fund.js';
import { ImportBatch, type CheckedPastAward, type ImportBatchStatus, type ImportRowError } from './reporting.entities.js';

/** Files with more rows than this are imported by a background job (the API answers 202 with the batch to follow). */
export const BACKGROUND_IMPORT_ROWS = 500;
/** Rows inserted between two progress reports of a background import. */
const PROGRESS_EVERY = 100;

export interface ImportOutcome {
  rows: number;
  imported: number;
  /** Rows already imported by an earlier file: recognised, not added again. */
  alreadyImported: number;
  errors: ImportRowError[];
}

export interface ImportBatchView {
  id: string;
  fundId: string;
  fileName: string;
  status: ImportBatchStatus;
  rows: number;
  processed: number;
  imported: number;
  errors: ImportRowError[];
  createdAt: Date;
  finishedAt: Date | null;
  createdBy: string;
}

/** The first rows of a checked batch, as its preview shows them. */
export interface ImportPreviewRow {
  row: number;
  round: string;
  organisation: string;
  project: string;
  amountAwardedPence: number;
  decisionDate: string;
  newRound: boolean;
}

const batchView = (b: ImportBatch): ImportBatchView => ({
  id: b.id,
  fundId: b.fundId,
  fileName: b.fileName,
  status: b.status,
  rows: b.rowCount,
  processed: b.processedCount,
  imported: b.importedCount,
  errors: b.errors,
  createdAt: b.createdAt,
  finishedAt: b.finishedAt,
  createdBy: b.createdByLabel,
});

export const batchNotFound = () => new DomainError('not_found', 'IMPORT.NOT_FOUND', 'Import was not found');

/**
 * Importing past awards from a spreadsheet: every row checked first (past-award-check.ts);
 * nothing imported while any row has an error; once clean, every row in one transaction. A row
 * imported before (the same row hash) is skipped, so importing the same file again changes nothing.
 */
@Injectable()
export class PastAwardImportService {
  private readonly logger = new Logger(PastAwardImportService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly roundHistory: RoundHistoryService,
  ) {}

  /** Checks a file and imports nothing (the API's dryRun=true). */
  async dryRun(fundId: string | undefined, bytes: Buffer): Promise<ImportOutcome> {
    const m = this.dataSource.manager;
    const fund = await resolveFund(m, fundId);
    const table = await readImportFile(bytes);
    const checked = await checkPastAwards(m, fund.id, table);
    const known = await this.knownHashes(m, checked.rows);
    return { rows: table.rows.length, imported: 0, alreadyImported: known, errors: checked.errors };
  }

  /**
   * Checks and imports a file (the API's dryRun=false): with errors, nothing; a small clean file
   * at once, in one transaction; a large one through the background job (the batch says how far it got).
   */
  async importFile(actor: Actor, fundId: string | undefined, fileName: string, bytes: Buffer): Promise<ImportOutcome & { batch: ImportBatchView | null }> {
    const batch = await this.stage(actor, fundId, fileName, bytes);
    const outcome = { rows: batch.rows, imported: 0, alreadyImported: 0, errors: batch.errors };
    if (batch.errors.length) return { ...outcome, batch: null };
    if (batch.rows > BACKGROUND_IMPORT_ROWS) return { ...outcome, batch: await this.confirm(actor, batch.id) };
    const done = await this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, batch.id);
      return this.importIn(m, actor, row);
    });
    return { ...outcome, imported: done.imported, alreadyImported: done.rows - done.imported, batch: null };
  }

  /** Checks a file and keeps what it found as a batch to preview (the upload page); imports nothing. */
  async stage(actor: Actor, fundId: string | undefined, fileName: string, bytes: Buffer): Promise<ImportBatchView> {
    return this.dataSource.transaction(async (m) => {
      const fund = await resolveFund(m, fundId);
      const table = await readImportFile(bytes);
      const checked = await checkPastAwards(m, fund.id, table);
      const batch = await m.save(
        m.create(ImportBatch, {
          fundId: fund.id,
          fileName: (fileName || 'upload').slice(0, 200),
          status: 'checked',
          rowCount: table.rows.length,
          errors: checked.errors,
          rows: checked.errors.length ? [] : checked.rows,
          createdBy: actor.userId,
          createdByLabel: actor.label,
        }),
      );
      await this.audit.record(m, actor, {
        action: 'past_awards.checked',
        entityType: 'import_batch',
        entityId: batch.id,
        after: { fundId: fund.id, fileName: batch.fileName, rows: batch.rowCount, errors: checked.errors.length },
      });
      return batchView(batch);
    });
  }

  /** Confirms a clean batch: queued for the background job, which imports it in one transaction. */
  async confirm(actor: Actor, batchId: string): Promise<ImportBatchView> {
    return this.dataSource.transaction(async (m) => {
      const batch = await this.lock(m, batchId);
      if (batch.status !== 'checked') return batchView(batch);
      if (batch.errors.length) {
        throw new DomainError('conflict', 'IMPORT.HAS_ERRORS', 'Nothing can be imported while the file has errors: correct them and upload it again');
      }
      batch.status = 'queued';
      await m.save(batch);
      await this.outbox.enqueue(m, 'reporting.import_past_awards', { batchId: batch.id }, { key: `import-${batch.id}` });
      await this.audit.record(m, actor, { action: 'past_awards.import_queued', entityType: 'import_batch', entityId: batch.id, after: { rows: batch.rowCount } });
      return batchView(batch);
    });
  }

  /** The background job: imports a queued batch (at most once; a second delivery finds it done). */
  async runBatch(batchId: string, actor: Actor): Promise<void> {
    try {
      await this.dataSource.transaction(async (m) => {
        // One delivery at a time imports a batch (a second one, at the same time, leaves it to the first).
        const [{ locked }]: { locked: boolean }[] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('import_batch:' || $1)) AS locked`, [batchId]);
        if (!locked) return;
        // Not locked FOR UPDATE: progress is written to the row from outside this transaction, so the page can show it while the import runs.
        const batch = isUuid(batchId) ? await m.findOne(ImportBatch, { where: { id: batchId } }) : null;
        if (!batch || (batch.status !== 'queued' && batch.status !== 'importing')) return;
        await this.dataSource.query(`UPDATE import_batches SET status = 'importing', processed_count = 0 WHERE id = $1 AND status IN ('queued', 'importing')`, [batchId]);
        await this.importIn(m, actor, batch, (processed) =>
          this.dataSource.query(`UPDATE import_batches SET processed_count = $2 WHERE id = $1`, [batchId, processed]).then(() => undefined),
        );
      });
    } catch (error) {
      this.logger.error(`Import ${batchId} failed: ${(error as Error).message}`);
      await this.dataSource.query(`UPDATE import_batches SET status = 'failed', finished_at = now() WHERE id = $1 AND status <> 'imported'`, [batchId]);
      throw error;
    }
  }

  async get(batchId: string): Promise<ImportBatchView> {
    const batch = isUuid(batchId) ? await this.dataSource.getRepository(ImportBatch).findOne({ where: { id: batchId } }) : null;
    if (!batch) throw batchNotFound();
    return batchView(batch);
  }

  /** The first rows of a batch waiting to be imported (none once imported). */
  async preview(batchId: string, limit = 25): Promise<ImportPreviewRow[]> {
    const batch = isUuid(batchId) ? await this.dataSource.getRepository(ImportBatch).findOne({ where: { id: batchId } }) : null;
    if (!batch) throw batchNotFound();
    return batch.rows.slice(0, limit).map((r) => ({
      row: r.row,
      round: r.roundLabel,
      organisation: r.organisationName,
      project: r.project,
      amountAwardedPence: r.amountAwardedPence,
      decisionDate: r.decisionDate,
      newRound: !r.roundId,
    }));
  }

  async recent(limit = 20): Promise<ImportBatchView[]> {
    const batches = await this.dataSource.getRepository(ImportBatch).find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
    return batches.map(batchView);
  }

  private async importIn(m: EntityManager, actor: Actor, batch: ImportBatch, progress?: (processed: number) => Promise<void>): Promise<{ rows: number; imported: number }> {
    let imported = 0;
    await this.createMissingRounds(m, actor, batch);
    for (const [i, row] of batch.rows.entries()) {
      if (await this.insertRow(m, batch, row)) imported++;
      if (progress && (i + 1) % PROGRESS_EVERY === 0) await progress(i + 1);
    }
    const rows = batch.rows.length;
    await m.query(`UPDATE import_batches SET status = 'imported', processed_count = $2, imported_count = $3, rows = '[]', finished_at = now() WHERE id = $1`, [batch.id, rows, imported]);
    await this.audit.record(m, actor, { action: 'past_awards.imported', entityType: 'import_batch', entityId: batch.id, after: { rows, imported, alreadyImported: rows - imported } });
    return { rows, imported };
  }

  /**
   * Rounds the file names that the fund does not have are created as archived past rounds,
   * through funds' import door (RoundHistoryService): the label as its title (and its code when
   * it fits), its dates those of its decisions, its budget what it awarded, no form and no pots.
   */
  private async createMissingRounds(m: EntityManager, actor: Actor, batch: ImportBatch): Promise<void> {
    const missing = new Map<string, CheckedPastAward[]>();
    for (const r of batch.rows) {
      if (r.roundId) continue;
      const key = sameName(r.roundLabel);
      missing.set(key, [...(missing.get(key) ?? []), r]);
    }
    for (const rows of missing.values()) {
      const label = rows[0].roundLabel;
      const existing: { id: string }[] = await m.query(`SELECT id FROM rounds WHERE fund_id = $1 AND (lower(code) = $2 OR lower(title) = $2) LIMIT 1`, [batch.fundId, sameName(label)]);
      let roundId = existing[0]?.id;
      if (!roundId) {
        const first = rows.map((r) => r.decisionDate).sort()[0];
        const [y, mo, d] = first.split('-').map(Number);
        const decided = fromLondon({ year: y, month: mo, day: d, hour: 0, minute: 0 });
        const created = await this.roundHistory.importPastRound(m, {
          fundId: batch.fundId,
          code: await this.freeCode(m, batch.fundId, label),
          title: label.slice(0, 200),
          description: `Past awards imported from ${batch.fileName}. Its dates are those of its first decision, not of the real call for bids.`,
          criteria: '',
          exclusions: '',
          opensAt: new Date(decided.getTime() - 86_400_000),
          closesAt: decided,
          totalBudgetPence: rows.reduce((sum, r) => sum + r.amountAwardedPence, 0),
          status: 'archived',
          form: { sections: [] },
          eligibility: [],
          pots: [],
          lastReferenceNumber: 0,
        });
        roundId = created.roundId;
        await this.audit.record(m, actor, { action: 'round.imported', entityType: 'round', entityId: roundId, after: { fundId: batch.fundId, title: label, status: 'archived', batchId: batch.id } });
      }
      for (const r of rows) r.roundId = roundId;
    }
  }

  /** The label as a round code when it fits and is free, otherwise P and a short hash of it. */
  private async freeCode(m: EntityManager, fundId: string, label: string): Promise<string> {
    const compact = label.replace(/\s+/g, '');
    const candidates = [compact.length <= 10 ? compact : null, `P${createHash('sha256').update(label).digest('hex').slice(0, 8).toUpperCase()}`].filter((c): c is string => !!c);
    for (const code of candidates) {
      const [{ taken }]: { taken: boolean }[] = await m.query(`SELECT EXISTS (SELECT 1 FROM rounds WHERE fund_id = $1 AND lower(code) = lower($2)) AS taken`, [fundId, code]);
      if (!taken) return code;
    }
    return `P${createHash('sha256').update(`${label}:${Date.now()}`).digest('hex').slice(0, 9).toUpperCase()}`;
  }

  private async insertRow(m: EntityManager, batch: ImportBatch, r: CheckedPastAward): Promise<boolean> {
    const inserted: { id: string }[] = await m.query(
      `INSERT INTO past_awards (fund_id, round_label, round_id, organisation_name, charity_number, company_number, postcode, organisation_id, organisation_key,
                                district_id, project, amount_awarded_pence, amount_paid_pence, decision_date, batch_id, row_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (row_hash) DO NOTHING RETURNING id`,
      [batch.fundId, r.roundLabel, r.roundId, r.organisationName, r.charityNumber, r.companyNumber, r.postcode, r.organisationId, r.organisationKey,
        r.districtId, r.project, r.amountAwardedPence, r.amountPaidPence, r.decisionDate, batch.id, r.rowHash],
    );
    if (!inserted.length) return false;
    await m.query(`INSERT INTO past_award_priorities (past_award_id, priority_id) SELECT $1, unnest($2::uuid[])`, [inserted[0].id, r.priorityIds]);
    return true;
  }

  private async knownHashes(m: EntityManager, rows: CheckedPastAward[]): Promise<number> {
    if (!rows.length) return 0;
    const [{ n }]: { n: number }[] = await m.query(`SELECT count(*)::int AS n FROM past_awards WHERE row_hash = ANY($1)`, [rows.map((r) => r.rowHash)]);
    return n;
  }

  private async lock(m: EntityManager, batchId: string): Promise<ImportBatch> {
    const batch = isUuid(batchId) ? await m.findOne(ImportBatch, { where: { id: batchId }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!batch) throw batchNotFound();
    return batch;
  }
}

