import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler } from '../queue/jobs.js';
import { QueueService } from '../queue/queue.service.js';

/** Most emails put back on the queue by one run. */
const RECLAIM_BATCH = 500;

/**
 * Puts back on the queue every email whose worker's lease ran out without a result (the worker
 * was killed, or lost its connection mid-send), so at-least-once delivery survives a crash even
 * when the crashed worker's own job is finished or lost. Runs once per lease period.
 */
@Injectable()
@HandlesJob('mail.reclaim')
export class ReclaimMailJob implements JobHandler<'mail.reclaim'>, OnApplicationBootstrap {
  private readonly logger = new Logger(ReclaimMailJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // One schedule per queue, whichever process starts first (the call is idempotent).
    await this.queues.queue.upsertJobScheduler('mail-reclaim', { every: this.config.mailLeaseSeconds * 1000 }, { name: 'mail.reclaim', data: {} });
  }

  async handle(): Promise<void> {
    const expired: { id: string; attempts: number }[] = await this.dataSource.query(
      `SELECT id, attempts FROM email_messages
        WHERE status = 'sending'
          AND (lease_expires_at < now() OR (lease_expires_at IS NULL AND claimed_at < now() - make_interval(secs => $1)))
        ORDER BY created_at LIMIT ${RECLAIM_BATCH}`,
      [this.config.mailLeaseSeconds],
    );
    for (const { id, attempts } of expired) {
      await this.queues.add('mail.send', { messageId: id }, `mail-${id}-reclaim-${attempts}`);
    }
    if (expired.length) this.logger.warn(`${expired.length} email(s) whose worker's lease ran out put back on the queue`);
  }
}
