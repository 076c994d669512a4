import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import { ApplicationReader } from '../applications/application-reader.js';
import { MailService } from '../mail/mail.service.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { Assessment } from './assessment.entity.js';

/**
 * A reminder before an assessment's due date, or when it is overdue (the overdue one is escalated
 * to grants officers too). It does nothing when the assessment is no longer open or its due date
 * has moved (rescheduling and completing cancel pending reminders), and a reminder record makes a
 * job delivered twice send once.
 */
@Injectable()
@HandlesJob('assessment.reminder')
export class AssessmentReminderJob implements JobHandler<'assessment.reminder'> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly people: PeopleReader,
    private readonly applications: ApplicationReader,
  ) {}

  async handle(payload: JobPayloads['assessment.reminder']): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const a = await m.findOne(Assessment, { where: { id: payload.assessmentId }, lock: { mode: 'pessimistic_write' } });
      if (!a || a.status !== 'open' || a.dueOn !== payload.dueOn) return;
      const inserted: unknown[] = await m.query(
        `INSERT INTO assessment_reminders (assessment_id, kind, due_on) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING assessment_id`,
        [a.id, payload.kind, payload.dueOn],
      );
      if (!inserted.length) return;
      const assessor = (await this.people.byIds([a.assessorId], m)).get(a.assessorId);
      const [ref] = await this.applications.refsByIds([a.applicationId], m);
      const data = { reference: ref?.reference ?? '', dueOn: a.dueOn, assessorName: assessor?.fullName ?? '', escalation: false };
      if (assessor) await this.mail.queue(m, { to: assessor.email, template: payload.kind === 'before' ? 'assessment-reminder' : 'assessment-overdue', data, userId: assessor.id });
      if (payload.kind === 'overdue') {
        for (const officer of await this.people.withRole('grants_officer', m)) {
          await this.mail.queue(m, { to: officer.email, template: 'assessment-overdue', data: { ...data, escalation: true }, userId: officer.id });
        }
      }
    });
  }
}
