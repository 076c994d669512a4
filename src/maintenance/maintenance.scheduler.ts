import { Injectable } from '@nestjs/common';
import { QueueService } from '../queue/queue.service.js';

/** Registers the repeating housekeeping job (once per queue, whichever worker starts first). */
@Injectable()
export class MaintenanceScheduler {
  constructor(private readonly queues: QueueService) {}

  async schedule(): Promise<void> {
    await this.queues.queue.upsertJobScheduler('maintenance-purge', { every: 60 * 60 * 1000 }, { name: 'maintenance.purge', data: {} });
  }
}
