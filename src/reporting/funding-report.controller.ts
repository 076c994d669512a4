import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { REPORT_READER_ROLES, ReportPolicy } from '../auth/policies/report.policy.js';
import { CurrentUser } from '../auth/request-context.js';
import { fundingCsv, fundingFileName, fundingXlsx, xlsxType } from './funding-report-files.js';
import { FundingReportReconciliationService } from './funding-report-reconciliation.service.js';
import { FundingReportQueryDto, FundingReportResponse, ReconciliationQueryDto, ReconciliationResponse } from './funding-report.dto.js';
import { FundingReportService } from './funding-report.service.js';

const Readers = () => Access(...REPORT_READER_ROLES);

/** The funding report (issue 10) as the API, CSV and XLSX, and its reconciliation. ReportPolicy decides. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports/funding')
export class FundingReportController {
  constructor(
    private readonly reports: FundingReportService,
    private readonly reconciliation: FundingReportReconciliationService,
    private readonly policy: ReportPolicy,
  ) {}

  @Get()
  @Readers()
  @ApiOkResponse({ type: FundingReportResponse })
  @ApiOperation({
    summary:
      'Bids and amount asked, awards and amount awarded, organisations funded, paid and returned for a fund, financial years from/to (2017/18), grouped by priority, district, round, pot, financialYear, organisationType. 422 REPORT.INVALID_GROUP_BY, REPORT.INVALID_FINANCIAL_YEAR',
  })
  async report(@CurrentUser() user: AuthenticatedUser, @Query() query: FundingReportQueryDto) {
    this.policy.assert(user, 'read');
    return this.reports.report(query);
  }

  @Get('reconciliation')
  @Readers()
  @ApiOkResponse({ type: ReconciliationResponse })
  @ApiOperation({ summary: 'The funding report’s grand totals (committed, paid, returned) against the pot ledger and the awards table, to the penny, with each difference' })
  async reconcile(@CurrentUser() user: AuthenticatedUser, @Query() query: ReconciliationQueryDto) {
    this.policy.assert(user, 'read');
    return this.reconciliation.reconcile(query.fundId);
  }
}

/** The same rows as files: `/api/v1/reports/funding.csv` and `.xlsx`. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class FundingReportFilesController {
  constructor(
    private readonly reports: FundingReportService,
    private readonly policy: ReportPolicy,
  ) {}

  @Get('funding.csv')
  @Readers()
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The funding report as CSV (a Total row last)', content: { 'text/csv': { schema: { type: 'string' } } } })
  @ApiOperation({ summary: 'The funding report as CSV: the same rows and totals as the JSON' })
  async csv(@CurrentUser() user: AuthenticatedUser, @Query() query: FundingReportQueryDto, @Res() reply: FastifyReply): Promise<void> {
    this.policy.assert(user, 'read');
    const report = await this.reports.report(query);
    await reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fundingFileName(report, 'csv')}"`).send(fundingCsv(report));
  }

  @Get('funding.xlsx')
  @Readers()
  @ApiProduces(xlsxType)
  @ApiOkResponse({ description: 'The funding report as an Excel workbook', schema: { type: 'string', format: 'binary' } })
  @ApiOperation({ summary: 'The funding report as XLSX: the same rows and totals, and the notes on a second sheet' })
  async xlsx(@CurrentUser() user: AuthenticatedUser, @Query() query: FundingReportQueryDto, @Res() reply: FastifyReply): Promise<void> {
    this.policy.assert(user, 'read');
    const report = await this.reports.report(query);
    await reply.header('content-type', xlsxType).header('content-disposition', `attachment; filename="${fundingFileName(report, 'xlsx')}"`).send(await fundingXlsx(report));
  }
}
