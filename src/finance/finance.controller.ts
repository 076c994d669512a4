import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { ApprovalRuleDto, BankAccountDto, NoteDto, PaymentDto, PaymentScheduleDto, PaymentsDueQueryDto, RoundPaymentPlanDto, VerifyBankAccountDto } from './finance.dto.js';
import { APPROVAL_RULE_SCHEMA, BANK_ACCOUNT_SCHEMA, DUE_LIST_SCHEMA, INSTALMENT_SCHEMA, PAYMENT_LIST_SCHEMA, PAYMENT_SCHEMA, ROUND_PLAN_SCHEMA, SCHEDULE_SCHEMA } from './finance-responses.js';
import { PaymentSchedulesService } from './payment-schedules.service.js';
import { PaymentSettingsService } from './payment-settings.service.js';
import { PaymentsDueService } from './payments-due.service.js';
import { PaymentsService } from './payments.service.js';

const filters = (q: PaymentsDueQueryDto) => ({ fundId: q.fundId, roundId: q.roundId, status: q.status });

@ApiTags('finance')
@ApiBearerAuth()
@Controller('api/v1')
export class FinanceController {
  constructor(
    private readonly bank: BankAccountsService,
    private readonly schedules: PaymentSchedulesService,
    private readonly payments: PaymentsService,
    private readonly due: PaymentsDueService,
    private readonly settings: PaymentSettingsService,
  ) {}

  @Get('awards/:id/bank-account')
  @Access('user')
  @ApiOkResponse({ schema: BANK_ACCOUNT_SCHEMA })
  @ApiOperation({ summary: 'The award’s bank details: in full for finance officers, masked (****5678, **-**-99) for everyone else who may read the award; entered false when there are none' })
  getBank(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.bank.get(user, id);
  }

  @Put('awards/:id/bank-account')
  @Access('user')
  @ApiOkResponse({ schema: BANK_ACCOUNT_SCHEMA })
  @ApiOperation({
    summary:
      'Enter or change the bank details (an owner of the organisation, once the offer is accepted). 422 FINANCE.SORT_CODE_INVALID / ACCOUNT_NUMBER_INVALID / ACCOUNT_FAILS_MODULUS; a change un-verifies them and emails every owner',
  })
  putBank(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: BankAccountDto) {
    return this.bank.put(user, actor, id, body);
  }

  @Post('awards/:id/bank-account/verify')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ schema: BANK_ACCOUNT_SCHEMA })
  @ApiOperation({ summary: 'Verify the bank details (a finance officer who did not enter them: 403 FINANCE.VERIFY_OWN_ENTRY otherwise)' })
  verifyBank(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: VerifyBankAccountDto) {
    return this.bank.verify(user, actor, id, body);
  }

  @Get('awards/:id/payment-schedule')
  @Access('user')
  @ApiOkResponse({ schema: SCHEDULE_SCHEMA })
  @ApiOperation({ summary: 'The award’s payment schedule (made from the round’s payment plan on first read)' })
  getSchedule(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.schedules.get(user, id);
  }

  @Put('awards/:id/payment-schedule')
  @Access('user')
  @ApiOkResponse({ schema: SCHEDULE_SCHEMA })
  @ApiOperation({ summary: 'Replace the schedule (finance officers): it must add up to the award less what was released (422 FINANCE.SCHEDULE_SUM); paid instalments stay as they are (409 FINANCE.INSTALMENT_PAID)' })
  putSchedule(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: PaymentScheduleDto) {
    return this.schedules.put(user, actor, id, body.instalments);
  }

  @Post('instalments/:id/condition-met')
  @Access('grants_officer', 'finance_officer')
  @HttpCode(200)
  @ApiOkResponse({ schema: INSTALMENT_SCHEMA })
  @ApiOperation({ summary: 'Mark an instalment’s condition met (grants or finance officers), so it may be paid' })
  conditionMet(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: NoteDto) {
    return this.schedules.markConditionMet(user, actor, id, body.note?.trim() || null);
  }

  @Get('awards/:id/payments')
  @Access('user')
  @ApiOkResponse({ schema: PAYMENT_LIST_SCHEMA })
  @ApiOperation({ summary: 'The award’s payments, oldest first' })
  listPayments(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return this.payments.list(user, id);
  }

  @Post('awards/:id/payments')
  @Access('user')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Required, 1–200 of A–Z a–z 0–9 . _ : ~ -, scoped to you: the same key and body replays the first answer (with Idempotent-Replayed: true), another body is 422 IDEMPOTENCY.KEY_REUSED',
  })
  @ApiCreatedResponse({ schema: PAYMENT_SCHEMA })
  @ApiOperation({
    summary:
      'Record a payment (finance officers). 409 FINANCE.BANK_DETAILS_MISSING / BANK_DETAILS_UNVERIFIED / CONDITION_UNMET, AWARD.NOT_PAYABLE, AWARD.OVERPAID (counting payments awaiting approval). Above the approval threshold it is awaiting_approval',
  })
  async pay(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: PaymentDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const stored = await this.payments.record(user, actor, id, { instalmentId: body.instalmentId ?? null, amountPence: body.amountPence, paidOn: body.paidOn, reference: body.reference }, key);
    reply.status(stored.status);
    if (stored.replayed) reply.header('idempotent-replayed', 'true');
    return stored.body;
  }

  @Post('payments/:id/approve')
  @Access('finance_officer')
  @HttpCode(200)
  @ApiOkResponse({ schema: PAYMENT_SCHEMA })
  @ApiOperation({ summary: 'Approve a payment awaiting approval (another finance officer than its recorder: 403 FINANCE.APPROVE_OWN_PAYMENT); it counts now' })
  approve(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: NoteDto) {
    return this.payments.approve(user, actor, id, body.note?.trim() || null);
  }

  @Post('payments/:id/reject')
  @Access('finance_officer')
  @HttpCode(200)
  @ApiOkResponse({ schema: PAYMENT_SCHEMA })
  @ApiOperation({ summary: 'Turn down a payment awaiting approval; it holds no money any more' })
  reject(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: NoteDto) {
    return this.payments.reject(user, actor, id, body.note?.trim() || null);
  }

  @Get('payments/due')
  @StaffRead('finance_officer', 'grants_officer')
  @ApiOkResponse({ schema: DUE_LIST_SCHEMA })
  @ApiOperation({ summary: 'Instalments not fully paid on awards that can be paid: due, overdue or blocked (and why). Filter by fundId, roundId, status' })
  listDue(@Query() query: PaymentsDueQueryDto) {
    return this.due.list(query);
  }

  @Get('payments/due.csv')
  @StaffRead('finance_officer', 'grants_officer')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The payments due as CSV', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiOperation({ summary: 'The payments due (same filters) as CSV' })
  async dueCsv(@Query() query: PaymentsDueQueryDto, @Res() reply: FastifyReply) {
    const csv = await this.due.csv(filters(query));
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="payments-due.csv"').header('cache-control', 'no-store').send(csv);
  }

  @Get('payments/due.xlsx')
  @StaffRead('finance_officer', 'grants_officer')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The payments due as a spreadsheet', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'The payments due (same filters) as XLSX' })
  async dueXlsx(@Query() query: PaymentsDueQueryDto, @Res() reply: FastifyReply) {
    const file = await this.due.xlsx(filters(query));
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="payments-due.xlsx"')
      .header('cache-control', 'no-store')
      .send(file);
  }

  @Get('rounds/:id/payment-plan')
  @StaffRead('finance_officer', 'grants_officer')
  @ApiOkResponse({ schema: ROUND_PLAN_SCHEMA })
  @ApiOperation({ summary: 'The round’s payment plan: how new awards’ schedules are made (the default is 100% on acceptance)' })
  roundPlan(@Param('id') id: string) {
    return this.settings.roundPlan(id);
  }

  @Put('rounds/:id/payment-plan')
  @Access('finance_officer')
  @ApiOkResponse({ schema: ROUND_PLAN_SCHEMA })
  @ApiOperation({ summary: 'Set the round’s payment plan (finance officers): whole percentages adding up to 100 (422 FINANCE.PLAN_SUM)' })
  putRoundPlan(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RoundPaymentPlanDto) {
    return this.settings.putRoundPlan(actor, id, body.steps);
  }

  @Get('funds/:id/payment-approval')
  @StaffRead('finance_officer', 'grants_officer')
  @ApiOkResponse({ schema: APPROVAL_RULE_SCHEMA })
  @ApiOperation({ summary: 'The fund’s rule for a second finance officer’s approval of payments' })
  approvalRule(@Param('id') id: string) {
    return this.settings.approvalRule(id);
  }

  @Put('funds/:id/payment-approval')
  @Access('finance_officer')
  @ApiOkResponse({ schema: APPROVAL_RULE_SCHEMA })
  @ApiOperation({ summary: 'Set the fund’s approval rule (finance officers): its own threshold, or every payment' })
  putApprovalRule(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ApprovalRuleDto) {
    return this.settings.putApprovalRule(actor, id, { approvalThresholdPence: body.approvalThresholdPence ?? null, approveEveryPayment: body.approveEveryPayment });
  }
}
