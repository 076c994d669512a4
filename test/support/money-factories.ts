import { randomUUID } from 'node:crypto';
import { AwardsService } from '../../src/awards/awards.service.js';
import { PotLedger } from '../../src/funds/pot-ledger.service.js';
import { approvedAward, type TestAward } from './award-factories.js';
import type { TestRound } from './funding-factories.js';
import type { ApiClient } from './http.js';
import type { TestApp } from './test-app.js';

export const FINANCE_ACTOR = { userId: null, label: 'test:finance' };

export interface AcceptedAward extends TestAward {
  /** The award's two approved budget lines (the bid's own line and a second one), adding up to the amount. */
  lineIds: [string, string];
}

/**
 * An offered award accepted by its owner through the API, whose approved budget is two lines
 * (the bid's line with 60% and a second line, "Venue hire", with the rest) so money can move
 * between them.
 */
export async function acceptedAward(t: TestApp, api: ApiClient, options: { round?: TestRound; amountPence?: number } = {}): Promise<AcceptedAward> {
  const award = await approvedAward(t, api, { round: options.round, amountPence: options.amountPence ?? 250000 });
  const [{ budget_lines: lines }] = await t.db.query(`SELECT budget_lines FROM awards WHERE id = $1`, [award.awardId]);
  const first = Math.round(award.amountPence * 0.6);
  const lineIds: [string, string] = [lines[0].budgetLineId, randomUUID()];
  const budget = [
    { budgetLineId: lineIds[0], item: lines[0].item, category: lines[0].category, amountPence: first },
    { budgetLineId: lineIds[1], item: 'Venue hire', category: 'premises', amountPence: award.amountPence - first },
  ];
  await t.db.query(`UPDATE awards SET budget_lines = $2, ends_on = '2031-03-31', starts_on = '2030-04-01' WHERE id = $1`, [award.awardId, JSON.stringify(budget)]);
  const [{ v }] = await t.db.query(`SELECT agreement_version AS v FROM awards WHERE id = $1`, [award.awardId]);
  const accepted = await api.post(`/api/v1/awards/${award.awardId}/accept`, { signatoryName: 'Ada Owner', signatoryRole: 'Chair', agreementVersion: v, acceptTerms: true }, { token: award.ownerToken });
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.text}`);
  return { ...award, lineIds };
}

/** Pays `pence` against the award as finance's payments do: the award's paid and a ledger payment, in one transaction. */
export async function payAward(t: TestApp, award: { awardId: string; potId: string; applicationId: string }, pence: number): Promise<void> {
  const id = randomUUID();
  await t.db.transaction(async (m) => {
    await t.app.get(AwardsService).recordPaid(m, award.awardId, pence, FINANCE_ACTOR);
    await t.app.get(PotLedger).pay(m, { potId: award.potId, amountPence: pence, key: `payment:${id}`, sourceType: 'payment', sourceId: id, applicationId: award.applicationId }, FINANCE_ACTOR);
  });
}
