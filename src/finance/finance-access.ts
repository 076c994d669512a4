import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { financeAwardNotFound, FinancePolicy, type FinanceAction, type FinanceStanding } from '../auth/policies/finance.policy.js';
import { awardCan } from '../awards/award-lifecycle.js';
import { AwardReader } from '../awards/award-reader.js';
import { DomainError } from '../common/errors.js';
import { AWARD_STATUS_LABELS } from '../awards/award-lifecycle.js';

/** The award as finance reads it (AwardReader's record). */
export type FinanceAward = NonNullable<Awaited<ReturnType<AwardReader['record']>>>;

/** Finds the award and asks the finance policy, so every finance door refuses in the same way (404, then 403). */
@Injectable()
export class FinanceAccess {
  constructor(
    private readonly awards: AwardReader,
    private readonly policy: FinancePolicy,
  ) {}

  async award(user: AuthenticatedUser, awardId: string, action: FinanceAction, m?: EntityManager): Promise<{ award: FinanceAward; standing: FinanceStanding }> {
    const award = await this.awards.record(awardId, m);
    if (!award) throw financeAwardNotFound();
    const standing = await this.policy.assert(user, { organisationId: award.organisationId, visibleToApplicant: awardCan(award.status).visibleToApplicant }, action, m);
    return { award, standing };
  }

  async may(user: AuthenticatedUser, award: FinanceAward, action: FinanceAction, m?: EntityManager): Promise<boolean> {
    return this.policy.may(user, { organisationId: award.organisationId, visibleToApplicant: awardCan(award.status).visibleToApplicant }, action, m);
  }

  /** The award's record (no access check: for doors other modules call). */
  record(awardId: string, m?: EntityManager): Promise<FinanceAward | null> {
    return this.awards.record(awardId, m);
  }
}

/** 409 AWARD.NOT_PAYABLE unless the award's status lets money be paid against it. */
export function assertPayable(award: FinanceAward): void {
  if (!awardCan(award.status).payable) {
    throw new DomainError('conflict', 'AWARD.NOT_PAYABLE', `An award that is ${AWARD_STATUS_LABELS[award.status].toLowerCase()} cannot be paid`, [], { awardStatus: award.status });
  }
}

/** Serialises the money of one award for the rest of the transaction (payments, approvals, schedules). */
export async function lockAwardMoney(m: EntityManager, awardId: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`finance:award:${awardId}`]);
}
