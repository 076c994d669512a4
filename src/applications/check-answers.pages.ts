import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { isPageFormError, pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { answerSummaries } from './answer-summaries.js';
import { base, hrefFor } from './applicant-pages.js';
import { applicationCan, isWithdrawable, STATUS_TAG_CLASSES } from './application-lifecycle.js';
import { ApplicationReader } from './application-reader.js';
import type { ApplicationDetail } from './application-views.js';
import { SubmitApplicationDto } from './applications.dto.js';
import { ApplicationsService } from './applications.service.js';
import { one, type FormBody } from './page-forms.js';

/** Check your answers, the declaration and submitting; then the confirmation with the reference. */
@ApiExcludeController()
@Controller()
export class CheckAnswersPages {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly reader: ApplicationReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get('applications/:id/check-answers')
  @Access('user')
  async checkAnswers(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    return this.render(request, reply, app, { name: user.fullName, confirmed: '' });
  }

  @Post('applications/:id/check-answers')
  @Access('user')
  async submit(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.reader.ownDetail(user, id);
    const values = { name: one(body.name), confirmed: one(body.confirmed) };
    try {
      const { declaration } = await pageForm(
        SubmitApplicationDto,
        { declaration: { name: values.name.trim(), confirmed: values.confirmed === 'yes' } },
        {
          rename: { 'declaration.name': 'name', 'declaration.confirmed': 'confirmed' },
          order: ['name', 'confirmed'],
          messages: {
            name: { 'FIELD.TOO_LONG': 'Your name must be 120 characters or fewer', default: 'Enter your full name' },
            confirmed: 'Confirm that the information you have given is true and complete',
          },
        },
      );
      await this.applications.submit(user, actor, app.id, declaration);
      return reply.redirect(`${base(app.id)}/confirmation`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      if (error.code === 'APPLICATION.ILLEGAL_TRANSITION') return reply.redirect(base(app.id), 303);
      const view = pageErrorView(error);
      if (error.code === 'APPLICATION.INCOMPLETE' || error.code === 'APPLICATION.BUDGET_OUTSIDE_POT_LIMITS') {
        view.form.errorList = error.errors.map((e) => ({ text: e.message, href: hrefFor(app.id, e.field) }));
      } else if (error.kind === 'conflict') {
        view.form.errorList = [{ text: error.message, href: '#main-content' }];
      }
      return this.render(request, reply, app, values, view);
    }
  }

  private async render(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, values: Record<string, string>, view = pageErrorView()) {
    const form = await this.reader.formOf(app);
    const editable = applicationCan(app.status).editable;
    return this.pages.render(
      request,
      reply,
      'pages/applications/check-answers.njk',
      {
        pageTitle: editable ? 'Check your answers before sending your application' : 'Your application',
        app,
        summaries: answerSummaries(app, form.sections, editable),
        values,
        isDraft: editable,
        statusTagClass: STATUS_TAG_CLASSES[app.status],
        canWithdraw: isWithdrawable(app.status),
        ...view.form,
        backLink: editable ? base(app.id) : '/dashboard',
      },
      view.status,
    );
  }

  @Get('applications/:id/confirmation')
  @Access('user')
  async confirmation(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    if (!app.reference) return reply.redirect(base(app.id), 303);
    return this.pages.render(request, reply, 'pages/applications/confirmation.njk', { pageTitle: 'Application submitted', app });
  }
}
