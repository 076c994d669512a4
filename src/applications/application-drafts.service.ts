import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isOpenForApplications, isRoundPublic } from '../funds/round-lifecycle.js';
import { RoundsService } from '../funds/rounds.service.js';
import { ApplicationAccess } from './application-access.js';
import { validationError } from './application-rules.js';
import { ApplicationTransitions } from './application-transitions.service.js';
import { BUDGET_SECTION, BUILT_IN_SECTIONS, PROJECT_SECTION } from './application-views.js';
import { transactionTime } from './transaction-clock.js';

/** Starting a bid: a draft for one of the person's organisations, in a pot of a round taking applications. */
@Injectable()
export class ApplicationDraftsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly access: ApplicationAccess,
    private readonly transitions: ApplicationTransitions,
    private readonly audit: AuditService,
  ) {}

  /** Creates the draft on the round's current form with every section not started; returns its id. */
  async create(user: AuthenticatedUser, actor: Actor, input: { roundId: string; potId: string; organisationId: string }): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      await this.access.assertMayStart(m, user, input.organisationId);
      const round = await this.rounds.findRound(input.roundId, m);
      if (!round || !isRoundPublic(round.status)) throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
      if (!isOpenForApplications(round, await transactionTime(m))) throw new DomainError('conflict', 'ROUND.NOT_OPEN', `${round.title} is not taking applications`);
      const pot = await this.rounds.potScope(input.potId, m);
      if (!pot || pot.roundId !== round.id) {
        throw validationError([{ field: 'potId', code: 'APPLICATION.POT_NOT_IN_ROUND', message: 'Choose a pot of this round' }]);
      }
      const form = await this.rounds.getCurrentForm(round.id, m);
      if (!form) throw new DomainError('conflict', 'ROUND.NO_FORM', `${round.title} has no application form yet`);
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO applications (round_id, pot_id, organisation_id, form_id, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [round.id, pot.id, input.organisationId, form.id, user.id],
      );
      const keys = [PROJECT_SECTION, ...form.definition.sections.map((s) => s.key).filter((k) => !BUILT_IN_SECTIONS.includes(k)), BUDGET_SECTION];
      await m.query(`INSERT INTO application_sections (application_id, section_key) SELECT $1, unnest($2::varchar[])`, [row.id, keys]);
      await this.transitions.started(m, row.id, actor);
      await this.audit.record(m, actor, {
        action: 'application.created',
        entityType: 'application',
        entityId: row.id,
        after: { status: 'draft', roundId: round.id, potId: pot.id, organisationId: input.organisationId, formId: form.id },
      });
      return row.id;
    });
  }
}
