import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { VariationPolicy } from '../auth/policies/variation.policy.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { notFound, validationFailed, type FieldError } from '../common/errors.js';
import { penceAsPounds } from '../common/money.js';
import { dateParts, formValue, isoDateFrom, partsOf, penceFrom, type FormBody } from '../web/form-input.js';
import { isPageFormError, pageErrorView, throwIfAny } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import type { AwardView } from './award-reader.js';
import { isVariationKind, VARIATION_KIND_LABELS, VARIATION_KINDS, VARIATION_STATUS_LABELS, VARIATION_STATUSES, VARIATION_TAG_CLASSES, type VariationKind } from './variation-lifecycle.js';
import { VariationReader, type VariationView } from './variation-reader.js';
import type { VariationRequest } from './variation-rules.js';
import { VariationsService } from './variations.service.js';

const KIND_HINTS: Record<VariationKind, string> = {
  budget: 'The grant stays the same; you spend it differently across your budget lines.',
  end_date: 'Your project needs more time to finish.',
  amount: 'The project needs more money, or less.',
};

/** The page's inputs as a variation request (pounds to pence, the date's parts), with every error at once. */
function requestFrom(kind: VariationKind, award: AwardView, body: FormBody): VariationRequest {
  const errors: FieldError[] = [];
  const request: VariationRequest = { kind, reason: formValue(body, 'reason') };
  if (kind !== 'end_date') {
    request.budgetLines = award.budgetLines.map((l) => {
      const parsed = penceFrom(formValue(body, `line-${l.budgetLineId}`), `line-${l.budgetLineId}`, `the new amount for ${l.item}`);
      if (parsed.error) errors.push(parsed.error);
      return { budgetLineId: l.budgetLineId, amountPence: parsed.value ?? 0 };
    });
  }
  if (kind === 'amount') {
    const parsed = penceFrom(formValue(body, 'amount'), 'amountPence', 'the new grant amount');
    if (parsed.error) errors.unshift(parsed.error);
    request.amountPence = parsed.value;
  }
  if (kind === 'end_date') {
    const parsed = isoDateFrom(dateParts(body, 'endsOn'), 'endsOn', 'the new end date');
    if (parsed.error) errors.push(parsed.error);
    request.endsOn = parsed.value;
  }
  if (!request.reason) errors.push({ field: 'reason', code: 'FIELD.REQUIRED', message: 'Say why you need the change' });
  throwIfAny(errors);
  return request;
}

const tagged = (v: VariationView) => ({ ...v, tagClass: VARIATION_TAG_CLASSES[v.status] });

/**
 * The applicant's variation pages, from the award's page: the award's variations, asking for one
 * (the kind first, then its fields: one thing per page), a variation's status, and withdrawing it.
 * They call the same doors as the API; the variation policy decides who sees and asks.
 */
@ApiExcludeController()
@Controller()
export class VariationsPages {
  constructor(
    private readonly reader: VariationReader,
    private readonly variations: VariationsService,
    private readonly policy: VariationPolicy,
    private readonly pages: PageRenderer,
  ) {}

  @Get('awards/:id/variations')
  @Access('user')
  async list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { award, items } = await this.reader.forAward(user, id);
    return this.pages.render(request, reply, 'variations/list.njk', {
      pageTitle: `Changes to grant ${award.reference}`,
      award,
      items: items.map(tagged),
      mayAsk: (await this.mayAsk(user, award)) && !items.some((v) => v.withdrawable),
      backLink: `/awards/${award.id}`,
    });
  }

  @Get('awards/:id/variations/new')
  @Access('user')
  async chooseForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderChoose(request, reply, user, id, '');
  }

  @Post('awards/:id/variations/new')
  @Access('user')
  async choose(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { award } = await this.reader.forAward(user, id);
    await this.policy.assert(user, { organisationId: award.organisation.id, visibleToApplicant: award.capabilities.visibleToApplicant }, 'request', 'award');
    const kind = formValue(body, 'kind');
    if (isVariationKind(kind)) return reply.redirect(`/awards/${id}/variations/new/${kind}`, 303);
    const error = validationFailed([{ field: 'kind', code: 'FIELD.REQUIRED', message: 'Choose what you want to change' }]);
    return this.renderChoose(request, reply, user, id, kind, error);
  }

  @Get('awards/:id/variations/new/:kind')
  @Access('user')
  async detailsForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('kind') kind: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderDetails(request, reply, user, id, kind, {});
  }

  @Post('awards/:id/variations/new/:kind')
  @Access('user')
  async ask(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('kind') kind: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    if (!isVariationKind(kind)) throw notFound('Page', 'PAGE.NOT_FOUND');
    try {
      const { award } = await this.reader.forAward(user, id);
      const created = await this.variations.request(user, actor, id, requestFrom(kind, award, body));
      return reply.redirect(`/variations/${created.id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderDetails(request, reply, user, id, kind, body, error);
    }
  }

  @Get('variations/:id')
  @Access('user')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { variation, award } = await this.reader.get(user, id);
    const standing = await this.policy.standing(user, award.organisation.id);
    return this.pages.render(request, reply, 'variations/show.njk', {
      pageTitle: `${variation.kindLabel}: ${award.reference}`,
      variation: tagged(variation),
      award,
      mayWithdraw: standing.owner && variation.withdrawable,
      mayDecide: standing.decides && variation.decidable,
      backLink: readsAll(user) ? '/staff/variations' : `/awards/${award.id}/variations`,
    });
  }

  @Post('variations/:id/withdraw')
  @Access('user')
  async withdraw(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Res() reply: FastifyReply) {
    await this.variations.withdraw(user, actor, id, null);
    return reply.redirect(`/variations/${id}`, 303);
  }

  private async mayAsk(user: AuthenticatedUser, award: AwardView): Promise<boolean> {
    return (await this.policy.standing(user, award.organisation.id)).owner && award.capabilities.variable;
  }

  private async renderChoose(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, chosen: string, error?: unknown) {
    const { award } = await this.reader.forAward(user, id);
    const { form, status } = pageErrorView(error, {}, { kind: 'kind' });
    return this.pages.render(
      request,
      reply,
      'variations/choose.njk',
      {
        pageTitle: 'What do you want to change?',
        award,
        mayAsk: await this.mayAsk(user, award),
        kindItems: VARIATION_KINDS.map((k) => ({ value: k, text: VARIATION_KIND_LABELS[k], hint: { text: KIND_HINTS[k] }, checked: k === chosen })),
        ...form,
        backLink: `/awards/${id}/variations`,
      },
      status,
    );
  }

  private async renderDetails(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, kind: string, body: FormBody, error?: unknown) {
    if (!isVariationKind(kind)) throw notFound('Page', 'PAGE.NOT_FOUND');
    const { award } = await this.reader.forAward(user, id);
    const firstLine = award.budgetLines[0] ? `line-${award.budgetLines[0].budgetLineId}` : 'reason';
    const { form, status } = pageErrorView(error, { budgetLines: firstLine }, { endsOn: 'endsOn-day', amountPence: 'amount' });
    const typed = Object.keys(body).length > 0;
    return this.pages.render(
      request,
      reply,
      'variations/details.njk',
      {
        pageTitle: VARIATION_KIND_LABELS[kind],
        award,
        kind,
        mayAsk: await this.mayAsk(user, award),
        lines: award.budgetLines.map((l) => ({ ...l, name: `line-${l.budgetLineId}`, value: typed ? formValue(body, `line-${l.budgetLineId}`) : penceAsPounds(l.amountPence) })),
        values: {
          reason: formValue(body, 'reason'),
          amount: typed ? formValue(body, 'amount') : penceAsPounds(award.amountPence),
          endsOn: typed ? dateParts(body, 'endsOn') : partsOf(null),
        },
        ...form,
        backLink: `/awards/${id}/variations/new`,
      },
      status,
    );
  }
}

const readsAll = (user: AuthenticatedUser) => hasRole(user, 'grants_officer', 'finance_officer', 'auditor');

/** The grants officer's pages: variations to decide, and the decision page with each line before and after and the pot's money. */
@ApiExcludeController()
@Controller('staff/variations')
export class StaffVariationsPages {
  constructor(
    private readonly reader: VariationReader,
    private readonly variations: VariationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('grants_officer', 'finance_officer')
  async list(@CurrentUser() user: AuthenticatedUser, @Query('status') status: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const chosen = status === 'any' ? undefined : VARIATION_STATUSES.find((s) => s === status) ?? 'requested';
    const page = await this.reader.list(user, { status: chosen, page: 1, pageSize: 200 });
    return this.pages.render(request, reply, 'variations/staff-list.njk', {
      pageTitle: 'Variations',
      items: page.items.map(tagged),
      total: page.total,
      statusItems: [...VARIATION_STATUSES.map((s) => ({ value: s, text: VARIATION_STATUS_LABELS[s], selected: s === chosen })), { value: 'any', text: 'Any status', selected: !chosen }],
    });
  }

  @Get(':id')
  @StaffRead('grants_officer', 'finance_officer')
  async decideForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderDecide(request, reply, user, id, {});
  }

  @Post(':id/decision')
  @Access('grants_officer')
  async decide(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const outcome = formValue(body, 'outcome');
    try {
      if (outcome !== 'approve' && outcome !== 'refuse') throw validationFailed([{ field: 'outcome', code: 'FIELD.REQUIRED', message: 'Choose whether to approve or refuse the change' }]);
      await this.variations.decide(user, actor, id, { outcome, note: formValue(body, 'note') || null }, undefined);
      return reply.redirect(`/staff/variations/${id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderDecide(request, reply, user, id, body, error);
    }
  }

  private async renderDecide(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, body: FormBody, error?: unknown) {
    const { variation, award, pot } = await this.reader.forDecision(user, id);
    const { form, status } = pageErrorView(error, {}, { outcome: 'outcome' });
    const outcome = formValue(body, 'outcome');
    return this.pages.render(
      request,
      reply,
      'variations/decide.njk',
      {
        pageTitle: `Decide: ${variation.kindLabel} (${award.reference})`,
        variation: tagged(variation),
        award,
        pot,
        availableAfterPence: pot ? pot.availablePence - variation.differencePence : null,
        mayDecide: hasRole(user, 'grants_officer') && variation.decidable,
        outcomeItems: [
          { value: 'approve', text: 'Approve the change', checked: outcome === 'approve' },
          { value: 'refuse', text: 'Refuse the change', checked: outcome === 'refuse' },
        ],
        values: { note: formValue(body, 'note') },
        ...form,
        backLink: '/staff/variations',
      },
      status,
    );
  }
}
