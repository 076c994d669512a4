import { Module } from '@nestjs/common';
import { PeopleModule } from '../accounts/people.module.js';
import { ApplicationsModule } from '../applications/applications.module.js';
import { AssessmentModule } from '../assessment/assessment.module.js';
import { AwardsModule } from '../awards/awards.module.js';
import { AwardsService } from '../awards/awards.service.js';
import { FundsModule } from '../funds/funds.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { AwardsPort } from './awards.port.js';
import { DecisionsService } from './decisions.service.js';
import { PanelsController } from './panels.controller.js';
import { PanelsPages } from './panels.pages.js';
import { PanelsService } from './panels.service.js';
import { StandardConditionsService } from './standard-conditions.service.js';

/**
 * Panels (issue 8): meetings, agendas, decisions and confirmation. An approval is a ledger commit
 * (PotLedger, funds) and a provisional award (AwardsPort) in the decision's transaction; bids move
 * only through ApplicationTransitions; the ranking and conflicts come from assessment's services.
 * AwardsPort is the awards module's AwardsService (the port keeps panels' view of awards to the
 * four moves it makes).
 */
// The awards module cannot import panels (that would be a circle), so the fit is checked here.
const awardsServiceFitsThePort: AwardsService extends AwardsPort ? true : never = true;
void awardsServiceFitsThePort;

@Module({
  imports: [ApplicationsModule, AssessmentModule, AwardsModule, FundsModule, OrganisationsModule, PeopleModule, IdempotencyModule, PoliciesModule],
  controllers: [PanelsController, PanelsPages],
  providers: [PanelsService, DecisionsService, StandardConditionsService, { provide: AwardsPort, useExisting: AwardsService }],
  exports: [PanelsService, DecisionsService, StandardConditionsService],
})
export class PanelsModule {}
