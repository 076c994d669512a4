import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { PeopleReader } from '../accounts/people-reader.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { parsePence } from '../common/money.js';
import { isUuid } from '../common/ids.js';
import { affectedRows, ApplicationAccess } from './application-access.js';
import { ApplicationReader, type BudgetLineRow } from './application-reader.js';
import { MAX_BUDGET_LINES } from './application-rules.js';
import type { Application } from './application.entity.js';
import type { SectionStatus } from './application-section.entity.js';
import { assertSectionChangeable, BUDGET_SECTION, type BudgetLineSaved, type BudgetLineView } from './application-views.js';
import { fullNamesOf } from './application-views.js';
import { budgetLineErrorsWith, checkBudgetLine, type BudgetLineInput } from './budget-rules.js';

export type { BudgetLineInput } from './budget-rules.js';

const lineNotFound = () => new DomainError('not_found', 'BUDGET_LINE.NOT_FOUND', 'Budget line was not found');

/**
 * A bid's budget lines in integer pence. Every change locks the bid, keeps its total
 * (amount_requested_pence) equal to the sum of its lines, and is audited in the same transaction.
 */
@Injectable()
export class BudgetLinesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly reader: ApplicationReader,
    private readonly people: PeopleReader,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthenticatedUser, applicationId: string): Promise<{ items: BudgetLineView[]; totalPence: number }> {
    const app = await this.access.readable(user, applicationId);
    const items = await this.reader.budgetLines(app.id);
    return { items, totalPence: items.reduce((sum, l) => sum + l.amountPence, 0) };
  }

  async get(user: AuthenticatedUser, applicationId: string, lineId: string): Promise<BudgetLineView> {
    const app = await this.access.readable(user, applicationId);
    const line = (await this.reader.budgetLines(app.id)).find((l) => l.id === lineId);
    if (!line) throw lineNotFound();
    return line;
  }

  /**
   * Adds a line; answers with it and the budget section's new version (for completing the section next).
   * `found`: errors the caller found reading its own inputs (a page's pounds); they are reported with
   * the line's rules and the bid's own limit, every one at once in field order.
   */
  async add(user: AuthenticatedUser, actor: Actor, applicationId: string, input: BudgetLineInput, found: FieldError[] = []): Promise<BudgetLineSaved> {
    return this.dataSource.transaction(async (m) => {
      const app = await this.editableDraft(m, user, applicationId);
      const [{ count, position }]: { count: number; position: number }[] = await m.query(
        `SELECT count(*)::int AS count, COALESCE(max(position), -1) + 1 AS position FROM budget_lines WHERE application_id = $1`,
        [app.id],
      );
      const full: FieldError[] =
        count >= MAX_BUDGET_LINES ? [{ field: 'budget', code: 'APPLICATION.TOO_MANY_BUDGET_LINES', message: `A budget can have at most ${MAX_BUDGET_LINES} lines` }] : [];
      const line = checkBudgetLine(input, [...full, ...found]);
      const [row]: { id: string; version: number; updated_at: Date }[] = await m.query(
        `INSERT INTO budget_lines (application_id, item, category, amount_pence, other_funding_pence, other_funding_source, position, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, version, updated_at`,
        [app.id, line.item, line.category, line.amountPence, line.otherFundingPence, line.otherFundingSource, position, user.id],
      );
      const section = await this.afterChange(m, app, user.id);
      await this.audit.record(m, actor, { action: 'budget_line.created', entityType: 'budget_line', entityId: row.id, after: { applicationId: app.id, ...line } });
      return { id: row.id, ...line, position, version: row.version, updatedAt: row.updated_at, section };
    });
  }

  /**
   * Changes a line at the version loaded; answers with it and the budget section's new version.
   * A stale version is a conflict that carries the line's field errors too (`found` as for add), so a
   * page shows whose change came first and what to put right in one answer.
   */
  async update(
    user: AuthenticatedUser,
    actor: Actor,
    applicationId: string,
    lineId: string,
    input: BudgetLineInput & { version: number },
    found: FieldError[] = [],
  ): Promise<BudgetLineSaved> {
    return this.dataSource.transaction(async (m) => {
      const app = await this.editableDraft(m, user, applicationId);
      const before = await this.lineOf(m, app.id, lineId);
      const wanted = {
        item: input.item ?? before.item,
        category: input.category ?? before.category,
        amountPence: input.amountPence ?? before.amountPence,
        otherFundingPence: input.otherFundingPence ?? before.otherFundingPence,
        otherFundingSource: input.otherFundingSource !== undefined ? input.otherFundingSource : before.otherFundingSource,
      };
      if (before.version !== input.version) throw await this.conflict(m, app.id, lineId, budgetLineErrorsWith(wanted, found));
      const merged = checkBudgetLine(wanted, found);
      // UPDATE ... RETURNING answers [rows, count] through TypeORM: read it as a SELECT of the CTE.
      const [row]: { version: number; updated_at: Date }[] = await m.query(
        `WITH changed AS (UPDATE budget_lines SET item = $4, category = $5, amount_pence = $6, other_funding_pence = $7, other_funding_source = $8,
                version = version + 1, updated_by = $9, updated_at = now()
          WHERE id = $1 AND application_id = $2 AND version = $3 RETURNING version, updated_at)
         SELECT version, updated_at FROM changed`,
        [lineId, app.id, input.version, merged.item, merged.category, merged.amountPence, merged.otherFundingPence, merged.otherFundingSource, user.id],
      );
      if (!row) throw await this.conflict(m, app.id, lineId);
      const section = await this.afterChange(m, app, user.id);
      await this.audit.record(m, actor, {
        action: 'budget_line.updated',
        entityType: 'budget_line',
        entityId: lineId,
        before: { ...before },
        after: { applicationId: app.id, ...merged },
      });
      return { ...before, ...merged, version: row.version, updatedAt: row.updated_at, section };
    });
  }

  /** Removes a line at the version loaded; answers with the budget section's new version. */
  async remove(user: AuthenticatedUser, actor: Actor, applicationId: string, lineId: string, version: number): Promise<BudgetLineSaved['section']> {
    return this.dataSource.transaction(async (m) => {
      const app = await this.editableDraft(m, user, applicationId);
      const before = await this.lineOf(m, app.id, lineId);
      const affected = await affectedRows(m, `DELETE FROM budget_lines WHERE id = $1 AND application_id = $2 AND version = $3`, [lineId, app.id, version]);
      if (affected !== 1) throw await this.conflict(m, app.id, lineId);
      const section = await this.afterChange(m, app, user.id);
      await this.audit.record(m, actor, { action: 'budget_line.deleted', entityType: 'budget_line', entityId: lineId, before: { applicationId: app.id, ...before } });
      return section;
    });
  }

  private async editableDraft(m: EntityManager, user: AuthenticatedUser, applicationId: string): Promise<Application> {
    const app = await this.access.editable(m, user, applicationId);
    assertSectionChangeable(app, BUDGET_SECTION);
    return app;
  }

  private async lineOf(m: EntityManager, applicationId: string, lineId: string): Promise<BudgetLineView> {
    if (!isUuid(lineId)) throw lineNotFound();
    const line = (await this.reader.budgetLines(applicationId, m)).find((l) => l.id === lineId);
    if (!line) throw lineNotFound();
    return line;
  }

  private async conflict(m: EntityManager, applicationId: string, lineId: string, errors: FieldError[] = []): Promise<DomainError> {
    const [found]: (Omit<BudgetLineRow, 'position'> & { updated_by: string | null })[] = await m.query(
      `SELECT id, item, category, amount_pence, other_funding_pence, other_funding_source, version, updated_at, updated_by
         FROM budget_lines WHERE id = $1 AND application_id = $2`,
      [lineId, applicationId],
    );
    if (!found) throw lineNotFound();
    const row = { ...found, full_name: null as string | null };
    row.full_name = row.updated_by ? ((await fullNamesOf(this.people, [row.updated_by], m)).get(row.updated_by) ?? null) : null;
    return new DomainError('conflict', 'APPLICATION.EDIT_CONFLICT', `${row.full_name ?? 'Someone else'} changed this budget line since you opened it. Check it before saving again.`, errors, {
      current: {
        id: row.id,
        item: row.item,
        category: row.category,
        amountPence: parsePence(row.amount_pence),
        otherFundingPence: parsePence(row.other_funding_pence),
        otherFundingSource: row.other_funding_source,
        version: row.version,
        updatedBy: row.updated_by ? { id: row.updated_by, name: row.full_name } : null,
        updatedAt: row.updated_at,
      },
    });
  }

  /** Keeps the bid's total in step and marks the budget section in progress again; answers with the section's new version. */
  private async afterChange(m: EntityManager, app: Application, userId: string): Promise<BudgetLineSaved['section']> {
    const [row]: { status: SectionStatus; version: number }[] = await m.query(
      `WITH total AS (
         UPDATE applications SET amount_requested_pence = (SELECT COALESCE(sum(amount_pence), 0) FROM budget_lines WHERE application_id = $1), updated_at = now() WHERE id = $1
       )
       INSERT INTO application_sections AS s (application_id, section_key, status, updated_by, updated_at) VALUES ($1, $2, 'in_progress', $3, now())
       ON CONFLICT (application_id, section_key) DO UPDATE SET status = 'in_progress', updated_by = EXCLUDED.updated_by, updated_at = now(), version = s.version + 1
       RETURNING s.status, s.version`,
      [app.id, BUDGET_SECTION, userId],
    );
    return { key: BUDGET_SECTION, status: row.status, version: row.version };
  }
}

