import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { ClawbacksService } from './clawbacks.service.js';
import { CancelClawbackDto, CLAWBACK_LIST_SCHEMA, CLAWBACK_SCHEMA, RaiseClawbackDto } from './repayments.dto.js';

@ApiTags('finance')
@ApiBearerAuth()
@Controller('api/v1')
export class ClawbacksController {
  constructor(private readonly clawbacks: ClawbacksService) {}

  @Post('awards/:id/clawbacks')
  @Access('grants_officer')
  @ApiCreatedResponse({ schema: CLAWBACK_SCHEMA })
  @ApiOperation({ summary: 'Raise a clawback (a grants officer): money the organisation must pay back by a date; its owners are emailed. 409 CLAWBACK.MORE_THAN_PAID past what has been paid' })
  raise(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RaiseClawbackDto) {
    return this.clawbacks.raise(user, actor, id, { amountPence: body.amountPence, reason: body.reason, dueOn: body.dueOn });
  }

  @Get('awards/:id/clawbacks')
  @Access('user')
  @ApiOkResponse({ schema: CLAWBACK_LIST_SCHEMA })
  @ApiOperation({ summary: 'The award’s clawbacks, newest first (its organisation’s members and staff who read awards)' })
  async list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return { items: await this.clawbacks.list(user, id) };
  }

  @Post('clawbacks/:id/cancel')
  @Access('grants_officer')
  @HttpCode(200)
  @ApiOkResponse({ schema: CLAWBACK_SCHEMA })
  @ApiOperation({ summary: 'Cancel a clawback still owed, with a reason (a grants officer); money already received stays received' })
  cancel(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: CancelClawbackDto) {
    return this.clawbacks.cancel(user, actor, id, body.reason);
  }
}
