import { Injectable } from '@nestjs/common';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { ReturnsSetupService } from './returns-setup.service.js';

/** An award was accepted: its returns are created (delivered at least once, created once). */
@Injectable()
@HandlesJob('award.accepted')
export class AwardAcceptedJob implements JobHandler<'award.accepted'> {
  constructor(private readonly setup: ReturnsSetupService) {}

  async handle({ awardId }: JobPayloads['award.accepted']): Promise<void> {
    await this.setup.createForAward(awardId);
  }
}
