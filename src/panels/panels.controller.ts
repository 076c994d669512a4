import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import type { StoredResponse } from '../idempotency/idempotency.service.js';
import { DecisionsService } from './decisions.service.js';
import { AgendaDto, CreatePanelDto, DecisionChangeDto, DecisionDto, PanelListQuery, StandardConditionsDto } from './panels.dto.js';
import { AGENDA_SCHEMA, CONFIRM_SCHEMA, DECISION_LIST_SCHEMA, DECISION_SCHEMA, MINUTES_SCHEMA, PANEL_LIST_SCHEMA, PANEL_SCHEMA, STANDARD_CONDITIONS_SCHEMA } from './panels-responses.js';
import { StandardConditionsService } from './standard-conditions.service.js';
import { PanelsService } from './panels.service.js';

const IDEMPOTENCY_HEADER = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description:
    'Optional, 1–200 of A–Z a–z 0–9 . _ : ~ -, scoped to you. The same key with the same body replays the first response (status and body, with `Idempotent-Replayed: true`); ' +
    'the same key with another body is 422 IDEMPOTENCY.KEY_REUSED. Without the header the request is accepted with no idempotency.',
});

/** Sets the stored status (a replay answers as the first request did) and says when it is a replay. */
const answer = <T>(reply: FastifyReply, stored: StoredResponse<T>): T => {
  reply.status(stored.status);
  if (stored.replayed) reply.header('idempotent-replayed', 'true');
  return stored.body;
};

@ApiTags('panels')
@ApiBearerAuth()
@Controller('api/v1')
export class PanelsController {
  constructor(
    private readonly conditions: StandardConditionsService,
    private readonly panels: PanelsService,
    private readonly decisions: DecisionsService,
  ) {}

  @Post('panels')
  @Access('grants_officer')
  @ApiOperation({ summary: 'Create a panel meeting for a round (members hold panel_member; one chair)' })
  @ApiCreatedResponse({ schema: PANEL_SCHEMA })
  create(@CurrentActor() actor: Actor, @Body() body: CreatePanelDto) {
    return this.panels.create(actor, body);
  }

  @Get('panels')
  @StaffRead('grants_officer', 'panel_member')
  @ApiOperation({ summary: 'Panel meetings (panel members: only those they sit on)' })
  @ApiOkResponse({ schema: PANEL_LIST_SCHEMA })
  list(@CurrentUser() user: AuthenticatedUser, @Query() q: PanelListQuery) {
    return this.panels.list(user, q);
  }

  @Get('panels/:id')
  @StaffRead('grants_officer', 'panel_member')
  @ApiOperation({ summary: 'A panel meeting (404 for panel members who do not sit on it)' })
  @ApiOkResponse({ schema: PANEL_SCHEMA })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.panels.get(user, id);
  }

  @Post('panels/:id/agenda')
  @HttpCode(200)
  @Access('grants_officer')
  @ApiOperation({ summary: 'Put assessed (or earlier deferred) bids of the round on the agenda: they move to at_panel' })
  @ApiOkResponse({ schema: AGENDA_SCHEMA })
  addToAgenda(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: AgendaDto) {
    return this.panels.addToAgenda(actor, user, id, body);
  }

  @Get('panels/:id/agenda')
  @StaffRead('grants_officer', 'panel_member')
  @ApiOperation({ summary: 'The agenda pack: bids ranked per pot with scores, recommendations, running total, funding line and live committed/available' })
  @ApiOkResponse({ schema: AGENDA_SCHEMA })
  agenda(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.panels.agenda(user, id);
  }

  @Post('panels/:id/decisions')
  @Access('grants_officer', 'panel_member')
  @IDEMPOTENCY_HEADER
  @ApiOperation({
    summary: 'Record (or change) the decision on an agenda bid. An approval commits the money: 409 POT.BUDGET_EXCEEDED (with availablePence) when the pot cannot take it, and nothing changes',
  })
  @ApiCreatedResponse({ schema: DECISION_SCHEMA })
  async decide(
    @CurrentActor() actor: Actor,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Body() body: DecisionDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.decisions.decide(actor, user, id, body, key));
  }

  @Get('panels/:id/decisions')
  @StaffRead('grants_officer', 'panel_member')
  @ApiOperation({ summary: 'The meeting’s current decisions' })
  @ApiOkResponse({ schema: DECISION_LIST_SCHEMA })
  listDecisions(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.decisions.list(user, id);
  }

  @Get('panels/:id/decisions/:decisionId')
  @StaffRead('grants_officer', 'panel_member')
  @ApiOperation({ summary: 'One decision' })
  @ApiOkResponse({ schema: DECISION_SCHEMA })
  getDecision(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('decisionId') decisionId: string) {
    return this.decisions.get(user, id, decisionId);
  }

  @Put('panels/:id/decisions/:decisionId')
  @Access('grants_officer', 'panel_member')
  @IDEMPOTENCY_HEADER
  @ApiOperation({ summary: 'Change a decision until the meeting is confirmed (the money it committed is released, the new amount committed)' })
  @ApiOkResponse({ schema: DECISION_SCHEMA })
  async changeDecision(
    @CurrentActor() actor: Actor,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Param('decisionId') decisionId: string,
    @Body() body: DecisionChangeDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.decisions.change(actor, user, id, decisionId, body, key));
  }

  @Post('panels/:id/confirm')
  @Access('grants_officer', 'panel_member')
  @IDEMPOTENCY_HEADER
  @ApiOperation({ summary: 'Confirm the meeting (grants officer or chair): decisions final, bids moved, offers and rejection emails sent, minutes recorded. 422 PANEL.DECISIONS_MISSING lists bids without one' })
  @ApiOkResponse({ schema: CONFIRM_SCHEMA })
  async confirm(
    @CurrentActor() actor: Actor,
    @CurrentUser() user: AuthenticatedUser,
    @Param('id') id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.decisions.confirm(actor, user, id, key));
  }

  @Get('panels/:id/minutes')
  @StaffRead('grants_officer', 'panel_member')
  @ApiOperation({ summary: 'The minutes: attendees, who took no part in which decision (conflicts), each decision with its amount (a draft until confirmed)' })
  @ApiOkResponse({ schema: MINUTES_SCHEMA })
  minutes(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.panels.minutes(user, id);
  }

  @Get('funds/:id/standard-conditions')
  @StaffRead('grants_officer', 'panel_member')
  @ApiOperation({ summary: 'The fund’s standard conditions of an approval' })
  @ApiOkResponse({ schema: STANDARD_CONDITIONS_SCHEMA })
  standardConditions(@Param('id') id: string) {
    return this.conditions.ofFund(id);
  }

  @Put('funds/:id/standard-conditions')
  @Access('grants_officer')
  @ApiOperation({ summary: 'Set the fund’s standard conditions' })
  @ApiOkResponse({ schema: STANDARD_CONDITIONS_SCHEMA })
  putStandardConditions(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: StandardConditionsDto) {
    return this.conditions.put(actor, id, body.conditions);
  }
}
