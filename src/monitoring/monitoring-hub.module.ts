import { Global, Module } from '@nestjs/common';
import { AWARD_MONITORING_TEXT, type OfferLetterFacts, type OfferLetterText } from '../awards/award-hub.types.js';
import { addCalendarMonths, formatDate } from '../common/dates.js';
import { MonitoringModule } from './monitoring.module.js';
import { MonitoringReader } from './monitoring-reader.js';
import { periodLabel } from './return-rules.js';
import { ReturnSchedulesService } from './return-schedules.service.js';

/**
 * What the offer letter says of monitoring: the award's returns with their due dates once it has
 * them, otherwise its round's return schedule counted from the project's start. Provides awards'
 * AWARD_MONITORING_TEXT port; global, as awards cannot import monitoring.
 */
export async function monitoringLetterLines(reader: MonitoringReader, schedules: ReturnSchedulesService, award: OfferLetterFacts): Promise<string[]> {
  const owed = await reader.returnsOf([award.awardId]);
  const final = (isFinal: boolean) => (isFinal ? ' (the final return, with what was spent against every budget line and any underspend)' : '');
  const lines = owed.length
    ? owed.map((r) => `${r.periodLabel}, due on ${formatDate(r.dueOn)}${final(r.final)}.`)
    : (await schedules.get(award.roundId)).returns.map(
        (r) =>
          `${periodLabel(r.monthsAfterStart)}, due ${award.startsOn ? `on ${formatDate(addCalendarMonths(award.startsOn, r.monthsAfterStart))}` : `${r.monthsAfterStart} months after the project starts`}${final(r.final)}.`,
      );
  return [...lines, 'Each return reports spend against the approved budget lines, what the project delivered and what difference it made; we remind you before each is due.'];
}

@Global()
@Module({
  imports: [MonitoringModule],
  providers: [
    {
      provide: AWARD_MONITORING_TEXT,
      inject: [MonitoringReader, ReturnSchedulesService],
      useFactory: (reader: MonitoringReader, schedules: ReturnSchedulesService): OfferLetterText => ({ linesFor: (award) => monitoringLetterLines(reader, schedules, award) }),
    },
  ],
  exports: [AWARD_MONITORING_TEXT],
})
export class MonitoringHubModule {}
