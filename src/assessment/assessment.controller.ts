import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { PageQuery } from '../common/pagination.js';
import {
  ASSESSMENT_SCHEMA,
  ASSIGNMENT_SCHEMA,
  CONFLICT_LIST_SCHEMA,
  CONFLICT_SCHEMA,
  CRITERIA_SCHEMA,
  FLAGGED_SCHEMA,
  MODERATION_SCHEMA,
  MY_ASSESSMENTS_SCHEMA,
  POOL_SCHEMA,
  QUEUE_ITEM_SCHEMA,
  RANKING_SCHEMA,
  UNASSIGNED_SCHEMA,
} from './assessment-responses.js';
import { AssessmentSetupService } from './assessment-setup.service.js';
import { AssignDto, DeclareConflictDto, ModerationDto, PutCriteriaDto, PutPoolDto, RankingQuery, RescheduleDto, SaveAssessmentDto } from './assessment.dto.js';
import { AssignmentService } from './assignment.service.js';
import { ConflictsService } from './conflicts.service.js';
import { RankingService } from './ranking.service.js';
import { ScoringService } from './scoring.service.js';

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"` : s;
};

@ApiTags('assessment')
@ApiBearerAuth()
@Controller('api/v1')
export class AssessmentController {
  constructor(
    private readonly setup: AssessmentSetupService,
    private readonly assignment: AssignmentService,
    private readonly conflicts: ConflictsService,
    private readonly scoring: ScoringService,
    private readonly rankings: RankingService,
  ) {}

  @Get('rounds/:id/criteria')
  @StaffRead('grants_officer')
  @ApiOperation({ summary: "The round's scoring criteria, assessors per bid and moderation threshold" })
  @ApiOkResponse({ schema: CRITERIA_SCHEMA })
  criteria(@Param('id') id: string) {
    return this.setup.getCriteria(id);
  }

  @Put('rounds/:id/criteria')
  @Access('grants_officer')
  @ApiOperation({ summary: 'Set the criteria (frozen once the first assessment of the round is submitted: 409 ASSESSMENT.CRITERIA_FROZEN)' })
  @ApiOkResponse({ schema: CRITERIA_SCHEMA })
  putCriteria(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: PutCriteriaDto) {
    return this.setup.putCriteria(actor, id, body);
  }

  @Get('rounds/:id/assessors')
  @StaffRead('grants_officer')
  @ApiOperation({ summary: "The round's assessor pool" })
  @ApiOkResponse({ schema: POOL_SCHEMA })
  pool(@Param('id') id: string) {
    return this.setup.getPool(id);
  }

  @Put('rounds/:id/assessors')
  @Access('grants_officer')
  @ApiOperation({ summary: "Set the round's assessor pool (each must hold the assessor role)" })
  @ApiOkResponse({ schema: POOL_SCHEMA })
  putPool(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: PutPoolDto) {
    return this.setup.putPool(actor, id, body);
  }

  @Post('conflicts')
  @Access('assessor', 'panel_member')
  @ApiCreatedResponse({ schema: CONFLICT_SCHEMA })
  @ApiOperation({ summary: 'Declare a conflict of interest with an organisation (takes you off its bids)' })
  declare(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Body() body: DeclareConflictDto) {
    return this.conflicts.declare(actor, user, body);
  }

  @Get('conflicts')
  @StaffRead('assessor', 'panel_member', 'grants_officer')
  @ApiOperation({ summary: 'Your declarations (grants officers and the auditor: everyone’s)' })
  @ApiOkResponse({ schema: CONFLICT_LIST_SCHEMA })
  listConflicts(@CurrentUser() user: AuthenticatedUser) {
    return this.conflicts.list(user);
  }

  @Get('me/assessments')
  @Access('assessor')
  @ApiOperation({ summary: 'Your assessments, by due date' })
  @ApiOkResponse({ schema: MY_ASSESSMENTS_SCHEMA })
  mine(@CurrentUser() user: AuthenticatedUser, @Query() q: PageQuery) {
    return this.scoring.mine(user, q);
  }

  @Get('assessments/:id')
  @StaffRead('assessor', 'grants_officer')
  @ApiOperation({ summary: 'An assessment (its assessor; grants officers and the auditor read any)' })
  @ApiOkResponse({ schema: ASSESSMENT_SCHEMA })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.scoring.get(user, id);
  }

  @Post('assessments/:id/no-conflict')
  @HttpCode(200)
  @Access('assessor')
  @ApiOperation({ summary: 'Confirm you have no conflict of interest with the bid’s organisation (needed before opening it)' })
  @ApiOkResponse({ schema: ASSESSMENT_SCHEMA })
  confirm(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.scoring.confirmNoConflict(actor, user, id);
  }

  @Put('assessments/:id')
  @Access('assessor')
  @ApiOperation({ summary: 'Save the draft scores, comments and recommendation' })
  @ApiOkResponse({ schema: ASSESSMENT_SCHEMA })
  save(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: SaveAssessmentDto) {
    return this.scoring.save(actor, user, id, body);
  }

  @Post('assessments/:id/submit')
  @HttpCode(200)
  @Access('assessor')
  @ApiOperation({ summary: 'Submit (lock) the assessment; incomplete: 422 ASSESSMENT.INCOMPLETE' })
  @ApiOkResponse({ schema: ASSESSMENT_SCHEMA })
  submit(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.scoring.submit(actor, user, id);
  }

  @Put('assessments/:id/due-date')
  @Access('grants_officer')
  @ApiOperation({ summary: 'Move an open assessment’s due date (reminders follow the new date; submitted: 409 ASSESSMENT.NOT_OPEN)' })
  @ApiOkResponse({ schema: QUEUE_ITEM_SCHEMA })
  reschedule(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RescheduleDto) {
    return this.assignment.reschedule(actor, id, body.dueOn);
  }

  @Get('unassigned-applications')
  @StaffRead('grants_officer')
  @ApiOperation({ summary: 'Bids waiting for assessors (the pool could not supply enough)' })
  @ApiOkResponse({ schema: UNASSIGNED_SCHEMA })
  unassigned() {
    return this.assignment.unassigned();
  }

  @Get('flagged-applications')
  @StaffRead('grants_officer')
  @ApiOperation({ summary: 'Bids flagged for moderation' })
  @ApiOkResponse({ schema: FLAGGED_SCHEMA })
  flagged() {
    return this.scoring.flagged();
  }

  @Post('applications/:id/assignments')
  @Access('grants_officer')
  @ApiCreatedResponse({ schema: ASSIGNMENT_SCHEMA })
  @ApiOperation({ summary: 'Assign an assessor by hand (not conflicted, not already on the bid)' })
  assign(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: AssignDto) {
    return this.assignment.assign(actor, id, body.userId);
  }

  @Delete('applications/:id/assignments/:userId')
  @HttpCode(204)
  @Access('grants_officer')
  @ApiNoContentResponse({ description: 'Removed; the place is filled from the pool' })
  @ApiOperation({ summary: 'Take an assessor off a bid' })
  async unassign(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('userId') userId: string) {
    await this.assignment.unassign(actor, id, userId);
  }

  @Post('applications/:id/moderation')
  @HttpCode(200)
  @Access('grants_officer')
  @ApiOperation({ summary: 'Record the moderated score of a flagged bid; it moves to assessed (unflagged: 409 ASSESSMENT.NOT_FLAGGED)' })
  @ApiOkResponse({ schema: MODERATION_SCHEMA })
  moderate(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ModerationDto) {
    return this.scoring.moderate(actor, id, body);
  }

  @Get('rounds/:id/ranking')
  @StaffRead('grants_officer')
  @ApiOkResponse({ schema: RANKING_SCHEMA })
  @ApiOperation({ summary: 'Assessed bids ranked by final score (ties: lower amount, then earlier submission)' })
  ranking(@Param('id') id: string, @Query() q: RankingQuery) {
    return this.rankings.ranking(id, q.potId);
  }

  @Get('rounds/:id/ranking.csv')
  @StaffRead('grants_officer')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiOperation({ summary: 'The ranking as CSV' })
  async rankingCsv(@Param('id') id: string, @Query() q: RankingQuery, @Res() reply: FastifyReply) {
    const r = await this.rankings.ranking(id, q.potId);
    const header = ['rank', 'reference', 'score_percent', 'amount_requested_pence', 'running_total_pence', 'within_budget'];
    const lines = r.items.map((i) => [i.rank, i.reference, i.scorePercent, i.amountRequestedPence, i.runningTotalPence, i.withinBudget ? 'yes' : 'no'].map(csvCell).join(','));
    const csv = [header.join(','), ...lines].join('\r\n') + '\r\n';
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="ranking-${id}.csv"`).header('cache-control', 'no-store').send(csv);
  }
}
