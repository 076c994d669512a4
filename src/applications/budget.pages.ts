import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { CATEGORY_LABELS } from './answer-summaries.js';
import { base, isEditError, requireEditable } from './applicant-pages.js';
import { ApplicationReader } from './application-reader.js';
import { BUDGET_SECTION, type ApplicationDetail } from './application-views.js';
import { SaveSectionDto } from './applications.dto.js';
import { ApplicationsService } from './applications.service.js';
import { COMPLETED_MISSING, completedFrom, one, type FormBody } from './page-forms.js';

/** The budget section: its lines and their total, and marking it complete. */
@ApiExcludeController()
@Controller()
export class BudgetPages {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly reader: ApplicationReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get('applications/:id/budget')
  @Access('user')
  async budget(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, BUDGET_SECTION)) return reply;
    const section = app.sections.find((s) => s.key === BUDGET_SECTION)!;
    return this.render(request, reply, app, { completed: section.status === 'completed' ? 'yes' : '', version: String(section.version) });
  }

  @Post('applications/:id/budget')
  @Access('user')
  async complete(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, BUDGET_SECTION)) return reply;
    const values = { completed: one(body.completed), version: one(body.version) };
    try {
      const completed = completedFrom(body);
      const save = await pageForm(
        SaveSectionDto,
        { answers: {}, version: Number(values.version) || 0, completed: completed === true },
        { parseErrors: completed === null ? [COMPLETED_MISSING] : [], messages: { version: 'Reload the page and try again' } },
      );
      await this.applications.saveSection(user, actor, app.id, BUDGET_SECTION, save);
      return reply.redirect(base(app.id), 303);
    } catch (error) {
      if (!isEditError(error)) throw error;
      if (error.code === 'APPLICATION.EDIT_CONFLICT') values.version = String((error.extra.current as { version: number }).version);
      return this.render(request, reply, await this.reader.ownDetail(user, id), values, error);
    }
  }

  private render(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, values: Record<string, unknown>, error?: unknown) {
    const { form, status } = pageErrorView(error, {}, { budget: 'budget-lines' });
    return this.pages.render(
      request,
      reply,
      'pages/applications/budget.njk',
      {
        pageTitle: 'Budget',
        app,
        values,
        categoryLabels: CATEGORY_LABELS,
        otherFundingTotal: app.budgetLines.reduce((sum, l) => sum + l.otherFundingPence, 0),
        ...form,
        backLink: base(app.id),
      },
      status,
    );
  }
}
