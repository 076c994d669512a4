import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { REPORT_CHANGER_ROLES, REPORT_READER_ROLES, ReportPolicy } from '../auth/policies/report.policy.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import type { FormBody } from '../web/form-input.js';
import { isPageFormError, pageErrorView } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { OpenDataWithholdingsService } from './open-data-withholdings.service.js';

const text = (v: string | string[] | undefined) => (typeof v === 'string' ? v : '');

/** The 360Giving open data for staff: the links to the files, the withheld awards, and a form to withhold one. */
@ApiExcludeController()
@Controller('staff/open-data')
export class OpenDataPages {
  constructor(
    private readonly withholdings: OpenDataWithholdingsService,
    private readonly policy: ReportPolicy,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Access(...REPORT_READER_ROLES)
  async index(@CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    return this.render(request, reply, user, {});
  }

  @Post()
  @Access(...REPORT_CHANGER_ROLES)
  async withhold(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    const values = { reference: text(body.reference), withhold: text(body.withhold), reason: text(body.reason) };
    try {
      await this.withholdings.withholdByReference(actor, values);
      return reply.redirect('/staff/open-data', 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.render(request, reply, user, values, error);
    }
  }

  @Post(':id/release')
  @Access(...REPORT_CHANGER_ROLES)
  async release(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    await this.withholdings.release(actor, id);
    return reply.redirect('/staff/open-data', 303);
  }

  private async render(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, values: Record<string, string>, error?: unknown) {
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'reporting/open-data.njk',
      { pageTitle: '360Giving open data', withheld: await this.withholdings.list(), mayChange: this.policy.may(user, 'change'), values, ...form },
      status,
    );
  }
}
