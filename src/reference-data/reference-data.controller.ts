import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/request-context.js';
import { pageOf } from '../common/pagination.js';
import {
  CreateDistrictDto,
  CreateOutcomeDto,
  CreatePriorityDto,
  DistrictPageResponse,
  DistrictResponse,
  OutcomePageResponse,
  OutcomeResponse,
  PriorityPageResponse,
  PriorityResponse,
  ReferenceListQuery,
  UpdateDistrictDto,
  UpdateOutcomeDto,
  UpdatePriorityDto,
} from './reference-data.dto.js';
import { ReferenceDataService } from './reference-data.service.js';

const page = <T>(all: T[], q: ReferenceListQuery) => pageOf(all.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), all.length, q);

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('api/v1')
export class ReferenceDataController {
  constructor(private readonly referenceData: ReferenceDataService) {}

  @Get('outcomes')
  @Access('public')
  @ApiOkResponse({ type: OutcomePageResponse })
  @ApiOperation({ summary: 'Police and Crime Plan outcomes, each with its priorities' })
  async outcomes(@Query() q: ReferenceListQuery) {
    return page(await this.referenceData.listOutcomes(), q);
  }

  @Post('outcomes')
  @Access('administrator')
  @ApiCreatedResponse({ type: OutcomeResponse })
  @ApiOperation({ summary: 'Add an outcome' })
  createOutcome(@CurrentActor() actor: Actor, @Body() body: CreateOutcomeDto) {
    return this.referenceData.createOutcome(actor, body);
  }

  @Patch('outcomes/:id')
  @Access('administrator')
  @ApiOkResponse({ type: OutcomeResponse })
  @ApiOperation({ summary: 'Change an outcome' })
  updateOutcome(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: UpdateOutcomeDto) {
    return this.referenceData.updateOutcome(actor, id, body);
  }

  @Get('priorities')
  @Access('public')
  @ApiOkResponse({ type: PriorityPageResponse })
  @ApiOperation({ summary: 'Police and Crime Plan priorities with their outcome (active only unless includeInactive=true)' })
  async priorities(@Query() q: ReferenceListQuery) {
    return page(await this.referenceData.listPriorities(q.includeInactive === 'true'), q);
  }

  @Get('priorities/:id')
  @Access('public')
  @ApiOkResponse({ type: PriorityResponse })
  @ApiOperation({ summary: 'One priority' })
  priority(@Param('id') id: string) {
    return this.referenceData.getPriority(id);
  }

  @Post('priorities')
  @Access('administrator')
  @ApiCreatedResponse({ type: PriorityResponse })
  @ApiOperation({ summary: 'Add a priority under an outcome' })
  createPriority(@CurrentActor() actor: Actor, @Body() body: CreatePriorityDto) {
    return this.referenceData.createPriority(actor, body);
  }

  @Patch('priorities/:id')
  @Access('administrator')
  @ApiOkResponse({ type: PriorityResponse })
  @ApiOperation({ summary: 'Change a priority (or make it inactive)' })
  updatePriority(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: UpdatePriorityDto) {
    return this.referenceData.updatePriority(actor, id, body);
  }

  @Get('districts')
  @Access('public')
  @ApiOkResponse({ type: DistrictPageResponse })
  @ApiOperation({ summary: 'Districts the funder covers, with GSS codes (active only unless includeInactive=true)' })
  async districts(@Query() q: ReferenceListQuery) {
    return page(await this.referenceData.listDistricts(q.includeInactive === 'true'), q);
  }

  @Get('districts/:id')
  @Access('public')
  @ApiOkResponse({ type: DistrictResponse })
  @ApiOperation({ summary: 'One district' })
  district(@Param('id') id: string) {
    return this.referenceData.getDistrict(id);
  }

  @Post('districts')
  @Access('administrator')
  @HttpCode(201)
  @ApiCreatedResponse({ type: DistrictResponse })
  @ApiOperation({ summary: 'Add a district' })
  createDistrict(@CurrentActor() actor: Actor, @Body() body: CreateDistrictDto) {
    return this.referenceData.createDistrict(actor, body);
  }

  @Patch('districts/:id')
  @Access('administrator')
  @ApiOkResponse({ type: DistrictResponse })
  @ApiOperation({ summary: 'Change a district (or make it inactive)' })
  updateDistrict(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: UpdateDistrictDto) {
    return this.referenceData.updateDistrict(actor, id, body);
  }
}
