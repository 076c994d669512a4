import { createUser } from '../support/factories.js';
import { errorSummaryOf, textOf } from '../support/form-client.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { acceptedAward, payAward, type AcceptedAward } from '../support/money-factories.js';
import { browserAs, type Browser } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The pages of issue 9's money work, without JavaScript: an owner asks for a variation from the
 * award's page (the kind first, then its fields), a grants officer decides it on a page showing
 * every line before and after and the pot's money; a grants officer raises a clawback, finance
 * records the money received, the owner sees what is owed; finance reconciles a fund.
 */
let t: TestApp;
let api: ApiClient;
let a: AcceptedAward;
let owner: Browser;
let officer: Browser;
let finance: Browser;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  a = await acceptedAward(t, api, { amountPence: 250000 });
  owner = await browserAs(t, a.owner);
  officer = await browserAs(t, await createUser(t.db, { roles: ['grants_officer'] }));
  finance = await browserAs(t, await createUser(t.db, { roles: ['finance_officer'] }));
});

afterAll(async () => {
  await t?.close();
});

describe('an owner asks for a variation and a grants officer decides it', () => {
  it('goes from the award’s page through the kind and its fields to a decision', async () => {
    const hub = await owner.get(`/awards/${a.awardId}`);
    expect(hub.html).toContain(`/awards/${a.awardId}/variations`);
    const list = await owner.get(`/awards/${a.awardId}/variations`);
    expect(list.status).toBe(200);
    expect(textOf(list.html)).toContain('No changes have been asked for');

    const noKind = await owner.post(`/awards/${a.awardId}/variations/new`, {});
    expect(noKind.status).toBe(422);
    expect(errorSummaryOf(noKind.html)).toEqual(['Choose what you want to change']);
    const chosen = await owner.post(`/awards/${a.awardId}/variations/new`, { kind: 'budget' });
    expect(chosen.status).toBe(303);
    expect(chosen.location).toBe(`/awards/${a.awardId}/variations/new/budget`);
    const form = await owner.get(chosen.location!);
    expect(form.status).toBe(200);
    expect(form.html).toContain(`name="line-${a.lineIds[0]}"`);
    expect(form.html).toContain('value="1500.00"');

    const [first, second] = a.lineIds.map((id) => `line-${id}`);
    const wrong = await owner.post(`/awards/${a.awardId}/variations/new/budget`, { [first]: '1000', [second]: '1000', reason: 'Venue costs more' });
    expect(wrong.status).toBe(422);
    expect(errorSummaryOf(wrong.html)[0]).toContain('must add up to £2,500');
    const asked = await owner.post(`/awards/${a.awardId}/variations/new/budget`, { [first]: '1,000', [second]: '£1500', reason: 'Venue costs more' });
    expect(asked.status).toBe(303);
    const status = await owner.get(asked.location!);
    expect(textOf(status.html)).toContain('Waiting for a decision');
    expect(textOf(status.html)).toContain('Withdraw this request');

    const staffList = await officer.get('/staff/variations');
    expect(staffList.status).toBe(200);
    expect(textOf(staffList.html)).toContain(a.reference);
    const variationId = asked.location!.split('/').pop();
    const decide = await officer.get(`/staff/variations/${variationId}`);
    expect(decide.status).toBe(200);
    const text = textOf(decide.html);
    expect(text).toContain('Budget before and after');
    expect(text).toContain('£1,500 £1,000 −£500');
    expect(text).toContain('The pot’s available money');
    const refuseBare = await officer.post(`/staff/variations/${variationId}/decision`, { outcome: 'refuse' });
    expect(refuseBare.status).toBe(422);
    expect(errorSummaryOf(refuseBare.html)).toEqual(['Say why the change is refused']);
    const approved = await officer.post(`/staff/variations/${variationId}/decision`, { outcome: 'approve' });
    expect(approved.status).toBe(303);
    expect(textOf((await owner.get(`/variations/${variationId}`)).html)).toContain('Approved');
    expect((await finance.post(`/staff/variations/${variationId}/decision`, { outcome: 'approve' })).status).toBe(403);
  });

  it('an end date asked for with a date that is not real is shown as an error on the date', async () => {
    const b = await acceptedAward(t, api);
    const browser = await browserAs(t, b.owner);
    const bad = await browser.post(`/awards/${b.awardId}/variations/new/end_date`, { 'endsOn-day': '31', 'endsOn-month': '2', 'endsOn-year': '2032', reason: 'More time' });
    expect(bad.status).toBe(422);
    expect(errorSummaryOf(bad.html)[0]).toContain('must be a real date');
    const good = await browser.post(`/awards/${b.awardId}/variations/new/end_date`, { 'endsOn-day': '30', 'endsOn-month': '9', 'endsOn-year': '2031', reason: 'More time' });
    expect(good.status).toBe(303);
  });
});

describe('clawbacks, repayments and reconciliation as pages', () => {
  it('an officer raises a clawback, finance records money against it, the owner sees what is still owed', async () => {
    await payAward(t, a, 200000);
    const raised = await officer.post(`/awards/${a.awardId}/clawbacks/new`, { amount: '600', 'dueOn-day': '30', 'dueOn-month': '6', 'dueOn-year': '2031', reason: 'Sessions not run' });
    expect(raised.status).toBe(303);
    const tooMuch = await officer.post(`/awards/${a.awardId}/clawbacks/new`, { amount: '5000', 'dueOn-day': '30', 'dueOn-month': '6', 'dueOn-year': '2031', reason: 'Everything' });
    expect(tooMuch.status).toBe(409);
    expect((await owner.get(`/awards/${a.awardId}/clawbacks/new`)).status).toBe(403);

    const form = await finance.get(`/awards/${a.awardId}/repayments/new`);
    expect(form.status).toBe(200);
    expect(textOf(form.html)).toContain('£600 still owed');
    const recorded = await finance.post(`/awards/${a.awardId}/repayments/new`, { amount: '250', 'receivedOn-day': '1', 'receivedOn-month': '5', 'receivedOn-year': '2031', reference: 'BACS 77', reason: 'clawback' });
    expect(recorded.status).toBe(303);
    const seen = textOf((await owner.get(`/awards/${a.awardId}/clawbacks`)).html);
    expect(seen).toContain('needs to pay back £350');
    expect(seen).toContain('Partly repaid');
    expect(seen).toContain('BACS 77');
    // The award's own page says what is still owed, and by when.
    expect(textOf((await owner.get(`/awards/${a.awardId}`)).html)).toContain('Money to pay back £350 by 30 June 2031: Sessions not run');
  });

  it('finance reconciles the fund: everything adds up, and a planted difference is shown first', async () => {
    const [{ fund_id: fundId }] = await t.db.query(`SELECT fund_id FROM rounds WHERE id = $1`, [a.roundId]);
    const clean = await finance.get(`/staff/finance/reconciliation?fundId=${fundId}`);
    expect(clean.status).toBe(200);
    expect(textOf(clean.html)).toContain('Everything adds up');
    await t.db.query(`UPDATE awards SET paid_pence = paid_pence - 100 WHERE id = $1`, [a.awardId]);
    const off = await finance.get(`/staff/finance/reconciliation?roundId=${a.roundId}`);
    const text = textOf(off.html);
    expect(text).toContain('1 difference to look at');
    expect(text).toContain(`${a.reference}: the ledger’s paid money is`);
    expect((await officer.get(`/staff/finance/reconciliation`)).status).toBe(403);
  });
});
