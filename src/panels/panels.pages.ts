import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationReader } from '../applications/application-reader.js';
import { ConflictsService } from '../assessment/conflicts.service.js';
import { RankingService } from '../assessment/ranking.service.js';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatPence, penceAsPounds, poundsToPence } from '../common/money.js';
import { parseLondonDateTime } from '../common/dates.js';
import { RoundReader } from '../funds/round-reader.service.js';
import { isPageFormError, pageErrorView } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { OUTCOME_LABELS } from './decision-lifecycle.js';
import { DecisionsService } from './decisions.service.js';
import { DECISION_OUTCOMES, type DecisionOutcome } from './panel.entity.js';
import type { DecisionChangeDto } from './panels.dto.js';
import { PanelsService, type AgendaItemView } from './panels.service.js';
import { StandardConditionsService } from './standard-conditions.service.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (value: unknown): string => (Array.isArray(value) ? String(value[0] ?? '') : typeof value === 'string' ? value : '');
const many = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : []);
const invalid = (field: string, message: string) => new DomainError('validation', 'VALIDATION.FAILED', message, [{ field, code: 'FIELD.INVALID', message }]);

/**
 * The panel pages (GOV.UK, no JavaScript): officers list and create meetings, add bids from the
 * ranking, record and change decisions, confirm; panel members read their meetings' agenda packs,
 * declare conflicts and record decisions. No rules here: PanelsService and DecisionsService decide.
 */
@ApiExcludeController()
@Controller()
export class PanelsPages {
  constructor(
    private readonly panels: PanelsService,
    private readonly conditions: StandardConditionsService,
    private readonly decisions: DecisionsService,
    private readonly rankings: RankingService,
    private readonly conflicts: ConflictsService,
    private readonly applications: ApplicationReader,
    private readonly rounds: RoundReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get('staff/panels')
  @StaffRead('grants_officer', 'panel_member')
  async list(@CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const result = await this.panels.list(user, { page: 1, pageSize: 200 });
    return this.pages.render(request, reply, 'pages/panels/index.njk', { pageTitle: 'Panel meetings', panels: result.items, canCreate: hasRole(user, 'grants_officer') });
  }

  @Get('staff/panels/new')
  @Access('grants_officer')
  async newPanel(@Query('roundId') roundId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.createPage(request, reply, { roundId: isUuid(roundId) ? roundId : '', memberIds: [] });
  }

  @Post('staff/panels')
  @Access('grants_officer')
  async create(@CurrentActor() actor: Actor, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { roundId: one(body.roundId), title: one(body.title), meetingAt: one(body.meetingAt), chairId: one(body.chairId), memberIds: many(body.memberIds) };
    try {
      if (!isUuid(values.roundId)) throw invalid('roundId', 'Select the round');
      if (!values.title.trim()) throw invalid('title', 'Enter a title for the meeting');
      const meetingAt = parseLondonDateTime(values.meetingAt);
      if (!meetingAt) throw invalid('meetingAt', 'Enter the date and time of the meeting, for example 2027-03-10 10:00');
      if (!isUuid(values.chairId)) throw invalid('chairId', 'Select the chair');
      const memberIds = values.memberIds.filter(isUuid);
      const panel = await this.panels.create(actor, { roundId: values.roundId, title: values.title, meetingAt: meetingAt.toISOString(), memberIds: memberIds.length ? memberIds : [values.chairId], chairId: values.chairId });
      this.pages.flash(request, `${panel.title} is set up. Add bids to its agenda from the ranking.`, 'Panel meeting created');
      return reply.redirect(`/staff/panels/${panel.id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.createPage(request, reply, values, error);
    }
  }

  @Get('staff/panels/:id')
  @StaffRead('grants_officer', 'panel_member')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.agendaPage(request, reply, user, id);
  }

  /** A bid on the meeting's agenda in full, for its members (the application policy decides: unconflicted members read it, never its files). */
  @Get('staff/panels/:id/applications/:applicationId')
  @StaffRead('grants_officer', 'panel_member')
  async bid(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('applicationId') applicationId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const panel = await this.panels.get(user, id);
    if (!(await this.panels.hasOnAgenda(id, applicationId))) throw new DomainError('not_found', 'APPLICATION.NOT_FOUND', 'Application was not found');
    const bid = await this.applications.get(user, applicationId);
    return this.pages.render(request, reply, 'pages/panels/bid.njk', { pageTitle: `${bid.reference ?? 'Application'} for the panel`, bid, panelId: id, panelTitle: panel.title });
  }

  @Post('staff/panels/:id/agenda')
  @Access('grants_officer')
  async addToAgenda(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const applicationIds = many(body.applicationIds).filter(isUuid);
    try {
      if (!applicationIds.length) throw invalid('applicationIds', 'Select at least one bid to add to the agenda');
      await this.panels.addToAgenda(actor, user, id, { applicationIds });
      this.pages.flash(request, `${applicationIds.length} bid${applicationIds.length === 1 ? '' : 's'} added to the agenda.`, 'Agenda updated');
      return reply.redirect(`/staff/panels/${id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.agendaPage(request, reply, user, id, error);
    }
  }

  @Post('staff/panels/:id/conflicts')
  @Access('panel_member')
  async declare(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const pack = await this.panels.agenda(user, id);
    const organisationId = one(body.organisationId);
    const onAgenda = pack.pots.some((p) => p.items.some((i) => i.organisationId === organisationId));
    try {
      if (!onAgenda) throw invalid('organisationId', 'Select an organisation on the agenda');
      if (!one(body.reason).trim()) throw invalid('reason', 'Describe your conflict of interest');
      await this.conflicts.declare(actor, user, { organisationId, reason: one(body.reason).trim().slice(0, 1000) });
      this.pages.flash(request, 'Your conflict of interest is recorded: you take no part in that organisation’s decisions.', 'Conflict declared');
      return reply.redirect(`/staff/panels/${id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.agendaPage(request, reply, user, id, error);
    }
  }

  @Get('staff/panels/:id/decisions/:applicationId')
  @Access('grants_officer', 'panel_member')
  async decisionForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('applicationId') applicationId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const item = await this.agendaItem(user, id, applicationId);
    const d = item.decision;
    const values = {
      outcome: d?.outcome ?? '',
      amount: d?.outcome === 'approve_in_part' && d.amountPence !== null ? penceAsPounds(d.amountPence) : '',
      conditions: d?.conditions ?? [],
      feedback: d?.feedback ?? '',
      reason: d?.reason ?? '',
    };
    return this.decisionPage(request, reply, user, id, item, values);
  }

  @Post('staff/panels/:id/decisions/:applicationId')
  @Access('grants_officer', 'panel_member')
  async decide(
    @CurrentActor() actor: Actor,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('applicationId') applicationId: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const item = await this.agendaItem(user, id, applicationId);
    const standard = many(body.standardConditions);
    const extra = one(body.otherConditions).split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
    const values = { outcome: one(body.outcome), amount: one(body.amount), conditions: [...standard, ...extra], feedback: one(body.feedback), reason: one(body.reason) };
    try {
      if (!(DECISION_OUTCOMES as readonly string[]).includes(values.outcome)) throw invalid('outcome', 'Select the decision');
      const outcome = values.outcome as DecisionOutcome;
      const input: DecisionChangeDto = { outcome, feedback: values.feedback, reason: values.reason };
      if (outcome === 'approve' || outcome === 'approve_in_part') input.conditions = values.conditions;
      if (outcome === 'approve_in_part') {
        const pence = poundsToPence(values.amount);
        if (pence === null) throw invalid('amount', 'Enter the amount approved in pounds, for example 2500');
        input.amountPence = pence;
      }
      const saved = await this.decisions.decide(actor, user, id, { applicationId, ...input });
      const amount = saved.body.amountPence === null ? '' : ` (${formatPence(saved.body.amountPence)})`;
      this.pages.flash(request, `${item.reference ?? 'The bid'}: ${OUTCOME_LABELS[saved.body.outcome].toLowerCase()}${amount}. You can change it until the meeting is confirmed.`, 'Decision recorded');
      return reply.redirect(`/staff/panels/${id}`, 303);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'POT.BUDGET_EXCEEDED') {
        const available = Number(error.extra.availablePence ?? 0);
        const message = `This approval does not fit in the pot: only ${formatPence(available)} is available. Approve a smaller amount in part, or change another decision first.`;
        return this.decisionPage(request, reply, user, id, item, values, new DomainError('conflict', error.code, message, [{ field: 'outcome', code: error.code, message }]));
      }
      if (!isPageFormError(error)) throw error;
      return this.decisionPage(request, reply, user, id, item, values, error);
    }
  }

  @Get('staff/panels/:id/confirm')
  @Access('grants_officer', 'panel_member')
  async confirmPage(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.confirmView(request, reply, user, id);
  }

  @Post('staff/panels/:id/confirm')
  @Access('grants_officer', 'panel_member')
  async confirm(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      if (one(body.confirm) !== 'yes') throw invalid('confirm', 'Confirm that the decisions are final');
      const done = await this.decisions.confirm(actor, user, id);
      this.pages.flash(request, `${done.body.approved} approved, ${done.body.rejected} not funded, ${done.body.deferred} deferred. Offers and outcome emails are on their way.`, 'Meeting confirmed');
      return reply.redirect(`/staff/panels/${id}/minutes`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.confirmView(request, reply, user, id, error);
    }
  }

  @Get('staff/panels/:id/minutes')
  @StaffRead('grants_officer', 'panel_member')
  async minutes(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const [panel, minutes] = [await this.panels.get(user, id), await this.panels.minutes(user, id)];
    return this.pages.render(request, reply, 'pages/panels/minutes.njk', { pageTitle: `Minutes: ${panel.title}`, panel, minutes, labels: OUTCOME_LABELS });
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private async createPage(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, error?: unknown) {
    const { form, status } = pageErrorView(error);
    const [rounds, people] = [await this.rounds.staffRoundList(), await this.panels.panelMemberChoices()];
    return this.pages.render(request, reply, 'pages/panels/new.njk', { pageTitle: 'Create a panel meeting', rounds, people, values, ...form }, status);
  }

  private async agendaPage(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, error?: unknown) {
    const { form, status } = pageErrorView(error);
    const panel = await this.panels.get(user, id);
    const pack = await this.panels.agenda(user, id);
    const officer = hasRole(user, 'grants_officer');
    let candidates: { applicationId: string; reference: string | null; scorePercent: number; amountRequestedPence: number; status: string }[] = [];
    if (officer && panel.status === 'open') {
      const ranking = await this.rankings.ranking(panel.roundId);
      const refs = new Map((await this.applications.refsByIds(ranking.items.map((i) => i.applicationId))).map((r) => [r.id, r]));
      candidates = ranking.items
        .filter((i) => ['assessed', 'deferred'].includes(refs.get(i.applicationId)?.status ?? ''))
        .map((i) => ({ applicationId: i.applicationId, reference: i.reference, scorePercent: i.scorePercent, amountRequestedPence: i.amountRequestedPence, status: refs.get(i.applicationId)!.status }));
    }
    const organisations = [...new Map(pack.pots.flatMap((p) => p.items).map((i) => [i.organisationId, i.organisationName])).entries()].map(([value, text]) => ({ value, text }));
    const isMember = panel.members.some((m) => m.userId === user.id);
    return this.pages.render(
      request,
      reply,
      'pages/panels/show.njk',
      {
        pageTitle: panel.title,
        panel,
        pack,
        candidates,
        organisations,
        labels: OUTCOME_LABELS,
        canManage: officer && panel.status === 'open',
        canDecide: panel.status === 'open' && (officer || isMember),
        canDeclare: isMember && hasRole(user, 'panel_member') && panel.status === 'open',
        userId: user.id,
        ...form,
      },
      status,
    );
  }

  private async agendaItem(user: AuthenticatedUser, id: string, applicationId: string): Promise<AgendaItemView> {
    const pack = await this.panels.agenda(user, id);
    const item = pack.pots.flatMap((p) => p.items).find((i) => i.applicationId === applicationId);
    if (!item) throw new DomainError('not_found', 'PANEL.NOT_ON_AGENDA', 'This bid is not on the meeting’s agenda');
    return item;
  }

  private async decisionPage(
    request: FastifyRequest,
    reply: FastifyReply,
    user: AuthenticatedUser,
    id: string,
    item: AgendaItemView,
    values: { outcome: string; amount: string; conditions: string[]; feedback: string; reason: string },
    error?: unknown,
  ) {
    const { form, status } = pageErrorView(error);
    const panel = await this.panels.get(user, id);
    const standard = (await this.conditions.ofRound(panel.roundId)).conditions;
    const pack = await this.panels.agenda(user, id);
    const pot = pack.pots.find((p) => p.items.some((i) => i.applicationId === item.applicationId));
    return this.pages.render(
      request,
      reply,
      'pages/panels/decision.njk',
      {
        pageTitle: `Decision: ${item.reference ?? 'bid'}`,
        panel,
        item,
        pot,
        values,
        standardItems: standard.map((c) => ({ value: c, text: c, checked: values.conditions.includes(c) })),
        otherConditions: values.conditions.filter((c) => !standard.includes(c)).join('\n'),
        outcomes: DECISION_OUTCOMES.map((o) => ({ value: o, text: OUTCOME_LABELS[o], checked: values.outcome === o })),
        ...form,
      },
      status,
    );
  }

  private async confirmView(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, error?: unknown) {
    const { form, status } = pageErrorView(error);
    const panel = await this.panels.get(user, id);
    const pack = await this.panels.agenda(user, id);
    const items = pack.pots.flatMap((p) => p.items);
    return this.pages.render(
      request,
      reply,
      'pages/panels/confirm.njk',
      { pageTitle: `Confirm ${panel.title}`, panel, items, missing: items.filter((i) => !i.decision), labels: OUTCOME_LABELS, ...form },
      status,
    );
  }
}
