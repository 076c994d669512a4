import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { actorOf } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { formList, formText } from '../reference-data/input.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { PageRenderer } from '../web/page-renderer.js';
import type { FieldProblems } from './field-problems.js';
import { listFromText, pageErrors, penceFromInput, poundsText } from './page-helpers.js';
import { PotSetupService, potProblems } from './pot-setup.service.js';
import { isRoundEditable } from './round-lifecycle.js';
import { RoundReader } from './round-reader.service.js';
import { StaffRoundSummary } from './staff-round-summary.js';
import { STAFF_VIEWER } from './viewer.js';

type Form = Record<string, unknown>;
/** API field -> the page's input. */
const POT_INPUTS = { minGrantPence: 'minGrant', maxGrantPence: 'maxGrant', budgetPence: 'budget' };
const POT_ANCHORS = { districtIds: 'districtIds', priorityIds: 'priorityIds' };

/** A draft round's pots: add, change, remove. Every problem with a pot is shown at once, in form order. */
@ApiExcludeController()
@Controller('staff/rounds')
export class StaffRoundPotsPages {
  constructor(
    private readonly reader: RoundReader,
    private readonly potSetup: PotSetupService,
    private readonly referenceData: ReferenceDataService,
    private readonly summary: StaffRoundSummary,
    private readonly pages: PageRenderer,
  ) {}

  @Get(':id/pots/new')
  @Access('grants_officer')
  async newPot(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    if (!isRoundEditable(round.status)) return reply.redirect(`/staff/rounds/${id}`, 303);
    return this.potForm(request, reply, round, null, { districtIds: [], priorityIds: [] });
  }

  @Post(':id/pots/new')
  @Access('grants_officer')
  async createPot(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    const values = potValues(body);
    try {
      const problems = potProblems();
      const pot = await this.potSetup.createPot(actorOf(request), id, parsePot(values, problems), problems);
      this.pages.flash(request, `Pot “${pot.name}” added`);
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      return this.potForm(request, reply, round, null, values, error);
    }
  }

  @Get(':id/pots/:potId')
  @Access('grants_officer')
  async editPot(@Param('id') id: string, @Param('potId') potId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, pot } = await this.roundAndPot(id, potId);
    return this.potForm(request, reply, round, pot.id, {
      name: pot.name,
      description: pot.description ?? '',
      minGrant: poundsText(pot.minGrantPence),
      maxGrant: poundsText(pot.maxGrantPence),
      budget: poundsText(pot.budgetPence),
      districtIds: pot.districtIds,
      priorityIds: pot.priorityIds,
      wards: pot.wards.join('\n'),
      postcodeDistricts: pot.postcodeDistricts.join(', '),
    });
  }

  @Post(':id/pots/:potId')
  @Access('grants_officer')
  async updatePot(@Param('id') id: string, @Param('potId') potId: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, pot } = await this.roundAndPot(id, potId);
    const values = potValues(body);
    try {
      const problems = potProblems();
      const saved = await this.potSetup.updatePot(actorOf(request), pot.id, parsePot(values, problems), problems);
      this.pages.flash(request, `Pot “${saved.name}” saved`);
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      return this.potForm(request, reply, round, pot.id, values, error);
    }
  }

  @Get(':id/pots/:potId/remove')
  @Access('grants_officer')
  async confirmRemovePot(@Param('id') id: string, @Param('potId') potId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, pot } = await this.roundAndPot(id, potId);
    return this.pages.render(request, reply, 'pages/staff/rounds/pot-remove.njk', { pageTitle: `Remove the pot ${pot.name}`, round, pot, backLink: `/staff/rounds/${id}` });
  }

  @Post(':id/pots/:potId/remove')
  @Access('grants_officer')
  async removePot(@Param('id') id: string, @Param('potId') potId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { pot } = await this.roundAndPot(id, potId);
    try {
      await this.potSetup.deletePot(actorOf(request), pot.id);
      this.pages.flash(request, `Pot “${pot.name}” removed`);
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      return this.summary.render(request, reply, id, { ...pageErrors(error) }, 409);
    }
  }

  /** A pot of this round (404 when the pot belongs to another round). */
  private async roundAndPot(id: string, potId: string) {
    const round = await this.reader.getRoundView(id, STAFF_VIEWER);
    const pot = (round.pots ?? []).find((p) => p.id === potId);
    if (!pot) throw new DomainError('not_found', 'POT.NOT_FOUND', 'Pot was not found');
    return { round, pot };
  }

  private async potForm(request: FastifyRequest, reply: FastifyReply, round: { id: string; code: string; title: string }, potId: string | null, values: Form, error?: unknown) {
    const [districts, outcomes] = await Promise.all([this.referenceData.listDistricts(false), this.referenceData.listOutcomes()]);
    const chosen = new Set([...((values.districtIds as string[]) ?? []), ...((values.priorityIds as string[]) ?? [])]);
    const context = {
      pageTitle: potId ? 'Change pot' : 'Add a pot',
      round,
      potId,
      values,
      districts,
      outcomes: outcomes.map((o) => ({ ...o, priorities: o.priorities.filter((p) => p.active || chosen.has(p.id)) })).filter((o) => o.priorities.length),
      backLink: `/staff/rounds/${round.id}`,
    };
    if (error === undefined) return this.pages.render(request, reply, 'pages/staff/rounds/pot-form.njk', context);
    const errors = pageErrors(error, POT_INPUTS, POT_ANCHORS);
    return this.pages.render(request, reply, 'pages/staff/rounds/pot-form.njk', { ...context, ...errors }, errors.status);
  }
}

function potValues(body: Form) {
  return {
    name: formText(body, 'name'),
    description: formText(body, 'description'),
    minGrant: formText(body, 'minGrant'),
    maxGrant: formText(body, 'maxGrant'),
    budget: formText(body, 'budget'),
    districtIds: formList(body, 'districtIds'),
    priorityIds: formList(body, 'priorityIds'),
    wards: formText(body, 'wards'),
    postcodeDistricts: formText(body, 'postcodeDistricts'),
  };
}

/** The API input; pounds the page cannot read are noted in `problems` (API field names) and left out. */
function parsePot(values: ReturnType<typeof potValues>, problems: FieldProblems): Form {
  const money = (text: string, field: string, what: string) => {
    const r = penceFromInput(text, field, what);
    if (r.error) problems.add(r.error);
    return r.value;
  };
  return {
    name: values.name,
    description: values.description || null,
    minGrantPence: money(values.minGrant, 'minGrantPence', 'the smallest grant'),
    maxGrantPence: money(values.maxGrant, 'maxGrantPence', 'the largest grant'),
    budgetPence: money(values.budget, 'budgetPence', 'the pot’s budget'),
    districtIds: values.districtIds,
    priorityIds: values.priorityIds,
    wards: values.wards.split('\n').map((w) => w.trim()).filter(Boolean),
    postcodeDistricts: listFromText(values.postcodeDistricts),
  };
}
