import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { isPageFormError, pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { base } from './applicant-pages.js';
import { isWithdrawable, STATUS_LABELS } from './application-lifecycle.js';
import { ApplicationReader } from './application-reader.js';
import type { ApplicationDetail } from './application-views.js';
import { WithdrawApplicationDto } from './applications.dto.js';
import { ApplicationsService } from './applications.service.js';
import { one, type FormBody } from './page-forms.js';

/** Withdrawing a bid (before a decision), with a reason; and the history of its status. */
@ApiExcludeController()
@Controller()
export class WithdrawPages {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly reader: ApplicationReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get('applications/:id/withdraw')
  @Access('user')
  async form(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    return this.render(request, reply, app, { reason: '' });
  }

  @Post('applications/:id/withdraw')
  @Access('user')
  async withdraw(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.reader.ownDetail(user, id);
    const values = { reason: one(body.reason) };
    try {
      const { reason } = await pageForm(
        WithdrawApplicationDto,
        { reason: values.reason.trim() },
        { messages: { reason: { 'FIELD.TOO_LONG': 'The reason must be 1000 characters or fewer', default: 'Tell us why you are withdrawing the application' } } },
      );
      await this.applications.withdraw(user, actor, app.id, reason);
      this.pages.flash(request, `${app.projectTitle ?? 'The application'}${app.reference ? ` (${app.reference})` : ''} has been withdrawn.`, 'Application withdrawn');
      return reply.redirect('/dashboard', 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.render(request, reply, app, values, error);
    }
  }

  private render(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, values: Record<string, string>, error?: unknown) {
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'pages/applications/withdraw.njk',
      {
        pageTitle: 'Withdraw your application',
        app,
        values,
        canWithdraw: isWithdrawable(app.status),
        statusLabel: STATUS_LABELS[app.status],
        ...form,
        backLink: base(app.id),
      },
      status,
    );
  }

  @Get('applications/:id/history')
  @Access('user')
  async history(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.reader.ownDetail(user, id);
    const history = await this.reader.history(user, app.id, 'own');
    return this.pages.render(request, reply, 'pages/applications/history.njk', {
      pageTitle: 'History of your application',
      app,
      history,
      backLink: base(app.id),
    });
  }
}
