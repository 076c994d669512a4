import { Module } from '@nestjs/common';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ApplicationAccess } from './application-access.js';
import { ApplicationsController, RoundApplicationsController } from './applications.controller.js';
import { ApplicationsExportService } from './applications-export.service.js';
import { ApplicationPages } from './applications.pages.js';
import { ApplicationsService } from './applications.service.js';
import { BudgetLinesService } from './budget-lines.service.js';
import { EligibilityService } from './eligibility.service.js';
import { StaffApplicationPages } from './staff-applications.pages.js';

/** The online application: eligibility, drafts, sections, budget, submission, withdrawal, staff views. */
@Module({
  imports: [FundsModule, OrganisationsModule, PoliciesModule],
  controllers: [ApplicationsController, RoundApplicationsController, ApplicationPages, StaffApplicationPages],
  providers: [ApplicationAccess, ApplicationsService, BudgetLinesService, EligibilityService, ApplicationsExportService],
  exports: [ApplicationsService, ApplicationAccess],
})
export class ApplicationsModule {}
