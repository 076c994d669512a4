import { Injectable } from '@nestjs/common';
import { systemActor } from '../auth/actor.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { PastAwardImportService } from './past-award-import.service.js';

/** Imports a confirmed file of past awards in the background: delivered at least once, imported at most once. */
@Injectable()
@HandlesJob('reporting.import_past_awards')
export class PastAwardImportJob implements JobHandler<'reporting.import_past_awards'> {
  constructor(private readonly imports: PastAwardImportService) {}

  async handle({ batchId }: JobPayloads['reporting.import_past_awards']): Promise<void> {
    await this.imports.runBatch(batchId, systemActor('reporting.import_past_awards'));
  }
}
