import { Global, Module } from '@nestjs/common';
import { AWARD_MONEY_BACK, type AwardMoneyBack } from '../awards/award-hub.types.js';
import { ClawbacksService } from './clawbacks.service.js';
import { FinanceModule } from './finance.module.js';

/** Provides awards' AwardMoneyBack port (the clawbacks owed, on the award's page); global, as awards cannot import finance. */
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
  ],
  exports: [AWARD_MONEY_BACK],
})
export class FinanceHubModule {}
