import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { AuditPageResponse } from '../audit/audit.dto.js';
import { AuditService } from '../audit/audit.service.js';
import { PageQuery, pageOf } from '../common/pagination.js';
import { CreatePotDto, ListRoundsQuery, PutEligibilityQuestionsDto, PutFormDto, ReasonDto, TransitionRoundDto, UpdatePotDto, UpdateRoundDto } from './funds.dto.js';
import { EligibilityQuestionListResponse, FormResponse, FormVersionListResponse, FormVersionResponse, PotLedgerResponse, PotListResponse, PotResponse, RoundPageResponse, RoundResponse } from './funds-responses.dto.js';
import { PotLedger } from './pot-ledger.service.js';
import { RoundLifecycleService } from './round-lifecycle.service.js';
import { PotSetupService } from './pot-setup.service.js';
import { RoundReader } from './round-reader.service.js';
import { RoundSetupService } from './round-setup.service.js';
import { RoundsService } from './rounds.service.js';
import { viewerOf } from './viewer.js';

@ApiTags('funds and rounds')
@ApiBearerAuth()
@Controller('api/v1')
export class RoundsController {
  constructor(
    private readonly setup: RoundSetupService,
    private readonly reader: RoundReader,
    private readonly potSetup: PotSetupService,
    private readonly lifecycle: RoundLifecycleService,
    private readonly rounds: RoundsService,
    private readonly audit: AuditService,
    private readonly ledger: PotLedger,
  ) {}

  @Get('rounds')
  @Access('public')
  @ApiOkResponse({ type: RoundPageResponse })
  @ApiOperation({ summary: 'Rounds with their pots: open and scheduled ones by default, or ?status= (drafts for staff only)' })
  async list(@CurrentUser() user: AuthenticatedUser | null, @Query() q: ListRoundsQuery) {
    const { items, total } = await this.reader.listRounds(q, viewerOf(user));
    return pageOf(items, total, q);
  }

  @Get('rounds/:id')
  @Access('public')
  @ApiOkResponse({ type: RoundResponse })
  @ApiOperation({ summary: 'A round with its pots (a draft only for staff)' })
  get(@CurrentUser() user: AuthenticatedUser | null, @Param('id') id: string) {
    return this.reader.getRoundView(id, viewerOf(user));
  }

  @Patch('rounds/:id')
  @Access('grants_officer')
  @ApiOkResponse({ type: RoundResponse })
  @ApiOperation({ summary: 'Change a round: anything while a draft; once scheduled or open only the texts and a later closing date' })
  @ApiBody({ type: UpdateRoundDto })
  // Checked against UpdateRoundDto in the service, with the round's rules, so every error comes at once.
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.setup.updateRound(actor, id, body);
  }

  @Post('rounds/:id/open')
  @HttpCode(200)
  @Access('grants_officer')
  @ApiOkResponse({ type: RoundResponse })
  @ApiOperation({ summary: 'Open a round now (needs a pot and a form, and a closing date in the future)' })
  async open(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ReasonDto) {
    const round = await this.lifecycle.transition(actor, id, 'open', 'grants_officer', { reason: body?.reason });
    return this.reader.view(round);
  }

  @Post('rounds/:id/close')
  @HttpCode(200)
  @Access('grants_officer')
  @ApiOkResponse({ type: RoundResponse })
  @ApiOperation({ summary: 'Close an open round now' })
  async close(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ReasonDto) {
    const round = await this.lifecycle.transition(actor, id, 'closed', 'grants_officer', { reason: body?.reason });
    return this.reader.view(round);
  }

  @Post('rounds/:id/transitions')
  @HttpCode(200)
  @Access('grants_officer')
  @ApiOkResponse({ type: RoundResponse })
  @ApiOperation({ summary: 'Move a round to another status, as the lifecycle allows (e.g. scheduled, assessing, decided, archived)' })
  async transition(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: TransitionRoundDto) {
    const round = await this.lifecycle.transition(actor, id, body.to, 'grants_officer', { reason: body.reason });
    return this.reader.view(round);
  }

  @Get('rounds/:id/history')
  @StaffRead('grants_officer')
  @ApiOkResponse({ type: AuditPageResponse })
  @ApiOperation({ summary: "The round's audit trail: set-up changes and every status change (who, when, from, to, why)" })
  async history(@Param('id') id: string, @Query() q: PageQuery) {
    const round = await this.rounds.getRound(id);
    const { items, total } = await this.audit.list({ entityType: 'round', entityId: round.id, page: q.page, pageSize: q.pageSize });
    return pageOf(items, total, q);
  }

  // ---- pots ----

  @Get('rounds/:id/pots')
  @Access('public')
  @ApiOkResponse({ type: PotListResponse })
  @ApiOperation({ summary: "A round's pots" })
  async pots(@CurrentUser() user: AuthenticatedUser | null, @Param('id') id: string) {
    const round = await this.reader.visibleRound(id, viewerOf(user));
    const items = await this.reader.potViews(round.id);
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  @Post('rounds/:id/pots')
  @Access('grants_officer')
  @ApiCreatedResponse({ type: PotResponse })
  @ApiOperation({ summary: 'Add a pot to a draft round (min <= max <= budget; budgets within the round total)' })
  @ApiBody({ type: CreatePotDto })
  // Checked against CreatePotDto in the service, with the pot's rules, so every error comes at once.
  createPot(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.potSetup.createPot(actor, id, body);
  }

  @Get('pots/:id')
  @Access('public')
  @ApiOkResponse({ type: PotResponse })
  @ApiOperation({ summary: 'One pot' })
  pot(@CurrentUser() user: AuthenticatedUser | null, @Param('id') id: string) {
    return this.reader.getPotView(id, viewerOf(user));
  }

  @Get('pots/:id/ledger')
  @StaffRead('grants_officer', 'finance_officer')
  @ApiOkResponse({ type: PotLedgerResponse })
  @ApiOperation({ summary: "The pot's money (budget, committed, paid, available) and its ledger entries, newest first; paginated" })
  ledgerOf(@Param('id') id: string, @Query() query: PageQuery) {
    return this.ledger.statement(id, query);
  }

  @Patch('pots/:id')
  @Access('grants_officer')
  @ApiOkResponse({ type: PotResponse })
  @ApiOperation({ summary: 'Change a pot while its round is a draft' })
  @ApiBody({ type: UpdatePotDto })
  // Checked against UpdatePotDto in the service, with the pot's rules, so every error comes at once.
  updatePot(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.potSetup.updatePot(actor, id, body);
  }

  @Delete('pots/:id')
  @HttpCode(204)
  @Access('grants_officer')
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiOperation({ summary: 'Remove a pot while its round is a draft' })
  async deletePot(@CurrentActor() actor: Actor, @Param('id') id: string) {
    await this.potSetup.deletePot(actor, id);
  }

  // ---- eligibility and form ----

  @Get('rounds/:id/eligibility-questions')
  @Access('public')
  @ApiOkResponse({ type: EligibilityQuestionListResponse })
  @ApiOperation({ summary: "A round's yes/no eligibility questions, in order" })
  async eligibility(@CurrentUser() user: AuthenticatedUser | null, @Param('id') id: string) {
    const items = await this.reader.eligibilityQuestions(id, viewerOf(user));
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  @Put('rounds/:id/eligibility-questions')
  @Access('grants_officer')
  @ApiOkResponse({ type: EligibilityQuestionListResponse })
  @ApiOperation({ summary: 'Replace the eligibility questions of a draft round' })
  async putEligibility(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: PutEligibilityQuestionsDto) {
    const items = await this.setup.replaceEligibilityQuestions(actor, id, body.questions);
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  @Get('rounds/:id/form')
  @Access('public')
  @ApiOkResponse({ type: FormResponse })
  @ApiOperation({ summary: "The round's current application form (sections and questions)" })
  form(@CurrentUser() user: AuthenticatedUser | null, @Param('id') id: string) {
    return this.reader.currentForm(id, viewerOf(user));
  }

  @Put('rounds/:id/form')
  @Access('grants_officer')
  @ApiOkResponse({ type: FormResponse })
  @ApiOperation({ summary: 'Save the form: replaces it while the round is a draft; once open, makes a new version (applications keep theirs)' })
  putForm(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: PutFormDto) {
    return this.setup.saveForm(actor, id, body);
  }

  @Get('rounds/:id/forms')
  @StaffRead('grants_officer')
  @ApiOkResponse({ type: FormVersionListResponse })
  @ApiOperation({ summary: 'Every version of the form, newest first' })
  async forms(@Param('id') id: string) {
    const items = await this.reader.formVersions(id);
    return { items, total: items.length, page: 1, pageSize: items.length };
  }

  @Get('rounds/:id/forms/:version')
  @StaffRead('grants_officer')
  @ApiOkResponse({ type: FormVersionResponse })
  @ApiOperation({ summary: 'One version of the form' })
  formVersion(@Param('id') id: string, @Param('version') version: string) {
    return this.reader.formVersion(id, /^\d{1,6}$/.test(version) ? Number(version) : NaN);
  }
}
