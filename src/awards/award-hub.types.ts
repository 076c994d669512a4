import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';

/** A clawback still owed on an award, as the award's page shows it. */
export interface OwedClawback {
  outstandingPence: number;
  dueOn: string;
  reason: string;
  statusLabel: string;
}

/**
 * The port through which the award's page shows what its organisation must pay back: finance owns
 * the clawbacks and sits above awards (it calls AwardsService), so awards names only this and
 * finance provides it (FinanceHubModule). The caller has already asked the award policy.
 */
export interface AwardMoneyBack {
  owedOn(awardId: string): Promise<OwedClawback[]>;
}

/** The injection token of the AwardMoneyBack port. */
export const AWARD_MONEY_BACK = Symbol('AwardMoneyBack');

/**
 * The port through which an award's payment schedule follows a change of its amount (an approved
 * variation), in the variation's transaction, so the schedule still adds up to the award: finance
 * provides it (FinanceHubModule), as awards cannot import finance.
 */
export interface AwardScheduleFollower {
  amountChanged(m: EntityManager, awardId: string, actor: Actor): Promise<void>;
}

/** The injection token of the AwardScheduleFollower port. */
export const AWARD_SCHEDULE_FOLLOWER = Symbol('AwardScheduleFollower');
