import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';
import { RoundsService } from '../funds/rounds.service.js';
import { DEFAULT_DUE_DAYS, type CriterionDef } from './assessment-rules.js';
import { AssessmentSettings, AssessorPoolMember } from './assessment.entity.js';
import type { PutCriteriaDto, PutPoolDto } from './assessment.dto.js';

export interface CriteriaView {
  roundId: string;
  criteria: CriterionDef[];
  assessorsPerBid: number;
  moderationThreshold: number;
  dueDays: number;
  frozen: boolean;
}

export interface PoolView {
  roundId: string;
  assessors: { userId: string; capacity: number; fullName: string; email: string; addedAt: Date; openAssessments: number }[];
}

/** A round's criteria and assessor pool, owned by assessment (the round itself through the funds door). */
@Injectable()
export class AssessmentSetupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly people: PeopleReader,
    private readonly audit: AuditService,
  ) {}

  /** The round's settings, or the defaults (no criteria, two assessors, threshold 20, 14 days). */
  async settings(roundId: string, manager?: EntityManager): Promise<AssessmentSettings> {
    const found = await (manager ?? this.dataSource.manager).findOne(AssessmentSettings, { where: { roundId } });
    return found ?? Object.assign(new AssessmentSettings(), { roundId, criteria: [], assessorsPerBid: 2, moderationThreshold: 20, dueDays: DEFAULT_DUE_DAYS });
  }

  async isFrozen(roundId: string, manager?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (manager ?? this.dataSource.manager).query(`SELECT 1 FROM assessments WHERE round_id = $1 AND status = 'submitted' LIMIT 1`, [roundId]);
    return rows.length > 0;
  }

  async getCriteria(roundId: string): Promise<CriteriaView> {
    await this.rounds.getRound(roundId);
    const s = await this.settings(roundId);
    return { roundId, criteria: s.criteria, assessorsPerBid: s.assessorsPerBid, moderationThreshold: s.moderationThreshold, dueDays: s.dueDays, frozen: await this.isFrozen(roundId) };
  }

  async putCriteria(actor: Actor, roundId: string, body: PutCriteriaDto): Promise<CriteriaView> {
    await this.dataSource.transaction(async (m) => {
      await this.rounds.getRound(roundId, m);
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('assessment_settings:' || $1))`, [roundId]);
      if (await this.isFrozen(roundId, m)) {
        throw new DomainError('conflict', 'ASSESSMENT.CRITERIA_FROZEN', 'The criteria cannot change once the first assessment of the round is submitted');
      }
      const errors: FieldError[] = [];
      const keys = new Set<string>();
      body.criteria.forEach((c, i) => {
        if (keys.has(c.key)) errors.push({ field: `criteria.${i}.key`, code: 'ASSESSMENT.DUPLICATE_CRITERION', message: 'Each criterion needs its own key' });
        keys.add(c.key);
      });
      if (errors.length) throw validationFailed(errors);
      const before = await this.settings(roundId, m);
      const criteria = body.criteria.map((c) => ({ key: c.key, name: c.name.trim(), guidance: c.guidance.trim(), weight: c.weight, allowNotApplicable: c.allowNotApplicable }));
      const dueDays = body.dueDays ?? before.dueDays;
      await m.upsert(AssessmentSettings, { roundId, criteria, assessorsPerBid: body.assessorsPerBid, moderationThreshold: body.moderationThreshold, dueDays }, ['roundId']);
      await this.audit.record(m, actor, {
        action: 'assessment.criteria_set',
        entityType: 'round',
        entityId: roundId,
        before: { criteria: before.criteria, assessorsPerBid: before.assessorsPerBid, moderationThreshold: before.moderationThreshold },
        after: { criteria, assessorsPerBid: body.assessorsPerBid, moderationThreshold: body.moderationThreshold, dueDays },
      });
    });
    return this.getCriteria(roundId);
  }

  async pool(roundId: string, manager?: EntityManager): Promise<AssessorPoolMember[]> {
    return (manager ?? this.dataSource.manager).find(AssessorPoolMember, { where: { roundId }, order: { addedAt: 'ASC', userId: 'ASC' } });
  }

  async getPool(roundId: string): Promise<PoolView> {
    await this.rounds.getRound(roundId);
    const members = await this.pool(roundId);
    const people = await this.people.byIds(members.map((p) => p.userId));
    const open = await this.openCounts(members.map((p) => p.userId));
    return {
      roundId,
      assessors: members.map((p) => ({
        userId: p.userId,
        capacity: p.capacity,
        fullName: people.get(p.userId)?.fullName ?? '',
        email: people.get(p.userId)?.email ?? '',
        addedAt: p.addedAt,
        openAssessments: open.get(p.userId) ?? 0,
      })),
    };
  }

  /** Open (not yet submitted) assessments per person, across every round: one query. */
  async openCounts(userIds: readonly string[], manager?: EntityManager): Promise<Map<string, number>> {
    if (!userIds.length) return new Map();
    const rows: { assessor_id: string; n: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT assessor_id, count(*) AS n FROM assessments WHERE status = 'open' AND assessor_id = ANY($1::uuid[]) GROUP BY assessor_id`,
      [[...userIds]],
    );
    return new Map(rows.map((r) => [r.assessor_id, Number(r.n)]));
  }

  async putPool(actor: Actor, roundId: string, body: PutPoolDto): Promise<PoolView> {
    return this.changePool(actor, roundId, () => body.assessors);
  }

  /**
   * Changes the pool from what it is now, under the round's pool lock (the pages add, re-weigh or
   * take out one member, so two officers at once never undo each other); the same checks as a PUT.
   */
  async changePool(actor: Actor, roundId: string, edit: (current: { userId: string; capacity: number }[]) => { userId: string; capacity: number }[]): Promise<PoolView> {
    await this.dataSource.transaction(async (m) => {
      await this.rounds.getRound(roundId, m);
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('assessor_pool:' || $1))`, [roundId]);
      const before = await this.pool(roundId, m);
      const body = { assessors: edit(before.map((p) => ({ userId: p.userId, capacity: p.capacity }))) };
      const ids = body.assessors.map((a) => a.userId);
      const assessors = await this.people.holdingRole(ids, 'assessor', m);
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      body.assessors.forEach((a, i) => {
        if (!assessors.has(a.userId)) errors.push({ field: `assessors.${i}.userId`, code: 'ASSESSMENT.NOT_AN_ASSESSOR', message: 'This person does not hold the assessor role' });
        else if (seen.has(a.userId)) errors.push({ field: `assessors.${i}.userId`, code: 'ASSESSMENT.DUPLICATE_ASSESSOR', message: 'This person is listed twice' });
        seen.add(a.userId);
      });
      if (errors.length) throw validationFailed(errors);
      await m.query(`DELETE FROM assessor_pool WHERE round_id = $1 AND NOT (user_id = ANY($2::uuid[]))`, [roundId, ids]);
      for (const a of body.assessors) {
        await m.query(
          `INSERT INTO assessor_pool (round_id, user_id, capacity) VALUES ($1, $2, $3) ON CONFLICT (round_id, user_id) DO UPDATE SET capacity = EXCLUDED.capacity`,
          [roundId, a.userId, a.capacity],
        );
      }
      await this.audit.record(m, actor, {
        action: 'assessment.pool_set',
        entityType: 'round',
        entityId: roundId,
        before: { assessors: before.map((p) => ({ userId: p.userId, capacity: p.capacity })) },
        after: { assessors: body.assessors },
      });
    });
    return this.getPool(roundId);
  }
}
