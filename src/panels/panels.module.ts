import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { ApplicationsModule } from '../applications/applications.module.js';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AwardsPort } from './awards.port.js';
import { DecisionsService } from './decisions.service.js';
import { InterimAwards } from './interim-awards.js';
import { PanelsController } from './panels.controller.js';
import { PanelsPages } from './panels.pages.js';
import { PanelsService } from './panels.service.js';

/**
 * Panels (issue 8): meetings, agendas, decisions and confirmation. An approval is a ledger commit
 * (PotLedger, funds) and a provisional award (AwardsPort) in the decision's transaction; bids move
 * only through ApplicationTransitions; the ranking and conflicts come from assessment's services.
 * AwardsPort is bound to the InterimAwards stand-in until the awards module is merged:
 * then `{ provide: AwardsPort, useExisting: AwardsService }` with AwardsModule imported.
 */
@Module({
  imports: [ApplicationsModule, AssessmentModule, FundsModule, OrganisationsModule, PeopleModule, IdempotencyModule],
  controllers: [PanelsController, PanelsPages],
  providers: [PanelsService, DecisionsService, InterimAwards, { provide: AwardsPort, useExisting: InterimAwards }],
  exports: [PanelsService, DecisionsService],
})
export class PanelsModule {}
