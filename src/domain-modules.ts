import { FundsModule } from './funds/funds.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { ApplicationsModule } from './applications/applications.module.js';
import { ReferenceDataModule } from './reference-data/reference-data.module.js';
import { AttachmentsModule } from './attachments/attachments.module.js';

import { MaintenanceModule } from './maintenance/maintenance.module.js';
import { OrganisationsModule } from './organisations/organisations.module.js';
import { ScreeningModule } from './screening/screening.module.js';
import { AssessmentModule } from './assessment/assessment.module.js';
import { AwardsModule } from './awards/awards.module.js';
import { PanelsModule } from './panels/panels.module.js';
import { FinanceModule } from './finance/finance.module.js';
import { FinanceHubModule } from './finance/finance-hub.module.js';
import { MonitoringHubModule } from './monitoring/monitoring-hub.module.js';
import { MonitoringModule } from './monitoring/monitoring.module.js';
import { ReportingModule } from './reporting/reporting.module.js';

/** The domain modules, one per folder. Add a module here when you add a domain. */
export const DOMAIN_MODULES = [AccountsModule, MaintenanceModule, FundsModule, ReferenceDataModule, AttachmentsModule, OrganisationsModule, ApplicationsModule, ScreeningModule, AssessmentModule, AwardsModule, PanelsModule, FinanceModule, FinanceHubModule, MonitoringModule, MonitoringHubModule, ReportingModule];
