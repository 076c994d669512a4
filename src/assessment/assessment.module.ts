import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { ApplicationsModule } from '../applications/applications.module.js';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { ClockModule } from '../common/clock.js';
import { FundsModule } from '../funds/funds.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AssessmentReminderJob } from './assessment-reminder.job.js';
import { AssessmentSetupPages } from './assessment-setup.pages.js';
import { AssessmentSetupService } from './assessment-setup.service.js';
import { AssessmentController } from './assessment.controller.js';
import { AssessmentPages } from './assessment.pages.js';
import { AssignmentService } from './assignment.service.js';
import { ConflictsService } from './conflicts.service.js';
import { RankingService } from './ranking.service.js';
import { ScoringService } from './scoring.service.js';

/**
 * Assessment: criteria, assessor pools, conflicts of interest, assignment, scoring, moderation and
 * ranking. Talks to applications only through its services (ApplicationReader, ApplicationEvents,
 * ApplicationTransitions) and gives the application policy its "assigned assessor" standing.
 */
@Module({
  imports: [ApplicationsModule, ClockModule, FundsModule, OrganisationsModule, PeopleModule, PoliciesModule],
  controllers: [AssessmentController, AssessmentPages, AssessmentSetupPages],
  providers: [AssessmentSetupService, AssignmentService, ScoringService, ConflictsService, RankingService, AssessmentReminderJob],
  exports: [AssessmentSetupService, AssignmentService, ScoringService, ConflictsService, RankingService],
})
export class AssessmentModule {}
