import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
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
import { PrioritySectionService } from './priority-section.service.js';
import { listFunds } from './report-fund.js';
import { docxType, sectionDocx, sectionFileName } from './section-docx.js';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The Resources and Funding section as a page: choose a priority and (optionally) a financial year; download it as Word. */
@ApiExcludeController()
@Controller('staff/reports/priorities')
export class SectionPages {
  constructor(
    private readonly sections: PrioritySectionService,
    private readonly policy: ReportPolicy,
    private readonly pages: PageRenderer,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Access(...REPORT_READER_ROLES)
  async show(@CurrentUser() user: AuthenticatedUser, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    const values = { priority: text(query.priority), financialYear: text(query.financialYear), fundId: text(query.fundId) };
    const priorities = await this.sections.priorities();
    const funds = await listFunds(this.dataSource.manager);
    let section = null;
    let error: unknown;
    if (values.priority) {
      try {
        section = await this.sections.section(values.priority, { financialYear: values.financialYear || undefined, fundId: values.fundId || undefined });
      } catch (e) {
        if (e instanceof DomainError && e.code === 'FUND.NOT_FOUND') error = new DomainError('validation', e.code, e.message, [{ field: 'fundId', code: e.code, message: 'Choose a fund from the list' }]);
        else if (e instanceof DomainError && e.code === 'PRIORITY.NOT_FOUND') error = new DomainError('validation', e.code, e.message, [{ field: 'priority', code: e.code, message: 'Choose a priority from the list' }]);
        else error = e;
      }
    }
    const { form, status } = pageErrorView(error);
    const docxQuery = new URLSearchParams({ ...(values.financialYear ? { financialYear: values.financialYear } : {}), ...(section && funds.length > 1 ? { fundId: section.fund.id } : {}) }).toString();
    return this.pages.render(
      request,
      reply,
      'reporting/section.njk',
      {
        pageTitle: section ? `Resources and Funding: ${section.priority}` : 'Resources and Funding',
        values,
        priorityItems: [{ value: '', text: 'Choose a priority' }, ...priorities.map((p) => ({ value: p.code, text: p.name, selected: p.code === values.priority }))],
        section,
        docxHref: section ? `/staff/reports/priorities/${encodeURIComponent(section.priorityCode)}/section.docx${docxQuery ? `?${docxQuery}` : ''}` : null,
        fundItems: funds.length > 1 ? [{ value: '', text: 'Choose a fund' }, ...funds.map((f) => ({ value: f.id, text: f.name, selected: f.id === values.fundId }))] : null,
        ...form,
      },
      status,
    );
  }

  @Get(':code/section.docx')
  @Access(...REPORT_READER_ROLES)
  async docx(@CurrentUser() user: AuthenticatedUser, @Param('code') code: string, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    const section = await this.sections.section(code, { financialYear: text(query.financialYear) || undefined, fundId: text(query.fundId) || undefined });
    await reply.header('content-type', docxType).header('content-disposition', `attachment; filename="${sectionFileName(section)}"`).send(await sectionDocx(section));
  }
}
