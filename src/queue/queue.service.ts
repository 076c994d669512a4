import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { JobName, JobPayloads } from './jobs.js';
import { createRedis } from './redis.js';

export const QUEUE_NAME = 'jobs';

/** The only door to BullMQ for producing jobs (used by the outbox relay). */
@Injectable()
export class QueueService implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  readonly connection: Redis;
  readonly queue: Queue;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.connection = createRedis(config.redisUrl);
    this.queue = new Queue(QUEUE_NAME, {
      connection: this.connection,
      prefix: config.queuePrefix,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        // Completed jobs are kept a day so a re-dispatched outbox row with the same id is ignored.
        removeOnComplete: { age: 24 * 3600, count: 10000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
  }

  async add<N extends JobName>(name: N, payload: JobPayloads[N], jobId: string, delayMs = 0): Promise<void> {
    await this.queue.add(name, payload, { jobId, delay: Math.max(0, delayMs) });
  }

  /** Jobs not yet finished (waiting, active, delayed, prioritised). */
  async pendingCount(includeDelayed = false): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return counts.waiting + counts.active + counts.prioritized + counts['waiting-children'] + (includeDelayed ? counts.delayed : 0);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch((error: unknown) => this.logger.warn(`Closing queue: ${String(error)}`));
    this.connection.disconnect();
  }
}
