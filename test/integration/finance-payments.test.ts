import { randomUUID } from 'node:crypto';
import { ledgerOf } from '../support/award-factories.js';
import { createUser, tokenFor } from '../support/factories.js';
import { acceptedAward, financeOfficer, VALID_BANK, verifiedBankAccount, type Officer } from '../support/finance-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;
let officer: Officer;
let second: Officer;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  officer = await financeOfficer(t, 'Recording Officer');
  second = await financeOfficer(t, 'Second Officer');
});

afterAll(async () => {
  await t?.close();
});

const pay = (awardId: string, body: Record<string, unknown>, key: string | null, token = officer.token) =>
  api.post(`/api/v1/awards/${awardId}/payments`, body, { token, headers: key ? { 'idempotency-key': key } : {} });
const payment = (amountPence: number, reference = 'BACS-1') => ({ amountPence, paidOn: '2027-05-01', reference });
const awardRow = async (id: string) => (await t.db.query(`SELECT status, paid_pence::int AS paid, released_pence::int AS released, amount_pence::int AS amount FROM awards WHERE id = $1`, [id]))[0];

describe('payments', () => {
  it('ten requests at once with one key make one payment and ten identical answers; the key with another body is 422', async () => {
    const award = await acceptedAward(t, api);
    await verifiedBankAccount(t, award);
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => pay(award.awardId, payment(100000), key)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers[0].body).toMatchObject({ status: 'paid', amountPence: 100000 });
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM payments WHERE award_id = $1`, [award.awardId]);
    expect(n).toBe(1);
    expect(await awardRow(award.awardId)).toMatchObject({ status: 'active', paid: 100000 });
    expect((await ledgerOf(t, award.potId)).filter((e) => e.kind === 'payment')).toEqual([expect.objectContaining({ amount: 100000, key: `payment:${answers[0].body.id}`, source_type: 'payment' })]);
    const other = await pay(award.awardId, payment(100001), key);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    const none = await pay(award.awardId, payment(100), null);
    expect(none.status).toBe(422);
    expect(none.body.code).toBe('FINANCE.IDEMPOTENCY_KEY_REQUIRED');
  });

  it('fifty payments at once never take paid past the award: the rest are 409 AWARD.OVERPAID', async () => {
    const award = await acceptedAward(t, api, { amountPence: 250000 });
    await verifiedBankAccount(t, award);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => pay(award.awardId, payment(12000, `BACS-${i}`), randomUUID())));
    const ok = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    expect(ok).toHaveLength(Math.floor(250000 / 12000));
    expect(new Set(refused.map((a) => `${a.status} ${a.body.code}`))).toEqual(new Set(['409 AWARD.OVERPAID']));
    const row = await awardRow(award.awardId);
    expect(row.paid).toBe(ok.length * 12000);
    expect(row.paid).toBeLessThanOrEqual(row.amount);
    const ledgerPaid = (await ledgerOf(t, award.potId)).filter((e) => e.kind === 'payment' && ok.some((a) => e.key === `payment:${a.body.id}`));
    expect(ledgerPaid).toHaveLength(ok.length);
    // What is left can be paid exactly, and not a penny more.
    expect((await pay(award.awardId, payment(250000 - row.paid + 1), randomUUID())).status).toBe(409);
    expect((await pay(award.awardId, payment(250000 - row.paid), randomUUID())).status).toBe(201);
  });

  it('a payment above the threshold waits for another finance officer: its recorder cannot approve it, and it holds its money meanwhile', async () => {
    const award = await acceptedAward(t, api, { amountPence: 250000 });
    await verifiedBankAccount(t, award);
    const [{ fund_id: fundId }] = await t.db.query(`SELECT fund_id FROM rounds WHERE id = $1`, [award.roundId]);
    expect((await api.put(`/api/v1/funds/${fundId}/payment-approval`, { approvalThresholdPence: 100000, approveEveryPayment: false }, { token: officer.token })).status).toBe(200);
    const small = await pay(award.awardId, payment(100000), randomUUID());
    expect(small.body.status).toBe('paid');
    const big = await pay(award.awardId, payment(100001), randomUUID());
    expect(big.status).toBe(201);
    expect(big.body.status).toBe('awaiting_approval');
    expect((await awardRow(award.awardId)).paid).toBe(100000);
    // Waiting money counts against what is left: 250000 − 100000 paid − 100001 waiting = 49999.
    const over = await pay(award.awardId, payment(50000), randomUUID());
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'AWARD.OVERPAID', awaitingApprovalPence: 100001 });
    const own = await api.post(`/api/v1/payments/${big.body.id}/approve`, {}, { token: officer.token });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('FINANCE.APPROVE_OWN_PAYMENT');
    expect((await awardRow(award.awardId)).paid).toBe(100000);
    const approved = await api.post(`/api/v1/payments/${big.body.id}/approve`, { note: 'Checked the invoice' }, { token: second.token });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'paid', decidedBy: second.email });
    expect((await awardRow(award.awardId)).paid).toBe(200001);
    expect((await api.post(`/api/v1/payments/${big.body.id}/approve`, {}, { token: second.token })).status).toBe(409);
    // Every payment, when the fund says so; a rejected one frees its money.
    await api.put(`/api/v1/funds/${fundId}/payment-approval`, { approveEveryPayment: true }, { token: officer.token });
    const tiny = await pay(award.awardId, payment(49999), randomUUID());
    expect(tiny.body.status).toBe('awaiting_approval');
    expect((await api.post(`/api/v1/payments/${tiny.body.id}/reject`, { note: 'Wrong reference' }, { token: officer.token })).body.status).toBe('rejected');
    expect((await pay(award.awardId, payment(49999, 'BACS-again'), randomUUID())).body.status).toBe('awaiting_approval');
    const list = await api.get(`/api/v1/awards/${award.awardId}/payments`, { token: award.ownerToken });
    expect(list.body.items.map((p: { status: string }) => p.status)).toEqual(['paid', 'paid', 'rejected', 'awaiting_approval']);
  });

  it('refuses payments without verified bank details, and a change after verification blocks the next payment and emails every owner', async () => {
    const award = await acceptedAward(t, api);
    expect((await pay(award.awardId, payment(1000), randomUUID())).body.code).toBe('FINANCE.BANK_DETAILS_MISSING');
    const coOwner = await createUser(t.db, { fullName: 'Co Owner' });
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [award.organisationId, coOwner.id]);
    await verifiedBankAccount(t, award);
    expect((await pay(award.awardId, payment(1000), randomUUID())).status).toBe(201);
    const changed = await api.put(`/api/v1/awards/${award.awardId}/bank-account`, { ...VALID_BANK, accountName: 'Leeds Youth Club (new)' }, { token: award.ownerToken });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ verified: false, accountNumber: '****4958', sortCode: '**-**-99', masked: true });
    const blocked = await pay(award.awardId, payment(1000), randomUUID());
    expect(blocked.status).toBe(409);
    expect(blocked.body.code).toBe('FINANCE.BANK_DETAILS_UNVERIFIED');
    await t.settle();
    for (const to of [award.owner.email, coOwner.email]) {
      const mail = await t.mailbox.waitFor(to, (m) => /Bank details changed/.test(m.subject ?? ''));
      expect(mail.text).toContain('ending 4958');
      expect(mail.text).not.toContain(VALID_BANK.accountNumber);
    }
    expect((await api.post(`/api/v1/awards/${award.awardId}/bank-account/verify`, { method: 'call_back' }, { token: second.token })).status).toBe(200);
    expect((await pay(award.awardId, payment(1000), randomUUID())).status).toBe(201);
  });

  it('refuses an instalment whose condition is not met, until an officer marks it met', async () => {
    const award = await acceptedAward(t, api, { amountPence: 250000 });
    await verifiedBankAccount(t, award);
    const schedule = await api.put(
      `/api/v1/awards/${award.awardId}/payment-schedule`,
      { instalments: [{ dueOn: '2027-05-01', amountPence: 150000 }, { dueOn: '2027-11-01', amountPence: 100000, condition: { kind: 'offer_condition', text: 'A safeguarding policy is in place' } }] },
      { token: officer.token },
    );
    expect(schedule.status).toBe(200);
    const [, second] = schedule.body.instalments;
    expect(second.conditionMet).toBe(false);
    const refused = await pay(award.awardId, { ...payment(100000), instalmentId: second.id }, randomUUID());
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('FINANCE.CONDITION_UNMET');
    const grants = await createUser(t.db, { roles: ['grants_officer'] });
    const met = await api.post(`/api/v1/instalments/${second.id}/condition-met`, { note: 'Seen the policy' }, { token: await tokenFor(t, grants) });
    expect(met.status).toBe(200);
    expect(met.body).toMatchObject({ conditionMet: true, conditionNote: 'Seen the policy', conditionMetBy: grants.email });
    expect((await pay(award.awardId, { ...payment(100001), instalmentId: second.id }, randomUUID())).body.code).toBe('FINANCE.INSTALMENT_OVERPAID');
    const paid = await pay(award.awardId, { ...payment(100000), instalmentId: second.id }, randomUUID());
    expect(paid.status).toBe(201);
    const after = await api.get(`/api/v1/awards/${award.awardId}/payment-schedule`, { token: award.ownerToken });
    expect(after.body.instalments[1]).toMatchObject({ paidPence: 100000, outstandingPence: 0 });
  });
});
