import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { OutboxService } from '../queue/outbox.service.js';
import { EmailMessage, type EmailStatus } from './email-message.entity.js';
import { MailService } from './mail.service.js';

export interface CommunicationsQuery {
  to?: string;
  status?: EmailStatus;
  page: number;
  pageSize: number;
}

/** The communications log: every email the service wrote, with its status. */
@Injectable()
export class CommunicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mail: MailService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  async list(query: CommunicationsQuery): Promise<{ items: EmailMessage[]; total: number }> {
    const qb = this.dataSource.getRepository(EmailMessage).createQueryBuilder('e');
    if (query.to) qb.andWhere('e.to_address LIKE :to', { to: `%${query.to.toLowerCase().replace(/[%_\\]/g, (c) => '\\' + c)}%` });
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    qb.orderBy('e.created_at', 'DESC').addOrderBy('e.id', 'DESC').skip((query.page - 1) * query.pageSize).take(query.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  /**
   * One email as it was stored: single-use links (reset, verification, invitation) were replaced by
   * [hidden] when it was queued, so staff never see them, in any mode or status.
   */
  async get(id: string): Promise<EmailMessage> {
    const message = await this.dataSource.getRepository(EmailMessage).findOne({ where: { id } });
    if (!message) throw new DomainError('not_found', 'EMAIL.NOT_FOUND', 'That email was not found');
    return message;
  }

  /** Sends a failed (or never-sent) email again, as a new attempt of the same message. */
  async resend(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const rows: [{ id: string; status: EmailStatus }[], number] = await m.query(
        `UPDATE email_messages SET status = 'queued', last_error = NULL WHERE id = $1 AND status IN ('failed', 'not_sent') RETURNING id, status`,
        [id],
      );
      if (rows[0].length === 0) {
        await this.get(id);
        throw new DomainError('conflict', 'EMAIL.NOT_RESENDABLE', 'Only failed or unsent emails can be sent again');
      }
      await this.outbox.enqueue(m, 'mail.send', { messageId: id }, { key: `mail-${id}-resend-${Date.now()}` });
      await this.audit.record(m, actor, { action: 'email.resent', entityType: 'email', entityId: id });
    });
  }

  /** An administrator checks the mail set-up by sending themselves a message. */
  async sendTest(actor: Actor, to: string, name: string): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const id = await this.mail.queue(m, { to, template: 'test-message', data: { name }, userId: actor.userId });
      await this.audit.record(m, actor, { action: 'email.test_sent', entityType: 'email', entityId: id, after: { to } });
      return id;
    });
  }
}
