import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobContext, JobHandler, JobPayloads } from '../queue/jobs.js';
import { MailTransport } from './mail-transport.js';

interface ClaimedRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
}

/**
 * Sends one stored email. Idempotent: the row is claimed with a conditional UPDATE, so a job
 * delivered twice (or two workers racing) sends once. A claim left by a crashed worker is
 * taken over after five minutes.
 */
@Injectable()
@HandlesJob('mail.send')
export class SendMailJob implements JobHandler<'mail.send'> {
  private readonly logger = new Logger(SendMailJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
  ) {}

  async handle({ messageId }: JobPayloads['mail.send'], context: JobContext): Promise<void> {
    const claimed: ClaimedRow[] = await this.dataSource.query(
      `UPDATE email_messages SET status = 'sending', claimed_at = now(), attempts = attempts + 1
        WHERE id = $1 AND (status = 'queued' OR (status = 'sending' AND claimed_at < now() - interval '5 minutes'))
        RETURNING id, to_address, subject, COALESCE(unsent_text_body, text_body) AS text_body, COALESCE(unsent_html_body, html_body) AS html_body`,
      [messageId],
    ).then((result: [ClaimedRow[], number]) => result[0]);
    const row = claimed[0];
    if (!row) return; // already sent, being sent, or given up: nothing to do
    if (!this.transport.enabled) {
      await this.dataSource.query(`UPDATE email_messages SET status = 'not_sent', claimed_at = NULL WHERE id = $1`, [row.id]);
      return;
    }
    try {
      await this.transport.send({ to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body, messageId: row.id });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.dataSource.query(
        `UPDATE email_messages SET status = $2, last_error = $3, claimed_at = NULL WHERE id = $1`,
        [row.id, context.finalAttempt ? 'failed' : 'queued', message.slice(0, 1000)],
      );
      this.logger.warn(`Email ${row.id} not sent (attempt ${context.attempt}): ${message}`);
      throw error;
    }
    await this.dataSource.query(
      // Once sent, the single-use links are kept nowhere but in the recipient's mailbox.
      `UPDATE email_messages SET status = 'sent', sent_at = now(), last_error = NULL, claimed_at = NULL, unsent_text_body = NULL, unsent_html_body = NULL WHERE id = $1`,
      [row.id],
    );
  }
}
