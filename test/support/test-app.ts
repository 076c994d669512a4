import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApp, shutdown } from '../../src/bootstrap.js';
import { loadConfig, withDatabaseUser, type AppConfig } from '../../src/config/config.js';
import { dropDatabase } from '../../src/database/ensure-database.js';
import { runMigrations } from '../../src/database/migrate.js';
import { OutboxRelay } from '../../src/queue/outbox-relay.js';
import { QUEUE_NAME, QueueService } from '../../src/queue/queue.service.js';
import { Queue } from 'bullmq';
import { SmtpSink } from './smtp-sink.js';
import { createTestDatabase } from './test-databases.mjs';

export const TEST_SERVER_URL = () => withDatabaseUser('postgres://127.0.0.1:5432/postgres');

/**
 * A new database for this process, copied from the migrated template (the real migrations run
 * once per set of migrations, not once per file). The name carries the process id, so a run that
 * is killed leaves databases the next run's clean-up recognises (test/support/test-databases.mjs).
 */
export async function createMigratedDatabase(label?: string): Promise<string> {
  const name = `scf_test_${label ? `${label}_` : ''}${process.pid}_${randomBytes(4).toString('hex')}`;
  return createTestDatabase(TEST_SERVER_URL(), name, runMigrations);
}

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  config: AppConfig;
  db: DataSource;
  mailbox: SmtpSink;
  /** Moves committed outbox rows into the queue and waits until the workers have finished them. */
  settle(): Promise<void>;
  /** Stops the app as production does (the database stays, for the test to look at). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  workers?: boolean;
  smtp?: boolean;
  /** Options for the SMTP sink (temporary failures, slowness). */
  smtpSink?: { failFirst?: number; delayMs?: number };
  env?: Record<string, string>;
}

/**
 * The real application for one test file: its own database (a copy of the one the real
 * migrations built), its own BullMQ key prefix in the real Redis, its own upload directory, and a
 * real SMTP sink on a port of its own, so files can run in parallel.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = await createMigratedDatabase();
  const id = new URL(databaseUrl).pathname.slice(1);
  const mailbox = await new SmtpSink(options.smtpSink).start();
  const storage = mkdtempSync(join(tmpdir(), 'scf-uploads-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: id,
    SMTP_URL: options.smtp === false ? '' : mailbox.url,
    SESSION_SECRET: randomBytes(24).toString('hex'),
    STORAGE_DIR: storage,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL || 'fatal',
    PORT: '0',
    ...options.env,
  });
  const app = await createApp(config, { workers: options.workers ?? true });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  config.publicUrl = url;
  const db = app.get(DataSource);
  const relay = app.get(OutboxRelay);
  const queues = app.get(QueueService);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await shutdown(app);
  };
  return {
    app,
    url,
    config,
    db,
    mailbox,
    async settle() {
      const deadline = Date.now() + 20000;
      for (;;) {
        const moved = await relay.drain();
        const pending = await queues.pendingCount();
        if (moved === 0 && pending === 0) return;
        if (Date.now() > deadline) throw new Error(`Jobs did not settle: ${pending} pending`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    stop,
    /** Every step runs even if an earlier one fails. */
    async close() {
      await stop().catch(() => undefined);
      // The app's own queue connection is closed by now: remove this run's keys with a fresh one.
      const leftovers = new Queue(QUEUE_NAME, { connection: { url: config.redisUrl }, prefix: config.queuePrefix });
      await leftovers.obliterate({ force: true }).catch(() => undefined);
      await leftovers.close().catch(() => undefined);
      await mailbox.close().catch(() => undefined);
      await dropDatabase(config.databaseUrl).catch(() => undefined);
      rmSync(storage, { recursive: true, force: true });
    },
  };
}
