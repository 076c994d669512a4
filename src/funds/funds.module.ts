import { Module } from '@nestjs/common';
import { RoundsService } from './rounds.service.js';

/** Funds, rounds, pots, eligibility questions and forms. Other domains use RoundsService. */
@Module({
  providers: [RoundsService],
  exports: [RoundsService],
})
export class FundsModule {}
