import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Access } from '../auth/access.decorator.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { REPORT_READER_ROLES, ReportPolicy } from '../auth/policies/report.policy.js';
import { CurrentUser } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { pageErrorView } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { fundingCharts, rowLabel } from './funding-report-charts.js';
import { fundingCsv, fundingFileName, fundingXlsx, xlsxType } from './funding-report-files.js';
import { FundingReportReconciliationService } from './funding-report-reconciliation.service.js';
import { FUNDING_GROUPS, FundingReportService, type FundingReport } from './funding-report.service.js';
import { listFunds } from './report-fund.js';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string').flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);

const fileQuery = (q: Record<string, unknown>) => ({ fundId: text(q.fundId) || undefined, from: text(q.from), to: text(q.to), groupBy: list(q.groupBy).join(',') });

const GROUP_LABELS: Record<string, string> = { priority: 'Priority', district: 'District', round: 'Round', pot: 'Pot', financialYear: 'Financial year', organisationType: 'Organisation type' };

/** An unknown fund is the form's error; no fund yet, or none chosen among several, is no error: the form is shown first. */
const fundError = (e: unknown) => {
  if (e instanceof DomainError && e.code === 'FUND.NOT_FOUND') return new DomainError('validation', e.code, e.message, [{ field: 'fundId', code: e.code, message: 'Choose a fund from the list' }]);
  if (e instanceof DomainError && (e.code === 'REPORT.NO_FUND' || e.code === 'REPORT.FUND_REQUIRED')) return undefined;
  return e;
};

/** The funding report as a page (choose fund, years, groupings: the table and its charts) and its reconciliation. */
@ApiExcludeController()
@Controller('staff/reports/funding')
export class FundingReportPages {
  constructor(
    private readonly reports: FundingReportService,
    private readonly reconciliation: FundingReportReconciliationService,
    private readonly policy: ReportPolicy,
    private readonly pages: PageRenderer,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Access(...REPORT_READER_ROLES)
  async show(@CurrentUser() user: AuthenticatedUser, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    const groupBy = list(query.groupBy);
    const values = { fundId: text(query.fundId), from: text(query.from), to: text(query.to), groupBy };
    const funds = await listFunds(this.dataSource.manager);
    let report: FundingReport | null = null;
    let error: unknown;
    try {
      report = await this.reports.report({ fundId: values.fundId || undefined, from: values.from, to: values.to, groupBy: groupBy.join(',') });
    } catch (e) {
      error = fundError(e);
    }
    const { form, status } = pageErrorView(error);
    const fileQuery = new URLSearchParams({
      ...(report ? { fundId: report.fund.id } : {}),
      ...(groupBy.length ? { groupBy: groupBy.join(',') } : {}),
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
    }).toString();
    return this.pages.render(
      request,
      reply,
      'reporting/funding-report.njk',
      {
        pageTitle: 'Funding report',
        values,
        report,
        labels: report ? report.rows.map((r) => rowLabel(report!, r)) : [],
        groupHeadings: report ? report.groupBy.map((g) => GROUP_LABELS[g]) : [],
        charts: report ? await fundingCharts(report) : [],
        groupItems: FUNDING_GROUPS.map((g) => ({ value: g, text: GROUP_LABELS[g], checked: groupBy.includes(g) })),
        noFund: funds.length === 0,
        fundItems: funds.length > 1 ? [{ value: '', text: 'Choose a fund' }, ...funds.map((f) => ({ value: f.id, text: f.name, selected: f.id === values.fundId }))] : null,
        csvHref: `/staff/reports/funding/report.csv?${fileQuery}`,
        xlsxHref: `/staff/reports/funding/report.xlsx?${fileQuery}`,
        reconciliationHref: `/staff/reports/funding/reconciliation${report ? `?fundId=${report.fund.id}` : ''}`,
        ...form,
      },
      status,
    );
  }

  @Get('report.csv')
  @Access(...REPORT_READER_ROLES)
  async csv(@CurrentUser() user: AuthenticatedUser, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    this.policy.assert(user, 'read');
    const report = await this.reports.report(fileQuery(query));
    await reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fundingFileName(report, 'csv')}"`).send(fundingCsv(report));
  }

  @Get('report.xlsx')
  @Access(...REPORT_READER_ROLES)
  async xlsx(@CurrentUser() user: AuthenticatedUser, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    this.policy.assert(user, 'read');
    const report = await this.reports.report(fileQuery(query));
    await reply.header('content-type', xlsxType).header('content-disposition', `attachment; filename="${fundingFileName(report, 'xlsx')}"`).send(await fundingXlsx(report));
  }

  @Get('reconciliation')
  @Access(...REPORT_READER_ROLES)
  async reconcile(@CurrentUser() user: AuthenticatedUser, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    const fundId = text(query.fundId);
    const funds = await listFunds(this.dataSource.manager);
    let result = null;
    let error: unknown;
    try {
      result = await this.reconciliation.reconcile(fundId || undefined);
    } catch (e) {
      error = fundError(e);
    }
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'reporting/funding-reconciliation.njk',
      {
        pageTitle: 'Funding report reconciliation',
        result,
        noFund: funds.length === 0,
        fundItems: funds.length > 1 ? [{ value: '', text: 'Choose a fund' }, ...funds.map((f) => ({ value: f.id, text: f.name, selected: f.id === fundId }))] : null,
        ...form,
      },
      status,
    );
  }
}
