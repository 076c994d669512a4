import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasRole } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { PageRenderer } from '../web/page-renderer.js';
import { changeableRoundFields, isRoundEditable, ROUND_STATUS_LABELS, roundTransitionsFrom } from './round-lifecycle.js';
import { RoundLifecycleService } from './round-lifecycle.service.js';
import { RoundReader } from './round-reader.service.js';
import { RoundsService } from './rounds.service.js';
import { STAFF_VIEWER } from './viewer.js';

/** The staff page of one round (its summary, set-up links, buttons and history), shown by several journeys. */
@Injectable()
export class StaffRoundSummary {
  constructor(
    private readonly reader: RoundReader,
    private readonly rounds: RoundsService,
    private readonly lifecycle: RoundLifecycleService,
    private readonly audit: AuditService,
    private readonly pages: PageRenderer,
  ) {}

  async render(request: FastifyRequest, reply: FastifyReply, id: string, extra: Record<string, unknown> = {}, status = 200) {
    const entity = await this.rounds.getRound(id);
    const [round, questions, versions, history, readiness] = await Promise.all([
      this.reader.getRoundView(id, STAFF_VIEWER),
      this.reader.eligibilityQuestions(id, STAFF_VIEWER),
      this.reader.formVersions(id),
      this.audit.list({ entityType: 'round', entityId: entity.id, page: 1, pageSize: 20 }),
      this.lifecycle.openingProblems(entity),
    ]);
    return this.pages.render(
      request,
      reply,
      'pages/staff/rounds/show.njk',
      {
        pageTitle: `${round.code}: ${round.title}`,
        round,
        questions,
        form: versions.find((v) => v.current) ?? null,
        versionCount: versions.length,
        history: history.items,
        readiness,
        transitions: roundTransitionsFrom(entity.status),
        statusLabels: ROUND_STATUS_LABELS,
        editable: isRoundEditable(entity.status),
        canChangeDetails: changeableRoundFields(entity.status).length > 0,
        canEdit: hasRole(request.user, 'grants_officer'),
        backLink: '/staff/rounds',
        ...extra,
      },
      status,
    );
  }
}
