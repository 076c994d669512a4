import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import type { StoredResponse } from '../idempotency/idempotency.service.js';
import { AwardClosureService } from './award-closure.service.js';
import { MonitoringReader, type ReturnView } from './monitoring-reader.js';
import {
  CloseAwardDto,
  CloseResponse,
  EvidenceResponse,
  PutReturnScheduleDto,
  ReturnListResponse,
  ReturnPageResponse,
  ReturnQueueQueryDto,
  ReturnResponse,
  ReturnScheduleResponse,
  ReviewResponse,
  ReviewReturnDto,
  SaveReturnDto,
  UploadEvidenceBody,
} from './monitoring.dto.js';
import { ReturnEvidenceService } from './return-evidence.service.js';
import { ReturnSchedulesService } from './return-schedules.service.js';
import { ReturnsService } from './returns.service.js';

const IDEMPOTENCY_HEADER = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'Optional, scoped to you: the same key with the same body replays the first response (with `Idempotent-Replayed: true`); with another body it is 422 IDEMPOTENCY.KEY_REUSED.',
});

const answer = <T>(reply: FastifyReply, stored: StoredResponse<T>): T => {
  reply.status(stored.status);
  if (stored.replayed) reply.header('idempotent-replayed', 'true');
  return stored.body;
};

/** The API's shape of a return (API.md's `period` is the period's label). */
export const returnResponse = (r: ReturnView) => {
  const { periodLabel, ...rest } = r;
  return { ...rest, period: periodLabel };
};

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('api/v1')
export class MonitoringController {
  constructor(
    private readonly schedules: ReturnSchedulesService,
    private readonly reader: MonitoringReader,
    private readonly returns: ReturnsService,
    private readonly closure: AwardClosureService,
    private readonly evidence: ReturnEvidenceService,
  ) {}

  @Get('rounds/:id/return-schedule')
  @StaffRead('grants_officer', 'finance_officer')
  @ApiOkResponse({ type: ReturnScheduleResponse })
  @ApiOperation({ summary: 'The monitoring returns the round’s awards owe (the default, 6 and 12 months with the last final, until one is set)' })
  getSchedule(@Param('id') id: string) {
    return this.schedules.get(id);
  }

  @Put('rounds/:id/return-schedule')
  @Access('grants_officer')
  @ApiOkResponse({ type: ReturnScheduleResponse })
  @ApiOperation({ summary: 'Set the round’s return schedule: months after the start, increasing, exactly one final (the last). Awards accepted from now on owe it' })
  putSchedule(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: PutReturnScheduleDto) {
    return this.schedules.put(actor, id, body.returns);
  }

  @Get('awards/:id/returns')
  @Access('user')
  @ApiOkResponse({ type: ReturnListResponse })
  @ApiOperation({ summary: 'The award’s monitoring returns, by number (its organisation’s members and staff who read awards)' })
  async listForAward(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    const { returns } = await this.reader.forAward(user, id);
    return { items: returns.map(returnResponse), total: returns.length };
  }

  @Post('awards/:id/returns')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ type: ReturnResponse })
  @ApiOperation({
    summary:
      'Save a return as a draft (a member or owner of the organisation): spend per approved budget line in pence (422 MONITORING.UNKNOWN_BUDGET_LINE otherwise), outputs, narrative, outcomes, case study. Name the return by returnId or period; then POST /returns/{id}/submit',
  })
  async save(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SaveReturnDto) {
    const returnId = await this.returns.save(user, actor, id, body);
    return returnResponse((await this.reader.get(user, returnId)).ret);
  }

  @Get('returns')
  @StaffRead('grants_officer', 'finance_officer')
  @ApiOkResponse({ type: ReturnPageResponse })
  @ApiOperation({ summary: 'Returns across rounds in a status (submitted by default: the review queue), oldest first; filter by roundId' })
  async queue(@CurrentUser() user: AuthenticatedUser, @Query() query: ReturnQueueQueryDto) {
    const page = await this.reader.queue(user, query);
    return { ...page, items: page.items.map(returnResponse) };
  }

  @Get('returns/:id')
  @Access('user')
  @ApiOkResponse({ type: ReturnResponse })
  @ApiOperation({ summary: 'One return with its spend table (approved, spent to date, variance, totals) and, if final, the underspend' })
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return returnResponse((await this.reader.get(user, id)).ret);
  }

  @Post('returns/:id/submit')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ type: ReturnResponse })
  @ApiOperation({ summary: 'Send the return to the grants officers (a member or owner). 409 MONITORING.NOT_SUBMITTABLE before it is saved; 422 MONITORING.INCOMPLETE without narrative and outcomes' })
  async submit(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string) {
    await this.returns.submit(user, actor, id);
    return returnResponse((await this.reader.get(user, id)).ret);
  }

  @Post('returns/:id/review')
  @Access('grants_officer')
  @IDEMPOTENCY_HEADER
  @ApiOkResponse({ type: ReviewResponse })
  @ApiOperation({ summary: 'Accept a submitted return, or ask for changes with a note (422 MONITORING.NOTE_REQUIRED without one); the owners are told' })
  async review(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: ReviewReturnDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.returns.review(user, actor, id, { outcome: body.outcome, note: body.note ?? null }, key));
  }

  @Post('awards/:id/close')
  @Access('grants_officer')
  @IDEMPOTENCY_HEADER
  @ApiOkResponse({ type: CloseResponse })
  @ApiOperation({
    summary:
      'Close the award: 409 MONITORING.FINAL_RETURN_NOT_ACCEPTED until its final return is accepted, 409 MONITORING.MONEY_DOES_NOT_RECONCILE (with the figures) when the ledger and the award disagree; the unpaid rest goes back to the pot',
  })
  async close(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: CloseAwardDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return answer(reply, await this.closure.close(user, actor, id, body.note?.trim() || null, key));
  }

  @Post('returns/:id/evidence')
  @Access('user')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadEvidenceBody })
  @ApiCreatedResponse({ type: EvidenceResponse })
  @ApiOperation({
    summary:
      'Upload an evidence file with the return (a member or owner, while it is editable): multipart/form-data with `file`. 413 ATTACHMENT.TOO_LARGE, 415 ATTACHMENT.TYPE_NOT_ALLOWED, 422 ATTACHMENT.FILE_REQUIRED / EMPTY / EVIDENCE.TOO_MANY, 409 MONITORING.RETURN_NOT_EDITABLE',
  })
  async uploadEvidence(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Req() request: FastifyRequest) {
    const f = await this.evidence.upload(user, actor, id, request);
    return { id: f.id, fileName: f.fileName, contentType: f.contentType, sizeBytes: f.sizeBytes, uploadedAt: f.uploadedAt };
  }

  @Get('returns/:id/evidence/:fileId')
  @Access('user')
  @ApiProduces('application/pdf', 'image/jpeg', 'image/png')
  @ApiOkResponse({ description: 'The file, as an attachment with its detected content type', schema: { type: 'string', format: 'binary' } })
  @ApiOperation({ summary: 'Download an evidence file of the return (whoever may read the return)' })
  async downloadEvidence(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('fileId') fileId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.evidence.send(user, reply, id, fileId);
  }

  @Delete('returns/:id/evidence/:fileId')
  @Access('user')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiOperation({ summary: 'Remove an evidence file (a member or owner, while the return is editable)' })
  async removeEvidence(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Param('fileId') fileId: string): Promise<void> {
    await this.evidence.remove(user, actor, id, fileId);
  }
}
