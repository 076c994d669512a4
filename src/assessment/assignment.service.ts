import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import { ApplicationReader, type ApplicationRef } from '../applications/application-reader.js';
import { ApplicationEvents, type ApplicationStatusSubscriber } from '../applications/application-transitions.service.js';
import { systemActor, type Actor } from '../auth/actor.js';
import { AssignedAssessorPort, type AssignedAssessorSource } from '../auth/policies/application.policy.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { isIsoDate, londonDate } from '../common/dates.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MailService } from '../mail/mail.service.js';
import type { JobPayloads } from '../queue/jobs.js';
import { OutboxService } from '../queue/outbox.service.js';
import { AssessmentSetupService } from './assessment-setup.service.js';
import { chooseAssessors } from './assessment-rules.js';
import { Assessment, AssessmentBid } from './assessment.entity.js';

const DAY_MS = 24 * 3600 * 1000;
/** The latest due date an officer may set, in days from today. */
export const MAX_DUE_DAYS_AHEAD = 365;

export interface BidAssessors {
  applicationId: string;
  roundId: string;
  state: string;
  needed: number;
  assessments: { id: string; assessorId: string; status: string; dueOn: string; fullName: string; email: string }[];
  candidates: { userId: string; fullName: string; email: string; capacity: number; openAssessments: number }[];
}

export const bidNotInAssessment = () => new DomainError('not_found', 'ASSESSMENT.BID_NOT_FOUND', 'The application is not in assessment');

/**
 * Who assesses which bid: automatic assignment when a bid moves to in_assessment (a subscriber of
 * ApplicationEvents), manual assignment and removal by grants officers, removal on a declared
 * conflict, and the policy's "assigned assessor" standing (AssignedAssessorPort).
 */
@Injectable()
export class AssignmentService implements OnModuleInit, ApplicationStatusSubscriber, AssignedAssessorSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: ApplicationEvents,
    private readonly port: AssignedAssessorPort,
    private readonly applications: ApplicationReader,
    private readonly setup: AssessmentSetupService,
    private readonly people: PeopleReader,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.subscribe(this);
    this.port.register(this);
  }

  /** A bid arrives in assessment: recorded once (a second delivery finds the row and stops), then filled. */
  async onStatusChanged(event: JobPayloads['application.status_changed']): Promise<void> {
    if (event.to !== 'in_assessment') return;
    await this.dataSource.transaction(async (m) => {
      const ref = await this.applications.find(event.applicationId, m);
      if (!ref) return;
      const inserted: unknown[] = await m.query(
        `INSERT INTO assessment_bids (application_id, round_id, pot_id, organisation_id, state) VALUES ($1, $2, $3, $4, 'assessing') ON CONFLICT (application_id) DO NOTHING RETURNING application_id`,
        [ref.id, ref.roundId, ref.potId, ref.organisationId],
      );
      if (!inserted.length) return;
      await this.fill(m, ref.id, systemActor('assessment.assign'));
    });
  }

  async isAssigned(manager: EntityManager, userId: string, applicationId: string): Promise<boolean> {
    if (!isUuid(applicationId)) return false;
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM assessments a JOIN assessment_bids b ON b.application_id = a.application_id
        WHERE a.application_id = $1 AND a.assessor_id = $2 AND a.status <> 'removed' AND a.no_conflict_confirmed_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM conflicts_of_interest c WHERE c.user_id = a.assessor_id AND c.organisation_id = b.organisation_id)`,
      [applicationId, userId],
    );
    return rows.length > 0;
  }

  async lockBid(m: EntityManager, applicationId: string): Promise<AssessmentBid> {
    if (!isUuid(applicationId)) throw bidNotInAssessment();
    const bid = await m.findOne(AssessmentBid, { where: { applicationId }, lock: { mode: 'pessimistic_write' } });
    if (!bid) throw bidNotInAssessment();
    return bid;
  }

  /** Assigns from the pool until the bid has the assessors it needs; short → unassigned, officers told. */
  async fill(m: EntityManager, applicationId: string, actor: Actor): Promise<void> {
    const bid = await this.lockBid(m, applicationId);
    if (bid.state === 'assessed') return;
    const settings = await this.setup.settings(bid.roundId, m);
    const current: { assessor_id: string }[] = await m.query(`SELECT assessor_id FROM assessments WHERE application_id = $1 AND status <> 'removed'`, [applicationId]);
    const needed = settings.assessorsPerBid - current.length;
    if (needed > 0) {
      const pool = await this.setup.pool(bid.roundId, m);
      const openCounts = await this.setup.openCounts(pool.map((p) => p.userId), m);
      const conflicted = await this.conflictedWith(m, bid.organisationId, pool.map((p) => p.userId));
      const chosen = chooseAssessors({ pool, openCounts, conflicted, alreadyAssigned: new Set(current.map((c) => c.assessor_id)), needed });
      for (const userId of chosen) await this.insertAssessment(m, bid, userId, settings.dueDays, actor);
      if (chosen.length < needed) {
        await this.markUnassigned(m, bid, needed - chosen.length);
        return;
      }
    }
    if (bid.state === 'unassigned') await m.update(AssessmentBid, { applicationId }, { state: 'assessing' });
  }

  private async markUnassigned(m: EntityManager, bid: AssessmentBid, short: number): Promise<void> {
    if (bid.state === 'unassigned') return;
    await m.update(AssessmentBid, { applicationId: bid.applicationId }, { state: 'unassigned' });
    await this.audit.record(m, systemActor('assessment.assign'), {
      action: 'assessment.unassigned',
      entityType: 'application',
      entityId: bid.applicationId,
      after: { short },
    });
    const [ref] = await this.applications.refsByIds([bid.applicationId], m);
    for (const officer of await this.people.withRole('grants_officer', m)) {
      await this.mail.queue(m, { to: officer.email, template: 'assessment-unassigned', data: { reference: ref?.reference ?? '', needed: short }, userId: officer.id });
    }
  }

  async conflictedWith(m: EntityManager, organisationId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows: { user_id: string }[] = await m.query(`SELECT DISTINCT user_id FROM conflicts_of_interest WHERE organisation_id = $1 AND user_id = ANY($2::uuid[])`, [
      organisationId,
      [...userIds],
    ]);
    return new Set(rows.map((r) => r.user_id));
  }

  private async insertAssessment(m: EntityManager, bid: AssessmentBid, userId: string, dueDays: number, actor: Actor): Promise<string> {
    const [row]: { id: string; due_on: string }[] = await m.query(
      `INSERT INTO assessments (application_id, round_id, assessor_id, due_on) VALUES ($1, $2, $3, current_date + $4::int) RETURNING id, to_char(due_on, 'YYYY-MM-DD') AS due_on`,
      [bid.applicationId, bid.roundId, userId, dueDays],
    );
    await this.audit.record(m, actor, { action: 'assessment.assigned', entityType: 'assessment', entityId: row.id, after: { applicationId: bid.applicationId, assessorId: userId, dueOn: row.due_on } });
    await this.scheduleReminders(m, row.id, row.due_on);
    // The assessor is told at once (through the outbox with the assignment), not only by the reminder before the due date.
    const assessor = (await this.people.byIds([userId], m)).get(userId);
    const [ref] = await this.applications.refsByIds([bid.applicationId], m);
    if (assessor) await this.mail.queue(m, { to: assessor.email, template: 'assessment-assigned', data: { reference: ref?.reference ?? '', dueOn: row.due_on }, userId: assessor.id });
    return row.id;
  }

  /**
   * Delayed reminder jobs for this due date, ASSESSMENT_REMINDER_DAYS_BEFORE before it and
   * ASSESSMENT_OVERDUE_AFTER_DAYS after it. The jobs carry the due date: one finding another due
   * date (rescheduled) or an assessment no longer open does nothing, which is how rescheduling and
   * completing cancel them.
   */
  async scheduleReminders(m: EntityManager, assessmentId: string, dueOn: string): Promise<void> {
    const due = new Date(`${dueOn}T00:00:00Z`).getTime();
    const before = new Date(due - this.config.assessmentReminderDaysBefore * DAY_MS);
    const overdue = new Date(due + this.config.assessmentOverdueAfterDays * DAY_MS);
    await this.outbox.enqueue(m, 'assessment.reminder', { assessmentId, kind: 'before', dueOn }, { runAt: before, key: `assessment-before-${assessmentId}-${dueOn}` });
    await this.outbox.enqueue(m, 'assessment.reminder', { assessmentId, kind: 'overdue', dueOn }, { runAt: overdue, key: `assessment-overdue-${assessmentId}-${dueOn}` });
  }

  /**
   * A grants officer moves an open assessment's due date (today or later, within a year): audited,
   * and new reminders are scheduled for the new date; the pending ones for the old date find it
   * moved and do nothing.
   */
  async reschedule(actor: Actor, assessmentId: string, dueOn: string): Promise<{ id: string; applicationId: string; dueOn: string; status: string }> {
    const today = londonDate(this.clock.now());
    const field = (code: string, message: string) => new DomainError('validation', code, message, [{ field: 'dueOn', code, message }]);
    if (!isIsoDate(dueOn)) throw field('ASSESSMENT.BAD_DUE_DATE', 'The due date must be a real date');
    if (dueOn < today) throw field('ASSESSMENT.DUE_DATE_PAST', 'The due date must be today or in the future');
    const latest = new Date(new Date(`${today}T00:00:00Z`).getTime() + MAX_DUE_DAYS_AHEAD * DAY_MS).toISOString().slice(0, 10);
    if (dueOn > latest) throw field('ASSESSMENT.DUE_DATE_TOO_LATE', `The due date must be within ${MAX_DUE_DAYS_AHEAD} days`);
    return this.dataSource.transaction(async (m) => {
      const a = isUuid(assessmentId) ? await m.findOne(Assessment, { where: { id: assessmentId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!a || a.status === 'removed') throw new DomainError('not_found', 'ASSESSMENT.NOT_FOUND', 'Assessment was not found');
      if (a.status !== 'open') throw new DomainError('conflict', 'ASSESSMENT.NOT_OPEN', 'The assessment has been submitted: its due date cannot change');
      if (a.dueOn !== dueOn) {
        await m.query(`UPDATE assessments SET due_on = $2, version = version + 1 WHERE id = $1`, [a.id, dueOn]);
        await this.audit.record(m, actor, { action: 'assessment.rescheduled', entityType: 'assessment', entityId: a.id, before: { dueOn: a.dueOn }, after: { dueOn } });
        await this.scheduleReminders(m, a.id, dueOn);
      }
      return { id: a.id, applicationId: a.applicationId, dueOn, status: a.status };
    });
  }

  /** A grants officer assigns someone by hand: an assessor, not conflicted, not already on the bid. */
  async assign(actor: Actor, applicationId: string, userId: string): Promise<{ id: string }> {
    return this.dataSource.transaction(async (m) => {
      const bid = await this.lockBid(m, applicationId);
      if (bid.state === 'assessed') throw new DomainError('conflict', 'ASSESSMENT.ALREADY_ASSESSED', 'The application has been assessed');
      if (!(await this.people.holdingRole([userId], 'assessor', m)).has(userId)) {
        throw new DomainError('validation', 'ASSESSMENT.NOT_AN_ASSESSOR', 'This person does not hold the assessor role', [{ field: 'userId', code: 'ASSESSMENT.NOT_AN_ASSESSOR', message: 'Choose an assessor' }]);
      }
      if ((await this.conflictedWith(m, bid.organisationId, [userId])).size) throw new DomainError('conflict', 'ASSESSMENT.CONFLICTED', 'This assessor has declared a conflict of interest with the organisation');
      const dup: unknown[] = await m.query(`SELECT 1 FROM assessments WHERE application_id = $1 AND assessor_id = $2 AND status <> 'removed'`, [applicationId, userId]);
      if (dup.length) throw new DomainError('conflict', 'ASSESSMENT.ALREADY_ASSIGNED', 'This assessor is already assigned to the application');
      const settings = await this.setup.settings(bid.roundId, m);
      const id = await this.insertAssessment(m, bid, userId, settings.dueDays, actor);
      const count: { n: string }[] = await m.query(`SELECT count(*) AS n FROM assessments WHERE application_id = $1 AND status <> 'removed'`, [applicationId]);
      if (bid.state === 'unassigned' && Number(count[0].n) >= settings.assessorsPerBid) await m.update(AssessmentBid, { applicationId }, { state: 'assessing' });
      return { id };
    });
  }

  /** Takes an assessor off a bid (their scores leave every aggregate), then fills the place from the pool. */
  async unassign(actor: Actor, applicationId: string, userId: string, reason = 'Removed by a grants officer'): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.lockBid(m, applicationId);
      const removed = await this.remove(m, actor, applicationId, userId, reason);
      if (!removed) throw new DomainError('not_found', 'ASSESSMENT.NOT_ASSIGNED', 'This person is not assigned to the application');
      await this.fill(m, applicationId, actor);
    });
  }

  async remove(m: EntityManager, actor: Actor, applicationId: string, userId: string, reason: string): Promise<boolean> {
    const rows: { id: string; status: string }[] = await m.query(
      `WITH u AS (UPDATE assessments SET status = 'removed', version = version + 1 WHERE application_id = $1 AND assessor_id = $2 AND status <> 'removed' RETURNING id, status) SELECT id, status FROM u`,
      [applicationId, userId],
    );
    for (const row of rows) await this.audit.record(m, actor, { action: 'assessment.removed', entityType: 'assessment', entityId: row.id, after: { applicationId, assessorId: userId }, reason });
    return rows.length > 0;
  }

  /** A bid's current (not removed) assessments, earliest assigned first. */
  async assessmentsOf(applicationId: string): Promise<{ id: string; assessorId: string; status: string; dueOn: string }[]> {
    if (!isUuid(applicationId)) return [];
    const rows: { id: string; assessor_id: string; status: string; due_on: string }[] = await this.dataSource.query(
      `SELECT id, assessor_id, status, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM assessments WHERE application_id = $1 AND status <> 'removed' ORDER BY assigned_at, id`,
      [applicationId],
    );
    return rows.map((r) => ({ id: r.id, assessorId: r.assessor_id, status: r.status, dueOn: r.due_on }));
  }

  /**
   * A bid's assessors for the officers' page: its state, its current assessments with names and
   * due dates, and the pool members who may still be assigned by hand (neither conflicted with the
   * organisation nor already on the bid). A fixed number of queries.
   */
  async bidAssessors(applicationId: string): Promise<BidAssessors> {
    const bid = isUuid(applicationId) ? await this.dataSource.manager.findOne(AssessmentBid, { where: { applicationId } }) : null;
    if (!bid) throw bidNotInAssessment();
    const [settings, assessments, pool] = [await this.setup.settings(bid.roundId), await this.assessmentsOf(applicationId), await this.setup.pool(bid.roundId)];
    const poolIds = pool.map((p) => p.userId);
    const conflicted = await this.conflictedWith(this.dataSource.manager, bid.organisationId, poolIds);
    const people = await this.people.byIds([...poolIds, ...assessments.map((a) => a.assessorId)]);
    const open = await this.setup.openCounts(poolIds);
    const assigned = new Set(assessments.map((a) => a.assessorId));
    return {
      applicationId,
      roundId: bid.roundId,
      state: bid.state,
      needed: settings.assessorsPerBid,
      assessments: assessments.map((a) => ({ ...a, fullName: people.get(a.assessorId)?.fullName ?? '', email: people.get(a.assessorId)?.email ?? '' })),
      candidates: pool
        .filter((p) => !conflicted.has(p.userId) && !assigned.has(p.userId))
        .map((p) => ({ userId: p.userId, fullName: people.get(p.userId)?.fullName ?? '', email: people.get(p.userId)?.email ?? '', capacity: p.capacity, openAssessments: open.get(p.userId) ?? 0 })),
    };
  }

  /** Bids waiting for assessors, oldest first, with their references (fixed queries). */
  async unassigned(): Promise<{ items: (Pick<ApplicationRef, 'id' | 'reference' | 'roundId'> & { arrivedAt: Date; assigned: number; needed: number })[] }> {
    const rows: { application_id: string; arrived_at: Date; assigned: string; needed: number }[] = await this.dataSource.query(
      `SELECT b.application_id, b.arrived_at, count(a.id) AS assigned, COALESCE(s.assessors_per_bid, 2) AS needed
         FROM assessment_bids b LEFT JOIN assessments a ON a.application_id = b.application_id AND a.status <> 'removed'
         LEFT JOIN assessment_settings s ON s.round_id = b.round_id
        WHERE b.state = 'unassigned' GROUP BY b.application_id, b.arrived_at, s.assessors_per_bid ORDER BY b.arrived_at, b.application_id`,
    );
    const refs = new Map((await this.applications.refsByIds(rows.map((r) => r.application_id))).map((r) => [r.id, r]));
    return {
      items: rows.map((r) => ({
        id: r.application_id,
        reference: refs.get(r.application_id)?.reference ?? null,
        roundId: refs.get(r.application_id)?.roundId ?? '',
        arrivedAt: r.arrived_at,
        assigned: Number(r.assigned),
        needed: Number(r.needed),
      })),
    };
  }
}
