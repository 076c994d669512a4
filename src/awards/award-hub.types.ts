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
