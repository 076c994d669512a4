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

/** What the offer letter needs to say how an award is paid and monitored. */
export interface OfferLetterFacts {
  awardId: string;
  roundId: string;
  /** Still to be paid under the award: its amount less what was released. */
  payablePence: number;
  startsOn: string | null;
}

/**
 * A part of the offer letter written by the module that owns it, in sentences: finance's payment
 * plan (AWARD_PAYMENT_PLAN_TEXT) and monitoring's returns (AWARD_MONITORING_TEXT). Both sit above
 * awards, so awards names only this; without a provider the letter says the details will follow.
 */
export interface OfferLetterText {
  linesFor(award: OfferLetterFacts): Promise<string[]>;
}

export const AWARD_PAYMENT_PLAN_TEXT = Symbol('AwardPaymentPlanText');
export const AWARD_MONITORING_TEXT = Symbol('AwardMonitoringText');
