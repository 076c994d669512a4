import pg from 'pg';
import { Redis } from 'ioredis';
import type { AppConfig } from './config/config.js';

/** A dependency that is missing: one line naming it and how to start it. */
export class DependencyError extends Error {}

/**
 * Secrets production cannot run without that the configuration cannot invent: DATA_KEY seals
 * bank details at rest, and a generated key would make every stored value unreadable after a restart.
 */
export function checkSecrets(config: AppConfig): void {
  if (config.nodeEnv === 'production' && !config.dataKey) {
    throw new DependencyError('DATA_KEY is not set: production needs a 32-byte key (e.g. "openssl rand -base64 32") to keep bank details encrypted, the same on every machine');
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');

export async function checkPostgres(config: AppConfig): Promise<void> {
  const url = new URL(config.databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 4000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason = (error as { code?: string; message?: string }).code ?? (error as Error).message;
    throw new DependencyError(
      `PostgreSQL is not reachable at ${redact(config.databaseUrl)} (${reason}): start it (e.g. "pg_ctlcluster 15 main start" or "docker compose up -d postgres") or set DATABASE_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkRedis(config: AppConfig): Promise<void> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 4000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new DependencyError(
      `Redis is not reachable at ${redact(config.redisUrl)} (${(error as Error).message}): start it (e.g. "redis-server --daemonize yes" or "docker compose up -d redis") or set REDIS_URL`,
    );
  } finally {
    redis.disconnect();
  }
}
