import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { ProvisionalAwardInput } from '../awards/awards.service.js';

export type { ProvisionalAwardInput };

/**
 * The door from panels to awards: panels calls it inside its own transaction; awards never imports
 * panels. The awards module's AwardsService provides it (`{ provide: AwardsPort, useExisting:
 * AwardsService }`; panels.module.ts checks the fit at compile time). None of these touch the pot ledger:
 * panels commits and releases the decision's money itself, in the same transaction.
 */
export abstract class AwardsPort {
  /** An approval recorded at a panel: the award in status 'provisional' (invisible to applicants). */
  abstract createProvisional(m: EntityManager, input: ProvisionalAwardInput, actor: Actor): Promise<{ awardId: string; reference: string }>;
  /** The unconfirmed approval changed its amount or conditions. */
  abstract changeProvisional(m: EntityManager, awardId: string, change: { amountPence: number; conditions: string[]; budgetLines: ProvisionalAwardInput['budgetLines'] }, actor: Actor): Promise<void>;
  /** The unconfirmed approval became another outcome: provisional → cancelled. */
  abstract cancelProvisional(m: EntityManager, awardId: string, actor: Actor): Promise<void>;
  /** The meeting was confirmed: provisional → offered, with the offer email and the expiry job. Idempotent. */
  abstract offer(m: EntityManager, awardIds: string[], actor: Actor): Promise<void>;
}
