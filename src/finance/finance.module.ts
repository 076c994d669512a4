import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { FinancePolicy } from '../auth/policies/finance.policy.js';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { AwardsModule } from '../awards/awards.module.js';
import { ClockModule } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { FundsModule } from '../funds/funds.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AwardMoneyAccess } from './award-money-access.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { ClawbackPages } from './clawback.pages.js';
import { ClawbacksController } from './clawbacks.controller.js';
import { ClawbacksService } from './clawbacks.service.js';
import { DataCipher } from './data-cipher.js';
import { FinanceAccess } from './finance-access.js';
import { FinanceMail } from './finance-mail.js';
import { FinanceSettingsPages } from './finance-settings.pages.js';
import { StaffFinancePages } from './finance-staff.pages.js';
import { FinanceController } from './finance.controller.js';
import { FinancePages } from './finance.pages.js';
import { PaymentSchedulesService } from './payment-schedules.service.js';
import { PaymentSettingsService } from './payment-settings.service.js';
import { PaymentsDueService } from './payments-due.service.js';
import { PaymentsService } from './payments.service.js';
import { ReconciliationController } from './reconciliation.controller.js';
import { ReconciliationJob } from './reconciliation.job.js';
import { ReconciliationPages } from './reconciliation.pages.js';
import { ReconciliationScheduler } from './reconciliation.scheduler.js';
import { ReconciliationService } from './reconciliation.service.js';
import { RepaymentPages } from './repayment.pages.js';
import { RepaymentsController } from './repayments.controller.js';
import { RepaymentsService } from './repayments.service.js';

/**
 * Finance (issue 9): bank details per award (sealed at rest, verified by a second person),
 * payment schedules from each round's plan, payments with a second finance officer's approval
 * above the fund's threshold, and the payments-due list with its exports; money coming back
 * (clawbacks raised by grants officers, repayments recorded by finance) and the reconciliation of
 * awards and pots with the pot ledger (on a page, the API, and a nightly job). Money moves
 * through AwardsService and funds' PotLedger in the use case's transaction.
 */
@Module({
  imports: [AwardsModule, FundsModule, OrganisationsModule, PeopleModule, IdempotencyModule, ClockModule, PoliciesModule],
  controllers: [
    FinanceController,
    FinancePages,
    StaffFinancePages,
    FinanceSettingsPages,
    ClawbacksController,
    RepaymentsController,
    ReconciliationController,
    ClawbackPages,
    RepaymentPages,
    ReconciliationPages,
  ],
  providers: [
    FinancePolicy,
    FinanceAccess,
    DataCipher,
    BankAccountsService,
    PaymentSchedulesService,
    PaymentSettingsService,
    PaymentsService,
    PaymentsDueService,
    AwardMoneyAccess,
    FinanceMail,
    ClawbacksService,
    RepaymentsService,
    ReconciliationService,
    ReconciliationJob,
    ReconciliationScheduler,
  ],
  exports: [BankAccountsService, PaymentSchedulesService, PaymentSettingsService, PaymentsService, PaymentsDueService, ClawbacksService, RepaymentsService, ReconciliationService],
})
export class FinanceModule implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: ReconciliationScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Tests run the nightly reconciliation by hand; every real process may register it (upsert is idempotent).
    if (this.config.nodeEnv !== 'test') await this.scheduler.schedule();
  }
}
