import { Module } from '@nestjs/common';
import { PoliciesModule } from '../auth/policies/policies.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { FundingReportFilesController, FundingReportController } from './funding-report.controller.js';
import { FundingReportPages } from './funding-report.pages.js';
import { FundingReportReconciliationService } from './funding-report-reconciliation.service.js';
import { FundingReportService } from './funding-report.service.js';
import { FundingStreamsPages } from './funding-streams.pages.js';
import { FundingStreamsService } from './funding-streams.service.js';
import { ImportsPages } from './imports.pages.js';
import { PastAwardImportJob } from './past-award-import.job.js';
import { PastAwardImportService } from './past-award-import.service.js';
import { PrioritySectionService } from './priority-section.service.js';
import { ReportingController } from './reporting.controller.js';
import { SectionPages } from './section.pages.js';
import { OpenDataController } from './open-data.controller.js';
import { OpenDataPages } from './open-data.pages.js';
import { OpenDataWithholdingsService } from './open-data-withholdings.service.js';
import { OpenDataService } from './open-data.service.js';

/**
 * Reporting (issue 10, first slice): the Resources and Funding section of a priority (page, API,
 * Word), other funding streams, and imports of past awards (with their background job). It reads
 * across the other modules' tables (DESIGN.md) and writes only its own (reporting.entities.ts).
 */
@Module({
  imports: [PoliciesModule, FundsModule],
  controllers: [ReportingController, SectionPages, FundingStreamsPages, ImportsPages, OpenDataController, OpenDataPages, FundingReportController, FundingReportFilesController, FundingReportPages],
  providers: [PastAwardImportService, PastAwardImportJob, FundingStreamsService, PrioritySectionService, OpenDataService, OpenDataWithholdingsService, FundingReportService, FundingReportReconciliationService],
  exports: [PastAwardImportService, FundingStreamsService, PrioritySectionService],
})
export class ReportingModule {}
