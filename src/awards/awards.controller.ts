import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { AgreementTermsService, type AgreementTermsView } from './agreement-terms.service.js';
import { AwardOffersService } from './award-offers.service.js';
import { AwardReader, type AwardView } from './award-reader.js';
import { AcceptAwardDto, AgreementTermsResponse, AwardListQueryDto, AwardPageResponse, AwardResponse, DeclineAwardDto, PublishAgreementDto } from './awards.dto.js';
import { offerLetterPdf, sendPdf } from './offer-letter-pdf.js';

/** The API's shape of an award (API.md's fields, and a few more). */
export const awardResponse = (a: AwardView) => ({
  id: a.id,
  reference: a.reference,
  applicationId: a.applicationId,
  roundId: a.roundId,
  potId: a.potId,
  organisation: a.organisation,
  amountPence: a.amountPence,
  paidPence: a.paidPence,
  releasedPence: a.releasedPence,
  outstandingPence: a.outstandingPence,
  budgetLines: a.budgetLines,
  startsOn: a.startsOn,
  endsOn: a.endsOn,
  status: a.status,
  statusLabel: a.statusLabel,
  conditions: a.conditions,
  offeredAt: a.offeredAt,
  offerExpiresAt: a.offerExpiresAt,
  agreementVersion: a.agreementVersion,
  acceptance: a.acceptance,
  decline: a.decline,
  createdAt: a.createdAt,
});

const termsResponse = (t: AgreementTermsView) => ({ id: t.id, fundId: t.fundId, version: t.version, text: t.text, publishedAt: t.publishedAt, publishedBy: t.publishedBy.label });

@ApiTags('awards')
@ApiBearerAuth()
@Controller('api/v1')
export class AwardsController {
  constructor(
    private readonly reader: AwardReader,
    private readonly offers: AwardOffersService,
    private readonly agreements: AgreementTermsService,
  ) {}

  @Get('awards')
  @Access('user')
  @ApiOkResponse({ type: AwardPageResponse })
  @ApiOperation({ summary: "Awards, newest first: staff who read awards see all; applicants their organisations' offered and later awards. Filter by roundId, organisationId, status" })
  async list(@CurrentUser() user: AuthenticatedUser, @Query() query: AwardListQueryDto) {
    const page = await this.reader.list(user, query);
    return { ...page, items: page.items.map(awardResponse) };
  }

  @Get('awards/:id')
  @Access('user')
  @ApiOkResponse({ type: AwardResponse })
  @ApiOperation({ summary: 'One award (404 for another organisation’s, or one not yet offered)' })
  async get(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    return awardResponse(await this.reader.get(user, id));
  }

  @Get('awards/:id/offer-letter.pdf')
  @Access('user')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The offer letter', schema: { type: 'string', format: 'binary' } })
  @ApiOperation({ summary: 'The offer letter as a PDF: organisation, amount, conditions, payment plan, monitoring and the agreement terms of the offer' })
  async letter(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const letter = await this.reader.letter(user, id);
    await sendPdf(reply, await offerLetterPdf(letter), `${letter.award.reference}-offer-letter.pdf`);
  }

  @Post('awards/:id/accept')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ type: AwardResponse })
  @ApiOperation({
    summary:
      'Accept the offer (an owner of the organisation): signatory, role, the agreement version read, acceptTerms true. 409 AWARD.AGREEMENT_VERSION_MISMATCH, AWARD.OFFER_EXPIRED or AWARD.NOT_OFFERED; 403 AWARD.OWNERS_ONLY',
  })
  async accept(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: AcceptAwardDto) {
    await this.offers.accept(user, actor, id, { signatoryName: body.signatoryName.trim(), signatoryRole: body.signatoryRole.trim(), agreementVersion: body.agreementVersion, acceptTerms: body.acceptTerms });
    return awardResponse(await this.reader.get(user, id));
  }

  @Post('awards/:id/decline')
  @Access('user')
  @HttpCode(200)
  @ApiOkResponse({ type: AwardResponse })
  @ApiOperation({ summary: 'Decline the offer with a reason (an owner of the organisation); its money goes back to the pot' })
  async decline(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: DeclineAwardDto) {
    await this.offers.decline(user, actor, id, body.reason.trim());
    return awardResponse(await this.reader.get(user, id));
  }

  @Post('awards/:id/withdraw')
  @Access('grants_officer')
  @HttpCode(200)
  @ApiOkResponse({ type: AwardResponse })
  @ApiOperation({ summary: 'Withdraw an offer not yet answered, with a reason (grants officers); its money goes back to the pot. 409 AWARD.ILLEGAL_TRANSITION once answered' })
  async withdraw(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: DeclineAwardDto) {
    await this.offers.withdraw(user, actor, id, body.reason.trim());
    return awardResponse(await this.reader.get(user, id));
  }

  @Get('funds/:id/agreement')
  @StaffRead('grants_officer', 'finance_officer')
  @ApiOkResponse({ type: AgreementTermsResponse })
  @ApiOperation({ summary: "The fund's current grant agreement terms (the default, as version 1, until one is published)" })
  async agreement(@Param('id') id: string) {
    return termsResponse(await this.agreements.current(id));
  }

  @Put('funds/:id/agreement')
  @Access('grants_officer')
  @ApiOkResponse({ type: AgreementTermsResponse })
  @ApiOperation({ summary: "Publish a new version of the fund's grant agreement terms; offers made from now on use it" })
  async publishAgreement(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: PublishAgreementDto) {
    return termsResponse(await this.agreements.publish(actor, id, body.text.trim()));
  }
}
