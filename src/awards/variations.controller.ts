import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { IdempotencyKeyHeader, idempotentAnswer } from '../web/idempotent-answer.js';
import { VariationReader, type VariationView } from './variation-reader.js';
import { CreateVariationDto, VARIATION_LIST_SCHEMA, VARIATION_PAGE_SCHEMA, VARIATION_SCHEMA, VariationDecisionDto, VariationListQueryDto, WithdrawVariationDto } from './variations.dto.js';
import { VariationsService } from './variations.service.js';

/** The API's shape of a variation. */
export const variationResponse = (v: VariationView) => ({
  id: v.id,
  awardId: v.awardId,
  awardReference: v.awardReference,
  kind: v.kind,
  status: v.status,
  statusLabel: v.statusLabel,
  reason: v.reason,
  before: v.before,
  proposed: v.proposed,
  differencePence: v.differencePence,
  lines: v.lines,
  requestedBy: v.requestedBy,
  requestedAt: v.requestedAt,
  decidedBy: v.decidedBy,
  decidedAt: v.decidedAt,
  decisionNote: v.decisionNote,
  decidable: v.decidable,
  withdrawable: v.withdrawable,
});

@ApiTags('variations')
@ApiBearerAuth()
@Controller('api/v1')
export class VariationsController {
  constructor(
    private readonly variations: VariationsService,
    private readonly reader: VariationReader,
  ) {}

  @Post('awards/:id/variations')
  @Access('user')
  @ApiCreatedResponse({ schema: VARIATION_SCHEMA })
  @ApiOperation({
    summary:
      'Ask to vary an accepted, active or monitored award (an owner): budget (move money between the approved lines, same total), end_date (later) or amount (with lines adding up to it, never below paid + released). 409 VARIATION.ALREADY_OPEN, AWARD.NOT_VARIABLE',
  })
  async request(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CreateVariationDto) {
    const created = await this.variations.request(user, actor, id, body);
    return variationResponse((await this.reader.get(user, created.id)).variation);
  }

  @Get('awards/:id/variations')
  @Access('user')
  @ApiOkResponse({ schema: VARIATION_LIST_SCHEMA })
  @ApiOperation({ summary: 'The award’s variations, newest first (its organisation’s members and staff who read awards)' })
  async forAward(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return { items: (await this.reader.forAward(user, id)).items.map(variationResponse) };
  }

  @Get('variations')
  @StaffRead('grants_officer', 'finance_officer')
  @ApiOkResponse({ schema: VARIATION_PAGE_SCHEMA })
  @ApiOperation({ summary: 'Every award’s variations, oldest first; ?status=requested for those waiting for a decision' })
  async list(@CurrentUser() user: AuthenticatedUser, @Query() query: VariationListQueryDto) {
    const page = await this.reader.list(user, query);
    return { ...page, items: page.items.map(variationResponse) };
  }

  @Get('variations/:id')
  @Access('user')
  @ApiOkResponse({ schema: VARIATION_SCHEMA })
  @ApiOperation({ summary: 'One variation, with each budget line before and after' })
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return variationResponse((await this.reader.get(user, id)).variation);
  }

  @Post('variations/:id/decision')
  @Access('grants_officer')
  @HttpCode(200)
  @IdempotencyKeyHeader()
  @ApiOkResponse({ schema: VARIATION_SCHEMA })
  @ApiOperation({
    summary:
      'Approve or refuse a variation (a grants officer; refusing needs a note). Approving an increase commits the difference from the pot: 409 POT.BUDGET_EXCEEDED (with availablePence) and nothing changes when it does not fit; a decrease releases it',
  })
  async decide(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: VariationDecisionDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const stored = await this.variations.decide(user, actor, id, { outcome: body.outcome, note: body.note }, key);
    return variationResponse(idempotentAnswer(reply, stored));
  }

  @Post('variations/:id/withdraw')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ schema: VARIATION_SCHEMA })
  @ApiOperation({ summary: 'Withdraw a variation waiting for a decision (an owner)' })
  async withdraw(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: WithdrawVariationDto) {
    await this.variations.withdraw(user, actor, id, body.note?.trim() || null);
    return variationResponse((await this.reader.get(user, id)).variation);
  }
}
