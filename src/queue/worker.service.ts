import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { DomainError } from '../common/errors.js';
import { JobRegistry } from './job-registry.js';
import type { JobName, JobPayloads } from './jobs.js';
import { OutboxRelay } from './outbox-relay.js';
import { QUEUE_NAME } from './queue.service.js';
import { createRedis } from './redis.js';

/** Runs the queue workers (and the outbox relay) when WORKERS=on or in `npm run worker`. */
@Injectable()
export class WorkerService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WorkerService.name);
  private worker: Worker | null = null;
  private connection: ReturnType<typeof createRedis> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: JobRegistry,
    private readonly relay: OutboxRelay,
  ) {}

  async start(concurrency = 10): Promise<void> {
    this.connection = createRedis(this.config.redisUrl);
    this.worker = new Worker(QUEUE_NAME, (job: Job) => this.process(job), {
      connection: this.connection,
      prefix: this.config.queuePrefix,
      concurrency,
    });
    this.worker.on('failed', (job, error) =>
      this.logger.warn(`Job ${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`),
    );
    this.worker.on('error', (error) => this.logger.error(`Worker error: ${error.message}`));
    await this.worker.waitUntilReady();
    await this.relay.start();
  }

  private async process(job: Job): Promise<void> {
    const handler = this.registry.handlerFor(job.name);
    const maxAttempts = job.opts.attempts ?? 1;
    try {
      // The payload was typed when it was enqueued (OutboxService.enqueue checks it against the job name).
      await handler.handle(job.data as JobPayloads[JobName], {
        jobId: job.id ?? '',
        attempt: job.attemptsMade + 1,
        finalAttempt: job.attemptsMade + 1 >= maxAttempts,
      });
    } catch (error) {
      // A domain error will not change on retry (the record is gone, the state moved on).
      if (error instanceof DomainError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    }
  }

  /**
   * Stops taking new jobs and lets running ones finish. Runs before any module's
   * onApplicationShutdown, so the database and Redis are still there for the jobs' last writes.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    if (this.worker) {
      await this.worker.close();
      this.worker = null;
    }
    this.connection?.disconnect();
    this.connection = null;
  }
}
