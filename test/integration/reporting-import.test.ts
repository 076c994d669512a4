import { createDistrict, createUser, tokenFor } from '../support/factories.js';
import { errorSummaryOf, textOf } from '../support/form-client.js';
import { IMPORT_HEADER, createFund, uploadAwards } from '../support/reporting-factories.js';
import { csrfTokenFor, signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Importing past awards (issue 10): money in every form people type it, read exactly; every
 * wrong value an error by row and column, with nothing imported while any row is wrong; a
 * re-import of the same rows changes nothing; the pages' upload, preview, confirm and the
 * background job's progress; a large file through the API's background path.
 */
let t: TestApp;
let token: string;
let fundId: string;
let priority: { code: string; name: string };

const csv = (...rows: string[][]) => [IMPORT_HEADER, ...rows.map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))].join('\n') + '\n';
const good = (org: string, amount: string, extra: Partial<Record<'date' | 'priorities' | 'district' | 'paid' | 'project', string>> = {}) => [
  'R9',
  org,
  '',
  '',
  'LS1 4AB',
  extra.district ?? 'Leeds Import',
  extra.project ?? `Project of ${org}`,
  extra.priorities ?? priority.code,
  amount,
  extra.date ?? '2016-05-01',
  extra.paid ?? '',
];
const pastAwards = async () => (await t.db.query(`SELECT count(*)::int AS n FROM past_awards`))[0].n as number;
const amounts = async () => (await t.db.query(`SELECT organisation_name, amount_awarded_pence::bigint::text AS pence FROM past_awards ORDER BY organisation_name`)) as { organisation_name: string; pence: string }[];

beforeAll(async () => {
  t = await startTestApp();
  token = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
  fundId = await createFund(t, 'Community Safety Fund');
  await createDistrict(t.db, 'Leeds Import', 'E08900001');
  const [outcome] = await t.db.query(`INSERT INTO outcomes (code, name) VALUES ('import-outcome', 'Keep people safe') RETURNING id`);
  await t.db.query(`INSERT INTO priorities (code, name, outcome_id) VALUES ('import-cyber', 'Cyber Crime Import', $1)`, [outcome.id]);
  priority = { code: 'import-cyber', name: 'Cyber Crime Import' };
});

afterAll(async () => {
  await t?.close();
});

describe('POST /api/v1/imports/awards', () => {
  it('reads money as people write it, exactly (no floats), with dates ISO or dd/mm/yyyy and priorities by code or name', async () => {
    const file = csv(
      good('Money A', '£6,123.00'),
      good('Money B', '6123', { date: '03/11/2017' }),
      good('Money C', '6,123.5', { priorities: `${priority.name}` }),
      good('Money D', ' £1,000 ', { district: 'E08900001', paid: '£999.99' }),
      good('Money E', '0.29'),
    );
    const dry = await uploadAwards(t, token, file, { fundId, dryRun: 'true' });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ rows: 5, imported: 0, alreadyImported: 0, errors: [] });
    expect(await pastAwards()).toBe(0);
    const res = await uploadAwards(t, token, file, { fundId });
    expect(res.body).toEqual({ rows: 5, imported: 5, alreadyImported: 0, errors: [] });
    expect(await amounts()).toEqual([
      { organisation_name: 'Money A', pence: '612300' },
      { organisation_name: 'Money B', pence: '612300' },
      { organisation_name: 'Money C', pence: '612350' },
      { organisation_name: 'Money D', pence: '100000' },
      { organisation_name: 'Money E', pence: '29' },
    ]);
    const [d] = await t.db.query(`SELECT amount_paid_pence::text AS paid, to_char(decision_date, 'YYYY-MM-DD') AS decided FROM past_awards WHERE organisation_name = 'Money B' OR organisation_name = 'Money D' ORDER BY organisation_name DESC`);
    expect(d).toEqual({ paid: '99999', decided: '2016-05-01' });
    // Round R9 did not exist: it is created as an archived past round, and the awards are in it.
    const rounds = await t.db.query(`SELECT id, code, title, status, total_budget_pence::int AS budget FROM rounds WHERE fund_id = $1`, [fundId]);
    expect(rounds).toEqual([{ id: expect.any(String), code: 'R9', title: 'R9', status: 'archived', budget: 612300 * 2 + 612350 + 100000 + 29 }]);
    const [{ outside }] = await t.db.query(`SELECT count(*)::int AS outside FROM past_awards WHERE round_id IS DISTINCT FROM $1`, [rounds[0].id]);
    expect(outside).toBe(0);
  });

  it('re-importing the same rows changes nothing', async () => {
    const file = csv(good('Money A', '£6,123.00'), good('Money B', '6123', { date: '03/11/2017' }));
    const before = await amounts();
    const res = await uploadAwards(t, token, file, { fundId });
    expect(res.body).toEqual({ rows: 2, imported: 0, alreadyImported: 2, errors: [] });
    expect(await amounts()).toEqual(before);
    // The same award written differently (£6,123 for £6,123.00, a name's case) is the same row.
    const again = await uploadAwards(t, token, csv(good('money a', '6123')), { fundId });
    expect(again.body.imported).toBe(0);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM rounds WHERE fund_id = $1`, [fundId]))[0].n).toBe(1);
  });

  it('gives each wrong value an error by row and column and imports nothing, not even the good rows', async () => {
    const before = await pastAwards();
    const file = csv(
      good('Fine Row', '£500'),
      good('Bad Money 1', '£6,12'),
      good('Bad Money 2', 'six hundred pounds'),
      good('Bad Money 3', '1.234'),
      good('Bad Date 1', '500', { date: '31/02/2017' }),
      good('Bad Date 2', '500', { date: '2017/11/03' }),
      good('Unknown Priority', '500', { priorities: `${priority.code}; Knife Crime` }),
      good('Unknown District', '500', { district: 'Narnia' }),
      good('Overpaid', '500', { paid: '600' }),
      good('Fine Row', '£500'),
      ['R9', '', '', '', '', '', '', '', '', '', ''],
    );
    const res = await uploadAwards(t, token, file, { fundId });
    expect(res.status).toBe(200);
    expect(res.body.rows).toBe(11);
    expect(res.body.imported).toBe(0);
    expect(res.body.errors.map((e: { row: number; column: string | null; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, 'amount_awarded', 'IMPORT.INVALID_MONEY'],
      [4, 'amount_awarded', 'IMPORT.INVALID_MONEY'],
      [5, 'amount_awarded', 'IMPORT.INVALID_MONEY'],
      [6, 'decision_date', 'IMPORT.INVALID_DATE'],
      [7, 'decision_date', 'IMPORT.INVALID_DATE'],
      [8, 'priorities', 'IMPORT.UNKNOWN_PRIORITY'],
      [9, 'district', 'IMPORT.UNKNOWN_DISTRICT'],
      [10, 'amount_paid', 'IMPORT.PAID_MORE_THAN_AWARDED'],
      [11, null, 'IMPORT.DUPLICATE_ROW'],
      [12, 'organisation', 'IMPORT.REQUIRED'],
      [12, 'project', 'IMPORT.REQUIRED'],
      [12, 'priorities', 'IMPORT.REQUIRED'],
      [12, 'amount_awarded', 'IMPORT.REQUIRED'],
      [12, 'decision_date', 'IMPORT.REQUIRED'],
    ]);
    expect(res.body.errors.find((e: { row: number }) => e.row === 8).message).toContain('Knife Crime');
    expect(await pastAwards()).toBe(before);
  });

  it('refuses a file with wrong columns, naming each', async () => {
    const file = IMPORT_HEADER.replace('amount_paid', 'paid').replace('round,', 'round,round,') + '\nR9,R9,Org,,,LS1 4AB,Leeds Import,P,' + priority.code + ',500,2016-05-01,\n';
    const res = await uploadAwards(t, token, file, { fundId });
    expect(res.body.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [1, 'round', 'IMPORT.REPEATED_COLUMN'],
      [1, 'amount_paid', 'IMPORT.MISSING_COLUMN'],
      [1, 'paid', 'IMPORT.UNKNOWN_COLUMN'],
    ]);
    expect(res.body.imported).toBe(0);
  });

  it('answers 422 without a file, and asks for the fund when there is more than one', async () => {
    const form = new FormData();
    form.append('other', 'x');
    const none = await fetch(`${t.url}/api/v1/imports/awards?fundId=${fundId}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    expect(none.status).toBe(422);
    expect(((await none.json()) as { errors: unknown[] }).errors[0]).toMatchObject({ field: 'file', code: 'IMPORT.FILE_REQUIRED' });
    await createFund(t, 'Another Fund');
    const which = await uploadAwards(t, token, csv(good('Fine Row', '£500')), {});
    expect([which.status, which.body.code]).toEqual([422, 'REPORT.FUND_REQUIRED']);
    expect((await uploadAwards(t, token, csv(good('Fine Row', '£500')), { fundId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
  });

  it('imports a large file in the background, all rows in one transaction, and says how far it got', async () => {
    const rows = Array.from({ length: 620 }, (_, i) => good(`Large ${String(i).padStart(4, '0')}`, `${100 + i}.50`));
    const before = await pastAwards();
    const res = await uploadAwards(t, token, csv(...rows), { fundId });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ rows: 620, imported: 0, errors: [], status: 'queued' });
    await t.settle();
    const batch = await fetch(`${t.url}/api/v1/imports/${res.body.batchId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await batch.json()).toMatchObject({ status: 'imported', rows: 620, processed: 620, imported: 620, errors: [] });
    expect(await pastAwards()).toBe(before + 620);
  });
});

describe('the import pages', () => {
  let cookie: string;
  let csrf: string;

  beforeAll(async () => {
    cookie = await signInAs(t, await createUser(t.db, { roles: ['grants_officer'] }));
    csrf = await csrfTokenFor(t, cookie, '/staff/imports');
  });

  async function upload(file: string): Promise<Response> {
    const form = new FormData();
    form.append('_csrf', csrf);
    form.append('fundId', fundId);
    form.append('file', new Blob([file], { type: 'text/csv' }), 'awards.csv');
    return fetch(`${t.url}/staff/imports`, { method: 'POST', headers: { cookie }, body: form, redirect: 'manual' });
  }

  it('shows every error by row and column in an error summary and a table, and offers no import', async () => {
    const before = await pastAwards();
    const res = await upload(csv(good('Page Bad', '£6,12'), good('Page Bad 2', '500', { date: '30/02/2016' })));
    expect(res.status).toBe(303);
    const page = await fetch(t.url + res.headers.get('location')!, { headers: { cookie } });
    const html = await page.text();
    expect(errorSummaryOf(html)).toEqual([
      'Row 2, amount_awarded: “£6,12” is not an amount in pounds, like £6,123.00 or 6123',
      'Row 3, decision_date: “30/02/2016” is not a real date written as 2017-11-03 or 03/11/2017',
    ]);
    expect(textOf(html)).toContain('Nothing was imported');
    expect(html).not.toContain('/confirm');
    expect(await pastAwards()).toBe(before);
  });

  it('previews a clean file, imports it in the background once confirmed, and shows the progress', async () => {
    const before = await pastAwards();
    const res = await upload(csv(good('Page Good 1', '£1,500'), good('Page Good 2', '2500.25')));
    const location = res.headers.get('location')!;
    const preview = await (await fetch(t.url + location, { headers: { cookie } })).text();
    expect(textOf(preview)).toContain('Import 2 awards');
    expect(textOf(preview)).toContain('Page Good 2 Project of Page Good 2 1 May 2016 £2,500.25');
    expect(await pastAwards()).toBe(before);
    const confirm = await fetch(`${t.url}${location}/confirm`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
      redirect: 'manual',
    });
    expect([confirm.status, confirm.headers.get('location')]).toEqual([303, location]);
    const waiting = textOf(await (await fetch(t.url + location, { headers: { cookie } })).text());
    expect(waiting).toMatch(/Importing past awards|Past awards imported/);
    await t.settle();
    const done = textOf(await (await fetch(t.url + location, { headers: { cookie } })).text());
    expect(done).toContain('Past awards imported');
    expect(done).toContain('2 awards were added');
    expect(await pastAwards()).toBe(before + 2);
    // Confirming again changes nothing.
    await fetch(`${t.url}${location}/confirm`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }).toString(), redirect: 'manual' });
    await t.settle();
    expect(await pastAwards()).toBe(before + 2);
  });

  it('asks for a file when none is chosen', async () => {
    const form = new FormData();
    form.append('_csrf', csrf);
    form.append('fundId', fundId);
    form.append('file', new Blob([]), '');
    const res = await fetch(`${t.url}/staff/imports`, { method: 'POST', headers: { cookie }, body: form, redirect: 'manual' });
    expect(res.status).toBe(422);
    expect(errorSummaryOf(await res.text())).toEqual(['Select a CSV or XLSX file of past awards']);
  });
});
