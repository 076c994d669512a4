import { Module } from '@nestjs/common';
import { ClockModule } from '../common/clock.js';
import { ReferenceDataModule } from '../reference-data/reference-data.module.js';
import { FundsController } from './funds.controller.js';
import { FundsService } from './funds.service.js';
import { PotLedger } from './pot-ledger.service.js';
import { PotSetupService } from './pot-setup.service.js';
import { RoundCloseJob, RoundOpenJob } from './round-jobs.job.js';
import { RoundLifecycleService } from './round-lifecycle.service.js';
import { RoundReader } from './round-reader.service.js';
import { RoundSetupService } from './round-setup.service.js';
import { RoundsController } from './rounds.controller.js';
import { RoundHistoryService } from './round-history.service.js';
import { RoundsService } from './rounds.service.js';
import { RoundsPages } from './rounds.pages.js';
import { StaffFundsPages } from './staff-funds.pages.js';
import { StaffRoundDetailsPages } from './staff-round-details.pages.js';
import { StaffRoundEligibilityPages } from './staff-round-eligibility.pages.js';
import { StaffRoundFormPages } from './staff-round-form.pages.js';
import { StaffRoundPotsPages } from './staff-round-pots.pages.js';
import { StaffRoundSummary } from './staff-round-summary.js';
import { StaffRoundsPages } from './staff-rounds.pages.js';

/**
 * Funds, rounds, pots, eligibility questions and forms, and the pot ledger (PotLedger: the only
 * way a pot's money moves). Other domains use RoundsService (and RoundReader for views); the time comes from the one Clock.
 */
@Module({
  imports: [ReferenceDataModule, ClockModule],
  controllers: [
    FundsController,
    RoundsController,
    RoundsPages,
    StaffRoundsPages,
    StaffRoundDetailsPages,
    StaffRoundPotsPages,
    StaffRoundEligibilityPages,
    StaffRoundFormPages,
    StaffFundsPages,
  ],
  providers: [PotLedger, RoundHistoryService, RoundsService, FundsService, RoundReader, RoundSetupService, PotSetupService, RoundLifecycleService, StaffRoundSummary, RoundOpenJob, RoundCloseJob],
  exports: [PotLedger, RoundHistoryService, RoundsService, RoundReader, RoundSetupService, RoundLifecycleService, FundsService],
})
export class FundsModule {}
