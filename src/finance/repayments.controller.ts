import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { IdempotencyKeyHeader, idempotentAnswer } from '../web/idempotent-answer.js';
import { RecordRepaymentDto, REPAYMENT_LIST_SCHEMA, REPAYMENT_SCHEMA } from './repayments.dto.js';
import { RepaymentsService } from './repayments.service.js';

@ApiTags('finance')
@ApiBearerAuth()
@Controller('api/v1')
export class RepaymentsController {
  constructor(private readonly repayments: RepaymentsService) {}

  @Post('awards/:id/repayments')
  @Access('finance_officer')
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ schema: REPAYMENT_SCHEMA })
  @ApiOperation({
    summary:
      'Record money received back (a finance officer): an underspend, a clawback (the one named, or the oldest still owed) or other. The money goes back to the pot. 409 AWARD.REPAID_TOO_MUCH past what was paid, REPAYMENT.MORE_THAN_DUE past what the clawback is owed',
  })
  async record(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: RecordRepaymentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const input = { amountPence: body.amountPence, receivedOn: body.receivedOn, reference: body.reference, reason: body.reason, clawbackId: body.clawbackId ?? null };
    return idempotentAnswer(reply, await this.repayments.record(user, actor, id, input, key));
  }

  @Get('awards/:id/repayments')
  @Access('user')
  @ApiOkResponse({ schema: REPAYMENT_LIST_SCHEMA })
  @ApiOperation({ summary: 'Money received back on the award, newest first (its organisation’s members and staff who read awards)' })
  async list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return { items: await this.repayments.list(user, id) };
  }
}
