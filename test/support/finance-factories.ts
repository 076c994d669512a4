import { randomUUID } from 'node:crypto';
import { approvedAward, type TestAward } from './award-factories.js';
import { createUser, tokenFor, type TestUser } from './factories.js';
import type { TestRound } from './funding-factories.js';
import { apiClient, type ApiClient } from './http.js';
import type { TestApp } from './test-app.js';

/** A sort code and account number that pass the UK modulus rules (and one that does not). */
export const VALID_BANK = { accountName: 'Leeds Youth Club', sortCode: '08-99-99', accountNumber: '66374958' };
export const FAILS_MODULUS = { ...VALID_BANK, accountNumber: '66374959' };

export type Officer = TestUser & { token: string };

/** A finance officer with an API token. */
export async function financeOfficer(t: TestApp, fullName = 'Fin Officer'): Promise<Officer> {
  const user = await createUser(t.db, { roles: ['finance_officer'], fullName });
  return { ...user, token: await tokenFor(t, user) };
}

/** An offered award accepted by its owner through the API (so it is payable). */
export async function acceptedAward(t: TestApp, api: ApiClient, options: { round?: TestRound; amountPence?: number; conditions?: string[] } = {}): Promise<TestAward> {
  const award = await approvedAward(t, api, options);
  const [{ v }] = await t.db.query(`SELECT agreement_version AS v FROM awards WHERE id = $1`, [award.awardId]);
  const res = await api.post(`/api/v1/awards/${award.awardId}/accept`, { signatoryName: 'Ada Owner', signatoryRole: 'Chair', agreementVersion: v, acceptTerms: true }, { token: award.ownerToken });
  if (res.status !== 200) throw new Error(`accepting the award failed: ${res.status} ${res.text}`);
  return award;
}

/**
 * Valid bank details entered by the award's owner through the API, verified by a second finance
 * user (a new one unless given). The award must be accepted (see acceptedAward).
 */
export async function verifiedBankAccount(t: TestApp, award: TestAward, verifier?: Officer): Promise<{ verifier: Officer }> {
  const api = apiClient(t.url);
  const entered = await api.put(`/api/v1/awards/${award.awardId}/bank-account`, VALID_BANK, { token: award.ownerToken });
  if (entered.status !== 200) throw new Error(`entering bank details failed: ${entered.status} ${entered.text}`);
  const by = verifier ?? (await financeOfficer(t, 'Verifying Officer'));
  const verified = await api.post(`/api/v1/awards/${award.awardId}/bank-account/verify`, { method: 'bank_statement', note: 'Checked against a statement' }, { token: by.token });
  if (verified.status !== 200) throw new Error(`verifying bank details failed: ${verified.status} ${verified.text}`);
  return { verifier: by };
}

/**
 * Pays the first instalment of the award's schedule in full (its condition must be met), as a
 * finance officer; approved by a second one when the payment needs approval. Returns the payment.
 */
export async function payFirstInstalment(t: TestApp, award: TestAward, payer?: Officer): Promise<{ id: string; status: string; amountPence: number; instalmentId: string }> {
  const api = apiClient(t.url);
  const by = payer ?? (await financeOfficer(t, 'Paying Officer'));
  const schedule = await api.get(`/api/v1/awards/${award.awardId}/payment-schedule`, { token: by.token });
  const first = schedule.body.instalments[0];
  const paid = await api.post(
    `/api/v1/awards/${award.awardId}/payments`,
    { instalmentId: first.id, amountPence: first.outstandingPence, paidOn: first.dueOn, reference: `BACS-${award.reference}-1` },
    { token: by.token, headers: { 'idempotency-key': randomUUID() } },
  );
  if (paid.status !== 201) throw new Error(`paying the first instalment failed: ${paid.status} ${paid.text}`);
  if (paid.body.status === 'awaiting_approval') {
    const approver = await financeOfficer(t, 'Approving Officer');
    const approved = await api.post(`/api/v1/payments/${paid.body.id}/approve`, {}, { token: approver.token });
    if (approved.status !== 200) throw new Error(`approving the payment failed: ${approved.status} ${approved.text}`);
    return approved.body;
  }
  return paid.body;
}
