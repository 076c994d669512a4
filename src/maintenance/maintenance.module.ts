import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { MaintenanceScheduler } from './maintenance.scheduler.js';
import { PurgeJob } from './purge.job.js';

/** Housekeeping: each module deletes its own expired rows, through the purge method it exposes. */
@Module({ imports: [AccountsModule], providers: [PurgeJob, MaintenanceScheduler] })
export class MaintenanceModule implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: MaintenanceScheduler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Tests run the purge by hand; every real process may register it (upsert is idempotent).
    if (this.config.nodeEnv !== 'test') await this.scheduler.schedule();
  }
}
