import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AwardReader } from '../awards/award-reader.js';
import { addCalendarDays, fromLondon, londonDate } from '../common/dates.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { OutboxService } from '../queue/outbox.service.js';
import { MonitoringReturn } from './monitoring.entity.js';
import { returnsOwed } from './return-rules.js';
import { ReturnSchedulesService } from './return-schedules.service.js';

/** The London midnight starting a calendar date (when a day's reminders go). */
const startOfLondonDay = (isoDate: string): Date => {
  const [year, month, day] = isoDate.split('-').map(Number);
  return fromLondon({ year, month, day, hour: 0, minute: 0 });
};

/**
 * The returns an award owes, created once when it is accepted (the 'award.accepted' job), dated
 * from the project's start (or the acceptance date when the bid gave none), with their reminders.
 */
@Injectable()
export class ReturnsSetupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly awards: AwardReader,
    private readonly schedules: ReturnSchedulesService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Idempotent: an award that already has returns, or is not (or no longer) accepted or later, gets none. Returns how many were created. */
  async createForAward(awardId: string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const award = await this.awards.viewById(awardId, m, { lock: true });
      if (!award || !['accepted', 'active', 'monitoring'].includes(award.status)) return 0;
      const existing = await m.count(MonitoringReturn, { where: { awardId } });
      if (existing > 0) return 0;
      const start = award.startsOn ?? londonDate(award.acceptance?.acceptedAt ?? this.clock.now());
      const owed = returnsOwed(await this.schedules.scheduleOf(award.roundId, m), start);
      for (const r of owed) {
        const { identifiers } = await m.insert(MonitoringReturn, { awardId, number: r.number, periodLabel: r.periodLabel, monthsAfterStart: r.monthsAfterStart, dueOn: r.dueOn, final: r.final, status: 'due' });
        await this.scheduleReminders(m, identifiers[0].id as string, r.dueOn);
      }
      // No audit event of its own: the returns follow from the acceptance (audited as award.accepted)
      // and the round's schedule (audited when set); each return's rows keep when they were created.
      return owed.length;
    });
  }

  /**
   * Delayed reminder jobs for this due date: RETURN_REMINDER_DAYS_BEFORE before it (not when the
   * due date has already passed) and RETURN_OVERDUE_AFTER_DAYS after it, at the start of the day,
   * London time. The jobs carry the due date: one that finds another date, or a return already
   * sent in, does nothing.
   */
  async scheduleReminders(m: EntityManager, returnId: string, dueOn: string): Promise<void> {
    const today = londonDate(this.clock.now());
    if (dueOn >= today) {
      const before = startOfLondonDay(addCalendarDays(dueOn, -this.config.returnReminderDaysBefore));
      await this.outbox.enqueue(m, 'monitoring.return_reminder', { returnId, kind: 'before', dueOn }, { runAt: before, key: `return-before-${returnId}-${dueOn}` });
    }
    const overdue = startOfLondonDay(addCalendarDays(dueOn, this.config.returnOverdueAfterDays));
    await this.outbox.enqueue(m, 'monitoring.return_reminder', { returnId, kind: 'overdue', dueOn }, { runAt: overdue, key: `return-overdue-${returnId}-${dueOn}` });
  }
}
