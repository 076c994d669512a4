import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { AwardReader } from '../awards/award-reader.js';
import { penceAsPounds, poundsToPence } from '../common/money.js';
import { isPageFormError, pageErrorView, throwIfAny } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { FinanceAccess } from './finance-access.js';
import { VERIFICATION_METHODS } from './finance.entity.js';
import { dateFromText, instalmentsFromRows, one, scheduleRows, type ScheduleRowValues } from './finance-page-input.js';
import { PAYMENT_STATUS_LABELS, paymentCan } from './payment-lifecycle.js';
import { PaymentSchedulesService } from './payment-schedules.service.js';
import { DUE_STATUSES, PaymentsDueService, type DueStatus } from './payments-due.service.js';
import { PaymentsService } from './payments.service.js';

type FormBody = Record<string, string | string[] | undefined>;
const PAGE_SIZE = 50;
const pageNumber = (page: string | undefined) => (/^\d{1,5}$/.test(page ?? '') && Number(page) > 0 ? Number(page) : 1);
const isDueStatus = (s: string): s is DueStatus => (DUE_STATUSES as readonly string[]).includes(s);
const DUE_LABELS: Record<DueStatus, string> = { due: 'Due', overdue: 'Overdue', blocked: 'Blocked' };
const METHOD_LABELS: Record<(typeof VERIFICATION_METHODS)[number], string> = { letter: 'A letter from the bank', bank_statement: 'A bank statement', call_back: 'A call back to the organisation' };
/** The payment form's inputs, by the service's field names. */
const PAYMENT_FIELDS = { amountPence: 'payAmount', paidOn: 'payPaidOn', reference: 'payReference', instalmentId: 'payInstalmentId' };

interface AwardPageState {
  scheduleRows?: ScheduleRowValues[];
  payment?: Record<string, string>;
  error?: unknown;
  rename?: Record<string, string>;
}

/**
 * Finance's pages: the payments due (with CSV and XLSX), bank details waiting to be verified and
 * the verify page, and an award's finance page (schedule, recording and approving payments,
 * marking a condition met). Each calls one service door; the finance policy decides.
 */
@ApiExcludeController()
@Controller('staff/finance')
export class StaffFinancePages {
  constructor(
    private readonly access: FinanceAccess,
    private readonly awards: AwardReader,
    private readonly bank: BankAccountsService,
    private readonly schedules: PaymentSchedulesService,
    private readonly payments: PaymentsService,
    private readonly due: PaymentsDueService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('payments-due')
  @StaffRead('finance_officer', 'grants_officer')
  async paymentsDue(@Query() query: Record<string, string>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const status = isDueStatus(query.status ?? '') ? (query.status as DueStatus) : undefined;
    const filter = { status, roundId: query.roundId || undefined, fundId: query.fundId || undefined };
    const n = pageNumber(query.page);
    const result = await this.due.list({ ...filter, page: n, pageSize: PAGE_SIZE });
    const qs = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => !!e[1])).toString();
    return this.pages.render(request, reply, 'finance/payments-due.njk', {
      pageTitle: 'Payments due',
      items: result.items.map((i) => ({ ...i, statusLabel: DUE_LABELS[i.status] })),
      total: result.total,
      page: n,
      pages: Math.ceil(result.total / PAGE_SIZE),
      baseUrl: `/staff/finance/payments-due?${qs ? qs + '&' : ''}`,
      downloadQuery: qs ? `?${qs}` : '',
      statusItems: [{ value: '', text: 'Any', selected: !status }, ...DUE_STATUSES.map((s) => ({ value: s, text: DUE_LABELS[s], selected: s === status }))],
    });
  }

  @Get('payments-due.csv')
  @StaffRead('finance_officer', 'grants_officer')
  async paymentsDueCsv(@Query() query: Record<string, string>, @Res() reply: FastifyReply) {
    const csv = await this.due.csv({ status: isDueStatus(query.status ?? '') ? (query.status as DueStatus) : undefined, roundId: query.roundId || undefined, fundId: query.fundId || undefined });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="payments-due.csv"').header('cache-control', 'no-store').send(csv);
  }

  @Get('payments-due.xlsx')
  @StaffRead('finance_officer', 'grants_officer')
  async paymentsDueXlsx(@Query() query: Record<string, string>, @Res() reply: FastifyReply) {
    const file = await this.due.xlsx({ status: isDueStatus(query.status ?? '') ? (query.status as DueStatus) : undefined, roundId: query.roundId || undefined, fundId: query.fundId || undefined });
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', 'attachment; filename="payments-due.xlsx"')
      .header('cache-control', 'no-store')
      .send(file);
  }

  @Get('bank-details')
  @StaffRead('finance_officer')
  async toVerify(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const waiting = await this.bank.toVerify();
    const awards = new Map((await this.awards.byIds(waiting.map((w) => w.awardId))).map((a) => [a.id, a]));
    return this.pages.render(request, reply, 'finance/bank-details-to-verify.njk', {
      pageTitle: 'Bank details to verify',
      items: waiting.filter((w) => awards.has(w.awardId)).map((w) => ({ ...w, award: awards.get(w.awardId) })),
    });
  }

  @Get('awards/:id/verify')
  @StaffRead('finance_officer')
  async verifyForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderVerify(request, reply, user, id, { method: '', note: '' });
  }

  @Post('awards/:id/verify')
  @Access('finance_officer')
  async verify(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { method: one(body.method), note: one(body.note) };
    try {
      await this.bank.verify(user, actor, id, values);
      this.pages.flash(request, 'The bank details are verified: the award can be paid.');
      return reply.redirect(`/staff/finance/awards/${id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderVerify(request, reply, user, id, values, error);
    }
  }

  @Get('awards/:id')
  @StaffRead('finance_officer', 'grants_officer')
  async award(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderAward(request, reply, user, id, {});
  }

  @Post('awards/:id/schedule')
  @Access('finance_officer')
  async saveSchedule(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const rows = scheduleRows(body);
    try {
      const { instalments, errors } = instalmentsFromRows(rows);
      throwIfAny(errors);
      await this.schedules.put(user, actor, id, instalments);
      this.pages.flash(request, 'The payment schedule was saved.');
      return reply.redirect(`/staff/finance/awards/${id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderAward(request, reply, user, id, { scheduleRows: rows, error, rename: { instalments: 'dueOn_0' } });
    }
  }

  @Post('awards/:id/payments')
  @Access('finance_officer')
  async recordPayment(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { payInstalmentId: one(body.payInstalmentId), payAmount: one(body.payAmount), payPaidOn: one(body.payPaidOn), payReference: one(body.payReference), idempotencyKey: one(body.idempotencyKey) };
    try {
      const amountPence = poundsToPence(values.payAmount);
      const paidOn = dateFromText(values.payPaidOn);
      throwIfAny([
        ...(amountPence === null || amountPence <= 0 ? [{ field: 'payAmount', code: 'FINANCE.PAYMENT_INVALID', message: 'Enter the amount paid in pounds, for example 1250.50' }] : []),
        ...(paidOn ? [] : [{ field: 'payPaidOn', code: 'FINANCE.PAYMENT_INVALID', message: 'Enter the date it was paid, for example 1/5/2027' }]),
        ...(values.payReference.trim() ? [] : [{ field: 'payReference', code: 'FINANCE.PAYMENT_INVALID', message: 'Enter the payment’s reference' }]),
      ]);
      const stored = await this.payments.record(
        user,
        actor,
        id,
        { instalmentId: values.payInstalmentId || null, amountPence: amountPence!, paidOn: paidOn!, reference: values.payReference.slice(0, 100) },
        values.idempotencyKey || randomUUID(),
      );
      this.pages.flash(request, stored.body.status === 'awaiting_approval' ? 'The payment was recorded: another finance officer must approve it.' : 'The payment was recorded.');
      return reply.redirect(`/staff/finance/awards/${id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderAward(request, reply, user, id, { payment: values, error, rename: PAYMENT_FIELDS });
    }
  }

  @Post('payments/:id/approve')
  @Access('finance_officer')
  async approve(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.decide(request, reply, user, one(body.awardId), () => this.payments.approve(user, actor, id, one(body.note).trim() || null), 'The payment was approved and counted.');
  }

  @Post('payments/:id/reject')
  @Access('finance_officer')
  async reject(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.decide(request, reply, user, one(body.awardId), () => this.payments.reject(user, actor, id, one(body.note).trim() || null), 'The payment was rejected.');
  }

  @Post('instalments/:id/condition-met')
  @Access('grants_officer', 'finance_officer')
  async conditionMet(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.decide(request, reply, user, one(body.awardId), () => this.schedules.markConditionMet(user, actor, id, one(body.note).trim() || null), 'The condition is marked met.');
  }

  /** Runs a button's action; back to the award's page, with the refusal in its error summary. */
  private async decide(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, awardId: string, action: () => Promise<{ awardId: string }>, done: string) {
    try {
      const result = await action();
      this.pages.flash(request, done);
      return reply.redirect(`/staff/finance/awards/${result.awardId}`, 303);
    } catch (error) {
      if (!isPageFormError(error) || !awardId) throw error;
      return this.renderAward(request, reply, user, awardId, { error });
    }
  }

  private async renderVerify(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, values: Record<string, string>, error?: unknown) {
    const award = await this.awards.get(user, id);
    const bank = await this.bank.get(user, id);
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'finance/verify.njk',
      {
        pageTitle: 'Verify bank details',
        award,
        bank,
        values,
        ownEntry: bank.enteredByUserId === user.id,
        methodItems: VERIFICATION_METHODS.map((m) => ({ value: m, text: METHOD_LABELS[m], checked: values.method === m })),
        ...form,
        backLink: `/staff/finance/awards/${id}`,
      },
      status,
    );
  }

  private async renderAward(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, state: AwardPageState) {
    const { award: record } = await this.access.award(user, id, 'read');
    const award = await this.awards.get(user, id);
    const bank = await this.bank.get(user, id);
    const schedule = await this.schedules.get(user, id);
    const payments = await this.payments.list(user, id);
    const [mayPay, mayMark] = [await this.access.may(user, record, 'pay'), await this.access.may(user, record, 'mark_condition_met')];
    const rows: ScheduleRowValues[] = state.scheduleRows ?? [
      ...schedule.instalments.map((i) => ({ id: i.id, dueOn: i.dueOn, amount: penceAsPounds(i.amountPence), condition: i.conditionText ?? '' })),
      { id: '', dueOn: '', amount: '', condition: '' },
      { id: '', dueOn: '', amount: '', condition: '' },
    ];
    const { form, status } = pageErrorView(state.error, state.rename ?? {});
    return this.pages.render(
      request,
      reply,
      'finance/award.njk',
      {
        pageTitle: `Finance: ${award.reference}`,
        award,
        bank,
        schedule,
        payments: payments.items.map((p) => ({ ...p, statusLabel: PAYMENT_STATUS_LABELS[p.status], mayDecide: mayPay && paymentCan(p.status).awaitsDecision, ownPayment: p.recordedByUserId === user.id })),
        rows,
        mayPay,
        mayMark,
        payment: state.payment ?? { payInstalmentId: '', payAmount: '', payPaidOn: '', payReference: '' },
        idempotencyKey: state.payment?.idempotencyKey || randomUUID(),
        instalmentItems: [
          { value: '', text: 'Not against an instalment' },
          ...schedule.instalments.filter((i) => i.outstandingPence > 0).map((i) => ({ value: i.id, text: `Instalment ${i.position}: ${penceAsPounds(i.outstandingPence)} due ${i.dueOn}`, selected: state.payment?.payInstalmentId === i.id })),
        ],
        ...form,
        backLink: '/staff/finance/payments-due',
      },
      status,
    );
  }
}
