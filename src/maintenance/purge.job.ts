import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler } from '../queue/jobs.js';

/** How long housekeeping keeps things after they stop mattering. */
export const RETENTION = {
  dispatchedOutboxDays: 7,
  spentOneTimeTokenDays: 30,
  endedApiTokenDays: 90,
};

/**
 * Deletes what has expired. Idempotent by nature: running it twice deletes nothing the second time.
 * (The audit trail is never purged here; personal-data retention is a policy of its own.)
 */
@Injectable()
@HandlesJob('maintenance.purge')
export class PurgeJob implements JobHandler<'maintenance.purge'> {
  private readonly logger = new Logger(PurgeJob.name);

  constructor(private readonly dataSource: DataSource) {}

  async handle(): Promise<void> {
    const count = async (sql: string, params: unknown[] = []) => ((await this.dataSource.query(sql, params)) as [unknown[], number])[1];
    const sessions = await count(`DELETE FROM sessions WHERE expires_at < now()`);
    const outbox = await count(`DELETE FROM outbox WHERE dispatched_at < now() - make_interval(days => $1)`, [RETENTION.dispatchedOutboxDays]);
    const tokens = await count(
      `DELETE FROM one_time_tokens WHERE (used_at IS NOT NULL OR expires_at < now()) AND created_at < now() - make_interval(days => $1)`,
      [RETENTION.spentOneTimeTokenDays],
    );
    const apiTokens = await count(
      `DELETE FROM api_tokens WHERE (revoked_at IS NOT NULL OR expires_at < now()) AND created_at < now() - make_interval(days => $1)`,
      [RETENTION.endedApiTokenDays],
    );
    this.logger.log({ sessions, outbox, tokens, apiTokens }, 'purged');
  }
}
