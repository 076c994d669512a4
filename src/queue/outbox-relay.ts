import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { JobName, JobPayloads } from './jobs.js';
import { QueueService } from './queue.service.js';

interface OutboxRow {
  id: string;
  job_name: JobName;
  payload: JobPayloads[JobName];
  available_at: Date;
  job_key: string | null;
}

/**
 * Moves committed outbox rows into BullMQ. Woken by NOTIFY on commit and by a slow poll as a
 * safety net. Rows are locked with SKIP LOCKED, so several relays (machines) can run at once; the
 * BullMQ job id is derived from the row, so a row dispatched twice still makes one job.
 */
@Injectable()
export class OutboxRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private listener: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(pollMs = 2000): Promise<void> {
    this.stopped = false;
    this.listener = new pg.Client({ connectionString: this.config.databaseUrl });
    this.listener.on('error', (error) => this.logger.warn(`Outbox listener: ${error.message}`));
    await this.listener.connect();
    this.listener.on('notification', () => this.kick());
    await this.listener.query('LISTEN outbox');
    this.timer = setInterval(() => this.kick(), pollMs);
    this.kick();
  }

  /** Ask for a dispatch pass; passes never overlap within a process. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error(`Outbox dispatch failed: ${String(error)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Dispatches every committed row now; returns how many. Tests call it to settle. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dispatchBatch(200);
      total += n;
      if (n < 200) return total;
    }
  }

  private async dispatchBatch(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, job_name, payload, available_at, job_key FROM outbox
          WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const now = Date.now();
      for (const row of rows) {
        const jobId = row.job_key ?? `outbox-${row.id}`;
        await this.queues.add(row.job_name, row.payload, jobId, new Date(row.available_at).getTime() - now);
      }
      await manager.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Stops dispatching; a pass under way finishes first. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
  }
}
