import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import type { FormSection } from '../forms/form.types.js';
import { pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { base, conflictOf, isEditError, requireEditable } from './applicant-pages.js';
import { ApplicationReader } from './application-reader.js';
import { sectionNotFound, type ApplicationDetail, type SectionView } from './application-views.js';
import { SaveSectionDto } from './applications.dto.js';
import { ApplicationsService } from './applications.service.js';
import { answerField, answersFromBody, COMPLETED_MISSING, completedFrom, displayAnswer, one, valuesOfAnswers, valuesOfBody, type FormBody } from './page-forms.js';

/** A section of the round's form: its questions on one page. */
@ApiExcludeController()
@Controller()
export class FormSectionPages {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly reader: ApplicationReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get('applications/:id/sections/:key')
  @Access('user')
  async form(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('key') key: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, key)) return reply;
    const { section, view } = await this.formSection(app, key);
    return this.render(request, reply, app, section, {
      answers: valuesOfAnswers(section, view.answers),
      completed: view.status === 'completed' ? 'yes' : '',
      version: String(view.version),
    });
  }

  @Post('applications/:id/sections/:key')
  @Access('user')
  async save(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('key') key: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.reader.ownDetail(user, id);
    if (!requireEditable(app, reply, key)) return reply;
    const { section } = await this.formSection(app, key);
    const values = { answers: valuesOfBody(section, body), completed: one(body.completed), version: one(body.version) };
    try {
      const { answers, errors: parseErrors } = answersFromBody(section, body);
      const completed = completedFrom(body);
      if (completed === null) parseErrors.push(COMPLETED_MISSING);
      const save = await pageForm(SaveSectionDto, { answers, version: Number(values.version) || 0, completed: completed === true }, { parseErrors, messages: { version: 'Reload the page and try again' } });
      await this.applications.saveSection(user, actor, app.id, key, save);
      return reply.redirect(base(app.id), 303);
    } catch (error) {
      if (!isEditError(error)) throw error;
      const conflict = conflictOf(error, (answers) => ({
        rows: section.questions
          .filter((q) => q.type !== 'file')
          .map((q) => ({ key: { text: q.label }, value: { text: displayAnswer(q, answers[q.key]) || 'Not answered' } })),
      }));
      if (conflict) values.version = String(conflict.version);
      return this.render(request, reply, app, section, values, error, conflict);
    }
  }

  private async formSection(app: ApplicationDetail, key: string): Promise<{ section: FormSection; view: SectionView }> {
    const form = await this.reader.formOf(app);
    const section = form.sections.find((s) => s.key === key);
    const view = app.sections.find((s) => s.key === key && s.kind === 'form');
    if (!section || !view) throw sectionNotFound();
    return { section, view };
  }

  private render(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, section: FormSection, values: Record<string, unknown>, error?: unknown, conflict?: unknown) {
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'pages/applications/section.njk',
      { pageTitle: section.title, app, section, values, conflict, answerField, ...form, backLink: base(app.id) },
      status,
    );
  }
}
