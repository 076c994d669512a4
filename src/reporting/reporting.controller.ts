import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { REPORT_CHANGER_ROLES, REPORT_READER_ROLES, ReportPolicy } from '../auth/policies/report.policy.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { FundingStreamsService, type FundingStreamView } from './funding-streams.service.js';
import { PastAwardImportService } from './past-award-import.service.js';
import { PrioritySectionService, type PrioritySection } from './priority-section.service.js';
import {
  FundingStreamDto,
  FundingStreamListQueryDto,
  FundingStreamPageResponse,
  FundingStreamResponse,
  ImportBatchResponse,
  ImportQueryDto,
  ImportResultResponse,
  PrioritySectionResponse,
  PriorityWordingDto,
  PriorityWordingResponse,
  SectionQueryDto,
} from './reporting.dto.js';
import { docxType, sectionDocx, sectionFileName } from './section-docx.js';
import { readSpreadsheetUpload } from './spreadsheet-upload.js';

const Readers = () => Access(...REPORT_READER_ROLES);
const Changers = () => Access(...REPORT_CHANGER_ROLES);

const streamResponse = (s: FundingStreamView) => ({ ...s });

/** The section as the API gives it: other funding without an amount leaves amountPence out. */
export const sectionResponse = (s: PrioritySection) => ({
  ...s,
  otherFunding: s.otherFunding.map((y) => ({
    financialYear: y.financialYear,
    items: y.items.map((i) => ({ description: i.description, ...(i.amountPence === null ? {} : { amountPence: i.amountPence }), ...(i.source ? { source: i.source } : {}) })),
  })),
});

/**
 * Reports and their data as the API (issue 10, first slice): the Resources and Funding section of
 * a priority (JSON and Word), other funding streams, and imports of past awards. ReportPolicy decides.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1')
export class ReportingController {
  constructor(
    private readonly sections: PrioritySectionService,
    private readonly streams: FundingStreamsService,
    private readonly imports: PastAwardImportService,
    private readonly policy: ReportPolicy,
  ) {}

  @Get('reports/priorities/:code')
  @Readers()
  @ApiOkResponse({ type: PrioritySectionResponse })
  @ApiOperation({
    summary:
      'The Resources and Funding section for a priority: awards (offered to closed) tagged with it and imported past awards, in the financial year of their decision (?financialYear=2017/18) or to date, the sentence, the projects and other funding by year',
  })
  async section(@CurrentUser() user: AuthenticatedUser, @Param('code') code: string, @Query() query: SectionQueryDto) {
    this.policy.assert(user, 'read');
    return sectionResponse(await this.sections.section(code, query));
  }

  @Get('reports/priorities/:code/section.docx')
  @Readers()
  @ApiProduces(docxType)
  @ApiOkResponse({ description: 'The section as a Word document', schema: { type: 'string', format: 'binary' } })
  @ApiOperation({ summary: 'The Resources and Funding section as a Word document: the sentence, the projects and other funding by year' })
  async sectionDocument(@CurrentUser() user: AuthenticatedUser, @Param('code') code: string, @Query() query: SectionQueryDto, @Res() reply: FastifyReply): Promise<void> {
    this.policy.assert(user, 'read');
    const section = await this.sections.section(code, query);
    await reply.header('content-type', docxType).header('content-disposition', `attachment; filename="${sectionFileName(section)}"`).send(await sectionDocx(section));
  }

  @Put('reports/priorities/:code/wording')
  @Changers()
  @ApiOkResponse({ type: PriorityWordingResponse })
  @ApiOperation({ summary: 'How the section’s sentence words the priority ("... which are tackling <tackling>."); empty goes back to its name' })
  async wording(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('code') code: string, @Body() body: PriorityWordingDto) {
    this.policy.assert(user, 'change');
    return this.sections.setWording(actor, code, body.tackling);
  }

  @Get('funding-streams')
  @Readers()
  @ApiOkResponse({ type: FundingStreamPageResponse })
  @ApiOperation({ summary: 'Other funding streams (not through the fund), by financial year; filter by financialYear, priorityCode' })
  async listStreams(@CurrentUser() user: AuthenticatedUser, @Query() query: FundingStreamListQueryDto) {
    this.policy.assert(user, 'read');
    const page = await this.streams.list(query);
    return { ...page, items: page.items.map(streamResponse) };
  }

  @Post('funding-streams')
  @Changers()
  @ApiCreatedResponse({ type: FundingStreamResponse })
  @ApiOperation({ summary: 'Record other funding for priorities in a financial year (never counted as an award). 422 FUNDING_STREAM.UNKNOWN_PRIORITY' })
  async createStream(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: FundingStreamDto) {
    this.policy.assert(user, 'change');
    return streamResponse(await this.streams.create(actor, body));
  }

  @Get('funding-streams/:id')
  @Readers()
  @ApiOkResponse({ type: FundingStreamResponse })
  @ApiOperation({ summary: 'One funding stream' })
  async getStream(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    this.policy.assert(user, 'read');
    return streamResponse(await this.streams.get(id));
  }

  @Put('funding-streams/:id')
  @Changers()
  @ApiOkResponse({ type: FundingStreamResponse })
  @ApiOperation({ summary: 'Change a funding stream (the whole record)' })
  async updateStream(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FundingStreamDto) {
    this.policy.assert(user, 'change');
    return streamResponse(await this.streams.update(actor, id, body));
  }

  @Delete('funding-streams/:id')
  @Changers()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiOperation({ summary: 'Remove a funding stream' })
  async removeStream(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    this.policy.assert(user, 'change');
    await this.streams.remove(actor, id);
  }

  @Post('imports/awards')
  @Changers()
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'CSV or XLSX with the columns in API.md' } } } })
  @ApiOkResponse({ type: ImportResultResponse, description: 'Checked (dryRun=true), or imported: with any error, nothing is imported and `imported` is 0' })
  @ApiAcceptedResponse({ type: ImportResultResponse, description: 'A large clean file, imported in the background: follow batchId' })
  @ApiOperation({
    summary:
      'Import past awards from a CSV or XLSX file (columns round, organisation, charity_number, company_number, postcode, district, project, priorities, amount_awarded, decision_date, amount_paid). Every row is checked; nothing is imported while any row has an error; rows already imported are skipped',
  })
  async importAwards(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Query() query: ImportQueryDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    this.policy.assert(user, 'change');
    const upload = await readSpreadsheetUpload(request);
    if (query.dryRun === 'true') return this.imports.dryRun(query.fundId, upload.bytes);
    const { batch, ...outcome } = await this.imports.importFile(actor, query.fundId, upload.fileName, upload.bytes);
    if (!batch) return outcome;
    reply.status(202);
    return { ...outcome, batchId: batch.id, status: batch.status };
  }

  @Get('imports/:id')
  @Readers()
  @ApiOkResponse({ type: ImportBatchResponse })
  @ApiOperation({ summary: 'An import of past awards: its status, progress (processed of rows) and errors' })
  async getImport(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    this.policy.assert(user, 'read');
    return this.imports.get(id);
  }
}
