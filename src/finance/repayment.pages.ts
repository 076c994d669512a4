import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { formatDate } from '../common/dates.js';
import type { FieldError } from '../common/errors.js';
import { formatPence } from '../common/money.js';
import { dateParts, formValue, isoDateFrom, penceFrom, type FormBody } from '../web/form-input.js';
import { isPageFormError, pageErrorView, throwIfAny } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { AwardMoneyAccess } from './award-money-access.js';
import { ClawbacksService } from './clawbacks.service.js';
import { REPAYMENT_REASONS, type RepaymentReason } from './repayment.entity.js';
import { RepaymentsService } from './repayments.service.js';

const REASON_TEXT: Record<RepaymentReason, string> = { underspend: 'Underspend: money the project did not spend', clawback: 'Clawback: money we asked for back', other: 'Other' };

/** A finance officer records money received back on an award (the page form of POST /api/v1/awards/{id}/repayments). */
@ApiExcludeController()
@Controller('awards/:id/repayments')
export class RepaymentPages {
  constructor(
    private readonly repayments: RepaymentsService,
    private readonly clawbacks: ClawbacksService,
    private readonly access: AwardMoneyAccess,
    private readonly pages: PageRenderer,
  ) {}

  @Get('new')
  @Access('finance_officer')
  async form(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.render(request, reply, user, id, {});
  }

  @Post('new')
  @Access('finance_officer')
  async record(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const errors: FieldError[] = [];
      const amount = penceFrom(formValue(body, 'amount'), 'amountPence', 'the amount received');
      const received = isoDateFrom(dateParts(body, 'receivedOn'), 'receivedOn', 'the date it was received');
      for (const e of [amount.error, received.error]) if (e) errors.push(e);
      const reason = formValue(body, 'reason');
      if (!(REPAYMENT_REASONS as readonly string[]).includes(reason)) errors.push({ field: 'reason', code: 'FIELD.REQUIRED', message: 'Choose why the money came back' });
      if (!formValue(body, 'reference')) errors.push({ field: 'reference', code: 'FIELD.REQUIRED', message: 'Enter the bank reference the money came in under' });
      throwIfAny(errors);
      const clawbackId = reason === 'clawback' ? formValue(body, 'clawbackId') || null : null;
      await this.repayments.record(user, actor, id, { amountPence: amount.value!, receivedOn: received.value!, reference: formValue(body, 'reference'), reason: reason as RepaymentReason, clawbackId }, undefined);
      return reply.redirect(`/awards/${id}/clawbacks`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.render(request, reply, user, id, body, error);
    }
  }

  private async render(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, body: FormBody, error?: unknown) {
    await this.repayments.list(user, id); // the policy: 404 for an award this person may not read
    const award = await this.access.award(id);
    const open = await this.clawbacks.openClawbacks(id);
    const { form, status } = pageErrorView(error, {}, { amountPence: 'amount', receivedOn: 'receivedOn-day', reason: 'reason' });
    const reason = formValue(body, 'reason');
    const clawbackId = formValue(body, 'clawbackId');
    return this.pages.render(
      request,
      reply,
      'finance/record-repayment.njk',
      {
        pageTitle: `Record money received: ${award.reference}`,
        award,
        reasonItems: REPAYMENT_REASONS.map((r) => ({ value: r, text: REASON_TEXT[r], checked: r === reason })),
        clawbackItems: open.map((c, i) => ({ value: c.id, text: `${formatPence(c.outstandingPence)} still owed, due ${formatDate(c.dueOn)}`, hint: { text: c.reason }, checked: clawbackId ? c.id === clawbackId : i === 0 })),
        values: { amount: formValue(body, 'amount'), reference: formValue(body, 'reference'), receivedOn: dateParts(body, 'receivedOn') },
        ...form,
        backLink: `/awards/${id}/clawbacks`,
      },
      status,
    );
  }
}
