import { FinanceModule } from '../finance/finance.module.js';
import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { AttachmentsModule } from '../attachments/attachments.module.js';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { AwardsModule } from '../awards/awards.module.js';
import { ClockModule } from '../common/clock.js';
import { FundsModule } from '../funds/funds.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AwardAcceptedJob } from './award-accepted.job.js';
import { AwardClosureService } from './award-closure.service.js';
import { MonitoringController } from './monitoring.controller.js';
import { MonitoringMail } from './monitoring-mail.js';
import { MonitoringReader } from './monitoring-reader.js';
import { ReturnEvidenceService } from './return-evidence.service.js';
import { ReturnMoves } from './return-moves.js';
import { ReturnReminderJob } from './return-reminder.job.js';
import { ReturnSchedulesService } from './return-schedules.service.js';
import { ReturnsSetupService } from './returns-setup.service.js';
import { ReturnsPages } from './returns.pages.js';
import { ReturnsService } from './returns.service.js';
import { StaffMonitoringPages } from './staff-monitoring.pages.js';

/**
 * Monitoring (issue 9): each round's return schedule, the returns an award owes (created when it
 * is accepted), their reminders, writing, submitting and reviewing them, and closing the award.
 * Awards are read through AwardReader and moved through AwardsService; money through PotLedger.
 */
@Module({
  imports: [AttachmentsModule, AwardsModule, FinanceModule, FundsModule, OrganisationsModule, PeopleModule, PoliciesModule, ClockModule, IdempotencyModule],
  controllers: [MonitoringController, ReturnsPages, StaffMonitoringPages],
  providers: [ReturnEvidenceService, ReturnSchedulesService, ReturnsSetupService, ReturnsService, ReturnMoves, MonitoringReader, MonitoringMail, AwardClosureService, AwardAcceptedJob, ReturnReminderJob],
  exports: [MonitoringReader, ReturnSchedulesService],
})
export class MonitoringModule {}
