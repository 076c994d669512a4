import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { PageQuery } from '../common/pagination.js';
import { ScreeningChecklistsService } from './screening-checklists.service.js';
import { RegisterCheckDto, ReplaceChecklistDto, ScreenApplicationDto } from './screening.dto.js';
import { ChecklistResponse, QueuePageResponse, RegisterCheckResponse, ScreeningRecordResponse, ScreeningResponse } from './screening-responses.dto.js';
import { ScreeningService, type ScreeningRecord } from './screening.service.js';

/** The API's shape of a bid's screening record (the bid itself is GET /applications/{id}). */
export const recordResponse = (r: ScreeningRecord) => ({
  applicationId: r.application.id,
  reference: r.application.reference,
  status: r.application.status,
  registration: r.registration,
  checklist: r.checklist,
  screenings: r.screenings,
  registerChecks: r.registerChecks,
});

@ApiTags('screening')
@ApiBearerAuth()
@Controller('api/v1')
export class ScreeningController {
  constructor(
    private readonly screening: ScreeningService,
    private readonly checklists: ScreeningChecklistsService,
  ) {}

  @Get('screening/queue')
  @StaffRead('grants_officer')
  @ApiOkResponse({ type: QueuePageResponse })
  @ApiOperation({ summary: 'Bids waiting for screening: resubmitted first (by resubmission), then the oldest submitted; paginated' })
  async queue(@CurrentUser() user: AuthenticatedUser, @Query() query: PageQuery) {
    const page = await this.screening.queue(user, query);
    return {
      ...page,
      items: page.items.map((a) => ({
        id: a.id,
        reference: a.reference,
        status: a.status,
        statusLabel: a.statusLabel,
        projectTitle: a.projectTitle,
        amountRequestedPence: a.amountRequestedPence,
        round: { id: a.round.id, code: a.round.code, title: a.round.title },
        organisation: a.organisation,
        submittedAt: a.submittedAt,
        resubmittedAt: a.resubmittedAt,
        resubmitted: a.resubmitted,
      })),
    };
  }

  @Get('rounds/:id/screening-checklist')
  @StaffRead('grants_officer')
  @ApiOkResponse({ type: ChecklistResponse })
  @ApiOperation({ summary: "The round's screening checklist (the defaults until a grants officer changes it)" })
  checklist(@Param('id') id: string) {
    return this.checklists.get(id);
  }

  @Put('rounds/:id/screening-checklist')
  @Access('grants_officer')
  @ApiOkResponse({ type: ChecklistResponse })
  @ApiOperation({ summary: "Replace the round's screening checklist: `{ items: [{ key, label }] }` in order (once screening of a bid in the round has started: 409 SCREENING.CHECKLIST_FROZEN)" })
  replaceChecklist(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ReplaceChecklistDto) {
    return this.checklists.replace(actor, id, body.items);
  }

  @Get('applications/:id/screening')
  @StaffRead('grants_officer')
  @ApiOkResponse({ type: ScreeningRecordResponse })
  @ApiOperation({ summary: "A bid's screening record: the organisation's registration, the round's checklist, every screening and register check" })
  async record(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return recordResponse(await this.screening.record(user, id));
  }

  @Post('applications/:id/screening/start')
  @Access('grants_officer')
  @HttpCode(200)
  @ApiOkResponse({ type: ScreeningRecordResponse })
  @ApiOperation({ summary: 'Start screening a submitted bid (it moves to screening; who and when are in its history)' })
  async start(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string) {
    return recordResponse(await this.screening.start(user, actor, id));
  }

  @Post('applications/:id/screening')
  @Access('grants_officer')
  @ApiCreatedResponse({ type: ScreeningResponse })
  @ApiOperation({
    summary:
      'Record a screening: pass (to assessment), more_info (sections and/or attachmentKinds reopened, message, respondBy; emailed, reminded after the date) or ineligible (reason; emailed). 409 SCREENING.NOT_AWAITING_SCREENING if screened already',
  })
  screen(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ScreenApplicationDto) {
    return this.screening.screen(user, actor, id, body);
  }

  @Post('applications/:id/register-checks')
  @Access('grants_officer')
  @ApiCreatedResponse({ type: RegisterCheckResponse })
  @ApiOperation({ summary: 'Record what the public register showed for the organisation (number, name, status, when)' })
  registerCheck(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RegisterCheckDto) {
    return this.screening.recordRegisterCheck(user, actor, id, {
      registeredNumber: body.registeredNumber.trim(),
      nameShown: body.nameShown.trim(),
      registerStatus: body.status.trim(),
      checkedAt: new Date(body.checkedAt),
    });
  }
}
