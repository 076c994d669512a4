import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DataSource, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import { ApplicationReader } from '../applications/application-reader.js';
import type { ApplicationDetail } from '../applications/applications.service.js';
import { ATTACHMENT_KIND_LABELS } from '../attachments/attachments.service.js';
import { addCalendarDays, formatDate, fromLondon } from '../common/dates.js';
import { MailService } from '../mail/mail.service.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { OutboxService } from '../queue/outbox.service.js';
import type { CheckedScreening } from './screening-rules.js';

/** What the applicant is asked for, in words: the sections' titles and the kinds of document. */
export function whatIsNeeded(application: Pick<ApplicationDetail, 'sections'>, sections: readonly string[], kinds: readonly string[]): string[] {
  const titles = new Map(application.sections.map((s) => [s.key, s.title]));
  return [
    ...sections.map((key) => `Section: ${titles.get(key) ?? key}`),
    ...kinds.map((kind) => `Document: ${ATTACHMENT_KIND_LABELS[kind as keyof typeof ATTACHMENT_KIND_LABELS] ?? kind}`),
  ];
}

/** The first moment after the respond-by date has passed: midnight at its end, London time. */
export const reminderDue = (respondBy: string): Date => {
  const [year, month, day] = addCalendarDays(respondBy, 1).split('-').map(Number);
  return fromLondon({ year, month, day, hour: 0, minute: 0 });
};

/**
 * The applicant's emails about screening, queued in the caller's transaction (so they go only if
 * the screening commits): what is needed and by when, the reminder once the date has passed
 * (a delayed outbox job), and the reason a bid is ineligible.
 */
@Injectable()
export class ScreeningMail {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly outbox: OutboxService,
    private readonly reader: ApplicationReader,
    private readonly people: PeopleReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async moreInfo(m: EntityManager, application: ApplicationDetail, screeningId: string, checked: CheckedScreening, to: string[]): Promise<void> {
    const data = this.data(application, { needed: whatIsNeeded(application, checked.sections, checked.attachmentKinds), message: checked.message, respondBy: formatDate(checked.respondBy) });
    for (const address of to) await this.mail.queue(m, { to: address, template: 'screening-more-info', data, organisationId: application.organisation.id });
    await this.outbox.enqueue(m, 'screening.reminder', { applicationId: application.id, screeningId }, { runAt: this.reminderAt(checked.respondBy!), key: `screening-reminder-${screeningId}` });
  }

  async ineligible(m: EntityManager, application: ApplicationDetail, reason: string, to: string[]): Promise<void> {
    const data = this.data(application, { reason });
    for (const address of to) await this.mail.queue(m, { to: address, template: 'screening-ineligible', data, organisationId: application.organisation.id });
  }

  /**
   * The reminder job's work, idempotent: sends only while the bid still waits for this request
   * (not resubmitted, not asked again since), and only once (the request row is marked in the
   * same transaction as the email, under its lock).
   */
  async remind(applicationId: string, screeningId: string): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [request]: { id: string; sections: string[]; attachment_kinds: string[]; message: string; respond_by: string }[] = await m.query(
        `SELECT id, sections, attachment_kinds, message, respond_by::text AS respond_by FROM screenings WHERE id = $1 AND application_id = $2 AND outcome = 'more_info' AND reminder_sent_at IS NULL FOR UPDATE`,
        [screeningId, applicationId],
      );
      if (!request) return false;
      const app = await this.reader.find(applicationId, m);
      if (!app || app.status !== 'more_info_requested') return false;
      const [latest]: { id: string }[] = await m.query(`SELECT id FROM screenings WHERE application_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, [applicationId]);
      if (latest?.id !== request.id) return false;
      const application = await this.reader.detailById(applicationId, m);
      if (!application) return false;
      const data = this.data(application, { needed: whatIsNeeded(application, request.sections, request.attachment_kinds), message: request.message, respondBy: formatDate(request.respond_by) });
      for (const address of await this.recipients(m, app.submittedBy, application.organisation.contactEmail)) {
        await this.mail.queue(m, { to: address, template: 'screening-reminder', data, organisationId: application.organisation.id });
      }
      await m.query(`UPDATE screenings SET reminder_sent_at = now() WHERE id = $1`, [request.id]);
      return true;
    });
  }

  private reminderAt(respondBy: string): Date {
    const delay = this.config.screeningReminderDelayMs;
    return delay === null ? reminderDue(respondBy) : new Date(Date.now() + delay);
  }

  /** The submitter and the organisation's contact address, once each. */
  async recipients(m: EntityManager, submittedBy: string | null, contactEmail: string): Promise<string[]> {
    const submitter = submittedBy ? (await this.people.byIds([submittedBy], m)).get(submittedBy)?.email : undefined;
    return [...new Set([submitter, contactEmail].filter((e): e is string => !!e).map((e) => e.toLowerCase()))];
  }

  private data(application: ApplicationDetail, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      organisationName: application.organisation.name,
      reference: application.reference,
      projectTitle: application.projectTitle ?? 'untitled',
      roundTitle: application.round.title,
      applicationPath: `/applications/${application.id}`,
      ...extra,
    };
  }
}

/** The reminder job: delivered at least once, sends at most once (ScreeningMail.remind). */
@Injectable()
@HandlesJob('screening.reminder')
export class ScreeningReminderJob implements JobHandler<'screening.reminder'> {
  constructor(private readonly mail: ScreeningMail) {}

  async handle({ applicationId, screeningId }: JobPayloads['screening.reminder']): Promise<void> {
    await this.mail.remind(applicationId, screeningId);
  }
}
