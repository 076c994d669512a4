import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ClockModule } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PeopleModule } from '../accounts/people.module.js';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { AwardsModule } from '../awards/awards.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AwardMoneyAccess } from './award-money-access.js';
import { ClawbackPages } from './clawback.pages.js';
import { ClawbacksController } from './clawbacks.controller.js';
import { ReconciliationPages } from './reconciliation.pages.js';
import { RepaymentPages } from './repayment.pages.js';
import { ClawbacksService } from './clawbacks.service.js';
import { FinanceMail } from './finance-mail.js';
import { RepaymentsController } from './repayments.controller.js';
import { RepaymentsService } from './repayments.service.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationJob } from './reconciliation.job.js';
import { ReconciliationScheduler } from './reconciliation.scheduler.js';
import { ReconciliationService } from './reconciliation.service.js';

/**
 * Finance (issue 9): money coming back (clawbacks raised by grants officers, repayments recorded by
 * finance) and reconciliation. Award money moves through AwardsService and funds' PotLedger in the
 * use case's transaction.
 */
@Module({
  imports: [AwardsModule, FundsModule, IdempotencyModule, OrganisationsModule, PeopleModule, PoliciesModule, ClockModule],
  controllers: [ClawbacksController, RepaymentsController, ReconciliationController, ClawbackPages, RepaymentPages, ReconciliationPages],
  providers: [AwardMoneyAccess, FinanceMail, ClawbacksService, RepaymentsService, ReconciliationService, ReconciliationJob, ReconciliationScheduler],
  exports: [ClawbacksService, RepaymentsService, ReconciliationService],
})
export class FinanceModule implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: ReconciliationScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Tests run the job by hand; every real process may register it (upsert is idempotent).
    if (this.config.nodeEnv !== 'test') await this.scheduler.schedule();
  }
}
