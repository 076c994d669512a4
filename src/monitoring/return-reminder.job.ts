import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AwardReader } from '../awards/award-reader.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { MonitoringMail } from './monitoring-mail.js';
import { MonitoringReturn } from './monitoring.entity.js';
import { returnCan } from './return-lifecycle.js';

/**
 * A reminder before a return's due date, or when it is overdue (to grants officers too). It does
 * nothing once the return has been sent in or when its due date has moved, and a reminder record
 * makes a job delivered twice send once.
 */
@Injectable()
@HandlesJob('monitoring.return_reminder')
export class ReturnReminderJob implements JobHandler<'monitoring.return_reminder'> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly awards: AwardReader,
    private readonly mail: MonitoringMail,
  ) {}

  async handle(payload: JobPayloads['monitoring.return_reminder']): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const ret = await m.findOne(MonitoringReturn, { where: { id: payload.returnId }, lock: { mode: 'pessimistic_write' } });
      if (!ret || !returnCan(ret.status).reminded || ret.dueOn !== payload.dueOn) return;
      const award = await this.awards.viewById(ret.awardId, m);
      if (!award || award.status === 'closed') return;
      const inserted: unknown[] = await m.query(`INSERT INTO return_reminders (return_id, kind, due_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING return_id`, [
        ret.id,
        payload.kind,
        payload.dueOn,
      ]);
      if (!inserted.length) return;
      await this.mail.reminder(m, ret, award, payload.kind);
    });
  }
}
