import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';
import { pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { base, conflictOf, isEditError, requireEditable } from './applicant-pages.js';
import { ApplicationReader } from './application-reader.js';
import { PROJECT_SUMMARY_WORD_LIMIT } from './application-rules.js';
import { PROJECT_SECTION, type ApplicationDetail } from './application-views.js';
import { UpdateProjectDto } from './applications.dto.js';
import { ApplicationsService } from './applications.service.js';
import { COMPLETED_MISSING, completedFrom, dateFrom, dateParts, displayAnswer, many, one, type FormBody } from './page-forms.js';

const FIELD_ORDER = ['projectTitle', 'projectSummary', 'projectStartDate', 'projectEndDate', 'districtIds', 'priorityIds', 'completed'];

/** The project details section: title, summary, dates, districts and priorities. */
@ApiExcludeController()
@Controller()
export class ProjectDetailsPages {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly reader: ApplicationReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get('applications/:id/project')
  @Access('user')
  async form(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, PROJECT_SECTION)) return reply;
    const section = app.sections.find((s) => s.key === PROJECT_SECTION)!;
    return this.render(request, reply, app, {
      projectTitle: app.projectTitle ?? '',
      projectSummary: app.projectSummary ?? '',
      projectStartDate: dateParts(app.projectStartDate),
      projectEndDate: dateParts(app.projectEndDate),
      districtIds: app.districts.map((d) => d.id),
      priorityIds: app.priorities.map((p) => p.id),
      completed: section.status === 'completed' ? 'yes' : '',
      version: String(app.version),
    });
  }

  @Post('applications/:id/project')
  @Access('user')
  async save(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, PROJECT_SECTION)) return reply;
    const values = {
      projectTitle: one(body.projectTitle),
      projectSummary: one(body.projectSummary).replace(/\r\n/g, '\n'),
      projectStartDate: { day: one(body['projectStartDate-day']), month: one(body['projectStartDate-month']), year: one(body['projectStartDate-year']) },
      projectEndDate: { day: one(body['projectEndDate-day']), month: one(body['projectEndDate-month']), year: one(body['projectEndDate-year']) },
      districtIds: many(body.districtIds),
      priorityIds: many(body.priorityIds),
      completed: one(body.completed),
      version: one(body.version),
    };
    try {
      // What only a page can get wrong (a date's three boxes, the completed radios); the DTO checks the rest.
      const parseErrors: FieldError[] = [];
      const start = dateFrom(body, 'projectStartDate');
      const end = dateFrom(body, 'projectEndDate');
      if (start === null) parseErrors.push({ field: 'projectStartDate', code: 'FIELD.INVALID_DATE', message: 'The start date must be a real date, like 1 4 2030' });
      if (end === null) parseErrors.push({ field: 'projectEndDate', code: 'FIELD.INVALID_DATE', message: 'The end date must be a real date, like 31 3 2031' });
      const completed = completedFrom(body);
      if (completed === null) parseErrors.push(COMPLETED_MISSING);
      const plain = {
        version: Number(values.version) || 0,
        projectTitle: values.projectTitle,
        projectSummary: values.projectSummary,
        projectStartDate: start || null,
        projectEndDate: end || null,
        districtIds: values.districtIds,
        priorityIds: values.priorityIds,
        completed: completed === true,
      };
      const change = await pageForm(UpdateProjectDto, plain, {
        parseErrors,
        order: FIELD_ORDER,
        messages: {
          projectTitle: { 'FIELD.TOO_LONG': 'The project title must be 200 characters or fewer' },
          projectSummary: { 'FIELD.TOO_LONG': 'The summary is too long' },
          districtIds: 'Choose only districts this pot funds',
          priorityIds: 'Choose only priorities this pot funds',
          version: 'Reload the page and try again',
        },
      }).catch(async (error: unknown) => {
        // Every error at once: the pot's rules too, for what could be read.
        if (!(error instanceof DomainError)) throw error;
        const rules = await this.applications.projectProblems(user, app.id, plain, completed === true);
        const errors = [...error.errors, ...rules.filter((r) => !error.errors.some((e) => e.field === r.field))];
        const at = (f: string) => (FIELD_ORDER.indexOf(f) < 0 ? FIELD_ORDER.length : FIELD_ORDER.indexOf(f));
        throw validationFailed(errors.sort((a, b) => at(a.field) - at(b.field)));
      });
      await this.applications.updateProject(user, actor, app.id, change);
      return reply.redirect(base(app.id), 303);
    } catch (error) {
      if (!isEditError(error)) throw error;
      const conflict = conflictOf(error, (answers) => ({
        rows: [
          { key: { text: 'Project title' }, value: { text: String(answers.projectTitle ?? '') } },
          { key: { text: 'Summary' }, value: { text: String(answers.projectSummary ?? '') } },
          { key: { text: 'Start date' }, value: { text: displayAnswer({ type: 'date' } as never, answers.projectStartDate) } },
          { key: { text: 'End date' }, value: { text: displayAnswer({ type: 'date' } as never, answers.projectEndDate) } },
        ],
      }));
      if (conflict) values.version = String(conflict.version);
      return this.render(request, reply, app, values, error, conflict);
    }
  }

  private async render(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, values: Record<string, unknown>, error?: unknown, conflict?: unknown) {
    const context = await this.reader.context(app);
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'pages/applications/project.njk',
      {
        pageTitle: 'Project details',
        app,
        values,
        context,
        wordLimit: PROJECT_SUMMARY_WORD_LIMIT,
        conflict,
        ...form,
        backLink: base(app.id),
      },
      status,
    );
  }
}
