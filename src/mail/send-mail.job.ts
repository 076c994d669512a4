import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobContext, JobHandler, JobPayloads } from '../queue/jobs.js';
import { QueueService } from '../queue/queue.service.js';
import { MailTransport } from './mail-transport.js';

interface ClaimedRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
}

/**
 * Sends one stored email, at least once. The row is claimed with a conditional UPDATE that takes a
 * lease (MAIL_LEASE_SECONDS) under a fresh lease token, so a job delivered twice, or two workers
 * racing, send once while the lease holds. A worker killed mid-send leaves its lease to run out:
 * then the next attempt of the job, or the reclaim job (ReclaimMailJob) which puts expired leases
 * back on the queue, takes it over. Every write after the send is conditional on still holding the
 * lease, so a worker that lost its lease cannot undo the one that took it over.
 *
 * The window for a duplicate that remains: the SMTP server accepted the message and the worker
 * died before writing `sent` (milliseconds). The message then goes again after the lease, with
 * the same Message-ID (`<email id@domain>`), so mail systems that deduplicate on it, and the
 * recipient's mail program, treat the two as one message.
 */
@Injectable()
@HandlesJob('mail.send')
export class SendMailJob implements JobHandler<'mail.send'> {
  private readonly logger = new Logger(SendMailJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle({ messageId }: JobPayloads['mail.send'], context: JobContext): Promise<void> {
    const lease = randomUUID();
    const claimed: ClaimedRow[] = await this.dataSource
      .query(
        `UPDATE email_messages
            SET status = 'sending', claimed_at = now(), lease_token = $2,
                lease_expires_at = now() + make_interval(secs => $3), attempts = attempts + 1
          WHERE id = $1 AND (status = 'queued' OR (status = 'sending' AND (lease_expires_at IS NULL OR lease_expires_at < now())))
          RETURNING id, to_address, subject, COALESCE(unsent_text_body, text_body) AS text_body, COALESCE(unsent_html_body, html_body) AS html_body`,
        [messageId, lease, this.config.mailLeaseSeconds],
      )
      .then((result: [ClaimedRow[], number]) => result[0]);
    const row = claimed[0];
    if (!row) {
      await this.checkBackAfterLease(messageId);
      return; // already sent, given up, or another worker holds the lease
    }
    if (!this.transport.enabled) {
      await this.dataSource.query(
        `UPDATE email_messages SET status = 'not_sent', claimed_at = NULL, lease_token = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_token = $2`,
        [row.id, lease],
      );
      this.printUnsent(row);
      return;
    }
    try {
      await this.transport.send({ to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body, messageId: row.id });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.dataSource.query(
        `UPDATE email_messages SET status = $3, last_error = $4, claimed_at = NULL, lease_token = NULL, lease_expires_at = NULL
          WHERE id = $1 AND lease_token = $2`,
        [row.id, lease, context.finalAttempt ? 'failed' : 'queued', message.slice(0, 1000)],
      );
      this.logger.warn(`Email ${row.id} not sent (attempt ${context.attempt}): ${message}`);
      throw error;
    }
    await this.dataSource.query(
      // Once sent, the single-use links are kept nowhere but in the recipient's mailbox. Sent is
      // sent, whoever holds the lease by now.
      `UPDATE email_messages SET status = 'sent', sent_at = now(), last_error = NULL, claimed_at = NULL, lease_token = NULL,
              lease_expires_at = NULL, unsent_text_body = NULL, unsent_html_body = NULL
        WHERE id = $1 AND status <> 'sent'`,
      [row.id],
    );
  }

  /**
   * Another worker holds the lease: look again when it runs out, in case that worker dies (its own
   * BullMQ job may by then be finished or lost).
   */
  private async checkBackAfterLease(messageId: string): Promise<void> {
    const [held]: { expires_ms: number }[] = await this.dataSource.query(
      `SELECT (EXTRACT(EPOCH FROM lease_expires_at) * 1000)::float8 AS expires_ms FROM email_messages
        WHERE id = $1 AND status = 'sending' AND lease_expires_at >= now()`,
      [messageId],
    );
    if (!held) return;
    const at = Math.ceil(held.expires_ms);
    await this.queues.add('mail.send', { messageId }, `mail-${messageId}-lease-${at}`, at - Date.now() + 1000);
  }

  /**
   * With no mail server (SMTP_URL unset), outside production the whole message, single-use links
   * included, goes to the service's own console, for the person who started it (development only);
   * the communications log shows staff the message with its links hidden. In production nothing of
   * the body is printed.
   */
  private printUnsent(row: ClaimedRow): void {
    if (this.config.nodeEnv !== 'development') {
      // Production never prints a body; under test the console is the test runner's.
      this.logger.warn(`Email ${row.id} not sent: SMTP_URL is not set`);
      return;
    }
    process.stdout.write(
      `\nscf: email not sent (SMTP_URL is not set), shown here only:\n` +
        `To: ${row.to_address}\nSubject: ${row.subject}\n\n${row.text_body.trimEnd()}\n` +
        `-- end of email ${row.id}\n\n`,
    );
  }
}
