import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import type { DeclareConflictDto } from './assessment.dto.js';
import { ConflictOfInterest } from './assessment.entity.js';
import { AssignmentService } from './assignment.service.js';
import { ScoringService } from './scoring.service.js';

export interface ConflictView {
  id: string;
  userId: string;
  organisationId: string;
  organisationName: string;
  reason: string;
  declaredAt: Date;
}

/**
 * Conflicts of interest: a person and an organisation (generic, so panels reuse it). A declaration
 * takes the person off every bid of that organisation they assess (their scores leave every
 * aggregate) and fills their place from the pool.
 */
@Injectable()
export class ConflictsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsService,
    private readonly assignment: AssignmentService,
    private readonly scoring: ScoringService,
    private readonly audit: AuditService,
  ) {}

  async declare(actor: Actor, user: AuthenticatedUser, body: DeclareConflictDto): Promise<ConflictView> {
    const id = await this.dataSource.transaction(async (m) => {
      const [organisation] = await this.organisations.summariesByIds([body.organisationId], m);
      if (!organisation) throw new DomainError('not_found', 'ORGANISATION.NOT_FOUND', 'Organisation was not found');
      const [row]: { id: string }[] = await m.query(`INSERT INTO conflicts_of_interest (user_id, organisation_id, reason) VALUES ($1, $2, $3) RETURNING id`, [
        user.id,
        body.organisationId,
        body.reason.trim(),
      ]);
      await this.audit.record(m, actor, { action: 'conflict.declared', entityType: 'conflict_of_interest', entityId: row.id, after: { organisationId: body.organisationId }, reason: body.reason });
      const bids: { application_id: string }[] = await m.query(
        `SELECT DISTINCT a.application_id FROM assessments a JOIN assessment_bids b ON b.application_id = a.application_id
          WHERE a.assessor_id = $1 AND a.status <> 'removed' AND b.organisation_id = $2 AND b.state <> 'assessed' ORDER BY a.application_id`,
        [user.id, body.organisationId],
      );
      for (const { application_id } of bids) {
        await this.assignment.lockBid(m, application_id);
        await this.assignment.remove(m, actor, application_id, user.id, 'Conflict of interest declared');
        await this.assignment.fill(m, application_id, actor);
        await this.scoring.evaluate(m, application_id);
      }
      return row.id;
    });
    const [view] = await this.views(await this.dataSource.manager.find(ConflictOfInterest, { where: { id } }));
    return view;
  }

  /** The caller's own declarations; grants officers and the auditor see everyone's. */
  async list(user: AuthenticatedUser): Promise<{ items: ConflictView[] }> {
    const all = hasRole(user, 'grants_officer', 'auditor');
    const rows = await this.dataSource.manager.find(ConflictOfInterest, { where: all ? {} : { userId: user.id }, order: { declaredAt: 'DESC', id: 'ASC' }, take: 500 });
    return { items: await this.views(rows) };
  }

  /**
   * Which of these people declared a conflict with which of these organisations (panels ask it for
   * a meeting's members and the organisations on its agenda), in one query.
   */
  async conflictedAmong(userIds: readonly string[], organisationIds: readonly string[], manager?: EntityManager): Promise<{ userId: string; organisationId: string }[]> {
    if (!userIds.length || !organisationIds.length) return [];
    const rows: { user_id: string; organisation_id: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT DISTINCT user_id, organisation_id FROM conflicts_of_interest WHERE user_id = ANY($1::uuid[]) AND organisation_id = ANY($2::uuid[])`,
      [userIds, organisationIds],
    );
    return rows.map((r) => ({ userId: r.user_id, organisationId: r.organisation_id }));
  }

  private async views(rows: ConflictOfInterest[]): Promise<ConflictView[]> {
    const orgs = new Map((await this.organisations.summariesByIds(rows.map((r) => r.organisationId))).map((o) => [o.id, o]));
    return rows.map((r) => ({ id: r.id, userId: r.userId, organisationId: r.organisationId, organisationName: orgs.get(r.organisationId)?.name ?? '', reason: r.reason, declaredAt: r.declaredAt }));
  }
}
