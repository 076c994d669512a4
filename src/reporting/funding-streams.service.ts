import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { pageOf, type PageOf } from '../common/pagination.js';
import { parsePence } from '../common/money.js';
import { FundingStream } from './reporting.entities.js';

export interface FundingStreamInput {
  description: string;
  amountPence?: number | null;
  financialYear: string;
  priorityCodes: string[];
  source?: string | null;
}

export interface FundingStreamView {
  id: string;
  description: string;
  amountPence: number | null;
  financialYear: string;
  priorityCodes: string[];
  source: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** "2017/18": the second year is the first plus one (so "2017/19" is refused). */
export const isFinancialYearLabel = (value: unknown): value is string =>
  typeof value === 'string' && /^(\d{4})\/(\d{2})$/.test(value) && (Number(value.slice(0, 4)) + 1) % 100 === Number(value.slice(5));

export const streamNotFound = () => new DomainError('not_found', 'FUNDING_STREAM.NOT_FOUND', 'Funding stream was not found');

/**
 * Other funding streams: money for a priority that does not come through the fund (a force's
 * budget, a ministry's grant, a post), recorded against priorities and a financial year. They feed
 * the Resources and Funding section's "other funding" and nothing else: never counted as awards.
 */
@Injectable()
export class FundingStreamsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(query: { page: number; pageSize: number; financialYear?: string; priorityCode?: string }): Promise<PageOf<FundingStreamView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.financialYear) where.push(`s.financial_year = $${params.push(query.financialYear)}`);
    if (query.priorityCode) {
      where.push(`EXISTS (SELECT 1 FROM funding_stream_priorities x JOIN priorities p ON p.id = x.priority_id WHERE x.funding_stream_id = s.id AND p.code = $${params.push(query.priorityCode)})`);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM funding_streams s ${filter}`, params);
    const ids: { id: string }[] = await this.dataSource.query(
      `SELECT s.id FROM funding_streams s ${filter} ORDER BY s.financial_year, s.created_at, s.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return pageOf(await this.views(this.dataSource.manager, ids.map((r) => r.id)), total, query);
  }

  async get(id: string): Promise<FundingStreamView> {
    const [view] = isUuid(id) ? await this.views(this.dataSource.manager, [id]) : [];
    if (!view) throw streamNotFound();
    return view;
  }

  async create(actor: Actor, input: FundingStreamInput): Promise<FundingStreamView> {
    return this.dataSource.transaction(async (m) => {
      const priorityIds = await this.check(m, input);
      const row = await m.save(m.create(FundingStream, this.columns(input)));
      await this.setPriorities(m, row.id, priorityIds);
      const [after] = await this.views(m, [row.id]);
      await this.audit.record(m, actor, { action: 'funding_stream.created', entityType: 'funding_stream', entityId: row.id, after: { ...after } });
      return after;
    });
  }

  async update(actor: Actor, id: string, input: FundingStreamInput): Promise<FundingStreamView> {
    return this.dataSource.transaction(async (m) => {
      const row = isUuid(id) ? await m.findOne(FundingStream, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!row) throw streamNotFound();
      const priorityIds = await this.check(m, input);
      const [before] = await this.views(m, [id]);
      Object.assign(row, this.columns(input), { version: row.version + 1 });
      await m.save(row);
      await this.setPriorities(m, id, priorityIds);
      const [after] = await this.views(m, [id]);
      await this.audit.record(m, actor, { action: 'funding_stream.updated', entityType: 'funding_stream', entityId: id, before: { ...before }, after: { ...after } });
      return after;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const row = isUuid(id) ? await m.findOne(FundingStream, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!row) throw streamNotFound();
      const [before] = await this.views(m, [id]);
      await m.delete(FundingStream, { id });
      await this.audit.record(m, actor, { action: 'funding_stream.removed', entityType: 'funding_stream', entityId: id, before: { ...before } });
    });
  }

  /** The streams for a priority, by financial year (oldest first), optionally one year only: the section's "other funding". */
  async forPriority(m: EntityManager, priorityId: string, financialYear?: string): Promise<{ financialYear: string; items: { description: string; amountPence: number | null; source: string | null }[] }[]> {
    const rows: { financial_year: string; description: string; amount_pence: string | null; source: string | null }[] = await m.query(
      `SELECT s.financial_year, s.description, s.amount_pence, s.source FROM funding_streams s
         JOIN funding_stream_priorities x ON x.funding_stream_id = s.id
        WHERE x.priority_id = $1 AND ($2::text IS NULL OR s.financial_year = $2)
        ORDER BY s.financial_year, s.created_at, s.id`,
      [priorityId, financialYear ?? null],
    );
    const years = new Map<string, { description: string; amountPence: number | null; source: string | null }[]>();
    for (const r of rows) {
      if (!years.has(r.financial_year)) years.set(r.financial_year, []);
      years.get(r.financial_year)!.push({ description: r.description, amountPence: r.amount_pence === null ? null : parsePence(r.amount_pence), source: r.source });
    }
    return [...years].map(([year, items]) => ({ financialYear: year, items }));
  }

  private columns(input: FundingStreamInput) {
    return {
      description: input.description.trim(),
      amountPence: input.amountPence === null || input.amountPence === undefined ? null : String(input.amountPence),
      financialYear: input.financialYear,
      source: input.source?.trim() ? input.source.trim() : null,
    };
  }

  /** The rules the DTO cannot see: a real financial year, priorities that exist. Returns the priorities' ids. */
  private async check(m: EntityManager, input: FundingStreamInput): Promise<string[]> {
    const errors: FieldError[] = [];
    if (!isFinancialYearLabel(input.financialYear)) {
      errors.push({ field: 'financialYear', code: 'FUNDING_STREAM.INVALID_YEAR', message: 'Enter a financial year like 2017/18' });
    }
    const codes = [...new Set(input.priorityCodes)];
    const found: { id: string; code: string }[] = codes.length ? await m.query(`SELECT id, code FROM priorities WHERE code = ANY($1)`, [codes]) : [];
    const unknown = codes.filter((c) => !found.some((p) => p.code === c));
    if (!codes.length) errors.push({ field: 'priorityCodes', code: 'FUNDING_STREAM.PRIORITY_REQUIRED', message: 'Choose at least one priority' });
    else if (unknown.length) errors.push({ field: 'priorityCodes', code: 'FUNDING_STREAM.UNKNOWN_PRIORITY', message: `There is no priority with the code ${unknown.join(', ')}` });
    if (errors.length) throw validationFailed(errors);
    return found.map((p) => p.id);
  }

  private async setPriorities(m: EntityManager, id: string, priorityIds: string[]): Promise<void> {
    await m.query(`DELETE FROM funding_stream_priorities WHERE funding_stream_id = $1`, [id]);
    await m.query(`INSERT INTO funding_stream_priorities (funding_stream_id, priority_id) SELECT $1, unnest($2::uuid[])`, [id, priorityIds]);
  }

  private async views(m: EntityManager, ids: string[]): Promise<FundingStreamView[]> {
    if (!ids.length) return [];
    const rows: { id: string; description: string; amount_pence: string | null; financial_year: string; source: string | null; created_at: Date; updated_at: Date; codes: string[] }[] = await m.query(
      `SELECT s.id, s.description, s.amount_pence, s.financial_year, s.source, s.created_at, s.updated_at,
              COALESCE((SELECT array_agg(p.code ORDER BY p.position, p.code) FROM funding_stream_priorities x JOIN priorities p ON p.id = x.priority_id WHERE x.funding_stream_id = s.id), '{}') AS codes
         FROM funding_streams s WHERE s.id = ANY($1)`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const r = byId.get(id);
      if (!r) return [];
      return [{ id: r.id, description: r.description, amountPence: r.amount_pence === null ? null : parsePence(r.amount_pence), financialYear: r.financial_year, priorityCodes: r.codes, source: r.source, createdAt: r.created_at, updatedAt: r.updated_at }];
    });
  }
}
