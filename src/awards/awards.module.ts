import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { ApplicationsModule } from '../applications/applications.module.js';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { ClockModule } from '../common/clock.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AgreementTermsService } from './agreement-terms.service.js';
import { AwardOfferExpiryJob } from './award-expiry.job.js';
import { AwardMail } from './award-mail.js';
import { AwardMoves } from './award-moves.js';
import { AwardOffersService } from './award-offers.service.js';
import { AwardReader } from './award-reader.js';
import { AwardsController } from './awards.controller.js';
import { AwardsPages, StaffAwardsPages } from './awards.pages.js';
import { AwardsService } from './awards.service.js';
import { VariationReader } from './variation-reader.js';
import { VariationsController } from './variations.controller.js';
import { VariationsService } from './variations.service.js';
import { StaffVariationsPages, VariationsPages } from './variations.pages.js';

/**
 * Awards and offers (issue 8): the award lifecycle, the door panels calls (AwardsService), the
 * offer letter (page and PDF), acceptance and declining by an owner, the offer's expiry job, and
 * each fund's grant agreement terms as versioned data; variations of accepted awards (issue 9). Money moves through funds' PotLedger.
 */
@Module({
  imports: [ApplicationsModule, FundsModule, OrganisationsModule, PeopleModule, PoliciesModule, ClockModule, IdempotencyModule],
  controllers: [AwardsController, AwardsPages, StaffAwardsPages, VariationsController, VariationsPages, StaffVariationsPages],
  providers: [AwardsService, AwardOffersService, AwardReader, AwardMoves, AwardMail, AgreementTermsService, AwardOfferExpiryJob, VariationsService, VariationReader],
  exports: [AwardsService, AwardReader, AgreementTermsService, VariationsService, VariationReader],
})
export class AwardsModule {}
