import { Body, Controller, Delete, Get, HttpCode, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { REPORT_CHANGER_ROLES, ReportPolicy } from '../auth/policies/report.policy.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { OPEN_DATA_PACKAGE_SCHEMA, PublicationDto, PublicationResponse } from './open-data.dto.js';
import { OpenDataWithholdingsService } from './open-data-withholdings.service.js';
import { OpenDataService } from './open-data.service.js';

/**
 * The 360Giving open data (public, no sign-in) and the door to withhold an award from it
 * (grants officers and administrators, as ReportPolicy's "change").
 */
@ApiTags('open data')
@Controller('api/v1')
export class OpenDataController {
  constructor(
    private readonly openData: OpenDataService,
    private readonly withholdings: OpenDataWithholdingsService,
    private readonly policy: ReportPolicy,
  ) {}

  @Get('open-data/360giving.json')
  @Access('public')
  @ApiProduces('application/json')
  @ApiOkResponse({ description: 'A 360Giving 1.4 data package { license, publisher, grants } of every published award, streamed', schema: OPEN_DATA_PACKAGE_SCHEMA })
  @ApiOperation({ summary: 'Every published award (offered to closed, not withheld) as 360Giving open data (JSON). 503 OPEN_DATA.NOT_CONFIGURED without OPEN_DATA_ORG_ID in production' })
  async json(@Res() reply: FastifyReply): Promise<void> {
    const publisher = this.openData.publisher();
    await reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', 'inline; filename="360giving.json"')
      .send(Readable.from(this.openData.json(publisher)));
  }

  @Get('open-data/360giving.csv')
  @Access('public')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The same grants with 360Giving’s column titles, streamed', schema: { type: 'string' } })
  @ApiOperation({ summary: 'Every published award as 360Giving open data (CSV, 360Giving column titles)' })
  async csv(@Res() reply: FastifyReply): Promise<void> {
    const publisher = this.openData.publisher();
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="360giving.csv"')
      .send(Readable.from(this.openData.csv(publisher)));
  }

  @Put('awards/:id/publication')
  @Access(...REPORT_CHANGER_ROLES)
  @ApiBearerAuth()
  @ApiOkResponse({ type: PublicationResponse })
  @ApiOperation({ summary: 'Withhold an award from the 360Giving open data (withhold: award) or only its location (withhold: location), with a reason; audited' })
  async withhold(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: PublicationDto) {
    this.policy.assert(user, 'change');
    return this.withholdings.withhold(actor, id, body);
  }

  @Delete('awards/:id/publication')
  @Access(...REPORT_CHANGER_ROLES)
  @ApiBearerAuth()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Published in full again' })
  @ApiOperation({ summary: 'Stop withholding an award: it is published in full again; audited' })
  async release(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    this.policy.assert(user, 'change');
    await this.withholdings.release(actor, id);
  }
}
