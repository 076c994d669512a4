import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { AwardsModule } from '../awards/awards.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AwardMoneyAccess } from './award-money-access.js';
import { ClawbacksController } from './clawbacks.controller.js';
import { ClawbacksService } from './clawbacks.service.js';
import { FinanceMail } from './finance-mail.js';
import { RepaymentsController } from './repayments.controller.js';
import { RepaymentsService } from './repayments.service.js';

/**
 * Finance (issue 9): money coming back (clawbacks raised by grants officers, repayments recorded by
 * finance) and reconciliation. Award money moves through AwardsService and funds' PotLedger in the
 * use case's transaction.
 */
@Module({
  imports: [AwardsModule, FundsModule, IdempotencyModule, OrganisationsModule, PeopleModule, PoliciesModule],
  controllers: [ClawbacksController, RepaymentsController],
  providers: [AwardMoneyAccess, FinanceMail, ClawbacksService, RepaymentsService],
  exports: [ClawbacksService, RepaymentsService],
})
export class FinanceModule {}
