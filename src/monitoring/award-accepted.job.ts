import { PaymentSchedulesService } from '../finance/payment-schedules.service.js';
import { Injectable } from '@nestjs/common';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { ReturnsSetupService } from './returns-setup.service.js';

/**
 * An award was accepted: what it now owes and is owed begins. Its returns are created (monitoring)
 * and its payment schedule is made from the round's plan (finance), each once however often the
 * job is delivered.
 */
@Injectable()
@HandlesJob('award.accepted')
export class AwardAcceptedJob implements JobHandler<'award.accepted'> {
  constructor(
    private readonly setup: ReturnsSetupService,
    private readonly schedules: PaymentSchedulesService,
  ) {}

  async handle({ awardId }: JobPayloads['award.accepted']): Promise<void> {
    await this.setup.createForAward(awardId);
    await this.schedules.ensureForAward(awardId);
  }
}
