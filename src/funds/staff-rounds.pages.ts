import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import { hasRole } from '../auth/authenticated-user.js';
import { actorOf } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { formText } from '../reference-data/input.js';
import { PageRenderer } from '../web/page-renderer.js';
import { FundsService } from './funds.service.js';
import { pageErrors } from './page-helpers.js';
import { ROUND_STATUS_LABELS, ROUND_STATUSES_FOR_PAGES } from './round-lifecycle.js';
import { RoundLifecycleService } from './round-lifecycle.service.js';
import { RoundReader } from './round-reader.service.js';
import type { RoundStatus } from './round.entity.js';
import { RoundsService } from './rounds.service.js';
import { StaffRoundSummary } from './staff-round-summary.js';

type Form = Record<string, unknown>;

/**
 * Grants officers set up rounds; the auditor can read every page. This journey: the list of
 * rounds, one round's page, and moving a round on (open, schedule, close ...). The other journeys
 * are staff-round-details (the round's fields), -pots, -eligibility and -form.
 */
@ApiExcludeController()
@Controller('staff/rounds')
export class StaffRoundsPages {
  constructor(
    private readonly reader: RoundReader,
    private readonly lifecycle: RoundLifecycleService,
    private readonly rounds: RoundsService,
    private readonly funds: FundsService,
    private readonly summary: StaffRoundSummary,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('grants_officer')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const [rounds, funds] = await Promise.all([this.reader.staffRoundList(), this.funds.all()]);
    return this.pages.render(request, reply, 'pages/staff/rounds/index.njk', {
      pageTitle: 'Rounds',
      rounds,
      hasFunds: funds.length > 0,
      statusLabels: ROUND_STATUS_LABELS,
      canEdit: hasRole(request.user, 'grants_officer'),
    });
  }

  @Get(':id')
  @StaffRead('grants_officer')
  async show(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.summary.render(request, reply, id);
  }

  @Post(':id/status')
  @Access('grants_officer')
  async move(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.rounds.getRound(id);
    const to = formText(body, 'to') as RoundStatus;
    try {
      if (!ROUND_STATUSES_FOR_PAGES.includes(to)) throw new DomainError('validation', 'FIELD.NOT_ALLOWED_VALUE', 'Choose what to do with the round');
      const reason = formText(body, 'reason').slice(0, 1000) || null;
      const round = await this.lifecycle.transition(actorOf(request), id, to, 'grants_officer', { reason });
      this.pages.flash(request, `The round is now ${ROUND_STATUS_LABELS[round.status].toLowerCase()}`);
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      const errors = pageErrors(error);
      errors.errorList = errors.errorList.map((e) => ({ ...e, href: '#round-actions' }));
      return this.summary.render(request, reply, id, { ...errors }, errors.status);
    }
  }
}
