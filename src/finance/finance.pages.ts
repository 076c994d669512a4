import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { readsAllAwards } from '../auth/policies/award.policy.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { awardCan } from '../awards/award-lifecycle.js';
import { isPageFormError, pageErrorView } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { FinanceAccess } from './finance-access.js';
import { PaymentSchedulesService } from './payment-schedules.service.js';
import { PaymentsService } from './payments.service.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).toString();

/**
 * The applicant's finance pages, reached from their award: "your payment plan" (instalments, what
 * has been paid, the bank details masked) and entering or changing the bank details (owners).
 * They call the same doors as the API; the finance policy decides.
 */
@ApiExcludeController()
@Controller('awards')
export class FinancePages {
  constructor(
    private readonly access: FinanceAccess,
    private readonly bank: BankAccountsService,
    private readonly schedules: PaymentSchedulesService,
    private readonly payments: PaymentsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get(':id/payment-plan')
  @Access('user')
  async plan(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Query('changed') changed: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { award } = await this.access.award(user, id, 'read');
    const schedule = await this.schedules.get(user, id);
    const payments = await this.payments.list(user, id);
    const bank = await this.bank.get(user, id);
    return this.pages.render(request, reply, 'finance/payment-plan.njk', {
      pageTitle: `Your payment plan ${award.reference}`,
      award,
      schedule,
      made: payments.items.filter((p) => p.status === 'paid'),
      bank,
      changed: changed === '1',
      mayEnter: awardCan(award.status).payable && (await this.access.may(user, award, 'enter_bank_details')),
      backLink: readsAllAwards(user) ? `/staff/finance/awards/${id}` : `/awards/${id}`,
    });
  }

  @Get(':id/bank-details')
  @Access('user')
  async bankForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderBank(request, reply, user, id, { accountName: '', sortCode: '', accountNumber: '' });
  }

  @Post(':id/bank-details')
  @Access('user')
  async saveBank(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { accountName: one(body.accountName), sortCode: one(body.sortCode), accountNumber: one(body.accountNumber) };
    try {
      await this.bank.put(user, actor, id, values);
      return reply.redirect(`/awards/${id}/payment-plan?changed=1`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderBank(request, reply, user, id, values, error);
    }
  }

  private async renderBank(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, values: Record<string, string>, error?: unknown) {
    const { award } = await this.access.award(user, id, 'read');
    const bank = await this.bank.get(user, id);
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'finance/bank-details.njk',
      {
        pageTitle: bank.entered ? 'Change your bank details' : 'Enter your bank details',
        award,
        bank,
        values,
        ...form,
        mayEnter: awardCan(award.status).payable && (await this.access.may(user, award, 'enter_bank_details')),
        backLink: `/awards/${id}/payment-plan`,
      },
      status,
    );
  }
}
