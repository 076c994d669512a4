import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { LONDON } from '../common/dates.js';
import { QueueService } from '../queue/queue.service.js';

/** Registers the nightly reconciliation (once per queue, whichever worker starts first), at RECONCILIATION_HOUR London time. */
@Injectable()
export class ReconciliationScheduler {
  constructor(
    private readonly queues: QueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async schedule(): Promise<void> {
    await this.queues.queue.upsertJobScheduler('finance-reconciliation', { pattern: `0 ${this.config.reconciliationHour} * * *`, tz: LONDON }, { name: 'finance.reconciliation', data: {} });
  }
}
