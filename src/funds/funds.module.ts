import { Module } from '@nestjs/common';
import { ReferenceDataModule } from '../reference-data/reference-data.module.js';
import { FundsController } from './funds.controller.js';
import { FundsService } from './funds.service.js';
import { RoundCloseJob, RoundOpenJob } from './round-jobs.job.js';
import { RoundLifecycleService } from './round-lifecycle.service.js';
import { RoundSetupService } from './round-setup.service.js';
import { RoundsController } from './rounds.controller.js';
import { RoundsService } from './rounds.service.js';
import { RoundsPages } from './rounds.pages.js';
import { StaffFundsPages } from './staff-funds.pages.js';
import { StaffRoundsPages } from './staff-rounds.pages.js';

/** Funds, rounds, pots, eligibility questions and forms. Other domains use RoundsService. */
@Module({
  imports: [ReferenceDataModule],
  controllers: [FundsController, RoundsController, RoundsPages, StaffRoundsPages, StaffFundsPages],
  providers: [RoundsService, FundsService, RoundSetupService, RoundLifecycleService, RoundOpenJob, RoundCloseJob],
  exports: [RoundsService, RoundSetupService, RoundLifecycleService, FundsService],
})
export class FundsModule {}
