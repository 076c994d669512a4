import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';

/**
 * queued: waiting to be sent; sending: claimed by a worker, under a lease that runs out; sent: accepted by the SMTP server;
 * failed: gave up after the last attempt; not_sent: SMTP_URL is unset, kept for the log only.
 */
export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'failed', 'not_sent'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Every email the service writes, for the communications log. */
@Entity('email_messages')
@Check('chk_email_messages_status', oneOf('status', EMAIL_STATUSES))
@Index('ix_email_messages_created', ['createdAt'])
export class EmailMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_email_messages_to')
  @Column({ name: 'to_address', type: 'varchar', length: 254 })
  toAddress: string;

  @Column({ type: 'varchar', length: 200 })
  subject: string;

  @Column({ type: 'varchar', length: 100 })
  template: string;

  /** The bodies as shown in the communications log: secrets (sign-in links) are hidden. */
  @Column({ name: 'text_body', type: 'text' })
  textBody: string;

  @Column({ name: 'html_body', type: 'text' })
  htmlBody: string;

  /**
   * The bodies as sent, only while they differ from the shown ones (they carry single-use links) and
   * the message is not yet sent. Never selected by default, never shown, cleared once sent.
   */
  @Column({ name: 'unsent_text_body', type: 'text', nullable: true, select: false })
  unsentTextBody?: string | null;

  @Column({ name: 'unsent_html_body', type: 'text', nullable: true, select: false })
  unsentHtmlBody?: string | null;

  @Column({ type: 'varchar', length: 20, default: 'queued' })
  status: EmailStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  /** The claim of the worker sending it (status sending): its token, and when another may take over. */
  @Column({ name: 'lease_token', type: 'uuid', nullable: true, select: false })
  leaseToken?: string | null;

  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  @Index('ix_email_messages_user')
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Index('ix_email_messages_organisation')
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
