import ExcelJS from 'exceljs';
import { createUser } from '../support/factories.js';
import { acceptedAward, financeOfficer, FAILS_MODULUS, VALID_BANK, verifiedBankAccount, type Officer } from '../support/finance-factories.js';
import { errorSummaryOf, parseHtml, textOf } from '../support/form-client.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { browserAs, type Browser } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let recorder: Officer;
let approver: Officer;
let recorderBrowser: Browser;
let approverBrowser: Browser;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  recorder = await financeOfficer(t, 'Page Recorder');
  approver = await financeOfficer(t, 'Page Approver');
  recorderBrowser = await browserAs(t, recorder, { csrfPath: '/account' });
  approverBrowser = await browserAs(t, approver, { csrfPath: '/account' });
});

afterAll(async () => {
  await t?.close();
});

const formValue = (html: string, name: string) => parseHtml(html)(`[name="${name}"]`).attr('value') ?? '';

describe('finance pages', () => {
  it('lets an owner enter bank details (errors in the summary) and see the plan with them masked', async () => {
    const award = await acceptedAward(t, api, { round });
    const owner = await browserAs(t, award.owner, { csrfPath: '/account' });
    const plan = await owner.get(`/awards/${award.awardId}/payment-plan`);
    expect(plan.status).toBe(200);
    expect(textOf(plan.html)).toContain('You have not given us your bank details yet');
    const bad = await owner.post(`/awards/${award.awardId}/bank-details`, { accountName: '', sortCode: '1234', accountNumber: '66374958' });
    expect(bad.status).toBe(422);
    expect(errorSummaryOf(bad.html)).toEqual(['Enter the name on the account (up to 140 characters)', 'Enter a sort code of 6 digits, like 30-94-57']);
    const modulus = await owner.post(`/awards/${award.awardId}/bank-details`, FAILS_MODULUS);
    expect(errorSummaryOf(modulus.html)).toEqual(['The sort code and account number do not match: check them against a bank statement']);
    const saved = await owner.post(`/awards/${award.awardId}/bank-details`, VALID_BANK);
    expect(saved.status).toBe(303);
    const after = textOf((await owner.get(`/awards/${award.awardId}/payment-plan`)).html);
    expect(after).toContain('****4958');
    expect(after).toContain('**-**-99');
    expect(after).not.toContain('66374958');
  });

  it('lets finance verify, record a payment, approve it as another officer, and mark a condition met', async () => {
    const award = await acceptedAward(t, api, { round, amountPence: 250000 });
    await api.put(`/api/v1/awards/${award.awardId}/bank-account`, VALID_BANK, { token: award.ownerToken });
    const list = await recorderBrowser.get('/staff/finance/bank-details');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`/staff/finance/awards/${award.awardId}/verify`);
    const noMethod = await recorderBrowser.post(`/staff/finance/awards/${award.awardId}/verify`, { note: '' });
    expect(noMethod.status).toBe(422);
    expect(errorSummaryOf(noMethod.html)).toHaveLength(1);
    expect((await recorderBrowser.post(`/staff/finance/awards/${award.awardId}/verify`, { method: 'call_back', note: 'Rang the treasurer' })).status).toBe(303);
    const [{ fund_id: fundId }] = await t.db.query(`SELECT fund_id FROM rounds WHERE id = $1`, [award.roundId]);
    expect((await recorderBrowser.post(`/staff/finance/funds/${fundId}/payment-approval`, { roundId: award.roundId, threshold: '1000', every: '' })).status).toBe(303);
    const schedule = await recorderBrowser.post(`/staff/finance/awards/${award.awardId}/schedule`, {
      dueOn_0: '1/5/2027', amount_0: '1500', condition_0: '', dueOn_1: '1/11/2027', amount_1: '1000', condition_1: 'Monitoring return 1 accepted',
    });
    expect(schedule.status).toBe(303);
    const wrongSum = await recorderBrowser.post(`/staff/finance/awards/${award.awardId}/schedule`, { dueOn_0: '1/5/2027', amount_0: '10' });
    expect(wrongSum.status).toBe(422);
    expect(errorSummaryOf(wrongSum.html)[0]).toMatch(/^The instalments add up to £10: they must add up to £2,500/);
    const page = await recorderBrowser.get(`/staff/finance/awards/${award.awardId}`);
    expect(page.status).toBe(200);
    const $ = parseHtml(page.html);
    const firstId = $('select[name="payInstalmentId"] option').eq(1).attr('value')!;
    const key = formValue(page.html, 'idempotencyKey');
    const bad = await recorderBrowser.post(`/staff/finance/awards/${award.awardId}/payments`, { payInstalmentId: firstId, payAmount: 'lots', payPaidOn: 'soon', payReference: '', idempotencyKey: key });
    expect(bad.status).toBe(422);
    expect(errorSummaryOf(bad.html)).toHaveLength(3);
    const form = { payInstalmentId: firstId, payAmount: '1500', payPaidOn: '1/5/2027', payReference: 'BACS-PAGE-1', idempotencyKey: key };
    expect((await recorderBrowser.post(`/staff/finance/awards/${award.awardId}/payments`, form)).status).toBe(303);
    // The form sent twice (a double click) records one payment.
    expect((await recorderBrowser.post(`/staff/finance/awards/${award.awardId}/payments`, form)).status).toBe(303);
    const payments = (await api.get(`/api/v1/awards/${award.awardId}/payments`, { token: recorder.token })).body.items;
    expect(payments).toEqual([expect.objectContaining({ status: 'awaiting_approval', amountPence: 150000 })]);
    const own = await recorderBrowser.post(`/staff/finance/payments/${payments[0].id}/approve`, { awardId: award.awardId });
    expect(own.status).toBe(403);
    expect((await approverBrowser.post(`/staff/finance/payments/${payments[0].id}/approve`, { awardId: award.awardId })).status).toBe(303);
    const [{ paid }] = await t.db.query(`SELECT paid_pence::int AS paid FROM awards WHERE id = $1`, [award.awardId]);
    expect(paid).toBe(150000);
    const instalments = (await api.get(`/api/v1/awards/${award.awardId}/payment-schedule`, { token: recorder.token })).body.instalments;
    expect((await recorderBrowser.post(`/staff/finance/instalments/${instalments[1].id}/condition-met`, { awardId: award.awardId })).status).toBe(303);
    expect(textOf((await recorderBrowser.get(`/staff/finance/awards/${award.awardId}`)).html)).toContain('Monitoring return 1 accepted: met');
  });

  it('shows payments due with CSV and XLSX downloads, and the round’s payment settings', async () => {
    const award = await acceptedAward(t, api, { round, amountPence: 200000 });
    await verifiedBankAccount(t, award);
    await api.get(`/api/v1/awards/${award.awardId}/payment-schedule`, { token: recorder.token });
    const due = await recorderBrowser.get(`/staff/finance/payments-due?roundId=${round.roundId}`);
    expect(due.status).toBe(200);
    expect(due.html).toContain(award.reference);
    expect(due.html).toContain(`/staff/finance/payments-due.csv?roundId=${round.roundId}`);
    const csv = await fetch(`${t.url}/staff/finance/payments-due.csv?roundId=${round.roundId}`, { headers: { cookie: recorderBrowser.cookie } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toContain(award.reference);
    const xlsx = await fetch(`${t.url}/staff/finance/payments-due.xlsx?roundId=${round.roundId}`, { headers: { cookie: recorderBrowser.cookie } });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const references: unknown[] = [];
    book.getWorksheet('Payments due')!.eachRow((row) => references.push(row.getCell(1).value));
    expect(references).toContain(award.reference);
    const settings = await recorderBrowser.get(`/staff/finance/rounds/${round.roundId}/payment-settings`);
    expect(settings.status).toBe(200);
    const wrong = await recorderBrowser.post(`/staff/finance/rounds/${round.roundId}/payment-plan`, { percent_0: '50', months_0: '', condition_0: '' });
    expect(wrong.status).toBe(422);
    expect(errorSummaryOf(wrong.html)).toEqual(['The steps must add up to 100%']);
    expect((await recorderBrowser.post(`/staff/finance/rounds/${round.roundId}/payment-plan`, { percent_0: '50', months_0: '', percent_1: '50', months_1: '6', condition_1: 'Monitoring return 1 accepted' })).status).toBe(303);
    expect((await api.get(`/api/v1/rounds/${round.roundId}/payment-plan`, { token: recorder.token })).body.steps).toEqual([
      { percent: 50, after: 'acceptance', condition: null },
      { percent: 50, monthsAfterStart: 6, condition: { kind: 'return_accepted', returnNumber: 1 } },
    ]);
    const applicant = await browserAs(t, await createUser(t.db), { csrfPath: '/account' });
    expect((await applicant.get('/staff/finance/payments-due')).status).toBe(403);
  });
});
