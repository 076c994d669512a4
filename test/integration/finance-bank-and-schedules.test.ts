import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { addCalendarMonths, londonDate } from '../../src/common/dates.js';
import { PaymentSchedulesService } from '../../src/finance/payment-schedules.service.js';
import { approvedAward } from '../support/award-factories.js';
import { createUser, tokenFor } from '../support/factories.js';
import { acceptedAward, FAILS_MODULUS, financeOfficer, payFirstInstalment, VALID_BANK, verifiedBankAccount, type Officer } from '../support/finance-factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { queriesDuring } from '../support/query-log.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;
let officer: Officer;
let round: TestRound;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  officer = await financeOfficer(t);
  round = await createOpenRound(t.db);
});

afterAll(async () => {
  await t?.close();
});

const putBank = (awardId: string, body: Record<string, unknown>, token: string) => api.put(`/api/v1/awards/${awardId}/bank-account`, body, { token });

describe('bank details', () => {
  it('gives a field error for each bad format, and one for a pair that fails the modulus rules', async () => {
    const award = await acceptedAward(t, api, { round });
    const bad = await putBank(award.awardId, { accountName: 'Club', sortCode: '08-99', accountNumber: '1234' }, award.ownerToken);
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string; code: string }) => [e.field, e.code])).toEqual([
      ['sortCode', 'FINANCE.SORT_CODE_INVALID'],
      ['accountNumber', 'FINANCE.ACCOUNT_NUMBER_INVALID'],
    ]);
    const modulus = await putBank(award.awardId, FAILS_MODULUS, award.ownerToken);
    expect(modulus.status).toBe(422);
    expect(modulus.body.errors).toEqual([expect.objectContaining({ field: 'accountNumber', code: 'FINANCE.ACCOUNT_FAILS_MODULUS' })]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM bank_accounts WHERE award_id = $1`, [award.awardId]);
    expect(n).toBe(0);
  });

  it('takes details only once the offer is accepted, and only from an owner', async () => {
    const offered = await approvedAward(t, api, { round });
    const early = await putBank(offered.awardId, VALID_BANK, offered.ownerToken);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('AWARD.NOT_PAYABLE');
    const award = await acceptedAward(t, api, { round });
    const member = await createUser(t.db);
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [award.organisationId, member.id]);
    expect((await putBank(award.awardId, VALID_BANK, await tokenFor(t, member))).status).toBe(403);
    expect((await putBank(award.awardId, VALID_BANK, officer.token)).status).toBe(403);
    const stranger = await createUser(t.db);
    expect((await putBank(award.awardId, VALID_BANK, await tokenFor(t, stranger))).status).toBe(404);
  });

  it('keeps the details sealed: the stored row holds no clear account number, sort code or name, nor does the audit trail', async () => {
    const award = await acceptedAward(t, api, { round });
    expect((await putBank(award.awardId, VALID_BANK, award.ownerToken)).status).toBe(200);
    const [row] = await t.db.query(`SELECT * FROM bank_accounts WHERE award_id = $1`, [award.awardId]);
    const stored = JSON.stringify(row);
    for (const secret of [VALID_BANK.accountNumber, '089999', '08-99-99', VALID_BANK.accountName]) expect(stored).not.toContain(secret);
    expect(row.details_sealed).toMatch(/^v1\./);
    expect(row.account_last_four).toBe('4958');
    const audit = JSON.stringify(await t.db.query(`SELECT before, after FROM audit_events WHERE entity_id = $1`, [award.awardId]));
    expect(audit).toContain('4958');
    expect(audit).not.toContain(VALID_BANK.accountNumber);
    expect(audit).not.toContain('089999');
    // Masked for the owner and a grants officer; in full for finance.
    expect((await api.get(`/api/v1/awards/${award.awardId}/bank-account`, { token: award.ownerToken })).body).toMatchObject({ accountNumber: '****4958', sortCode: '**-**-99', masked: true, accountName: VALID_BANK.accountName });
    const grants = await createUser(t.db, { roles: ['grants_officer'] });
    expect((await api.get(`/api/v1/awards/${award.awardId}/bank-account`, { token: await tokenFor(t, grants) })).body.accountNumber).toBe('****4958');
    expect((await api.get(`/api/v1/awards/${award.awardId}/bank-account`, { token: officer.token })).body).toMatchObject({ accountNumber: '66374958', sortCode: '08-99-99', masked: false });
  });

  it('is verified by a finance officer who did not enter the details (403 FINANCE.VERIFY_OWN_ENTRY for the one who did)', async () => {
    const award = await acceptedAward(t, api, { round });
    const enterer = await financeOfficer(t, 'Owner Who Works In Finance');
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [award.organisationId, enterer.id]);
    expect((await putBank(award.awardId, VALID_BANK, enterer.token)).status).toBe(200);
    const own = await api.post(`/api/v1/awards/${award.awardId}/bank-account/verify`, { method: 'letter' }, { token: enterer.token });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('FINANCE.VERIFY_OWN_ENTRY');
    expect((await api.post(`/api/v1/awards/${award.awardId}/bank-account/verify`, { method: 'by_magic' }, { token: officer.token })).status).toBe(422);
    const ok = await api.post(`/api/v1/awards/${award.awardId}/bank-account/verify`, { method: 'letter', note: 'Letter on headed paper' }, { token: officer.token });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ verified: true, verificationMethod: 'letter' });
    expect((await api.post(`/api/v1/awards/${award.awardId}/bank-account/verify`, { method: 'letter' }, { token: officer.token })).body.code).toBe('FINANCE.ALREADY_VERIFIED');
  });
});

describe('payment schedules', () => {
  it('are made from the round’s plan on first read, in exact pence with the remainder on the last', async () => {
    const planRound = await createOpenRound(t.db);
    const plan = [
      { percent: 33, after: 'acceptance' },
      { percent: 67, monthsAfterStart: 6, condition: { kind: 'return_accepted', returnNumber: 1 } },
    ];
    expect((await api.put(`/api/v1/rounds/${planRound.roundId}/payment-plan`, { steps: [{ percent: 50, after: 'acceptance' }] }, { token: officer.token })).body.code).toBe('FINANCE.PLAN_SUM');
    expect((await api.put(`/api/v1/rounds/${planRound.roundId}/payment-plan`, { steps: plan }, { token: officer.token })).status).toBe(200);
    const award = await acceptedAward(t, api, { round: planRound, amountPence: 250001 });
    const schedule = await api.get(`/api/v1/awards/${award.awardId}/payment-schedule`, { token: award.ownerToken });
    expect(schedule.status).toBe(200);
    const [first, second] = schedule.body.instalments;
    expect(first.amountPence).toBe(Math.floor(250001 * 0.33));
    expect(first.amountPence + second.amountPence).toBe(250001);
    expect(second).toMatchObject({ condition: { kind: 'return_accepted', returnNumber: 1 }, conditionMet: false });
    const [{ starts_on }] = await t.db.query(`SELECT to_char(starts_on, 'YYYY-MM-DD') AS starts_on FROM awards WHERE id = $1`, [award.awardId]);
    expect(first.dueOn).toBe(londonDate(new Date()));
    expect(second.dueOn).toBe(addCalendarMonths(starts_on ?? first.dueOn, 6));
    // Monitoring's door marks the return's instalments met.
    const marked = await t.db.transaction((m) => t.app.get(PaymentSchedulesService).markReturnAccepted(m, award.awardId, 1, { userId: null, label: 'system:monitoring' }));
    expect(marked).toBe(1);
    expect((await api.get(`/api/v1/awards/${award.awardId}/payment-schedule`, { token: officer.token })).body.instalments[1].conditionMet).toBe(true);
  });

  it('must add up to the award less what was released, and keep paid instalments as they are', async () => {
    const award = await acceptedAward(t, api, { round, amountPence: 250000 });
    await verifiedBankAccount(t, award);
    const wrong = await api.put(`/api/v1/awards/${award.awardId}/payment-schedule`, { instalments: [{ dueOn: '2027-05-01', amountPence: 249999 }] }, { token: officer.token });
    expect(wrong.status).toBe(422);
    expect(wrong.body.code).toBe('FINANCE.SCHEDULE_SUM');
    expect(wrong.body.errors[0].field).toBe('instalments');
    const split = await api.put(`/api/v1/awards/${award.awardId}/payment-schedule`, { instalments: [{ dueOn: '2027-05-01', amountPence: 100000 }, { dueOn: '2027-11-01', amountPence: 150000 }] }, { token: officer.token });
    expect(split.status).toBe(200);
    const paid = await payFirstInstalment(t, award, officer);
    expect(paid.status).toBe('paid');
    const [first, second] = split.body.instalments;
    const removed = await api.put(`/api/v1/awards/${award.awardId}/payment-schedule`, { instalments: [{ dueOn: '2027-05-01', amountPence: 250000 }] }, { token: officer.token });
    expect(removed.status).toBe(409);
    expect(removed.body.code).toBe('FINANCE.INSTALMENT_PAID');
    const changed = await api.put(`/api/v1/awards/${award.awardId}/payment-schedule`, { instalments: [{ id: first.id, dueOn: '2027-05-02', amountPence: 100000 }, { id: second.id, dueOn: '2027-11-01', amountPence: 150000 }] }, { token: officer.token });
    expect(changed.body.code).toBe('FINANCE.INSTALMENT_PAID');
    const resplit = await api.put(
      `/api/v1/awards/${award.awardId}/payment-schedule`,
      { instalments: [{ id: first.id, dueOn: '2027-05-01', amountPence: 100000 }, { dueOn: '2027-08-01', amountPence: 75000 }, { id: second.id, dueOn: '2027-11-01', amountPence: 75000 }] },
      { token: officer.token },
    );
    expect(resplit.status).toBe(200);
    expect(resplit.body.instalments.map((i: { amountPence: number; paidPence: number }) => [i.amountPence, i.paidPence])).toEqual([[100000, 100000], [75000, 0], [75000, 0]]);
    expect((await api.put(`/api/v1/awards/${award.awardId}/payment-schedule`, { instalments: [] }, { token: award.ownerToken })).status).toBe(403);
  });
});

describe('payments due', () => {
  it('lists unpaid instalments as due, overdue or blocked (and why), with CSV and XLSX, in a fixed number of queries', async () => {
    const dueRound = await createOpenRound(t.db);
    const ready = await acceptedAward(t, api, { round: dueRound, amountPence: 250000 });
    await verifiedBankAccount(t, ready);
    await api.put(`/api/v1/awards/${ready.awardId}/payment-schedule`, { instalments: [{ dueOn: '2020-01-01', amountPence: 100000 }, { dueOn: '2099-01-01', amountPence: 150000 }] }, { token: officer.token });
    const noBank = await acceptedAward(t, api, { round: dueRound, amountPence: 200000 });
    await api.get(`/api/v1/awards/${noBank.awardId}/payment-schedule`, { token: officer.token });
    const list = await api.get(`/api/v1/payments/due?roundId=${dueRound.roundId}`, { token: officer.token });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(3);
    const byAward = (id: string) => list.body.items.filter((i: { award: { id: string } }) => i.award.id === id);
    expect(byAward(ready.awardId).map((i: { status: string }) => i.status)).toEqual(['overdue', 'due']);
    expect(byAward(noBank.awardId)).toEqual([expect.objectContaining({ status: 'blocked', blockers: [expect.objectContaining({ code: 'FINANCE.BANK_DETAILS_MISSING' })] })]);
    expect((await api.get(`/api/v1/payments/due?roundId=${dueRound.roundId}&status=blocked`, { token: officer.token })).body.total).toBe(1);
    expect((await api.get(`/api/v1/payments/due?fundId=${randomUUID()}`, { token: officer.token })).body.total).toBe(0);
    const csv = await api.get(`/api/v1/payments/due.csv?roundId=${dueRound.roundId}`, { token: officer.token });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^Award,Organisation,Instalment,Due on/);
    expect(csv.text).toContain('1000.00');
    const xlsx = await fetch(`${t.url}/api/v1/payments/due.xlsx?roundId=${dueRound.roundId}`, { headers: { authorization: `Bearer ${officer.token}` } });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Payments due')!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(1).getCell(1).value).toBe('Award');
    const amounts = [2, 3, 4].map((r) => sheet.getRow(r).getCell(5).value);
    expect(amounts.sort()).toEqual([1000, 1500, 2000].sort());
    // A fixed number of queries whatever the length: one more award in the list adds none.
    const queries = async () =>
      (await queriesDuring(t.db, () => api.get(`/api/v1/payments/due?roundId=${dueRound.roundId}`, { token: officer.token }))).filter((q) => !/outbox|email_messages/.test(q)).length;
    const few = await queries();
    const more = await acceptedAward(t, api, { round: dueRound, amountPence: 100000 });
    await verifiedBankAccount(t, more);
    await api.get(`/api/v1/awards/${more.awardId}/payment-schedule`, { token: officer.token });
    expect((await api.get(`/api/v1/payments/due?roundId=${dueRound.roundId}`, { token: officer.token })).body.total).toBe(4);
    expect(await queries()).toBe(few);
  });

  it('shows an award once it is accepted, without anyone opening its schedule first', async () => {
    const fresh = await createOpenRound(t.db);
    const award = await acceptedAward(t, api, { round: fresh, amountPence: 120000 });
    await t.settle();
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM payment_instalments WHERE award_id = $1`, [award.awardId]);
    expect(n).toBeGreaterThan(0);
    const list = await api.get(`/api/v1/payments/due?roundId=${fresh.roundId}`, { token: officer.token });
    expect(list.body.items.map((i: { award: { id: string }; instalment: { amountPence: number } }) => [i.award.id, i.instalment.amountPence])).toEqual([[award.awardId, 120000]]);
  });

  it('is for finance and grants officers and the auditor, not applicants', async () => {
    const owner = (await acceptedAward(t, api, { round })).ownerToken;
    expect((await api.get(`/api/v1/payments/due`, { token: owner })).status).toBe(403);
  });
});

describe('bank details entered twice at once', () => {
  it('keeps one row: the second save changes the first (no error)', async () => {
    const award = await acceptedAward(t, api, { round });
    const answers = await Promise.all([putBank(award.awardId, VALID_BANK, award.ownerToken), putBank(award.awardId, { ...VALID_BANK, accountName: 'Second' }, award.ownerToken)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const rows = await t.db.query(`SELECT version FROM bank_accounts WHERE award_id = $1`, [award.awardId]);
    expect(rows).toEqual([{ version: 2 }]);
  });
});
