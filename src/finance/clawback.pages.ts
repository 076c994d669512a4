import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { type FieldError } from '../common/errors.js';
import { dateParts, formValue, isoDateFrom, penceFrom, type FormBody } from '../web/form-input.js';
import { isPageFormError, pageErrorView, throwIfAny } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { AwardMoneyAccess } from './award-money-access.js';
import { ClawbacksService } from './clawbacks.service.js';
import { RepaymentsService } from './repayments.service.js';

const REASON_LABELS = { underspend: 'Underspend', clawback: 'Clawback', other: 'Other' } as const;

/**
 * Money coming back on an award, as pages: what the organisation must pay back and what has come
 * in (its members and staff), and a grants officer raising a clawback. The policies decide.
 */
@ApiExcludeController()
@Controller('awards/:id/clawbacks')
export class ClawbackPages {
  constructor(
    private readonly clawbacks: ClawbacksService,
    private readonly repayments: RepaymentsService,
    private readonly access: AwardMoneyAccess,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Access('user')
  async list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const clawbacks = await this.clawbacks.list(user, id);
    const repayments = await this.repayments.list(user, id);
    const award = await this.access.award(id);
    return this.pages.render(request, reply, 'finance/money-back.njk', {
      pageTitle: `Money to pay back: ${award.reference}`,
      award,
      clawbacks,
      owed: clawbacks.reduce((s, c) => s + c.outstandingPence, 0),
      repayments: repayments.map((r) => ({ ...r, reasonLabel: REASON_LABELS[r.reason] })),
      mayRaise: hasRole(user, 'grants_officer'),
      mayRecord: hasRole(user, 'finance_officer'),
      backLink: `/awards/${id}`,
    });
  }

  @Get('new')
  @Access('grants_officer')
  async raiseForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderRaise(request, reply, user, id, {});
  }

  @Post('new')
  @Access('grants_officer')
  async raise(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const errors: FieldError[] = [];
      const amount = penceFrom(formValue(body, 'amount'), 'amountPence', 'the amount to pay back');
      const due = isoDateFrom(dateParts(body, 'dueOn'), 'dueOn', 'the date it is due');
      for (const e of [amount.error, due.error]) if (e) errors.push(e);
      if (!formValue(body, 'reason')) errors.push({ field: 'reason', code: 'FIELD.REQUIRED', message: 'Say why the money must be paid back' });
      throwIfAny(errors);
      await this.clawbacks.raise(user, actor, id, { amountPence: amount.value!, dueOn: due.value!, reason: formValue(body, 'reason') });
      return reply.redirect(`/awards/${id}/clawbacks`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderRaise(request, reply, user, id, body, error);
    }
  }

  private async renderRaise(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, body: FormBody, error?: unknown) {
    await this.clawbacks.list(user, id); // the policy: 404 for an award this person may not read
    const award = await this.access.award(id);
    const { form, status } = pageErrorView(error, {}, { amountPence: 'amount', dueOn: 'dueOn-day' });
    return this.pages.render(
      request,
      reply,
      'finance/raise-clawback.njk',
      {
        pageTitle: `Raise a clawback: ${award.reference}`,
        award,
        values: { amount: formValue(body, 'amount'), reason: formValue(body, 'reason'), dueOn: dateParts(body, 'dueOn') },
        ...form,
        backLink: `/awards/${id}/clawbacks`,
      },
      status,
    );
  }
}
