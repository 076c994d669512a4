import { Injectable } from '@nestjs/common';
import { systemActor } from '../auth/actor.js';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { AwardOffersService } from './award-offers.service.js';

/** The offer's deadline has passed: delivered at least once, expires (and releases) at most once. */
@Injectable()
@HandlesJob('award.offer_expiry')
export class AwardOfferExpiryJob implements JobHandler<'award.offer_expiry'> {
  constructor(private readonly offers: AwardOffersService) {}

  async handle({ awardId }: JobPayloads['award.offer_expiry']): Promise<void> {
    await this.offers.expire(awardId, systemActor('award.offer_expiry'));
  }
}
