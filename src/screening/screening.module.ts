import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { ApplicationsModule } from '../applications/applications.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ManualRegisterLookup, REGISTER_LOOKUP } from './register-lookup.js';
import { ScreeningChecklistsService } from './screening-checklists.service.js';
import { ScreeningMail, ScreeningReminderJob } from './screening-mail.service.js';
import { ScreeningController } from './screening.controller.js';
import { ScreeningPages } from './screening.pages.js';
import { ScreeningService } from './screening.service.js';

/**
 * Screening submitted bids (issue 7): each round's checklist, the register look-up port (manual
 * by default: bind another RegisterLookup to REGISTER_LOOKUP for a real register client), the queue,
 * outcomes and the more-information loop's emails and reminder.
 */
@Module({
  imports: [ApplicationsModule, FundsModule, OrganisationsModule, PeopleModule],
  controllers: [ScreeningController, ScreeningPages],
  providers: [ScreeningService, ScreeningChecklistsService, ScreeningMail, ScreeningReminderJob, { provide: REGISTER_LOOKUP, useClass: ManualRegisterLookup }],
  exports: [ScreeningService],
})
export class ScreeningModule {}
