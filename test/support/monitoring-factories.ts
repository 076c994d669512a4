import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/auth/actor.js';
import { AwardsService } from '../../src/awards/awards.service.js';
import { PotLedger } from '../../src/funds/pot-ledger.service.js';
import { approvedAward, type TestAward } from './award-factories.js';
import type { TestRound } from './funding-factories.js';
import type { ApiClient } from './http.js';
import type { TestApp } from './test-app.js';

export const FINANCE_ACTOR: Actor = { userId: null, label: 'test:finance' };

export interface TestReturn {
  id: string;
  number: number;
  periodLabel: string;
  dueOn: string;
  final: boolean;
  status: string;
}

/** An offered award accepted by its owner through the API, with the returns the 'award.accepted' job created. */
export async function acceptedAward(t: TestApp, api: ApiClient, options: { round?: TestRound; amountPence?: number; withoutStart?: boolean } = {}): Promise<TestAward & { returns: TestReturn[] }> {
  const award = await approvedAward(t, api, options);
  if (options.withoutStart) await t.db.query(`UPDATE awards SET starts_on = NULL WHERE id = $1`, [award.awardId]);
  const res = await api.post(`/api/v1/awards/${award.awardId}/accept`, { signatoryName: 'Ada Owner', signatoryRole: 'Chair', agreementVersion: 1, acceptTerms: true }, { token: award.ownerToken });
  if (res.status !== 200) throw new Error(`Could not accept: ${res.status} ${res.text}`);
  await t.settle();
  return { ...award, returns: await returnsOf(t, award.awardId) };
}

export async function returnsOf(t: TestApp, awardId: string): Promise<TestReturn[]> {
  return t.db.query(
    `SELECT id, number, period_label AS "periodLabel", to_char(due_on, 'YYYY-MM-DD') AS "dueOn", is_final AS final, status FROM monitoring_returns WHERE award_id = $1 ORDER BY number`,
    [awardId],
  );
}

/** What finance will do, until finance is merged: a payment recorded on the award and in the ledger, in one transaction. */
export async function pay(t: TestApp, award: TestAward, pence: number): Promise<void> {
  const paymentId = randomUUID();
  await t.db.transaction(async (m) => {
    await t.app.get(AwardsService).recordPaid(m, award.awardId, pence, FINANCE_ACTOR);
    await t.app.get(PotLedger).pay(m, { potId: award.potId, amountPence: pence, key: `payment:${paymentId}`, sourceType: 'payment', sourceId: paymentId, applicationId: award.applicationId }, FINANCE_ACTOR);
  });
}

/** The award's approved budget lines. */
export async function budgetLinesOf(t: TestApp, awardId: string): Promise<{ budgetLineId: string; item: string; category: string; amountPence: number }[]> {
  const [{ lines }] = await t.db.query(`SELECT budget_lines AS lines FROM awards WHERE id = $1`, [awardId]);
  return lines;
}

/** A complete return body for the award's budget lines, spending `pence[i]` on line i. */
export function returnBody(lines: { budgetLineId: string }[], pence: number[], extra: Record<string, unknown> = {}) {
  return {
    spend: lines.map((l, i) => ({ budgetLineId: l.budgetLineId, spentPence: pence[i] ?? 0 })),
    outputs: [{ key: 'sessions', label: 'Youth sessions run', promised: 40, actual: 36 }],
    narrative: 'The sessions ran every Thursday evening at the community centre.',
    outcomes: 'Fewer reports of anti-social behaviour near the centre on session nights.',
    caseStudy: 'A young person who came every week now helps run the sessions.',
    ...extra,
  };
}

/** Saves and submits a return through the API as the award's owner; returns the submitted return. */
export async function submitReturn(t: TestApp, api: ApiClient, award: TestAward, returnId: string, pence: number[]): Promise<any> {
  const lines = await budgetLinesOf(t, award.awardId);
  const saved = await api.post(`/api/v1/awards/${award.awardId}/returns`, returnBody(lines, pence, { returnId }), { token: award.ownerToken });
  if (saved.status !== 200) throw new Error(`Could not save the return: ${saved.status} ${saved.text}`);
  const submitted = await api.post(`/api/v1/returns/${returnId}/submit`, undefined, { token: award.ownerToken });
  if (submitted.status !== 200) throw new Error(`Could not submit the return: ${submitted.status} ${submitted.text}`);
  return submitted.body;
}

/** Uploads an evidence file to a return through the API (multipart), as the token's holder. */
export async function uploadEvidence(t: TestApp, token: string | undefined, returnId: string, file: { name: string; data: Buffer; type?: string }): Promise<{ status: number; body: any; text: string; contentType: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type ?? 'application/octet-stream' }), file.name);
  const res = await fetch(`${t.url}/api/v1/returns/${returnId}/evidence`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
  const text = await res.text();
  let body: unknown = null;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: res.status, body, text, contentType: res.headers.get('content-type') ?? '' };
}
