import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { ReferenceDataModule } from '../reference-data/reference-data.module.js';
import { ApplicationAccess } from './application-access.js';
import { ApplicationDraftsService } from './application-drafts.service.js';
import { ApplicationHistoryService } from './application-history.service.js';
import { ApplicationReader } from './application-reader.js';
import { ApplicationSectionsService } from './application-sections.service.js';
import { ApplicationSubmissionService } from './application-submission.service.js';
import { ApplicationEvents, ApplicationStatusChangedJob, ApplicationTransitions } from './application-transitions.service.js';
import { ApplicationsController, RoundApplicationsController } from './applications.controller.js';
import { ApplicationsExportService } from './applications-export.service.js';
import { ApplicationsService } from './applications.service.js';
import { BudgetLinesService } from './budget-lines.service.js';
import { EligibilityService } from './eligibility.service.js';
import { BudgetLinePages } from './budget-line.pages.js';
import { BudgetPages } from './budget.pages.js';
import { CheckAnswersPages } from './check-answers.pages.js';
import { DashboardPages } from './dashboard.pages.js';
import { EligibilityPages } from './eligibility.pages.js';
import { FormSectionPages } from './form-section.pages.js';
import { ProjectDetailsPages } from './project-details.pages.js';
import { StartApplicationPages } from './start-application.pages.js';
import { WithdrawPages } from './withdraw.pages.js';
import { StaffApplicationPages } from './staff-applications.pages.js';
import { ProjectDetailsService } from './project-details.service.js';

/**
 * The online application: eligibility, drafts, sections, budget, submission, withdrawal, staff views.
 * Other domains read bids through ApplicationReader and move them only through ApplicationTransitions.
 */
@Module({
  imports: [FundsModule, OrganisationsModule, ReferenceDataModule, PeopleModule, PoliciesModule],
  controllers: [
    ApplicationsController,
    RoundApplicationsController,
    // One page controller per journey of the applicant.
    EligibilityPages,
    StartApplicationPages,
    DashboardPages,
    ProjectDetailsPages,
    FormSectionPages,
    BudgetPages,
    BudgetLinePages,
    CheckAnswersPages,
    WithdrawPages,
    StaffApplicationPages,
  ],
  providers: [
    ApplicationAccess,
    ApplicationReader,
    ApplicationTransitions,
    ApplicationEvents,
    ApplicationStatusChangedJob,
    ApplicationDraftsService,
    ApplicationHistoryService,
    ApplicationSectionsService,
    ApplicationSubmissionService,
    ProjectDetailsService,
    ApplicationsService,
    BudgetLinesService,
    EligibilityService,
    ApplicationsExportService,
  ],
  exports: [ApplicationHistoryService, ApplicationsService, ApplicationAccess, ApplicationReader, ApplicationTransitions, ApplicationEvents],
})
export class ApplicationsModule {}
