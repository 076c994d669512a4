import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { formatPence } from '../common/money.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { isPageFormError, pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { base } from './applicant-pages.js';
import { CreateApplicationDto } from './applications.dto.js';
import { ApplicationsService } from './applications.service.js';
import { EligibilityService } from './eligibility.service.js';
import { one, type FormBody } from './page-forms.js';

/** Starting a bid: choose which of your organisations applies, and to which pot. */
@ApiExcludeController()
@Controller()
export class StartApplicationPages {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly eligibility: EligibilityService,
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('rounds/:roundId/apply')
  @Access('user')
  async form(@CurrentUser() user: AuthenticatedUser, @Param('roundId') roundId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.render(request, reply, user, roundId, {});
  }

  @Post('rounds/:roundId/apply')
  @Access('user')
  async apply(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('roundId') roundId: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const values = { organisationId: one(body.organisationId), potId: one(body.potId) };
    try {
      const input = await pageForm(
        CreateApplicationDto,
        { roundId, ...values },
        {
          messages: { organisationId: 'Select the organisation applying', potId: 'Select the pot you are applying to' },
          order: ['organisationId', 'potId'],
        },
      );
      const created = await this.applications.create(user, actor, input);
      this.pages.flash(request, 'Work through each section. Your answers are saved each time you select "Save and continue", so you can come back at any time.', 'Application started');
      return reply.redirect(base(created.id), 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.render(request, reply, user, roundId, values, error);
    }
  }

  private async render(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, roundId: string, values: Record<string, string>, error?: unknown) {
    const { round } = await this.eligibility.questionsOf(roundId);
    const pots = await this.applications.potsOf(round.id);
    const organisations = (await this.organisations.list(user, { page: 1, pageSize: 100 }, 'mine')).items;
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'pages/applications/start.njk',
      {
        pageTitle: `Start an application to ${round.title}`,
        round,
        pots: pots.map((p) => ({ ...p, range: `${formatPence(p.minGrantPence)} to ${formatPence(p.maxGrantPence)}` })),
        organisations: organisations.map((o) => ({ id: o.id, name: o.name, contactEmail: o.contactEmail })),
        values: {
          organisationId: values.organisationId ?? (organisations.length === 1 ? organisations[0].id : ''),
          potId: values.potId ?? (pots.length === 1 ? pots[0].id : ''),
        },
        ...form,
        backLink: `/rounds/${round.id}`,
      },
      status,
    );
  }
}
