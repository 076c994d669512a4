import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { systemActor, type Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { OutboxService } from '../queue/outbox.service.js';
import { assertRoundTransition, isRoundEditable, type RoundMover } from './round-lifecycle.js';
import { Round, type RoundStatus } from './round.entity.js';
import { isUuid } from '../common/ids.js';

/** What the scheduled jobs did, for logs and tests. */
export type ScheduledOutcome = 'done' | 'skipped';

/**
 * Moves rounds through their lifecycle (asking the one table in round-lifecycle.ts) and schedules
 * the jobs that open and close them on their dates. Every move is audited in its transaction.
 */
@Injectable()
export class RoundLifecycleService {
  private readonly logger = new Logger(RoundLifecycleService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * Asks for the round.open / round.close jobs at the round's dates. Called whenever a round is
   * created or its dates change; the job key holds the date, so a job for an old date finds that
   * the round has moved on and does nothing.
   */
  async scheduleJobs(m: EntityManager, round: Pick<Round, 'id' | 'opensAt' | 'closesAt'>, which: { open: boolean; close: boolean }): Promise<void> {
    if (which.open) {
      const at = new Date(round.opensAt);
      await this.outbox.enqueue(m, 'round.open', { roundId: round.id, at: at.toISOString() }, { runAt: at, key: `round-open-${round.id}-${at.getTime()}` });
    }
    if (which.close) {
      const at = new Date(round.closesAt);
      await this.outbox.enqueue(m, 'round.close', { roundId: round.id, at: at.toISOString() }, { runAt: at, key: `round-close-${round.id}-${at.getTime()}` });
    }
  }

  /** Moves a round by hand (a grants officer) or by the system; refuses what the table does not allow. */
  async transition(actor: Actor, roundId: string, to: RoundStatus, by: RoundMover, options: { reason?: string | null; version?: number } = {}): Promise<Round> {
    return this.dataSource.transaction((m) => this.transitionIn(m, actor, roundId, to, by, options));
  }

  async transitionIn(
    m: EntityManager,
    actor: Actor,
    roundId: string,
    to: RoundStatus,
    by: RoundMover,
    options: { reason?: string | null; version?: number } = {},
  ): Promise<Round> {
    const round = await this.lock(m, roundId);
    if (options.version !== undefined && options.version !== round.version) {
      throw new DomainError('conflict', 'ROUND.VERSION_CONFLICT', 'The round has changed since you read it', [], { currentVersion: round.version });
    }
    const transition = assertRoundTransition(round.status, to, by);
    const problems = await this.readinessProblems(m, round, to);
    if (problems.length) {
      throw new DomainError('conflict', 'ROUND.NOT_READY', problems.length === 1 ? problems[0].message : `The round cannot be made ${to} yet`, problems);
    }
    // Opening early moves the opening date to now; closing early moves the closing date to now, so
    // the dates always say what happened and the jobs for the old dates find nothing to do.
    await m.query(
      `UPDATE rounds SET status = $2::varchar, version = version + 1, updated_at = now(),
              opens_at = CASE WHEN $2::varchar = 'open' THEN LEAST(opens_at, now()) ELSE opens_at END,
              closes_at = CASE WHEN $2::varchar = 'closed' THEN LEAST(closes_at, now()) ELSE closes_at END
        WHERE id = $1`,
      [round.id, to],
    );
    if (to === 'open' && round.currentFormId) {
      await m.query(`UPDATE round_forms SET frozen_at = now() WHERE id = $1 AND frozen_at IS NULL`, [round.currentFormId]);
    }
    const after = await m.findOneOrFail(Round, { where: { id: round.id } });
    await this.audit.record(m, actor, {
      action: transition.action,
      entityType: 'round',
      entityId: round.id,
      before: { status: round.status, opensAt: round.opensAt, closesAt: round.closesAt },
      after: { status: after.status, opensAt: after.opensAt, closesAt: after.closesAt, by },
      reason: options.reason ?? null,
    });
    return after;
  }

  /** What stops a draft round opening, for its staff page (empty when nothing does, or it is not a draft). */
  async openingProblems(round: Round): Promise<FieldError[]> {
    return isRoundEditable(round.status) ? this.readinessProblems(this.dataSource.manager, round, 'open') : [];
  }

  /** What stops a round being scheduled or opened (empty when nothing does). */
  async readinessProblems(m: EntityManager, round: Round, to: RoundStatus): Promise<FieldError[]> {
    if (to !== 'open' && to !== 'scheduled') return [];
    const problems: FieldError[] = [];
    const [{ pots }]: { pots: number }[] = await m.query(`SELECT count(*)::int AS pots FROM pots WHERE round_id = $1`, [round.id]);
    if (pots === 0) problems.push({ field: 'pots', code: 'ROUND.NO_POTS', message: 'Add at least one pot before the round opens' });
    if (!round.currentFormId) problems.push({ field: 'form', code: 'ROUND.NO_FORM', message: 'Set up the application form before the round opens' });
    const now = this.clock.now().getTime();
    if (new Date(round.closesAt).getTime() <= now) {
      problems.push({ field: 'closesAt', code: 'ROUND.CLOSES_IN_PAST', message: 'The closing date has passed: set a later closing date first' });
    }
    if (to === 'scheduled' && new Date(round.opensAt).getTime() <= now) {
      problems.push({ field: 'opensAt', code: 'ROUND.OPENS_IN_PAST', message: 'The opening date has passed: open the round now or set a later opening date' });
    }
    return problems;
  }

  /**
   * The scheduled jobs' work. Idempotent: it does nothing when the round is not in the state the
   * job expects, or its date has since moved so `at` no longer matches.
   */
  async runScheduled(kind: 'open' | 'close', roundId: string, at: string): Promise<ScheduledOutcome> {
    const when = new Date(at);
    if (!isUuid(roundId) || Number.isNaN(when.getTime())) return 'skipped';
    if (this.clock.now().getTime() < when.getTime()) {
      // Delivered early (clock skew between machines): fail so the queue retries a little later.
      throw new Error(`round.${kind} for ${roundId} delivered before ${at}`);
    }
    return this.dataSource.transaction(async (m) => {
      const round = await m.findOne(Round, { where: { id: roundId }, lock: { mode: 'pessimistic_write' } });
      if (!round) return 'skipped';
      const date = kind === 'open' ? round.opensAt : round.closesAt;
      const expected: RoundStatus = kind === 'open' ? 'scheduled' : 'open';
      if (round.status !== expected || new Date(date).getTime() !== when.getTime()) return 'skipped';
      const to: RoundStatus = kind === 'open' ? 'open' : 'closed';
      const problems = await this.readinessProblems(m, round, to);
      if (problems.length) {
        this.logger.warn(`Round ${round.id} (${round.code}) was not opened on its date: ${problems.map((p) => p.message).join('; ')}`);
        return 'skipped';
      }
      await this.transitionIn(m, systemActor(`round.${kind}`), round.id, to, 'system');
      return 'done';
    });
  }

  private async lock(m: EntityManager, roundId: string): Promise<Round> {
    const round = isUuid(roundId) ? await m.findOne(Round, { where: { id: roundId }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!round) throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
    return round;
  }
}
