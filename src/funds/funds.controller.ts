import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/request-context.js';
import { PageQuery, pageOf } from '../common/pagination.js';
import { fundView } from './round-views.js';
import { CreateFundDto, CreateRoundDto, ListRoundsQuery, UpdateFundDto } from './funds.dto.js';
import { FundPageResponse, FundResponse, RoundPageResponse, RoundResponse } from './funds-responses.dto.js';
import { FundsService } from './funds.service.js';
import { RoundReader } from './round-reader.service.js';
import { RoundSetupService } from './round-setup.service.js';

@ApiTags('funds and rounds')
@ApiBearerAuth()
@Controller('api/v1/funds')
export class FundsController {
  constructor(
    private readonly funds: FundsService,
    private readonly setup: RoundSetupService,
    private readonly reader: RoundReader,
  ) {}

  @Get()
  @StaffRead('grants_officer')
  @ApiOkResponse({ type: FundPageResponse })
  @ApiOperation({ summary: 'Funds (grant programmes)' })
  async list(@Query() q: PageQuery) {
    const { items, total } = await this.funds.list(q.page, q.pageSize);
    return pageOf(items, total, q);
  }

  @Post()
  @Access('grants_officer')
  @ApiCreatedResponse({ type: FundResponse })
  @ApiOperation({ summary: 'Set up a fund' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateFundDto) {
    return this.funds.create(actor, body);
  }

  @Get(':id')
  @StaffRead('grants_officer')
  @ApiOkResponse({ type: FundResponse })
  @ApiOperation({ summary: 'One fund' })
  async get(@Param('id') id: string) {
    return fundView(await this.funds.getFund(id));
  }

  @Patch(':id')
  @Access('grants_officer')
  @ApiOkResponse({ type: FundResponse })
  @ApiOperation({ summary: 'Change a fund (the reference prefix only until references are issued)' })
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: UpdateFundDto) {
    return this.funds.update(actor, id, body);
  }

  @Get(':id/rounds')
  @StaffRead('grants_officer')
  @ApiOkResponse({ type: RoundPageResponse })
  @ApiOperation({ summary: "A fund's rounds, in any status (or ?status=)" })
  async rounds(@Param('id') id: string, @Query() q: ListRoundsQuery) {
    const fund = await this.funds.getFund(id);
    const { items, total } = await this.reader.listRounds({ ...q, fundId: fund.id }, { canSeeDrafts: true });
    return pageOf(items, total, q);
  }

  @Post(':id/rounds')
  @Access('grants_officer')
  @ApiCreatedResponse({ type: RoundResponse })
  @ApiOperation({ summary: 'Set up a round (as a draft); it opens and closes on its dates once scheduled' })
  @ApiBody({ type: CreateRoundDto })
  // Checked against CreateRoundDto in the service, with the date rules, so every error comes at once.
  createRound(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown) {
    return this.setup.createRound(actor, id, body);
  }
}
