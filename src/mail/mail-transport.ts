import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

/** The domain of MAIL_FROM's address (else of PUBLIC_URL), for Message-IDs. */
function messageIdDomainOf(config: AppConfig): string {
  const fromDomain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(config.mailFrom)?.[1];
  if (fromDomain) return fromDomain.toLowerCase();
  try {
    return new URL(config.publicUrl).hostname || 'localhost';
  } catch {
    return 'localhost';
  }
}

/** The SMTP connection, or none when SMTP_URL is unset (mail is then logged, not sent). */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly transporter: Transporter | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // Timeouts well inside the lease (MAIL_LEASE_SECONDS), so a live worker never outlasts its claim.
    const socketSeconds = Math.max(1, Math.min(60, Math.floor(config.mailLeaseSeconds / 2)));
    this.transporter = config.smtpUrl
      ? nodemailer.createTransport({
          url: config.smtpUrl,
          connectionTimeout: socketSeconds * 1000,
          greetingTimeout: socketSeconds * 1000,
          socketTimeout: socketSeconds * 1000,
        })
      : null;
    this.messageIdDomain = messageIdDomainOf(config);
  }

  private readonly messageIdDomain: string;

  /** The stable Message-ID of a stored email: the same on every attempt, so a resend is recognisably the same message. */
  messageIdFor(emailId: string): string {
    return `<${emailId}@${this.messageIdDomain}>`;
  }

  get enabled(): boolean {
    return this.transporter !== null;
  }

  async send(message: { to: string; subject: string; text: string; html: string; messageId: string }): Promise<void> {
    if (!this.transporter) throw new Error('SMTP is not configured');
    await this.transporter.sendMail({
      from: this.config.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: this.messageIdFor(message.messageId),
      headers: { 'X-SCF-Message-Id': message.messageId },
    });
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}
