import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { formatDateTime } from '../common/dates.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { formatPence, penceAsPounds, poundsToPence } from '../common/money.js';
import { dtoFieldErrors, pageErrorView } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { CATEGORY_LABELS } from './answer-summaries.js';
import { base, isEditError, requireEditable } from './applicant-pages.js';
import { ApplicationReader } from './application-reader.js';
import { BUDGET_SECTION, type ApplicationDetail } from './application-views.js';
import { CreateBudgetLineDto, UpdateBudgetLineDto } from './applications.dto.js';
import { BUDGET_CATEGORIES } from './budget-line.entity.js';
import { BudgetLinesService } from './budget-lines.service.js';
import { budgetLineErrors, type BudgetLineInput } from './budget-rules.js';
import { one, type FormBody } from './page-forms.js';

/** The service names money in pence; the page's inputs are in pounds. */
const RENAME: Record<string, string> = { amountPence: 'amount', otherFundingPence: 'otherFunding' };

type LineValues = { item: string; category: string; amount: string; otherFunding: string; otherFundingSource: string; version: string };

const lineNotFound = () => new DomainError('not_found', 'BUDGET_LINE.NOT_FOUND', 'Budget line was not found');

/** Adding, changing and removing one budget line. */
@ApiExcludeController()
@Controller()
export class BudgetLinePages {
  constructor(
    private readonly budget: BudgetLinesService,
    private readonly reader: ApplicationReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get('applications/:id/budget/add')
  @Access('user')
  async addForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, BUDGET_SECTION)) return reply;
    return this.render(request, reply, app, null, {});
  }

  @Post('applications/:id/budget/add')
  @Access('user')
  async add(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, BUDGET_SECTION)) return reply;
    const values = lineValues(body);
    try {
      const { input, found } = await lineInput(CreateBudgetLineDto, values);
      await this.budget.add(user, actor, app.id, input, found);
      return reply.redirect(`${base(app.id)}/budget`, 303);
    } catch (error) {
      if (!isEditError(error)) throw error;
      return this.render(request, reply, app, null, values, error);
    }
  }

  @Get('applications/:id/budget/:lineId/edit')
  @Access('user')
  async editForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('lineId') lineId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, BUDGET_SECTION)) return reply;
    const line = app.budgetLines.find((l) => l.id === lineId);
    if (!line) throw lineNotFound();
    return this.render(request, reply, app, line.id, {
      item: line.item,
      category: line.category,
      amount: penceAsPounds(line.amountPence),
      otherFunding: line.otherFundingPence ? penceAsPounds(line.otherFundingPence) : '',
      otherFundingSource: line.otherFundingSource ?? '',
      version: String(line.version),
    });
  }

  @Post('applications/:id/budget/:lineId/edit')
  @Access('user')
  async edit(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('lineId') lineId: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, BUDGET_SECTION)) return reply;
    const values = lineValues(body);
    try {
      const version = Number(values.version) || 0;
      const { input, found } = await lineInput(UpdateBudgetLineDto, values, { version });
      // A version the page did not send is no field of the person's: it is the conflict below.
      await this.budget.update(user, actor, app.id, lineId, { ...input, version }, found.filter((e) => e.field !== 'version'));
      return reply.redirect(`${base(app.id)}/budget`, 303);
    } catch (error) {
      if (!isEditError(error)) throw error;
      let conflict;
      if (error.code === 'APPLICATION.EDIT_CONFLICT') {
        const current = error.extra.current as { version: number; item: string; category: string; amountPence: number; otherFundingPence: number; updatedBy: { name: string } | null; updatedAt: string };
        values.version = String(current.version);
        conflict = {
          who: current.updatedBy?.name ?? 'Someone else',
          when: formatDateTime(current.updatedAt),
          rows: [
            { key: { text: 'Item' }, value: { text: current.item } },
            { key: { text: 'Category' }, value: { text: CATEGORY_LABELS[current.category] ?? current.category } },
            { key: { text: 'Amount' }, value: { text: formatPence(current.amountPence) } },
            { key: { text: 'Other funding' }, value: { text: formatPence(current.otherFundingPence) } },
          ],
        };
      }
      return this.render(request, reply, app, lineId, values, error, conflict);
    }
  }

  @Get('applications/:id/budget/:lineId/remove')
  @Access('user')
  async removeForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('lineId') lineId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, BUDGET_SECTION)) return reply;
    const line = app.budgetLines.find((l) => l.id === lineId);
    if (!line) throw lineNotFound();
    return this.pages.render(request, reply, 'pages/applications/budget-line-remove.njk', {
      pageTitle: `Are you sure you want to remove ${line.item}?`,
      app,
      line,
      backLink: `${base(app.id)}/budget`,
    });
  }

  @Post('applications/:id/budget/:lineId/remove')
  @Access('user')
  async remove(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('lineId') lineId: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, BUDGET_SECTION)) return reply;
    try {
      await this.budget.remove(user, actor, app.id, lineId, Number(one(body.version)) || 0);
      this.pages.flash(request, 'The budget line was removed.');
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'APPLICATION.EDIT_CONFLICT')) throw error;
      this.pages.flash(request, 'Someone changed that line after you opened it, so it was not removed. Check it and try again.', 'The line was not removed', 'info');
    }
    return reply.redirect(`${base(app.id)}/budget`, 303);
  }

  private render(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, lineId: string | null, values: Record<string, unknown>, error?: unknown, conflict?: unknown) {
    const { form, status } = pageErrorView(error, RENAME, { budget: 'item' });
    // Someone else's change first (it explains the page), then every field error in field order.
    if (conflict && form.errorList) {
      const fields = (error as DomainError).errors.length ? form.errorList : [];
      form.errorList = [{ text: (error as DomainError).message, href: '#conflict' }, ...fields];
    }
    return this.pages.render(
      request,
      reply,
      'pages/applications/budget-line.njk',
      {
        pageTitle: lineId ? 'Change a budget line' : 'Add a budget line',
        app,
        lineId,
        values,
        conflict,
        categories: BUDGET_CATEGORIES.map((c) => ({ value: c, text: CATEGORY_LABELS[c] })),
        ...form,
        backLink: `${base(app.id)}/budget`,
      },
      status,
    );
  }
}

function lineValues(body: FormBody): LineValues {
  return {
    item: one(body.item),
    category: one(body.category),
    amount: one(body.amount),
    otherFunding: one(body.otherFunding),
    otherFundingSource: one(body.otherFundingSource),
    version: one(body.version),
  };
}

/**
 * The page's pounds as pence, and what the page found wrong reading them or through the API's DTO
 * (in the API's field names). The service adds the line's rules (one set, its own) and the bid's
 * limits, and reports every error at once in field order; the page only renames them.
 */
async function lineInput<T extends object>(dto: new () => T, values: LineValues, extra: Record<string, unknown> = {}): Promise<{ input: BudgetLineInput; found: FieldError[] }> {
  const found: FieldError[] = [];
  const amount = values.amount.trim() ? poundsToPence(values.amount) : undefined;
  if (amount === null) found.push({ field: 'amountPence', code: 'FIELD.NOT_AN_AMOUNT', message: 'Enter the amount in pounds, like 1250 or 1250.50' });
  const other = values.otherFunding.trim() ? poundsToPence(values.otherFunding) : 0;
  if (other === null) found.push({ field: 'otherFundingPence', code: 'FIELD.NOT_AN_AMOUNT', message: 'Enter other funding in pounds, like 500 or 500.00' });
  const input: BudgetLineInput = {
    item: values.item,
    category: values.category || undefined,
    amountPence: amount ?? undefined,
    otherFundingPence: other ?? 0,
    otherFundingSource: values.otherFundingSource || null,
  };
  // The DTO's type checks, only where neither the page nor the line's rules (in their own words) say more.
  const covered = new Set([...found, ...budgetLineErrors(input)].map((e) => e.field));
  for (const e of await dtoFieldErrors(dto, { ...input, ...extra })) {
    if (covered.has(e.field)) continue;
    covered.add(e.field);
    found.push(e);
  }
  return { input, found };
}
