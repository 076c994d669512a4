import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { isUuid } from '../common/ids.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { PageRenderer } from '../web/page-renderer.js';
import { STATUS_LABELS, STATUS_TAG_CLASSES } from './application-lifecycle.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './application.entity.js';
import { answerSummaries } from './answer-summaries.js';
import { ApplicationsExportService } from './applications-export.service.js';
import { ApplicationsService, type ApplicationFilters } from './applications.service.js';

const PAGE_SIZE = 25;
const FILTERS = ['roundId', 'status', 'potId', 'districtId', 'priorityId'] as const;

/** Grants officers (and the auditor, read-only) see the bids: a filterable list, each bid in full, the CSV export. */
@ApiExcludeController()
@Controller('staff')
export class StaffApplicationPages {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly exports: ApplicationsExportService,
    private readonly referenceData: ReferenceDataService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('applications')
  @StaffRead('grants_officer')
  async list(@CurrentUser() user: AuthenticatedUser, @Query() query: Record<string, string | string[]>, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const chosen: Record<string, string> = {};
    for (const key of FILTERS) {
      const value = typeof query[key] === 'string' ? (query[key] as string) : '';
      if (key === 'status' ? (APPLICATION_STATUSES as readonly string[]).includes(value) : isUuid(value)) chosen[key] = value;
    }
    const page = typeof query.page === 'string' && /^\d{1,5}$/.test(query.page) && Number(query.page) > 0 ? Number(query.page) : 1;
    const filters: ApplicationFilters = { ...chosen, status: chosen.status as ApplicationStatus | undefined, page, pageSize: PAGE_SIZE };
    const result = await this.applications.list(user, filters);
    const rounds = await this.applications.roundsForStaff();
    const pots = chosen.roundId ? await this.applications.potsOf(chosen.roundId) : [];
    const districts = await this.referenceData.listDistricts();
    const priorities = await this.referenceData.listPriorities();
    const option = (items: { id: string; text: string }[], selected: string | undefined, anyText: string) => [
      { value: '', text: anyText, selected: !selected },
      ...items.map((i) => ({ value: i.id, text: i.text, selected: i.id === selected })),
    ];
    const queryString = FILTERS.filter((k) => chosen[k]).map((k) => `${k}=${encodeURIComponent(chosen[k])}`).join('&');
    return this.pages.render(request, reply, 'pages/staff/applications/index.njk', {
      pageTitle: 'Applications',
      items: result.items.map((a) => ({ ...a, tagClass: STATUS_TAG_CLASSES[a.status] })),
      total: result.total,
      page,
      pages: Math.ceil(result.total / PAGE_SIZE),
      baseUrl: `/staff/applications?${queryString ? queryString + '&' : ''}`,
      chosen,
      selects: {
        roundId: option(rounds.map((r) => ({ id: r.id, text: `${r.code}: ${r.title}` })), chosen.roundId, 'All rounds'),
        status: [
          { value: '', text: 'Submitted and later', selected: !chosen.status },
          ...APPLICATION_STATUSES.map((s) => ({ value: s, text: STATUS_LABELS[s], selected: s === chosen.status })),
        ],
        potId: option(pots.map((p) => ({ id: p.id, text: p.name })), chosen.potId, chosen.roundId ? 'All pots' : 'Choose a round first'),
        districtId: option(districts.map((d) => ({ id: d.id, text: d.name })), chosen.districtId, 'All districts'),
        priorityId: option(priorities.map((p) => ({ id: p.id, text: p.name })), chosen.priorityId, 'All priorities'),
      },
      exportHref: chosen.roundId ? `/staff/rounds/${chosen.roundId}/applications.csv` : null,
    });
  }

  @Get('applications/:id')
  @StaffRead('grants_officer')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.applications.get(user, id);
    const context = await this.applications.context(app);
    const history = await this.applications.history(user, app.id);
    return this.pages.render(request, reply, 'pages/staff/applications/show.njk', {
      pageTitle: `${app.reference ?? 'Draft'}: ${app.projectTitle ?? 'Untitled project'}`,
      app,
      summaries: answerSummaries(app, context.form.sections, false),
      history,
      statusTagClass: STATUS_TAG_CLASSES[app.status],
      backLink: `/staff/applications?roundId=${app.round.id}`,
    });
  }

  @Get('rounds/:roundId/applications.csv')
  @StaffRead('grants_officer')
  async exportCsv(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('roundId') roundId: string, @Res() reply: FastifyReply) {
    const { fileName, csv } = await this.exports.roundCsv(user, actor, roundId);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(csv);
  }
}
