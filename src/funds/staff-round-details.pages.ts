import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { actorOf } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { formText } from '../reference-data/input.js';
import { PageRenderer } from '../web/page-renderer.js';
import type { FieldProblems } from './field-problems.js';
import type { Fund } from './fund.entity.js';
import { FundsService } from './funds.service.js';
import { dateTimeInput, dateTimeInputOf, isoFromInput, pageErrors, penceFromInput, poundsText } from './page-helpers.js';
import { changeableRoundFields } from './round-lifecycle.js';
import { RoundReader } from './round-reader.service.js';
import { RoundSetupService, roundProblems } from './round-setup.service.js';
import type { RoundStatus } from './round.entity.js';
import { STAFF_VIEWER } from './viewer.js';

type Form = Record<string, unknown>;
/** API field -> the page's input. */
const ROUND_INPUTS = { totalBudgetPence: 'totalBudget' };
const DATE_ANCHORS = { opensAt: 'opensAt-day', closesAt: 'closesAt-day', fundId: 'fundId' };

/** The page's inputs for the round fields that may change in a status (the lifecycle table decides). */
const pageFields = (status: RoundStatus) => changeableRoundFields(status).map((f) => (f === 'totalBudgetPence' ? 'totalBudget' : f));

/** Setting up a round and changing its details: every problem with what was typed is shown at once. */
@ApiExcludeController()
@Controller('staff/rounds')
export class StaffRoundDetailsPages {
  constructor(
    private readonly reader: RoundReader,
    private readonly setup: RoundSetupService,
    private readonly funds: FundsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('new')
  @Access('grants_officer')
  async newRound(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const funds = await this.funds.all();
    if (funds.length === 0) return reply.redirect('/staff/funds/new', 303);
    return this.roundForm(request, reply, null, { fundId: funds.length === 1 ? funds[0].id : '', opensAt: dateTimeInputOf(null), closesAt: dateTimeInputOf(null) });
  }

  @Post('new')
  @Access('grants_officer')
  async createRound(@Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = roundValues(body);
    try {
      const problems = roundProblems();
      const fund = await this.chosenFund(values.fundId, problems);
      const input = parseRound(values, pageFields('draft'), problems);
      const round = await this.setup.createRound(actorOf(request), fund?.id ?? null, input, problems);
      this.pages.flash(request, 'Round set up as a draft. Add its pots, eligibility questions and form, then open or schedule it.');
      return reply.redirect(`/staff/rounds/${round.id}`, 303);
    } catch (error) {
      return this.roundForm(request, reply, null, values, error);
    }
  }

  @Get(':id/edit')
  @Access('grants_officer')
  async editRound(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    return this.roundForm(request, reply, round, {
      code: round.code,
      title: round.title,
      description: round.description ?? '',
      criteria: round.criteria ?? '',
      exclusions: round.exclusions ?? '',
      opensAt: dateTimeInputOf(round.opensAt),
      closesAt: dateTimeInputOf(round.closesAt),
      totalBudget: poundsText(round.totalBudgetPence),
      version: String(round.version),
    });
  }

  @Post(':id/edit')
  @Access('grants_officer')
  async updateRound(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    const values = { ...roundValues(body), version: formText(body, 'version') };
    try {
      const problems = roundProblems();
      const input = parseRound(values, pageFields(round.status), problems);
      if (/^\d{1,9}$/.test(values.version)) input.version = Number(values.version);
      await this.setup.updateRound(actorOf(request), id, input, problems);
      this.pages.flash(request, 'Round details saved');
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      return this.roundForm(request, reply, round, values, error);
    }
  }

  /** The fund chosen on the page, or null with the problem noted (an unknown fund is a wrong choice, not a 404). */
  private async chosenFund(fundId: string, problems: FieldProblems): Promise<Fund | null> {
    const fund = fundId
      ? await this.funds.getFund(fundId).catch((error: unknown) => {
          if (error instanceof DomainError && error.code === 'FUND.NOT_FOUND') return null;
          throw error;
        })
      : null;
    if (!fund) problems.add({ field: 'fundId', code: fundId ? 'FUND.NOT_FOUND' : 'FIELD.REQUIRED', message: 'Choose the fund' });
    return fund;
  }

  private async roundForm(request: FastifyRequest, reply: FastifyReply, round: { id: string; status: RoundStatus; code: string; title: string } | null, values: Form, error?: unknown) {
    const funds = round ? [] : await this.funds.all();
    const context = {
      pageTitle: round ? `Change ${round.code}: ${round.title}` : 'Set up a round',
      round,
      funds,
      values,
      fields: pageFields(round?.status ?? 'draft'),
      backLink: round ? `/staff/rounds/${round.id}` : '/staff/rounds',
    };
    if (error === undefined) return this.pages.render(request, reply, 'pages/staff/rounds/round-form.njk', context);
    const errors = pageErrors(error, ROUND_INPUTS, DATE_ANCHORS);
    return this.pages.render(request, reply, 'pages/staff/rounds/round-form.njk', { ...context, ...errors }, errors.status);
  }
}

function roundValues(body: Form) {
  return {
    fundId: formText(body, 'fundId'),
    code: formText(body, 'code').toUpperCase(),
    title: formText(body, 'title'),
    description: formText(body, 'description'),
    criteria: formText(body, 'criteria'),
    exclusions: formText(body, 'exclusions'),
    opensAt: dateTimeInput(body, 'opensAt'),
    closesAt: dateTimeInput(body, 'closesAt'),
    totalBudget: formText(body, 'totalBudget'),
  };
}

/**
 * The API input for the fields this page may change. What the page cannot read (a date that is
 * not one, pounds that are not money) is noted in `problems` under the API's field name and left
 * out, so the service reports it with every other problem.
 */
function parseRound(values: ReturnType<typeof roundValues>, fields: string[], problems: FieldProblems): Form {
  const input: Form = {};
  for (const f of ['code', 'title'] as const) if (fields.includes(f)) input[f] = values[f];
  for (const f of ['description', 'criteria', 'exclusions'] as const) if (fields.includes(f)) input[f] = values[f] || null;
  for (const [f, what] of [['opensAt', 'opening'], ['closesAt', 'closing']] as const) {
    if (!fields.includes(f)) continue;
    const r = isoFromInput(values[f], f, what);
    if (r.error) problems.add(r.error);
    else input[f] = r.value;
  }
  if (fields.includes('totalBudget')) {
    const r = penceFromInput(values.totalBudget, 'totalBudgetPence', 'the total budget');
    if (r.error) problems.add(r.error);
    else input.totalBudgetPence = r.value;
  }
  return input;
}
