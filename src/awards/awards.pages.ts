import { Body, Controller, Get, Inject, Optional, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { readsAllAwards } from '../auth/policies/award.policy.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { formatPence } from '../common/money.js';
import { isPageFormError, pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { awardCan, AWARD_STATUS_LABELS, AWARD_STATUSES, AWARD_TAG_CLASSES, isAwardStatus } from './award-lifecycle.js';
import { deadlineText } from './award-mail.js';
import { AWARD_MONEY_BACK, type AwardMoneyBack } from './award-hub.types.js';
import { AwardOffersService } from './award-offers.service.js';
import { AwardReader, type OfferLetter } from './award-reader.js';
import { AcceptAwardDto, DeclineAwardDto } from './awards.dto.js';
import { offerLetterPdf, sendPdf } from './offer-letter-pdf.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).toString();
const PAGE_SIZE = 25;
const pageNumber = (page: string | undefined) => (/^\d{1,5}$/.test(page ?? '') && Number(page) > 0 ? Number(page) : 1);

/** The letter as the templates show it: pounds, the deadline in words, the terms in paragraphs. */
const letterView = (letter: OfferLetter) => ({
  ...letter,
  amount: formatPence(letter.award.amountPence),
  deadline: deadlineText(letter.award.offerExpiresAt),
  tagClass: AWARD_TAG_CLASSES[letter.award.status],
  termsParagraphs: letter.terms ? letter.terms.text.split(/\n{2,}/).map((p) => p.split('\n')) : [],
  open: awardCan(letter.award.status).acceptable,
});

/**
 * The applicant's award pages: their awards, the offer letter (page and PDF), accepting with the
 * declaration and declining with a reason, each with its confirmation. They call the same doors
 * as the API (AwardReader, AwardOffersService); the policy decides who sees and answers.
 */
@ApiExcludeController()
@Controller('awards')
export class AwardsPages {
  constructor(
    private readonly reader: AwardReader,
    private readonly offers: AwardOffersService,
    private readonly pages: PageRenderer,
    @Optional() @Inject(AWARD_MONEY_BACK) private readonly moneyBack?: AwardMoneyBack,
  ) {}

  @Get()
  @Access('user')
  async list(@CurrentUser() user: AuthenticatedUser, @Query('page') page: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const n = pageNumber(page);
    const result = await this.reader.list(user, { page: n, pageSize: PAGE_SIZE });
    return this.pages.render(request, reply, 'awards/list.njk', {
      pageTitle: 'Your grants',
      items: result.items.map((a) => ({ ...a, tagClass: AWARD_TAG_CLASSES[a.status], open: awardCan(a.status).acceptable })),
      total: result.total,
      page: n,
      pages: Math.ceil(result.total / PAGE_SIZE),
      baseUrl: '/awards?',
    });
  }

  @Get(':id')
  @Access('user')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const letter = await this.reader.letter(user, id);
    return this.pages.render(request, reply, 'awards/offer.njk', {
      pageTitle: `Offer of a grant ${letter.award.reference}`,
      ...letterView(letter),
      mayRespond: await this.reader.mayRespond(user, letter.award),
      owed: letter.award.acceptance && this.moneyBack ? await this.moneyBack.owedOn(letter.award.id) : [],
      backLink: readsAllAwards(user) ? '/staff/awards' : '/awards',
    });
  }

  @Get(':id/offer-letter.pdf')
  @Access('user')
  async pdf(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Res() reply: FastifyReply) {
    const letter = await this.reader.letter(user, id);
    await sendPdf(reply, await offerLetterPdf(letter), `${letter.award.reference}-offer-letter.pdf`);
  }

  @Get(':id/accept')
  @Access('user')
  async acceptForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderAccept(request, reply, user, id, { signatoryName: user.fullName, signatoryRole: '', acceptTerms: '' });
  }

  @Post(':id/accept')
  @Access('user')
  async accept(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { signatoryName: one(body.signatoryName), signatoryRole: one(body.signatoryRole), acceptTerms: one(body.acceptTerms), agreementVersion: one(body.agreementVersion) };
    try {
      const input = await pageForm(
        AcceptAwardDto,
        { signatoryName: values.signatoryName.trim(), signatoryRole: values.signatoryRole.trim(), agreementVersion: Number(values.agreementVersion), acceptTerms: values.acceptTerms === 'yes' },
        {
          messages: {
            signatoryName: 'Enter your full name',
            signatoryRole: 'Enter your role in the organisation',
            acceptTerms: 'Confirm that you have read and accept the grant agreement and the conditions',
            agreementVersion: 'Read the offer again: its agreement has changed',
          },
          order: ['signatoryName', 'signatoryRole', 'acceptTerms'],
        },
      );
      await this.offers.accept(user, actor, id, input);
      return reply.redirect(`/awards/${id}/accepted`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderAccept(request, reply, user, id, values, error);
    }
  }

  @Get(':id/accepted')
  @Access('user')
  async accepted(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const letter = await this.reader.letter(user, id);
    return this.pages.render(request, reply, 'awards/answered.njk', { pageTitle: 'Offer accepted', ...letterView(letter), answer: 'accepted' });
  }

  @Get(':id/decline')
  @Access('user')
  async declineForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderDecline(request, reply, user, id, { reason: '' });
  }

  @Post(':id/decline')
  @Access('user')
  async decline(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { reason: one(body.reason) };
    try {
      const { reason } = await pageForm(DeclineAwardDto, { reason: values.reason.trim() }, { messages: { reason: { 'FIELD.TOO_LONG': 'The reason must be 2000 characters or fewer', default: 'Tell us why you are declining the offer' } } });
      await this.offers.decline(user, actor, id, reason);
      return reply.redirect(`/awards/${id}/declined`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderDecline(request, reply, user, id, values, error);
    }
  }

  @Get(':id/declined')
  @Access('user')
  async declined(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const letter = await this.reader.letter(user, id);
    return this.pages.render(request, reply, 'awards/answered.njk', { pageTitle: 'Offer declined', ...letterView(letter), answer: 'declined' });
  }

  private async renderAccept(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, values: Record<string, string>, error?: unknown) {
    const letter = await this.reader.letter(user, id);
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'awards/accept.njk',
      { pageTitle: 'Accept the offer', ...letterView(letter), mayRespond: await this.reader.mayRespond(user, letter.award), values, ...form, backLink: `/awards/${id}` },
      status,
    );
  }

  private async renderDecline(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, values: Record<string, string>, error?: unknown) {
    const letter = await this.reader.letter(user, id);
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'awards/decline.njk',
      { pageTitle: 'Decline the offer', ...letterView(letter), mayRespond: await this.reader.mayRespond(user, letter.award), values, ...form, backLink: `/awards/${id}` },
      status,
    );
  }
}

/** The grants officer's (and finance's, and the auditor's) list of awards, filtered by status. */
@ApiExcludeController()
@Controller('staff/awards')
export class StaffAwardsPages {
  constructor(
    private readonly reader: AwardReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('grants_officer', 'finance_officer')
  async list(@CurrentUser() user: AuthenticatedUser, @Query('status') status: string, @Query('page') page: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const n = pageNumber(page);
    const chosen = isAwardStatus(status) ? status : undefined;
    const result = await this.reader.list(user, { status: chosen, page: n, pageSize: PAGE_SIZE });
    return this.pages.render(request, reply, 'awards/staff-list.njk', {
      pageTitle: 'Awards',
      items: result.items.map((a) => ({ ...a, tagClass: AWARD_TAG_CLASSES[a.status] })),
      statusItems: [{ value: '', text: 'Any status', selected: !chosen }, ...AWARD_STATUSES.map((s) => ({ value: s, text: AWARD_STATUS_LABELS[s], selected: s === chosen }))],
      total: result.total,
      page: n,
      pages: Math.ceil(result.total / PAGE_SIZE),
      baseUrl: `/staff/awards?${chosen ? `status=${chosen}&` : ''}`,
    });
  }
}
