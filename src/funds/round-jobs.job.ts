import { Injectable } from '@nestjs/common';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { RoundLifecycleService } from './round-lifecycle.service.js';

/** Opens a scheduled round on its opening date (does nothing if it has moved on or its date changed). */
@Injectable()
@HandlesJob('round.open')
export class RoundOpenJob implements JobHandler<'round.open'> {
  constructor(private readonly lifecycle: RoundLifecycleService) {}

  async handle({ roundId, at }: JobPayloads['round.open']): Promise<void> {
    await this.lifecycle.runScheduled('open', roundId, at);
  }
}

/** Closes an open round at its closing date (does nothing if it has moved on or its date changed). */
@Injectable()
@HandlesJob('round.close')
export class RoundCloseJob implements JobHandler<'round.close'> {
  constructor(private readonly lifecycle: RoundLifecycleService) {}

  async handle({ roundId, at }: JobPayloads['round.close']): Promise<void> {
    await this.lifecycle.runScheduled('close', roundId, at);
  }
}
