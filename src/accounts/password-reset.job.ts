import { Injectable } from '@nestjs/common';
import { HandlesJob } from '../queue/job-handler.decorator.js';
import type { JobHandler, JobPayloads } from '../queue/jobs.js';
import { AccountsService } from './accounts.service.js';

/** Writes the reset email for a reset request, if the address has an account that can use one. */
@Injectable()
@HandlesJob('account.password-reset')
export class PasswordResetJob implements JobHandler<'account.password-reset'> {
  constructor(private readonly accounts: AccountsService) {}

  async handle({ email }: JobPayloads['account.password-reset']): Promise<void> {
    await this.accounts.sendPasswordReset(email);
  }
}
