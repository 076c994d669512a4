import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/request-context.js';
import { PageQuery, pageOf } from '../common/pagination.js';
import { EmailPageResponse, EmailResponse, QueuedResponse } from './communications.dto.js';
import { CommunicationsService } from './communications.service.js';
import { EMAIL_STATUSES, type EmailStatus } from './email-message.entity.js';

export class CommunicationsQueryDto extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the recipient address' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  to?: string;

  @ApiPropertyOptional({ enum: EMAIL_STATUSES })
  @IsOptional()
  @IsIn(EMAIL_STATUSES)
  status?: EmailStatus;
}

export const uuidPipe = new ParseUUIDPipe({ version: undefined, errorHttpStatusCode: 404 });

@ApiTags('communications')
@ApiBearerAuth()
@Controller('api/v1/communications')
export class CommunicationsController {
  constructor(private readonly communications: CommunicationsService) {}

  @Get()
  @StaffRead('grants_officer', 'administrator')
  @ApiOperation({ summary: 'Every email the service wrote, newest first, with its status' })
  @ApiOkResponse({ type: EmailPageResponse })
  async list(@Query() query: CommunicationsQueryDto) {
    const { items, total } = await this.communications.list(query);
    return pageOf(
      items.map(({ htmlBody: _html, ...rest }) => rest),
      total,
      query,
    );
  }

  @Get(':id')
  @StaffRead('grants_officer', 'administrator')
  @ApiOkResponse({ type: EmailResponse })
  get(@Param('id', uuidPipe) id: string) {
    return this.communications.get(id);
  }

  @Post(':id/resend')
  @HttpCode(202)
  @Access('grants_officer', 'administrator')
  @ApiAcceptedResponse({ type: QueuedResponse, description: 'Queued to be sent again (only a failed or unsent email; otherwise 409 EMAIL.NOT_RESENDABLE)' })
  async resend(@Param('id', uuidPipe) id: string, @CurrentActor() actor: Actor) {
    await this.communications.resend(actor, id);
    return { status: 'queued' };
  }
}
