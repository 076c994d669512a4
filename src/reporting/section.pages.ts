import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { REPORT_READER_ROLES, ReportPolicy } from '../auth/policies/report.policy.js';
import { CurrentUser } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { pageErrorView } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { PrioritySectionService } from './priority-section.service.js';
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
  ) {}

  @Get()
  @Access(...REPORT_READER_ROLES)
  async show(@CurrentUser() user: AuthenticatedUser, @Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    const values = { priority: text(query.priority), financialYear: text(query.financialYear) };
    const priorities = await this.sections.priorities();
    let section = null;
    let error: unknown;
    if (values.priority) {
      try {
        section = await this.sections.section(values.priority, { financialYear: values.financialYear || undefined });
      } catch (e) {
        if (e instanceof DomainError && e.code === 'PRIORITY.NOT_FOUND') error = new DomainError('validation', e.code, e.message, [{ field: 'priority', code: e.code, message: 'Choose a priority from the list' }]);
        else error = e;
      }
    }
    const { form, status } = pageErrorView(error);
    const docxQuery = values.financialYear ? `?financialYear=${encodeURIComponent(values.financialYear)}` : '';
    return this.pages.render(
      request,
      reply,
      'reporting/section.njk',
      {
        pageTitle: section ? `Resources and Funding: ${section.priority}` : 'Resources and Funding',
        values,
        priorityItems: [{ value: '', text: 'Choose a priority' }, ...priorities.map((p) => ({ value: p.code, text: p.name, selected: p.code === values.priority }))],
        section,
        docxHref: section ? `/staff/reports/priorities/${encodeURIComponent(section.priorityCode)}/section.docx${docxQuery}` : null,
        ...form,
      },
      status,
    );
  }

  @Get(':code/section.docx')
  @Access(...REPORT_READER_ROLES)
  async docx(@CurrentUser() user: AuthenticatedUser, @Param('code') code: string, @Query('financialYear') financialYear: string | undefined, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    const section = await this.sections.section(code, { financialYear: text(financialYear) || undefined });
    await reply.header('content-type', docxType).header('content-disposition', `attachment; filename="${sectionFileName(section)}"`).send(await sectionDocx(section));
  }
}
