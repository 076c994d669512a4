import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ApplicationTransitions } from '../applications/application-transitions.service.js';
import { systemActor, type Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, validationFailed } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import type { PageOf } from '../common/pagination.js';
import { AssessmentSetupService } from './assessment-setup.service.js';
import { needsModeration, scoreErrors, weightedScore, type CriterionDef, type Recommendation, type ScoreInput } from './assessment-rules.js';
import { Assessment, AssessmentBid } from './assessment.entity.js';
import type { ModerationDto, SaveAssessmentDto } from './assessment.dto.js';
import { AssignmentService } from './assignment.service.js';

export interface AssessmentView {
  id: string;
  applicationId: string;
  assessorId: string;
  status: string;
  dueOn: string;
  noConflictConfirmed: boolean;
  criteria: CriterionDef[];
  scores: ScoreInput[];
  recommendation: Recommendation | null;
  recommendedPence: number | null;
  weightedScore: number | null;
  submittedAt: Date | null;
  version: number;
}

export const assessmentNotFound = () => new DomainError('not_found', 'ASSESSMENT.NOT_FOUND', 'Assessment was not found');
const num = (v: string | null): number | null => (v === null ? null : Number(v));

/** An assessor's queue, the scoring of one assessment, submission, moderation and completion. */
@Injectable()
export class ScoringService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly setup: AssessmentSetupService,
    private readonly assignment: AssignmentService,
    private readonly transitions: ApplicationTransitions,
    private readonly audit: AuditService,
  ) {}

  /** The caller's assessments (not removed, not conflicted) by due date: two queries whatever the length. */
  async mine(user: AuthenticatedUser, q: { page: number; pageSize: number }): Promise<PageOf<{ id: string; applicationId: string; dueOn: string; status: string }>> {
    const where = `a.assessor_id = $1 AND a.status <> 'removed'
      AND NOT EXISTS (SELECT 1 FROM assessment_bids b JOIN conflicts_of_interest c ON c.organisation_id = b.organisation_id AND c.user_id = a.assessor_id WHERE b.application_id = a.application_id)`;
    const [{ n }]: { n: string }[] = await this.dataSource.query(`SELECT count(*) AS n FROM assessments a WHERE ${where}`, [user.id]);
    const rows: { id: string; application_id: string; due_on: string; status: string }[] = await this.dataSource.query(
      `SELECT a.id, a.application_id, to_char(a.due_on, 'YYYY-MM-DD') AS due_on, a.status FROM assessments a WHERE ${where} ORDER BY a.due_on, a.assigned_at, a.id LIMIT $2 OFFSET $3`,
      [user.id, q.pageSize, (q.page - 1) * q.pageSize],
    );
    return { items: rows.map((r) => ({ id: r.id, applicationId: r.application_id, dueOn: r.due_on, status: r.status })), total: Number(n), page: q.page, pageSize: q.pageSize };
  }

  /**
   * The assessment as its assessor sees it (officers and the auditor read any). Anyone else, a
   * removed assessment, or a conflicted assessor: 404.
   */
  async visible(user: AuthenticatedUser, id: string, manager?: EntityManager, options: { own?: boolean; lock?: boolean } = {}): Promise<Assessment> {
    if (!isUuid(id)) throw assessmentNotFound();
    const m = manager ?? this.dataSource.manager;
    const a = await m.findOne(Assessment, { where: { id }, ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!a) throw assessmentNotFound();
    const staff = !options.own && hasRole(user, 'grants_officer', 'auditor');
    if (staff) return a;
    if (a.assessorId !== user.id || a.status === 'removed') throw assessmentNotFound();
    const bid = await m.findOne(AssessmentBid, { where: { applicationId: a.applicationId } });
    if (!bid || (await this.assignment.conflictedWith(m, bid.organisationId, [user.id])).size) throw assessmentNotFound();
    return a;
  }

  async view(a: Assessment, manager?: EntityManager): Promise<AssessmentView> {
    const settings = await this.setup.settings(a.roundId, manager);
    return {
      id: a.id,
      applicationId: a.applicationId,
      assessorId: a.assessorId,
      status: a.status,
      dueOn: a.dueOn,
      noConflictConfirmed: !!a.noConflictConfirmedAt,
      criteria: settings.criteria,
      scores: a.scores,
      recommendation: a.recommendation,
      recommendedPence: num(a.recommendedPence),
      weightedScore: num(a.weightedScore),
      submittedAt: a.submittedAt,
      version: a.version,
    };
  }

  async get(user: AuthenticatedUser, id: string): Promise<AssessmentView> {
    return this.view(await this.visible(user, id));
  }

  /** The assessor confirms they have no conflict with the bid's organisation (recorded once). */
  async confirmNoConflict(actor: Actor, user: AuthenticatedUser, id: string): Promise<AssessmentView> {
    return this.dataSource.transaction(async (m) => {
      const a = await this.visible(user, id, m, { own: true, lock: true });
      if (!a.noConflictConfirmedAt) {
        await m.query(`UPDATE assessments SET no_conflict_confirmed_at = now(), version = version + 1 WHERE id = $1`, [a.id]);
        await this.audit.record(m, actor, { action: 'assessment.no_conflict_confirmed', entityType: 'assessment', entityId: a.id, after: { applicationId: a.applicationId } });
      }
      return this.view((await m.findOne(Assessment, { where: { id: a.id } }))!, m);
    });
  }

  private async ownOpen(m: EntityManager, user: AuthenticatedUser, id: string): Promise<Assessment> {
    const a = await this.visible(user, id, m, { own: true, lock: true });
    if (a.status !== 'open') throw new DomainError('conflict', 'ASSESSMENT.SUBMITTED', 'This assessment has been submitted and can no longer change');
    if (!a.noConflictConfirmedAt) throw new DomainError('conflict', 'ASSESSMENT.CONFIRM_NO_CONFLICT', 'Confirm you have no conflict of interest with the organisation first');
    return a;
  }

  /** Saves a draft (save and return): every score checked against the criteria, nothing changes on an error. */
  async save(actor: Actor, user: AuthenticatedUser, id: string, body: SaveAssessmentDto): Promise<AssessmentView> {
    return this.dataSource.transaction(async (m) => {
      const a = await this.ownOpen(m, user, id);
      const settings = await this.setup.settings(a.roundId, m);
      const scores: ScoreInput[] = body.scores.map((s) => ({ criterionKey: s.criterionKey, score: s.score ?? null, comment: s.comment ?? '' }));
      const errors = scoreErrors(settings.criteria, scores);
      const recommendation = body.recommendation ?? null;
      const recommendedPence = recommendation === 'fund_in_part' ? (body.recommendedPence ?? null) : null;
      if (recommendation === 'fund_in_part' && !recommendedPence) errors.push({ field: 'recommendedPence', code: 'FIELD.REQUIRED', message: 'Enter the amount you recommend' });
      if (errors.length) throw validationFailed(errors);
      const score = weightedScore(settings.criteria, scores);
      await m.query(`UPDATE assessments SET scores = $2, recommendation = $3, recommended_pence = $4, weighted_score = $5, version = version + 1 WHERE id = $1`, [
        a.id,
        JSON.stringify(scores),
        recommendation,
        recommendedPence,
        score,
      ]);
      await this.audit.record(m, actor, { action: 'assessment.saved', entityType: 'assessment', entityId: a.id, before: { scores: a.scores, recommendation: a.recommendation }, after: { scores, recommendation, recommendedPence } });
      return this.view((await m.findOne(Assessment, { where: { id: a.id } }))!, m);
    });
  }

  /** Locks the assessment; incomplete → 422 ASSESSMENT.INCOMPLETE. When the bid has all it needs it moves on. */
  async submit(actor: Actor, user: AuthenticatedUser, id: string): Promise<AssessmentView> {
    return this.dataSource.transaction(async (m) => {
      const a = await this.ownOpen(m, user, id);
      await this.assignment.lockBid(m, a.applicationId);
      const settings = await this.setup.settings(a.roundId, m);
      const errors = scoreErrors(settings.criteria, a.scores, { complete: true });
      if (!settings.criteria.length) errors.push({ field: 'scores', code: 'ASSESSMENT.INCOMPLETE', message: 'The round has no criteria yet' });
      if (!a.recommendation) errors.push({ field: 'recommendation', code: 'ASSESSMENT.INCOMPLETE', message: 'Choose a recommendation' });
      if (errors.length) throw new DomainError('validation', 'ASSESSMENT.INCOMPLETE', 'The assessment is not complete', errors);
      await m.query(`UPDATE assessments SET status = 'submitted', submitted_at = now(), weighted_score = $2, version = version + 1 WHERE id = $1`, [a.id, weightedScore(settings.criteria, a.scores)]);
      await this.audit.record(m, actor, { action: 'assessment.submitted', entityType: 'assessment', entityId: a.id, after: { applicationId: a.applicationId } });
      await this.evaluate(m, a.applicationId);
      return this.view((await m.findOne(Assessment, { where: { id: a.id } }))!, m);
    });
  }

  /** With every required assessment submitted: flagged when the scores spread past the threshold, else assessed (by 'system'). */
  async evaluate(m: EntityManager, applicationId: string): Promise<void> {
    const bid = await this.assignment.lockBid(m, applicationId);
    if (bid.state !== 'assessing') return;
    const settings = await this.setup.settings(bid.roundId, m);
    const rows: { status: string; weighted_score: string | null }[] = await m.query(`SELECT status, weighted_score FROM assessments WHERE application_id = $1 AND status <> 'removed'`, [applicationId]);
    const submitted = rows.filter((r) => r.status === 'submitted').map((r) => Number(r.weighted_score ?? 0));
    if (submitted.length < settings.assessorsPerBid || rows.some((r) => r.status === 'open')) return;
    if (needsModeration(submitted, settings.moderationThreshold)) {
      await m.update(AssessmentBid, { applicationId }, { state: 'flagged' });
      await this.audit.record(m, systemActor('assessment.evaluate'), { action: 'assessment.flagged', entityType: 'application', entityId: applicationId, after: { scores: submitted, threshold: settings.moderationThreshold } });
      return;
    }
    await m.update(AssessmentBid, { applicationId }, { state: 'assessed' });
    await this.transitions.move(m, applicationId, 'assessed', 'system', systemActor('assessment.evaluate'), { reason: 'All assessments are in' });
  }

  /** A grants officer's moderated score for a flagged bid; it then moves to assessed. Unflagged → 409. */
  async moderate(actor: Actor, applicationId: string, body: ModerationDto): Promise<{ applicationId: string; scorePercent: number; status: string }> {
    return this.dataSource.transaction(async (m) => {
      const bid = await this.assignment.lockBid(m, applicationId);
      if (bid.state !== 'flagged') throw new DomainError('conflict', 'ASSESSMENT.NOT_FLAGGED', 'Only an application flagged for moderation can be moderated');
      await m.update(AssessmentBid, { applicationId }, { state: 'assessed', moderatedScore: String(body.scorePercent), moderationReason: body.reason.trim() });
      await this.audit.record(m, actor, { action: 'assessment.moderated', entityType: 'application', entityId: applicationId, after: { scorePercent: body.scorePercent }, reason: body.reason });
      await this.transitions.move(m, applicationId, 'assessed', 'grants_officer', actor, { reason: 'Assessed after moderation' });
      return { applicationId, scorePercent: body.scorePercent, status: 'assessed' };
    });
  }

  /** Bids flagged for moderation with their submitted scores (two queries). */
  async flagged(): Promise<{ items: { applicationId: string; scores: number[] }[] }> {
    const rows: { application_id: string; scores: string[] }[] = await this.dataSource.query(
      `SELECT b.application_id, array_agg(a.weighted_score ORDER BY a.weighted_score) AS scores FROM assessment_bids b
         JOIN assessments a ON a.application_id = b.application_id AND a.status = 'submitted'
        WHERE b.state = 'flagged' GROUP BY b.application_id, b.arrived_at ORDER BY b.arrived_at, b.application_id`,
    );
    return { items: rows.map((r) => ({ applicationId: r.application_id, scores: r.scores.map(Number) })) };
  }
}
