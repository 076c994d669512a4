import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { REPORT_CHANGER_ROLES, REPORT_READER_ROLES, ReportPolicy } from '../auth/policies/report.policy.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { isPageFormError, pageErrorView } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { IMPORT_COLUMNS } from './import-file.js';
import { PastAwardImportService, type ImportBatchView } from './past-award-import.service.js';
import { listFunds } from './report-fund.js';
import { readSpreadsheetUpload } from './spreadsheet-upload.js';

const STATUS_TEXT: Record<ImportBatchView['status'], string> = {
  checked: 'Checked',
  queued: 'Waiting to import',
  importing: 'Importing',
  imported: 'Imported',
  failed: 'Failed',
};

/**
 * Importing past awards as pages: upload a CSV or XLSX file, see every error by row and column (or
 * a clean preview), confirm, and follow the background import's progress (a refresh link: no JavaScript needed).
 */
@ApiExcludeController()
@Controller('staff/imports')
export class ImportsPages {
  constructor(
    private readonly imports: PastAwardImportService,
    private readonly policy: ReportPolicy,
    private readonly pages: PageRenderer,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @Access(...REPORT_READER_ROLES)
  async index(@CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    return this.renderIndex(request, reply, user, {});
  }

  @Post()
  @Access(...REPORT_CHANGER_ROLES)
  async upload(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    let fundId = '';
    try {
      const upload = await readSpreadsheetUpload(request);
      fundId = upload.fields.fundId ?? '';
      const batch = await this.imports.stage(actor, fundId || undefined, upload.fileName, upload.bytes);
      return reply.redirect(`/staff/imports/${batch.id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderIndex(request, reply, user, { fundId }, error);
    }
  }

  @Get(':id')
  @Access(...REPORT_READER_ROLES)
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    return this.renderBatch(request, reply, user, await this.imports.get(id));
  }

  @Post(':id/confirm')
  @Access(...REPORT_CHANGER_ROLES)
  async confirm(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    try {
      await this.imports.confirm(actor, id);
      return reply.redirect(`/staff/imports/${id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderBatch(request, reply, user, await this.imports.get(id), error);
    }
  }

  private async renderIndex(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, values: { fundId?: string }, error?: unknown) {
    const { form, status } = pageErrorView(error);
    const funds = await listFunds(this.dataSource.manager);
    const names = new Map(funds.map((f) => [f.id, f.name]));
    return this.pages.render(
      request,
      reply,
      'reporting/imports.njk',
      {
        pageTitle: 'Import past awards',
        columns: IMPORT_COLUMNS,
        fundItems: funds.length > 1 ? [{ value: '', text: 'Choose a fund' }, ...funds.map((f) => ({ value: f.id, text: f.name, selected: f.id === values.fundId }))] : null,
        batches: (await this.imports.recent()).map((b) => ({ ...b, statusText: STATUS_TEXT[b.status], fund: names.get(b.fundId) ?? '' })),
        mayChange: this.policy.may(user, 'change'),
        ...form,
      },
      status,
    );
  }

  private async renderBatch(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, batch: ImportBatchView, error?: unknown) {
    const { form, status } = pageErrorView(error);
    const errorList = batch.errors.length
      ? batch.errors.slice(0, 50).map((e) => ({ text: `Row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.message}`, href: `#error-${e.row}-${e.column ?? 'row'}` }))
      : form.errorList;
    return this.pages.render(
      request,
      reply,
      'reporting/import.njk',
      {
        pageTitle: batch.errors.length ? 'The file has errors' : `Import of ${batch.fileName}`,
        batch,
        preview: batch.status === 'checked' && !batch.errors.length ? await this.imports.preview(batch.id) : [],
        statusText: STATUS_TEXT[batch.status],
        running: batch.status === 'queued' || batch.status === 'importing',
        mayChange: this.policy.may(user, 'change'),
        ...form,
        errorList,
        errorTitle: batch.errors.length ? `Nothing was imported: correct ${batch.errors.length === 1 ? 'this error' : `these ${batch.errors.length} errors`} and upload the file again` : undefined,
      },
      batch.errors.length ? 200 : status,
    );
  }
}
