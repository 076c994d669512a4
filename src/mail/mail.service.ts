import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxService } from '../queue/outbox.service.js';
import { EmailMessage } from './email-message.entity.js';
import { MailRenderer } from './mail-renderer.js';

export interface OutgoingEmail {
  to: string;
  /** File name under templates/emails/, without .njk. */
  template: string;
  data: Record<string, unknown>;
  userId?: string | null;
  organisationId?: string | null;
  /**
   * Single-use tokens in the email (verification, reset and invitation links). They are sent to
   * the recipient but hidden wherever the message is stored for people to read.
   */
  secrets?: string[];
}

export const HIDDEN_SECRET = '[hidden]';

/** Replaces each secret (raw and URL-encoded) with a marker. */
export function hideSecrets(body: string, secrets: string[]): string {
  let out = body;
  for (const secret of secrets.filter((s) => s.length >= 8)) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join(HIDDEN_SECRET);
  }
  return out;
}

/**
 * Writes an email in the caller's transaction: the rendered message is stored for the
 * communications log and a mail.send job is put in the outbox. If the transaction rolls back,
 * neither exists.
 */
@Injectable()
export class MailService {
  constructor(
    private readonly renderer: MailRenderer,
    private readonly outbox: OutboxService,
  ) {}

  async queue(manager: EntityManager, email: OutgoingEmail): Promise<string> {
    const rendered = this.renderer.render(email.template, email.data);
    const secrets = email.secrets ?? [];
    const shownText = hideSecrets(rendered.text, secrets);
    const shownHtml = hideSecrets(rendered.html, secrets);
    const inserted = await manager.insert(EmailMessage, {
      toAddress: email.to.toLowerCase(),
      subject: hideSecrets(rendered.subject, secrets).slice(0, 200),
      template: email.template,
      textBody: shownText,
      htmlBody: shownHtml,
      unsentTextBody: shownText === rendered.text ? null : rendered.text,
      unsentHtmlBody: shownHtml === rendered.html ? null : rendered.html,
      status: 'queued',
      attempts: 0,
      userId: email.userId ?? null,
      organisationId: email.organisationId ?? null,
    });
    const id = (inserted.identifiers[0] as { id: string }).id;
    await this.outbox.enqueue(manager, 'mail.send', { messageId: id }, { key: `mail-${id}` });
    return id;
  }
}
