import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import {
  CreateApplicationDto,
  CreateBudgetLineDto,
  DeleteBudgetLineQuery,
  EligibilityCheckDto,
  EligibilityResultDto,
  ListApplicationsQuery,
  ProjectAnswersDto,
  SaveSectionDto,
  SubmitApplicationDto,
  UpdateBudgetLineDto,
  UpdateProjectDto,
  WithdrawApplicationDto,
} from './applications.dto.js';
import {
  ApplicationPageResponse,
  ApplicationResponse,
  BudgetLineListResponse,
  BudgetLineResponse,
  BudgetLineRemovedResponse,
  BudgetLineSavedResponse,
  SectionSavedResponse,
  TransitionListResponse,
} from './applications-responses.dto.js';
import { ApplicationsExportService } from './applications-export.service.js';
import { ApplicationsService, PROJECT_SECTION } from './applications.service.js';
import { validateDto } from '../web/page-form.js';
import { BudgetLinesService } from './budget-lines.service.js';
import { EligibilityService } from './eligibility.service.js';

@ApiTags('applications')
@ApiBearerAuth()
@Controller('api/v1/applications')
export class ApplicationsController {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly budget: BudgetLinesService,
  ) {}

  @Get()
  @Access('user')
  @ApiOkResponse({ type: ApplicationPageResponse })
  @ApiOperation({ summary: "Applications: your organisations' (applicants) or all submitted (grants officers, auditors); filterable, paginated" })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListApplicationsQuery) {
    return this.applications.list(user, query);
  }

  @Post()
  @Access('user')
  @ApiCreatedResponse({ type: ApplicationResponse })
  @ApiOperation({ summary: 'Start a draft application for one of your organisations in a pot of an open round' })
  create(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: CreateApplicationDto) {
    return this.applications.create(user, actor, body);
  }

  @Get(':id')
  @Access('user')
  @ApiOkResponse({ type: ApplicationResponse })
  @ApiOperation({ summary: 'An application with its sections, budget lines, districts, priorities, status and reference' })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.applications.get(user, id);
  }

  @Patch(':id')
  @Access('user')
  @ApiOkResponse({ type: ApplicationResponse })
  @ApiOperation({ summary: 'Change the project details (send the version you loaded)' })
  updateProject(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: UpdateProjectDto) {
    return this.applications.updateProject(user, actor, id, body);
  }

  @Put(':id/sections/:key')
  @Access('user')
  @ApiOkResponse({ type: SectionSavedResponse })
  @ApiOperation({
    summary:
      'Save any section, one shape for all: a form section\'s answers, the built-in "_project" section (answers: projectTitle, projectSummary, projectStartDate, projectEndDate, districtIds, priorityIds; they replace the section) or "_budget" (no answers: completes the budget). Send the section version you loaded; the answer carries the new version and applicationVersion. 409 APPLICATION.EDIT_CONFLICT with `current` if someone saved it first',
  })
  async saveSection(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('key') key: string,
    @Body() body: SaveSectionDto,
  ) {
    const answers = key === PROJECT_SECTION ? { ...(await validateDto(ProjectAnswersDto, body.answers, 'answers')) } : body.answers;
    return this.applications.saveSection(user, actor, id, key, { ...body, answers });
  }

  @Get(':id/budget-lines')
  @Access('user')
  @ApiOkResponse({ type: BudgetLineListResponse })
  @ApiOperation({ summary: 'Budget lines and their total (integer pence)' })
  listLines(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.budget.list(user, id);
  }

  @Post(':id/budget-lines')
  @Access('user')
  @ApiCreatedResponse({ type: BudgetLineSavedResponse })
  @ApiOperation({ summary: "Add a budget line; the answer carries the budget section's new version (`section`)" })
  addLine(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CreateBudgetLineDto) {
    return this.budget.add(user, actor, id, body);
  }

  @Get(':id/budget-lines/:lineId')
  @Access('user')
  @ApiOkResponse({ type: BudgetLineResponse })
  @ApiOperation({ summary: 'One budget line' })
  getLine(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('lineId') lineId: string) {
    return this.budget.get(user, id, lineId);
  }

  @Patch(':id/budget-lines/:lineId')
  @Access('user')
  @ApiOkResponse({ type: BudgetLineSavedResponse })
  @ApiOperation({ summary: "Change a budget line (send the version you loaded); the answer carries the budget section's new version" })
  updateLine(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('lineId') lineId: string,
    @Body() body: UpdateBudgetLineDto,
  ) {
    return this.budget.update(user, actor, id, lineId, body);
  }

  @Delete(':id/budget-lines/:lineId')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ type: BudgetLineRemovedResponse, description: 'Removed; the budget section\'s new version, as adding and changing a line answer it' })
  @ApiOperation({ summary: "Remove a budget line (?version= the version you loaded); the answer carries the budget section's new version" })
  async removeLine(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('lineId') lineId: string,
    @Query() query: DeleteBudgetLineQuery,
  ): Promise<BudgetLineRemovedResponse> {
    return { section: await this.budget.remove(user, actor, id, lineId, query.version) };
  }

  @Post(':id/submit')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationResponse })
  @ApiOperation({ summary: 'Submit before the deadline with a declaration; issues the reference and sends the confirmation email' })
  submit(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: SubmitApplicationDto) {
    return this.applications.submit(user, actor, id, body.declaration);
  }

  @Post(':id/withdraw')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationResponse })
  @ApiOperation({ summary: 'Withdraw before a decision, with a reason' })
  withdraw(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: WithdrawApplicationDto) {
    return this.applications.withdraw(user, actor, id, body.reason);
  }

  @Post(':id/resubmit')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ type: ApplicationResponse })
  @ApiOperation({ summary: 'Send the bid back to screening after changing what the grants officer asked about (more information requested)' })
  resubmit(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.applications.resubmit(user, actor, id);
  }

  @Get(':id/history')
  @Access('user')
  @ApiOkResponse({ type: TransitionListResponse })
  @ApiOperation({ summary: 'Every change of status: who, when, from, to, why' })
  async history(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return { items: await this.applications.history(user, id) };
  }
}

@ApiTags('rounds')
@ApiBearerAuth()
@Controller('api/v1/rounds')
export class RoundApplicationsController {
  constructor(
    private readonly eligibility: EligibilityService,
    private readonly exports: ApplicationsExportService,
  ) {}

  @Post(':id/eligibility-check')
  @Access('public')
  @HttpCode(200)
  @ApiOperation({ summary: "Check answers to a round's eligibility questions; creates nothing" })
  @ApiOkResponse({ type: EligibilityResultDto })
  check(@Param('id') id: string, @Body() body: EligibilityCheckDto) {
    return this.eligibility.check(id, body.answers);
  }

  @Get(':id/applications.csv')
  @StaffRead('grants_officer')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiOperation({ summary: "CSV export of the round's bids (submitted onwards)" })
  async exportCsv(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Res() reply: FastifyReply) {
    const { fileName, csv } = await this.exports.roundCsv(user, actor, id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(csv);
  }
}
