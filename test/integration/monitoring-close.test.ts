import { randomUUID } from 'node:crypto';
import { createUser, tokenFor } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { ledgerOf } from '../support/award-factories.js';
import { acceptedAward, pay, submitReturn } from '../support/monitoring-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Closing an award: refused until the final return is accepted, refused when the ledger and the
 * award disagree (a difference planted in either), and otherwise the unpaid rest goes back to the
 * pot through the ledger and the award's released figure, and the award is closed, in one go.
 */
let t: TestApp;
let api: ApiClient;
let officerToken: string;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  officerToken = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
});
afterAll(async () => {
  await t?.close();
});

/** An award paid £2,000 of £2,500, with both returns submitted and the first accepted. */
async function inMonitoring() {
  const award = await acceptedAward(t, api, { amountPence: 250_000 });
  await pay(t, award, 200_000);
  const [first, final] = award.returns;
  await submitReturn(t, api, award, first.id, [80_000]);
  expect((await api.post(`/api/v1/returns/${first.id}/review`, { outcome: 'accept' }, { token: officerToken })).status).toBe(200);
  await submitReturn(t, api, award, final.id, [100_000]);
  return { award, final };
}

const acceptFinal = async (id: string) => expect((await api.post(`/api/v1/returns/${id}/review`, { outcome: 'accept' }, { token: officerToken })).status).toBe(200);
const close = (awardId: string, headers: Record<string, string> = {}) => api.post(`/api/v1/awards/${awardId}/close`, { note: 'Project complete' }, { token: officerToken, headers });
const state = async (awardId: string) => (await t.db.query(`SELECT status, paid_pence::int AS paid, released_pence::int AS released FROM awards WHERE id = $1`, [awardId]))[0];

it('is refused until the final return is accepted, changing nothing', async () => {
  const { award } = await inMonitoring();
  const before = [await state(award.awardId), await ledgerOf(t, award.potId)];
  const refused = await close(award.awardId);
  expect([refused.status, refused.body.code, refused.body.finalReturnStatus]).toEqual([409, 'MONITORING.FINAL_RETURN_NOT_ACCEPTED', 'submitted']);
  expect([await state(award.awardId), await ledgerOf(t, award.potId)]).toEqual(before);
});

it('is refused when the award’s paid figure differs from the ledger, with the figures', async () => {
  const { award, final } = await inMonitoring();
  await acceptFinal(final.id);
  await t.db.query(`UPDATE awards SET paid_pence = paid_pence + 1 WHERE id = $1`, [award.awardId]);
  const refused = await close(award.awardId);
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'MONITORING.MONEY_DOES_NOT_RECONCILE', ledgerPaidPence: 200_000, awardPaidPence: 200_001, ledgerCommittedPence: 250_000, awardCommittedPence: 250_000 });
  expect((await state(award.awardId)).status).toBe('monitoring');
});

it('is refused when a difference is planted in the ledger', async () => {
  const { award, final } = await inMonitoring();
  await acceptFinal(final.id);
  const id = randomUUID();
  await t.db.query(
    `INSERT INTO pot_ledger_entries (pot_id, kind, amount_pence, key, source_type, source_id, application_id, note, actor_user_id, actor_label)
     VALUES ($1, 'payment', 500, $2, 'payment', $3, $4, 'planted', NULL, 'test')`,
    [award.potId, `planted:${id}`, id, award.applicationId],
  );
  const refused = await close(award.awardId);
  expect(refused.body).toMatchObject({ code: 'MONITORING.MONEY_DOES_NOT_RECONCILE', ledgerPaidPence: 200_500, awardPaidPence: 200_000 });
  expect((await state(award.awardId)).status).toBe('monitoring');
});

it('closes a reconciled award, releasing the unpaid rest to the pot once (a replay with the key answers the same)', async () => {
  const { award, final } = await inMonitoring();
  await acceptFinal(final.id);
  const [{ committed: before }] = await t.db.query(`SELECT committed_pence::int AS committed FROM pots WHERE id = $1`, [award.potId]);
  const closed = await close(award.awardId, { 'idempotency-key': `close-${award.awardId}` });
  expect([closed.status, closed.body]).toEqual([200, { awardId: award.awardId, status: 'closed', releasedPence: 50_000 }]);
  const replay = await close(award.awardId, { 'idempotency-key': `close-${award.awardId}` });
  expect([replay.status, replay.body, replay.headers.get('idempotent-replayed')]).toEqual([200, closed.body, 'true']);
  expect(await state(award.awardId)).toEqual({ status: 'closed', paid: 200_000, released: 50_000 });
  const [{ committed: after }] = await t.db.query(`SELECT committed_pence::int AS committed FROM pots WHERE id = $1`, [award.potId]);
  expect(before - after).toBe(50_000);
  const releases = (await ledgerOf(t, award.potId)).filter((e) => e.key === `award:${award.awardId}:close-release`);
  expect(releases).toEqual([{ kind: 'release', amount: 50_000, key: `award:${award.awardId}:close-release`, source_type: 'award', source_id: award.awardId }]);
  const again = await close(award.awardId);
  expect([again.status, again.body.code]).toEqual([409, 'AWARD.ILLEGAL_TRANSITION']);
  const [move] = await t.db.query(`SELECT from_status, made_as, reason FROM award_transitions WHERE award_id = $1 AND to_status = 'closed'`, [award.awardId]);
  expect(move).toEqual({ from_status: 'monitoring', made_as: 'grants_officer', reason: 'Project complete' });
});

it('is refused while a clawback is still owed, and closes once it is repaid', async () => {
  const { award, final } = await inMonitoring();
  await acceptFinal(final.id);
  const clawback = await api.post(`/api/v1/awards/${award.awardId}/clawbacks`, { amountPence: 30_000, reason: 'Unspent venue money', dueOn: '2031-06-30' }, { token: officerToken });
  expect(clawback.status).toBe(201);
  const refused = await close(award.awardId);
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'MONITORING.CLAWBACK_OPEN', openClawbacks: 1, owedPence: 30_000 });
  expect((await state(award.awardId)).status).toBe('monitoring');
  const financeToken = await tokenFor(t, await createUser(t.db, { roles: ['finance_officer'] }));
  const repaid = await api.post(`/api/v1/awards/${award.awardId}/repayments`, { amountPence: 30_000, receivedOn: '2031-05-01', reference: 'BACS 9', reason: 'clawback' }, { token: financeToken });
  expect(repaid.status).toBe(201);
  const closed = await close(award.awardId);
  expect(closed.status).toBe(200);
  // Paid 200,000 less 30,000 repaid; released: the 30,000 repaid and the unpaid 50,000.
  expect(await state(award.awardId)).toEqual({ status: 'closed', paid: 170_000, released: 80_000 });
});

