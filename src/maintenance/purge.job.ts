import { Inject, Injectable, Logger } from '@nestjs/common';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { OneTimeTokensService } from '../accounts/one-time-tokens.service.js';
import { ApiTokenService } from '../auth/api-token.service.js';
import { purgeExpiredSessions } from '../auth/pg-session-store.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { OutboxService } from '../queue/outbox.service.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler } from '../queue/jobs.js';

/** How long housekeeping keeps things after they stop mattering. */
export const RETENTION = {
  dispatchedOutboxDays: 7,
  spentOneTimeTokenDays: 30,
  endedApiTokenDays: 90,
  /** Upload temp files left by a process that died mid-upload. */
  abandonedUploadHours: 24,
};

/**
 * Deletes what has expired, each table through the module that owns it. Idempotent by nature: running it twice deletes nothing the second time.
 * (The audit trail is never purged here; personal-data retention is a policy of its own.)
 */
@Injectable()
@HandlesJob('maintenance.purge')
export class PurgeJob implements JobHandler<'maintenance.purge'> {
  private readonly logger = new Logger(PurgeJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly oneTimeTokens: OneTimeTokensService,
    private readonly apiTokens: ApiTokenService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(): Promise<void> {
    const sessions = await purgeExpiredSessions(this.dataSource);
    const outbox = await this.outbox.purgeDispatched(RETENTION.dispatchedOutboxDays);
    const tokens = await this.oneTimeTokens.purgeSpent(RETENTION.spentOneTimeTokenDays);
    const apiTokens = await this.apiTokens.purgeEnded(RETENTION.endedApiTokenDays);
    const uploads = await this.sweepAbandonedUploads();
    this.logger.log({ sessions, outbox, tokens, apiTokens, uploads }, 'purged');
  }

  /** Deletes `*.part` files in the upload temp folder older than the limit; returns how many. */
  async sweepAbandonedUploads(): Promise<number> {
    const dir = join(resolve(this.config.storageDir), 'tmp');
    const cutoff = Date.now() - RETENTION.abandonedUploadHours * 3600 * 1000;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return 0; // no uploads yet
    }
    let removed = 0;
    for (const name of names.filter((n) => n.endsWith('.part'))) {
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      if (info && info.mtimeMs < cutoff) {
        await unlink(path).catch(() => undefined);
        removed++;
      }
    }
    return removed;
  }
}
