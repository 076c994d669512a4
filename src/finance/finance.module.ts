import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { FinancePolicy } from '../auth/policies/finance.policy.js';
import { AwardsModule } from '../awards/awards.module.js';
import { ClockModule } from '../common/clock.js';
import { FundsModule } from '../funds/funds.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { BankAccountsService } from './bank-accounts.service.js';
import { DataCipher } from './data-cipher.js';
import { FinanceAccess } from './finance-access.js';
import { FinanceController } from './finance.controller.js';
import { FinancePages } from './finance.pages.js';
import { FinanceSettingsPages } from './finance-settings.pages.js';
import { StaffFinancePages } from './finance-staff.pages.js';
import { PaymentSchedulesService } from './payment-schedules.service.js';
import { PaymentSettingsService } from './payment-settings.service.js';
import { PaymentsDueService } from './payments-due.service.js';
import { PaymentsService } from './payments.service.js';

/**
 * Finance (issue 9): bank details per award (sealed at rest, verified by a second person),
 * payment schedules from each round's plan, payments with a second finance officer's approval
 * above the fund's threshold, and the payments-due list with its exports. Money moves through
 * AwardsService.recordPaid and funds' PotLedger in the payment's transaction.
 */
@Module({
  imports: [AwardsModule, FundsModule, OrganisationsModule, PeopleModule, IdempotencyModule, ClockModule],
  controllers: [FinanceController, FinancePages, StaffFinancePages, FinanceSettingsPages],
  providers: [FinancePolicy, FinanceAccess, DataCipher, BankAccountsService, PaymentSchedulesService, PaymentSettingsService, PaymentsService, PaymentsDueService],
  exports: [BankAccountsService, PaymentSchedulesService, PaymentSettingsService, PaymentsService, PaymentsDueService],
})
export class FinanceModule {}
