import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { RoundsService } from '../funds/rounds.service.js';
import { ReturnSchedule } from './monitoring.entity.js';
import { checkSchedule, DEFAULT_RETURN_SCHEDULE, type ScheduledReturn } from './return-rules.js';

export interface ReturnScheduleView {
  roundId: string;
  returns: ScheduledReturn[];
  /** False while the round uses the default (six and twelve months, the last final). */
  custom: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

const roundMissing = () => new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');

/**
 * A round's return schedule: which returns its awards owe, set by a grants officer. Awards
 * accepted afterwards owe the new schedule; returns already created keep their dates.
 */
@Injectable()
export class ReturnSchedulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly audit: AuditService,
  ) {}

  async get(roundId: string, m: EntityManager = this.dataSource.manager): Promise<ReturnScheduleView> {
    if (!isUuid(roundId) || !(await this.rounds.findRound(roundId, m))) throw roundMissing();
    const row = await m.findOne(ReturnSchedule, { where: { roundId } });
    return row
      ? { roundId, returns: row.returns, custom: true, updatedAt: row.updatedAt, updatedBy: row.updatedBy }
      : { roundId, returns: DEFAULT_RETURN_SCHEDULE.map((r) => ({ ...r })), custom: false, updatedAt: null, updatedBy: null };
  }

  /** The returns an award of this round owes (the default when the round sets none). */
  async scheduleOf(roundId: string, m: EntityManager): Promise<ScheduledReturn[]> {
    const row = await m.findOne(ReturnSchedule, { where: { roundId } });
    return row ? row.returns : DEFAULT_RETURN_SCHEDULE.map((r) => ({ ...r }));
  }

  async put(actor: Actor, roundId: string, input: unknown): Promise<ReturnScheduleView> {
    const returns = checkSchedule(input);
    return this.dataSource.transaction(async (m) => {
      const before = await this.get(roundId, m);
      await m.query(
        `INSERT INTO return_schedules (round_id, returns, updated_by, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (round_id) DO UPDATE SET returns = EXCLUDED.returns, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [roundId, JSON.stringify(returns), actor.label],
      );
      await this.audit.record(m, actor, { action: 'round.return_schedule_set', entityType: 'round', entityId: roundId, before: { returns: before.returns }, after: { returns } });
      return this.get(roundId, m);
    });
  }
}
