import { randomUUID } from 'node:crypto';
import { ledgerOf } from '../support/award-factories.js';
import { createUser, tokenFor } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { acceptedAward, payAward, type AcceptedAward } from '../support/money-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ClawbacksService } from '../../src/finance/clawbacks.service.js';

/**
 * Money coming back: a grants officer raises a clawback (never more than was paid), finance
 * records money received (once, however often the request is retried), and in one transaction the
 * award's paid goes down, its released goes up, the ledger records the repayment and releases the
 * money back to the pot, and the clawback moves to partly repaid and then repaid.
 */
let t: TestApp;
let api: ApiClient;
let officerToken: string;
let financeToken: string;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  officerToken = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
  financeToken = await tokenFor(t, await createUser(t.db, { roles: ['finance_officer'] }));
});

afterAll(async () => {
  await t?.close();
});

const awardMoney = async (id: string) => (await t.db.query(`SELECT paid_pence::int AS paid, released_pence::int AS released, amount_pence::int AS amount FROM awards WHERE id = $1`, [id]))[0];
const committed = async (potId: string) => (await t.db.query(`SELECT committed_pence::int AS c FROM pots WHERE id = $1`, [potId]))[0].c;
const raise = (a: AcceptedAward, amountPence: number) => api.post(`/api/v1/awards/${a.awardId}/clawbacks`, { amountPence, reason: 'The project ended early', dueOn: '2031-06-30' }, { token: officerToken });
const repay = (a: AcceptedAward, body: Record<string, unknown>, key?: string) =>
  api.post(`/api/v1/awards/${a.awardId}/repayments`, { receivedOn: '2031-05-01', reference: 'BACS 123', ...body }, { token: financeToken, headers: key ? { 'idempotency-key': key } : {} });

describe('clawbacks', () => {
  it('no more than has been paid (409 CLAWBACK.MORE_THAN_PAID); raised, the owners are emailed and members see it', async () => {
    const a = await acceptedAward(t, api, { amountPence: 250000 });
    await payAward(t, a, 100000);
    const tooMuch = await raise(a, 100001);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body).toMatchObject({ code: 'CLAWBACK.MORE_THAN_PAID', paidPence: 100000 });
    const raised = await raise(a, 60000);
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ amountPence: 60000, repaidPence: 0, outstandingPence: 60000, status: 'raised', open: true, dueOn: '2031-06-30' });
    // What is already being clawed back counts: 40,000 of the 100,000 paid is left.
    expect((await raise(a, 40001)).status).toBe(409);
    await t.settle();
    const mail = await t.mailbox.waitFor(a.owner.email, (m) => m.subject.startsWith('Money to pay back'));
    expect(mail.text).toContain('£600');
    expect(mail.text).toContain('30 June 2031');
    expect((await api.get(`/api/v1/awards/${a.awardId}/clawbacks`, { token: a.ownerToken })).body.items).toHaveLength(1);
    const stranger = await tokenFor(t, await createUser(t.db));
    expect((await api.get(`/api/v1/awards/${a.awardId}/clawbacks`, { token: stranger })).status).toBe(404);
    expect((await api.post(`/api/v1/awards/${a.awardId}/clawbacks`, { amountPence: 1, reason: 'x', dueOn: '2031-01-01' }, { token: financeToken })).status).toBe(403);
    expect((await api.post(`/api/v1/awards/${a.awardId}/clawbacks`, { amountPence: 1, reason: 'x', dueOn: '2031-02-30' }, { token: officerToken })).status).toBe(422);
    expect((await t.app.get(ClawbacksService).openClawbacks(a.awardId)).map((c) => c.id)).toEqual([raised.body.id]);
  });

  it('partly then fully repaid: each repayment takes paid down, released up, and gives the money back to the pot', async () => {
    const a = await acceptedAward(t, api, { amountPence: 250000 });
    await payAward(t, a, 250000);
    const clawback = (await raise(a, 80000)).body;
    const potBefore = await committed(a.potId);

    const first = await repay(a, { amountPence: 30000, reason: 'clawback', clawbackId: clawback.id });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ amountPence: 30000, reason: 'clawback', clawbackId: clawback.id, receivedOn: '2031-05-01' });
    let view = (await api.get(`/api/v1/awards/${a.awardId}/clawbacks`, { token: officerToken })).body.items[0];
    expect(view).toMatchObject({ status: 'partly_repaid', repaidPence: 30000, outstandingPence: 50000 });
    expect(await awardMoney(a.awardId)).toEqual({ amount: 250000, paid: 220000, released: 30000 });
    expect(await committed(a.potId)).toBe(potBefore - 30000);

    const tooMuch = await repay(a, { amountPence: 50001, reason: 'clawback', clawbackId: clawback.id });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('REPAYMENT.MORE_THAN_DUE');
    // Without naming it, money for a clawback pays the oldest still owed.
    const second = await repay(a, { amountPence: 50000, reason: 'clawback' });
    expect(second.body.clawbackId).toBe(clawback.id);
    view = (await api.get(`/api/v1/awards/${a.awardId}/clawbacks`, { token: a.ownerToken })).body.items[0];
    expect(view).toMatchObject({ status: 'repaid', repaidPence: 80000, outstandingPence: 0, open: false });
    expect(await awardMoney(a.awardId)).toEqual({ amount: 250000, paid: 170000, released: 80000 });
    expect(await t.app.get(ClawbacksService).openClawbacks(a.awardId)).toEqual([]);
    const noneOwed = await repay(a, { amountPence: 100, reason: 'clawback' });
    expect(noneOwed.status).toBe(422);
    expect(noneOwed.body.errors[0].code).toBe('REPAYMENT.NO_OPEN_CLAWBACK');

    const entries = (await ledgerOf(t, a.potId)).filter((e) => e.source_type === 'repayment');
    expect(entries.map((e) => `${e.kind} ${e.amount} ${e.key}`).sort()).toEqual(
      [
      `repayment 30000 repayment:${first.body.id}`,
      `release 30000 repayment:${first.body.id}:release`,
      `repayment 50000 repayment:${second.body.id}`,
      `release 50000 repayment:${second.body.id}:release`,
      ].sort(),
    );
    const [{ actions }] = await t.db.query(`SELECT array_agg(action ORDER BY id) AS actions FROM audit_events WHERE entity_id = $1`, [clawback.id]);
    expect(actions).toEqual(['clawback.raised', 'clawback.partly_repaid', 'clawback.repaid']);
  });

  it('a grants officer cancels one still owed; it is then no longer open', async () => {
    const a = await acceptedAward(t, api);
    await payAward(t, a, 50000);
    const clawback = (await raise(a, 10000)).body;
    const cancelled = await api.post(`/api/v1/clawbacks/${clawback.id}/cancel`, { reason: 'Raised in error' }, { token: officerToken });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Raised in error', open: false });
    expect((await api.post(`/api/v1/clawbacks/${clawback.id}/cancel`, { reason: 'Again' }, { token: officerToken })).status).toBe(409);
    expect((await repay(a, { amountPence: 100, reason: 'clawback', clawbackId: clawback.id })).status).toBe(409);
  });
});

describe('repayments', () => {
  it('are recorded once under one Idempotency-Key, even when sent five times at once; another body under the key is 422', async () => {
    const a = await acceptedAward(t, api, { amountPence: 250000 });
    await payAward(t, a, 200000);
    const key = `repayment-${randomUUID()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => repay(a, { amountPence: 12345, reason: 'underspend' }, key)));
    expect(answers.map((x) => x.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(answers.map((x) => x.text)).size).toBe(1);
    expect(answers.filter((x) => x.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM repayments WHERE award_id = $1`, [a.awardId]);
    expect(n).toBe(1);
    expect((await ledgerOf(t, a.potId)).filter((e) => e.source_type === 'repayment')).toHaveLength(2);
    expect(await awardMoney(a.awardId)).toEqual({ amount: 250000, paid: 200000 - 12345, released: 12345 });
    expect((await repay(a, { amountPence: 12346, reason: 'underspend' }, key)).status).toBe(422);
  });

  it('never more than was paid (409 AWARD.REPAID_TOO_MUCH), and only finance records them', async () => {
    const a = await acceptedAward(t, api);
    await payAward(t, a, 1000);
    const tooMuch = await repay(a, { amountPence: 1001, reason: 'other' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('AWARD.REPAID_TOO_MUCH');
    expect((await t.db.query(`SELECT count(*)::int AS n FROM repayments WHERE award_id = $1`, [a.awardId]))[0].n).toBe(0);
    const asOfficer = await api.post(`/api/v1/awards/${a.awardId}/repayments`, { amountPence: 10, receivedOn: '2031-01-01', reference: 'x', reason: 'other' }, { token: officerToken });
    expect(asOfficer.status).toBe(403);
    expect((await repay(a, { amountPence: 10, reason: 'other', receivedOn: 'yesterday' })).status).toBe(422);
    expect((await api.get(`/api/v1/awards/${a.awardId}/repayments`, { token: a.ownerToken })).body.items).toEqual([]);
  });
});
