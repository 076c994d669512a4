import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/request-context.js';
import { penceAsPounds, poundsToPence } from '../common/money.js';
import { isPageFormError, pageErrorView, throwIfAny } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { conditionFromText, one } from './finance-page-input.js';
import { conditionText } from './payment-plan.js';
import { PaymentSettingsService } from './payment-settings.service.js';

type FormBody = Record<string, string | string[] | undefined>;
interface StepRow {
  percent: string;
  months: string;
  condition: string;
}

/** Finance's settings page for a round: its payment plan (how new schedules are made) and its fund's approval rule. */
@ApiExcludeController()
@Controller('staff/finance')
export class FinanceSettingsPages {
  constructor(
    private readonly settings: PaymentSettingsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('rounds/:id/payment-settings')
  @StaffRead('finance_officer', 'grants_officer')
  async show(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.render(request, reply, id, {});
  }

  @Post('rounds/:id/payment-plan')
  @Access('finance_officer')
  async savePlan(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const rows: StepRow[] = [];
    for (let i = 0; i < 12; i++) if (body[`percent_${i}`] !== undefined) rows.push({ percent: one(body[`percent_${i}`]), months: one(body[`months_${i}`]), condition: one(body[`condition_${i}`]) });
    try {
      const used = rows.map((r, i) => ({ ...r, i })).filter((r) => r.percent.trim() || r.months.trim());
      const errors = used.flatMap((r) => (/^\d{1,3}$/.test(r.percent.trim()) ? [] : [{ field: `percent_${r.i}`, code: 'FINANCE.PLAN_INVALID', message: `Enter step ${r.i + 1}’s share as a whole percentage` }]));
      throwIfAny(errors);
      const steps = used.map((r) => ({
        percent: Number(r.percent.trim()),
        ...(r.months.trim() ? { monthsAfterStart: /^\d{1,2}$/.test(r.months.trim()) ? Number(r.months.trim()) : -1 } : { after: 'acceptance' as const }),
        condition: conditionFromText(r.condition),
      }));
      await this.settings.putRoundPlan(actor, id, steps);
      this.pages.flash(request, 'The round’s payment plan was saved: awards whose schedules are made from now on follow it.');
      return reply.redirect(`/staff/finance/rounds/${id}/payment-settings`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.render(request, reply, id, { rows, error, rename: { steps: 'percent_0' } });
    }
  }

  @Post('funds/:id/payment-approval')
  @Access('finance_officer')
  async saveRule(@CurrentActor() actor: Actor, @Param('id') fundId: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const roundId = one(body.roundId);
    const values = { threshold: one(body.threshold), every: one(body.every) };
    try {
      const pence = values.threshold.trim() ? poundsToPence(values.threshold) : null;
      throwIfAny(values.threshold.trim() && pence === null ? [{ field: 'threshold', code: 'FINANCE.APPROVAL_RULE_INVALID', message: 'Enter the threshold in pounds, for example 5000, or leave it empty' }] : []);
      await this.settings.putApprovalRule(actor, fundId, { approvalThresholdPence: pence, approveEveryPayment: values.every === 'yes' });
      this.pages.flash(request, 'The fund’s approval rule was saved.');
      return reply.redirect(roundId ? `/staff/finance/rounds/${roundId}/payment-settings` : '/staff/finance/payments-due', 303);
    } catch (error) {
      if (!isPageFormError(error) || !roundId) throw error;
      return this.render(request, reply, roundId, { rule: values, error });
    }
  }

  private async render(request: FastifyRequest, reply: FastifyReply, roundId: string, state: { rows?: StepRow[]; rule?: { threshold: string; every: string }; error?: unknown; rename?: Record<string, string> }) {
    const plan = await this.settings.roundPlan(roundId);
    const rule = await this.settings.approvalRule(plan.fundId);
    const rows = state.rows ?? [
      ...plan.steps.map((s) => ({ percent: String(s.percent), months: s.monthsAfterStart === undefined ? '' : String(s.monthsAfterStart), condition: conditionText(s.condition ?? null) ?? '' })),
      { percent: '', months: '', condition: '' },
    ];
    const { form, status } = pageErrorView(state.error, state.rename ?? {});
    return this.pages.render(
      request,
      reply,
      'finance/payment-settings.njk',
      {
        pageTitle: 'Payment settings',
        plan,
        rule,
        rows,
        ruleValues: state.rule ?? { threshold: rule.approvalThresholdPence === null ? '' : penceAsPounds(rule.approvalThresholdPence), every: rule.approveEveryPayment ? 'yes' : '' },
        ...form,
        backLink: '/staff/finance/payments-due',
      },
      status,
    );
  }
}
