import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { parsePence } from '../common/money.js';
import { isUuid } from '../common/ids.js';
import { affectedRows, ApplicationAccess } from './application-access.js';
import { STATUS_LABELS } from './application-lifecycle.js';
import { checkPence, MAX_BUDGET_LINES, validationError } from './application-rules.js';
import type { Application } from './application.entity.js';
import { ApplicationsService, BUDGET_SECTION, type BudgetLineView } from './applications.service.js';
import { BUDGET_CATEGORIES } from './budget-line.entity.js';

export interface BudgetLineInput {
  item?: string;
  category?: string;
  amountPence?: number;
  otherFundingPence?: number;
  otherFundingSource?: string | null;
}

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
    private readonly applications: ApplicationsService,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthenticatedUser, applicationId: string): Promise<{ items: BudgetLineView[]; totalPence: number }> {
    const app = await this.access.readable(user, applicationId);
    const items = await this.applications.budgetLines(app.id);
    return { items, totalPence: items.reduce((sum, l) => sum + l.amountPence, 0) };
  }

  async get(user: AuthenticatedUser, applicationId: string, lineId: string): Promise<BudgetLineView> {
    const app = await this.access.readable(user, applicationId);
    const line = (await this.applications.budgetLines(app.id)).find((l) => l.id === lineId);
    if (!line) throw lineNotFound();
    return line;
  }

  async add(user: AuthenticatedUser, actor: Actor, applicationId: string, input: BudgetLineInput): Promise<BudgetLineView> {
    const { app, lineId } = await this.dataSource.transaction(async (m) => {
      const app = await this.editableDraft(m, user, applicationId);
      const line = this.checked(input);
      const [{ count, position }] = await m.query(
        `SELECT count(*)::int AS count, COALESCE(max(position), -1) + 1 AS position FROM budget_lines WHERE application_id = $1`,
        [app.id],
      );
      if (count >= MAX_BUDGET_LINES) {
        throw validationError([{ field: 'budget', code: 'APPLICATION.TOO_MANY_BUDGET_LINES', message: `A budget can have at most ${MAX_BUDGET_LINES} lines` }]);
      }
      const [row] = await m.query(
        `INSERT INTO budget_lines (application_id, item, category, amount_pence, other_funding_pence, other_funding_source, position, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [app.id, line.item, line.category, line.amountPence, line.otherFundingPence ?? 0, line.otherFundingSource ?? null, position, user.id],
      );
      await this.afterChange(m, app, user.id);
      await this.audit.record(m, actor, { action: 'budget_line.created', entityType: 'budget_line', entityId: row.id, after: { applicationId: app.id, ...line } });
      return { app, lineId: row.id as string };
    });
    return this.get(user, app.id, lineId);
  }

  async update(user: AuthenticatedUser, actor: Actor, applicationId: string, lineId: string, input: BudgetLineInput & { version: number }): Promise<BudgetLineView> {
    const app = await this.dataSource.transaction(async (m) => {
      const app = await this.editableDraft(m, user, applicationId);
      const before = await this.lineOf(m, app.id, lineId);
      const merged = this.checked(
        {
          item: input.item ?? before.item,
          category: input.category ?? before.category,
          amountPence: input.amountPence ?? before.amountPence,
          otherFundingPence: input.otherFundingPence ?? before.otherFundingPence,
          otherFundingSource: input.otherFundingSource !== undefined ? input.otherFundingSource : before.otherFundingSource,
        },
      );
      const affected = await affectedRows(
        m,
        `UPDATE budget_lines SET item = $4, category = $5, amount_pence = $6, other_funding_pence = $7, other_funding_source = $8,
                version = version + 1, updated_by = $9, updated_at = now()
          WHERE id = $1 AND application_id = $2 AND version = $3`,
        [lineId, app.id, input.version, merged.item, merged.category, merged.amountPence, merged.otherFundingPence ?? 0, merged.otherFundingSource ?? null, user.id],
      );
      if (affected !== 1) throw await this.conflict(m, app.id, lineId);
      await this.afterChange(m, app, user.id);
      await this.audit.record(m, actor, {
        action: 'budget_line.updated',
        entityType: 'budget_line',
        entityId: lineId,
        before: { ...before },
        after: { applicationId: app.id, ...merged },
      });
      return app;
    });
    return this.get(user, app.id, lineId);
  }

  async remove(user: AuthenticatedUser, actor: Actor, applicationId: string, lineId: string, version: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const app = await this.editableDraft(m, user, applicationId);
      const before = await this.lineOf(m, app.id, lineId);
      const affected = await affectedRows(m, `DELETE FROM budget_lines WHERE id = $1 AND application_id = $2 AND version = $3`, [lineId, app.id, version]);
      if (affected !== 1) throw await this.conflict(m, app.id, lineId);
      await this.afterChange(m, app, user.id);
      await this.audit.record(m, actor, { action: 'budget_line.deleted', entityType: 'budget_line', entityId: lineId, before: { applicationId: app.id, ...before } });
    });
  }

  private async editableDraft(m: EntityManager, user: AuthenticatedUser, applicationId: string): Promise<Application> {
    const app = await this.access.editable(m, user, applicationId);
    if (app.status !== 'draft') {
      throw new DomainError('conflict', 'APPLICATION.NOT_EDITABLE', `This application is ${STATUS_LABELS[app.status].toLowerCase()} and can no longer be changed`);
    }
    return app;
  }

  private async lineOf(m: EntityManager, applicationId: string, lineId: string): Promise<BudgetLineView> {
    if (!isUuid(lineId)) throw lineNotFound();
    const line = (await this.applications.budgetLines(applicationId, m)).find((l) => l.id === lineId);
    if (!line) throw lineNotFound();
    return line;
  }

  private async conflict(m: EntityManager, applicationId: string, lineId: string): Promise<DomainError> {
    const [row] = await m.query(
      `SELECT b.id, b.item, b.category, b.amount_pence, b.other_funding_pence, b.other_funding_source, b.version, b.updated_at, b.updated_by, u.full_name
         FROM budget_lines b LEFT JOIN users u ON u.id = b.updated_by WHERE b.id = $1 AND b.application_id = $2`,
      [lineId, applicationId],
    );
    if (!row) throw lineNotFound();
    return new DomainError('conflict', 'APPLICATION.EDIT_CONFLICT', `${row.full_name ?? 'Someone else'} changed this budget line since you opened it. Check it before saving again.`, [], {
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

  /** Keeps the bid's total in step and marks the budget section in progress again. */
  private async afterChange(m: EntityManager, app: Application, userId: string): Promise<void> {
    await m.query(
      `UPDATE applications SET amount_requested_pence = (SELECT COALESCE(sum(amount_pence), 0) FROM budget_lines WHERE application_id = $1), updated_at = now() WHERE id = $1`,
      [app.id],
    );
    await m.query(
      `UPDATE application_sections SET status = 'in_progress', updated_by = $3, updated_at = now(), version = version + 1 WHERE application_id = $1 AND section_key = $2`,
      [app.id, BUDGET_SECTION, userId],
    );
  }

  /** Checks a whole line (the API's DTO has checked types; pages come through here too). */
  private checked(input: BudgetLineInput): Required<Omit<BudgetLineInput, 'otherFundingSource'>> & { otherFundingSource: string | null } {
    const errors: FieldError[] = [];
    const item = input.item?.trim() ?? '';
    if (!item) errors.push({ field: 'item', code: 'FIELD.REQUIRED', message: 'Enter what the money is for' });
    if (item.length > 200) errors.push({ field: 'item', code: 'FIELD.TOO_LONG', message: 'The item must be 200 characters or fewer' });
    if (!(BUDGET_CATEGORIES as readonly string[]).includes(input.category ?? '')) {
      errors.push({ field: 'category', code: input.category ? 'FIELD.NOT_ALLOWED_VALUE' : 'FIELD.REQUIRED', message: 'Select a category' });
    }
    const amount = checkPence('amountPence', input.amountPence, { min: 1, label: 'The amount' });
    if (amount) errors.push(amount);
    const other = checkPence('otherFundingPence', input.otherFundingPence ?? 0, { min: 0, label: 'Other funding' });
    if (other) errors.push(other);
    const source = input.otherFundingSource?.trim() || null;
    if (source && source.length > 200) errors.push({ field: 'otherFundingSource', code: 'FIELD.TOO_LONG', message: 'The source must be 200 characters or fewer' });
    if ((input.otherFundingPence ?? 0) > 0 && !source) {
      errors.push({ field: 'otherFundingSource', code: 'FIELD.REQUIRED', message: 'Say where the other funding comes from' });
    }
    if (errors.length) throw validationError(errors);
    return { item, category: input.category!, amountPence: input.amountPence!, otherFundingPence: input.otherFundingPence ?? 0, otherFundingSource: source };
  }
}
