import { Global, Module } from '@nestjs/common';
import { AWARD_MONEY_BACK, AWARD_PAYMENT_PLAN_TEXT, AWARD_SCHEDULE_FOLLOWER, type AwardMoneyBack, type AwardScheduleFollower, type OfferLetterText } from '../awards/award-hub.types.js';
import { PaymentSchedulesService } from './payment-schedules.service.js';
import { ClawbacksService } from './clawbacks.service.js';
import { FinanceModule } from './finance.module.js';

/** Provides awards' ports: AwardMoneyBack (the clawbacks owed, on the award's page) and AwardScheduleFollower (the schedule follows a varied amount) and AWARD_PAYMENT_PLAN_TEXT (the offer letter's payment plan); global, as awards cannot import finance. */
@Global()
@Module({
  imports: [FinanceModule],
  providers: [
    {
      provide: AWARD_MONEY_BACK,
      inject: [ClawbacksService],
      useFactory: (clawbacks: ClawbacksService): AwardMoneyBack => ({
        owedOn: async (awardId) => (await clawbacks.openClawbacks(awardId)).map((c) => ({ outstandingPence: c.outstandingPence, dueOn: c.dueOn, reason: c.reason, statusLabel: c.statusLabel })),
      }),
    },
    {
      provide: AWARD_SCHEDULE_FOLLOWER,
      inject: [PaymentSchedulesService],
      useFactory: (schedules: PaymentSchedulesService): AwardScheduleFollower => ({ amountChanged: (m, awardId, actor) => schedules.followAmount(m, awardId, actor) }),
    },
    {
      provide: AWARD_PAYMENT_PLAN_TEXT,
      inject: [PaymentSchedulesService],
      useFactory: (schedules: PaymentSchedulesService): OfferLetterText => ({ linesFor: (award) => schedules.letterLines(award) }),
    },
  ],
  exports: [AWARD_MONEY_BACK, AWARD_SCHEDULE_FOLLOWER, AWARD_PAYMENT_PLAN_TEXT],
})
export class FinanceHubModule {}
