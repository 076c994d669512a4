import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { AwardsService } from '../../src/awards/awards.service.js';
import { financialYearOf } from '../../src/common/dates.js';
import { PotLedger } from '../../src/funds/pot-ledger.service.js';
import type { TestAward } from '../support/award-factories.js';
import { createUser, tokenFor } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { FINANCE_ACTOR, acceptedAward, payAward } from '../support/money-factories.js';
import { IMPORT_HEADER, uploadAwards } from '../support/reporting-factories.js';
import { queriesDuring } from '../support/query-log.js';
import { signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The funding report (issue 10): every cell of random reports equals an independent computation
 * over the same rows, the grand totals equal the pot ledger, bad input is 422, and the CSV and XLSX
 * carry the same rows.
 */
const GROUPS = ['priority', 'district', 'round', 'pot', 'financialYear', 'organisationType'] as const;
const MEASURES = ['bids', 'requestedPence', 'awards', 'organisations', 'awardedPence', 'paidPence', 'returnedPence'] as const;
type Figures = Record<(typeof MEASURES)[number], number>;

let t: TestApp;
let api: ApiClient;
let token: string;
let round: TestRound;
const awards: TestAward[] = [];

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  token = await tokenFor(t, await createUser(t.db, { roles: ['finance_officer'] }));
  round = await createOpenRound(t.db);
  for (const amountPence of [120000, 250000, 99999, 333333]) awards.push(await acceptedAward(t, api, { round, amountPence }));
  // Two past awards imported into the fund: they count as awards, with their amount paid.
  const csv = `${IMPORT_HEADER}\nR1,Past Group One,,,LS1 4AB,,Old project,${round.priorities[0].code},£1000,2017-06-01,£400\nR1,Past Group Two,,,LS1 4AB,,Older project,${round.priorities.map((p) => p.code).join(';')},£2500.50,2019-02-01,\n`;
  const imported = await uploadAwards(t, await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] })), csv, { fundId: round.fundId, dryRun: 'false' });
  expect([imported.status, imported.body.imported]).toEqual([200, 2]);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

interface Fact {
  kind: 'bid' | 'award';
  org: string;
  keys: Record<(typeof GROUPS)[number], (string | null)[]>;
  figures: Omit<Figures, 'bids' | 'awards' | 'organisations'>;
}

/** The facts, read plainly from the tables and worked out here (not by the report's SQL). */
async function facts(): Promise<Fact[]> {
  const apps = await t.db.query(
    `SELECT app.id, app.organisation_id, app.submitted_at, app.amount_requested_pence::int AS requested, o.legal_form, p.name AS pot, r.code AS round
       FROM applications app JOIN rounds r ON r.id = app.round_id JOIN pots p ON p.id = app.pot_id JOIN organisations o ON o.id = app.organisation_id
      WHERE r.fund_id = $1 AND app.submitted_at IS NOT NULL`,
    [round.fundId],
  );
  const tags = await t.db.query(`SELECT ap.application_id, pr.name FROM application_priorities ap JOIN priorities pr ON pr.id = ap.priority_id`);
  const places = await t.db.query(`SELECT ad.application_id, d.name FROM application_districts ad JOIN districts d ON d.id = ad.district_id`);
  const of = (rows: { application_id: string; name: string }[], id: string) => {
    const names = rows.filter((r) => r.application_id === id).map((r) => r.name);
    return names.length ? names : [null];
  };
  const byApp = new Map<string, any>(apps.map((a: any) => [a.id, a]));
  const out: Fact[] = apps.map((a: any) => ({
    kind: 'bid',
    org: a.organisation_id,
    keys: { priority: of(tags, a.id), district: of(places, a.id), round: [a.round], pot: [a.pot], financialYear: [financialYearOf(a.submitted_at)], organisationType: [a.legal_form] },
    figures: { requestedPence: a.requested, awardedPence: 0, paidPence: 0, returnedPence: 0 },
  }));
  const rows = await t.db.query(`SELECT id, application_id, organisation_id, amount_pence::int AS amount, paid_pence::int AS paid, status, created_at FROM awards WHERE round_id = $1`, [round.roundId]);
  const repaid = await t.db.query(`SELECT application_id, amount_pence::int AS amount FROM pot_ledger_entries WHERE pot_id = $1 AND kind = 'repayment'`, [round.pots[0].id]);
  for (const a of rows) {
    if (!['offered', 'accepted', 'active', 'monitoring', 'closed'].includes(a.status)) continue;
    const app = byApp.get(a.application_id);
    out.push({
      kind: 'award',
      org: a.organisation_id,
      keys: { priority: of(tags, a.application_id), district: of(places, a.application_id), round: [app.round], pot: [app.pot], financialYear: [financialYearOf(a.created_at)], organisationType: [app.legal_form] },
      figures: { requestedPence: 0, awardedPence: a.amount, paidPence: a.paid, returnedPence: repaid.filter((r: any) => r.application_id === a.application_id).reduce((s: number, r: any) => s + r.amount, 0) },
    });
  }
  const past = await t.db.query(
    `SELECT pa.id, pa.organisation_key, pa.round_label, pa.amount_awarded_pence::int AS amount, COALESCE(pa.amount_paid_pence, 0)::int AS paid, to_char(pa.decision_date, 'YYYY-MM-DD') AS decided, o.legal_form
       FROM past_awards pa LEFT JOIN organisations o ON o.id = pa.organisation_id WHERE pa.fund_id = $1`,
    [round.fundId],
  );
  const pastTags = await t.db.query(`SELECT pp.past_award_id AS application_id, pr.name FROM past_award_priorities pp JOIN priorities pr ON pr.id = pp.priority_id`);
  for (const p of past) {
    out.push({
      kind: 'award',
      org: p.organisation_key,
      keys: { priority: of(pastTags, p.id), district: [null], round: [p.round_label], pot: [null], financialYear: [financialYearOf(p.decided)], organisationType: [p.legal_form ?? null] },
      figures: { requestedPence: 0, awardedPence: p.amount, paidPence: p.paid, returnedPence: 0 },
    });
  }
  return out;
}

function expected(all: Fact[], groupBy: (typeof GROUPS)[number][], from?: string, to?: string): { rows: Map<string, Figures>; totals: Figures } {
  const inPeriod = all.filter((f) => (!from || f.keys.financialYear[0]! >= from) && (!to || f.keys.financialYear[0]! <= to));
  const sum = (list: Fact[]): Figures => ({
    bids: list.filter((f) => f.kind === 'bid').length,
    awards: list.filter((f) => f.kind === 'award').length,
    organisations: new Set(list.filter((f) => f.kind === 'award').map((f) => f.org)).size,
    requestedPence: list.reduce((s, f) => s + f.figures.requestedPence, 0),
    awardedPence: list.reduce((s, f) => s + f.figures.awardedPence, 0),
    paidPence: list.reduce((s, f) => s + f.figures.paidPence, 0),
    returnedPence: list.reduce((s, f) => s + f.figures.returnedPence, 0),
  });
  const cells = new Map<string, Fact[]>();
  for (const f of inPeriod) {
    let combos: (string | null)[][] = [[]];
    for (const g of groupBy) combos = combos.flatMap((c) => f.keys[g].map((v) => [...c, v]));
    for (const c of combos) cells.set(JSON.stringify(c), [...(cells.get(JSON.stringify(c)) ?? []), f]);
  }
  return { rows: new Map([...cells].map(([k, list]) => [k, sum(list)])), totals: sum(inPeriod) };
}

const YEARS = ['2016/17', '2017/18', '2018/19', '2019/20', '2020/21'];

it('every cell of random reports equals an independent computation, and the grand totals equal the pot ledger', async () => {
  const ledger = t.app.get(PotLedger);
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        tags: fc.array(fc.record({ priorities: fc.subarray([0, 1]), districts: fc.subarray([0, 1]), decided: fc.date({ min: new Date('2016-04-01T00:00:00Z'), max: new Date('2021-03-31T00:00:00Z'), noInvalidDate: true }), submitted: fc.date({ min: new Date('2016-01-01T00:00:00Z'), max: new Date('2021-03-31T00:00:00Z'), noInvalidDate: true }), pay: fc.integer({ min: 0, max: 30000 }), repay: fc.boolean() }), { minLength: 1, maxLength: 6 }),
        extra: fc.option(fc.integer({ min: 50000, max: 300000 }), { nil: undefined, freq: 3 }),
        groupBy: fc.subarray([...GROUPS], { maxLength: 3 }),
        from: fc.option(fc.constantFrom(...YEARS.slice(0, 3)), { nil: undefined }),
        to: fc.option(fc.constantFrom(...YEARS.slice(2)), { nil: undefined }),
      }),
      async ({ tags, extra, groupBy, from, to }) => {
        // Sometimes one more award, of a random amount.
        if (extra !== undefined) awards.push(await acceptedAward(t, api, { round, amountPence: extra }));
        for (const [i, award] of awards.entries()) {
          const tag = tags[i % tags.length];
          await t.db.query(`DELETE FROM application_priorities WHERE application_id = $1`, [award.applicationId]);
          await t.db.query(`DELETE FROM application_districts WHERE application_id = $1`, [award.applicationId]);
          for (const p of tag.priorities) await t.db.query(`INSERT INTO application_priorities (application_id, priority_id) VALUES ($1, $2)`, [award.applicationId, round.priorities[p].id]);
          for (const d of tag.districts) await t.db.query(`INSERT INTO application_districts (application_id, district_id) VALUES ($1, $2)`, [award.applicationId, round.districts[d].id]);
          await t.db.query(`UPDATE awards SET created_at = $2 WHERE id = $1`, [award.awardId, tag.decided]);
          await t.db.query(`UPDATE applications SET submitted_at = $2 WHERE id = $1`, [award.applicationId, tag.submitted]);
          const [{ outstanding, paid }] = await t.db.query(`SELECT (amount_pence - paid_pence - released_pence)::int AS outstanding, paid_pence::int AS paid FROM awards WHERE id = $1`, [award.awardId]);
          const pay = Math.min(tag.pay, outstanding);
          if (pay > 0) await payAward(t, award, pay);
          if (tag.repay && paid + pay > 1) {
            const id = randomUUID();
            const back = Math.floor((paid + pay) / 2);
            await t.db.transaction(async (m) => {
              await t.app.get(AwardsService).recordRepaid(m, award.awardId, back, { release: false }, FINANCE_ACTOR);
              await ledger.repay(m, { potId: award.potId, amountPence: back, key: `repayment:${id}`, sourceType: 'repayment', sourceId: id, applicationId: award.applicationId }, FINANCE_ACTOR);
            });
          }
        }
        const query = new URLSearchParams({ fundId: round.fundId, ...(groupBy.length ? { groupBy: groupBy.join(',') } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
        const res = await api.get(`/api/v1/reports/funding?${query}`, { token });
        expect(res.status).toBe(200);
        const want = expected(await facts(), groupBy, from, to);
        const got = new Map<string, Figures>(res.body.rows.map((r: any) => [JSON.stringify(groupBy.map((g) => r[g])), Object.fromEntries(MEASURES.map((k) => [k, r[k]]))]));
        expect(Object.fromEntries(got)).toEqual(Object.fromEntries(groupBy.length ? want.rows : []));
        expect(res.body.totals).toEqual(want.totals);
        if (groupBy.some((g) => g === 'priority' || g === 'district')) expect(res.body.notes.join(' ')).toContain('totals are not the sum of the rows');

        // The whole period: the live awards' paid and returned equal the pot ledger's, and the reconciliation agrees.
        const all = expected(await facts(), []);
        const [l] = await t.db.query(
          `SELECT COALESCE(SUM(CASE kind WHEN 'payment' THEN amount_pence WHEN 'repayment' THEN -amount_pence ELSE 0 END), 0)::int AS paid,
                  COALESCE(SUM(amount_pence) FILTER (WHERE kind = 'repayment'), 0)::int AS returned FROM pot_ledger_entries WHERE pot_id = $1`,
          [round.pots[0].id],
        );
        const [p] = await t.db.query(`SELECT COALESCE(SUM(COALESCE(amount_paid_pence, 0)), 0)::int AS paid FROM past_awards WHERE fund_id = $1`, [round.fundId]);
        const whole = await api.get(`/api/v1/reports/funding?fundId=${round.fundId}`, { token });
        expect(whole.body.totals).toEqual(all.totals);
        expect(whole.body.totals.paidPence - p.paid).toBe(l.paid);
        expect(whole.body.totals.returnedPence).toBe(l.returned);
        const rec = await api.get(`/api/v1/reports/funding/reconciliation?fundId=${round.fundId}`, { token });
        expect(rec.status).toBe(200);
        expect(rec.body).toMatchObject({ reconciled: true, differences: [] });
        expect(rec.body.lines.find((x: any) => x.figure === 'paid')).toMatchObject({ reportPence: l.paid, ledgerPence: l.paid, awardsPence: l.paid });
        const [pot] = await t.db.query(`SELECT budget_pence::int AS budget, committed_pence::int AS committed FROM pots WHERE id = $1`, [round.pots[0].id]);
        expect(whole.body.pots).toEqual([{ pot: round.pots[0].name, round: round.roundCode, budgetPence: pot.budget, committedPence: pot.committed, paidPence: l.paid, availablePence: pot.budget - pot.committed }]);
      },
    ),
    { numRuns: 20 },
  );
}, 300_000);

it('a reconciliation lists a difference to the penny when the awards table and the ledger disagree', async () => {
  const [award] = awards;
  // The property runs leave this award paid anywhere from nothing to in full: move its paid figure the way its CHECK allows.
  const [{ paid }] = await t.db.query(`SELECT paid_pence::int AS paid FROM awards WHERE id = $1`, [award.awardId]);
  const step = paid > 0 ? -1 : 1;
  await t.db.query(`UPDATE awards SET paid_pence = paid_pence + $2 WHERE id = $1`, [award.awardId, step]);
  try {
    const rec = await api.get(`/api/v1/reports/funding/reconciliation?fundId=${round.fundId}`, { token });
    expect(rec.body.reconciled).toBe(false);
    const line = rec.body.lines.find((x: any) => x.figure === 'paid');
    expect(line.ledgerDifferencePence).toBe(-step);
    expect(rec.body.differences.join(' ')).toContain(`pot ledger differs from the report by ${-step} pence`);
  } finally {
    await t.db.query(`UPDATE awards SET paid_pence = paid_pence - $2 WHERE id = $1`, [award.awardId, step]);
  }
});

it('bad groupings and years are 422 with field errors', async () => {
  for (const [query, field, code] of [
    ['groupBy=priority,colour', 'groupBy', 'REPORT.INVALID_GROUP_BY'],
    ['groupBy=pot,pot', 'groupBy', 'REPORT.INVALID_GROUP_BY'],
    ['from=2017', 'from', 'REPORT.INVALID_FINANCIAL_YEAR'],
    ['to=2018/20', 'to', 'REPORT.INVALID_FINANCIAL_YEAR'],
    ['from=2019/20&to=2017/18', 'to', 'REPORT.INVALID_PERIOD'],
  ]) {
    for (const path of ['/api/v1/reports/funding', '/api/v1/reports/funding.csv', '/api/v1/reports/funding.xlsx']) {
      const res = await api.get(`${path}?fundId=${round.fundId}&${query}`, { token });
      expect([path, query, res.status]).toEqual([path, query, 422]);
      expect(JSON.parse(res.text).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    }
  }
});

it('the CSV and the XLSX carry the same rows and totals as the JSON', async () => {
  const q = `fundId=${round.fundId}&groupBy=priority,financialYear`;
  const json = (await api.get(`/api/v1/reports/funding?${q}`, { token })).body;
  const expectedRows = [...json.rows.map((r: any) => [r.priority ?? '', r.financialYear ?? '', ...MEASURES.map((k) => String(r[k]))]), ['Total', '', ...MEASURES.map((k) => String(json.totals[k]))]];
  const csv = await fetch(`${t.url}/api/v1/reports/funding.csv?${q}`, { headers: { authorization: `Bearer ${token}` } });
  expect(csv.headers.get('content-type')).toContain('text/csv');
  const lines = (await csv.text()).trim().split('\r\n');
  expect(lines[0].split(',')).toEqual(['Priority', 'Financial year', 'Bids received', 'Amount asked (pence)', 'Awards', 'Organisations funded', 'Amount awarded (pence)', 'Paid (pence)', 'Returned or clawed back (pence)']);
  expect(lines.slice(1).map((l) => l.split(','))).toEqual(expectedRows);
  const xlsx = await fetch(`${t.url}/api/v1/reports/funding.xlsx?${q}`, { headers: { authorization: `Bearer ${token}` } });
  expect(xlsx.status).toBe(200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as any);
  const sheet = book.getWorksheet('Funding report')!;
  const rows: string[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
  expect(rows.slice(1).map((r) => [...r, ...Array(9 - r.length).fill('')])).toEqual(expectedRows);
  expect(json.rows.length).toBeGreaterThan(0);
});

it('the page shows the table and its charts (SVG drawn on the server, role img with a title), the files and the reconciliation', async () => {
  const cookie = await signInAs(t, await createUser(t.db, { roles: ['auditor'] }));
  const page = await fetch(`${t.url}/staff/reports/funding?fundId=${round.fundId}&groupBy=priority&groupBy=financialYear`, { headers: { cookie } });
  expect(page.status).toBe(200);
  const html = await page.text();
  const svgs = html.match(/<svg[^>]*>/g) ?? [];
  const charts = svgs.filter((s) => s.includes('role="img"') && s.includes('aria-labelledby="chart-'));
  expect(charts.length).toBe(2);
  expect(html).toMatch(/<title id="chart-money-title">Amount awarded, paid and returned/);
  expect(html).toContain('id="funding-table"');
  expect(html).toContain('id="pots-table"');
  expect(html).toContain('totals are not the sum of the rows');
  const json = (await api.get(`/api/v1/reports/funding?fundId=${round.fundId}&groupBy=priority,financialYear`, { token })).body;
  expect((html.match(/<tbody class="govuk-table__body">([\s\S]*?)<\/tbody>/)![1].match(/<tr /g) ?? []).length).toBe(json.rows.length);
  const csvHref = html.match(/href="(\/staff\/reports\/funding\/report\.csv\?[^"]+)"/)![1].replace(/&amp;/g, '&');
  const csv = await fetch(t.url + csvHref, { headers: { cookie } });
  expect(csv.status).toBe(200);
  expect((await csv.text()).trim().split('\r\n').length).toBe(json.rows.length + 2);
  const bad = await fetch(`${t.url}/staff/reports/funding?fundId=${round.fundId}&groupBy=colour&from=2017`, { headers: { cookie } });
  expect(bad.status).toBe(422);
  const badHtml = await bad.text();
  expect(badHtml).toContain('govuk-error-summary');
  expect(badHtml).toContain('Enter a financial year like 2017/18');
  const rec = await fetch(`${t.url}/staff/reports/funding/reconciliation?fundId=${round.fundId}`, { headers: { cookie } });
  expect(rec.status).toBe(200);
  expect(await rec.text()).toContain('id="reconciled"');
});

it('takes a fixed number of queries whatever the groupings and however many rows', async () => {
  const count = async (query: string) =>
    (await queriesDuring(t.db, () => api.get(`/api/v1/reports/funding?fundId=${round.fundId}&${query}`, { token }))).filter((q) => !/^(START|COMMIT|ROLLBACK|SELECT 1)/i.test(q) && !q.includes('api_tokens') && !q.includes('users') && !/\b(outbox|email_messages)\b/.test(q));
  const none = await count('');
  const all = await count(`groupBy=${GROUPS.join(',')}`);
  const rows = (await api.get(`/api/v1/reports/funding?fundId=${round.fundId}&groupBy=${GROUPS.join(',')}`, { token })).body.rows.length;
  expect(rows).toBeGreaterThan(3);
  // The fund, the totals, the pots and their money; with groupings, one GROUP BY query more.
  expect(none.length).toBe(4);
  expect(all.length).toBe(5);
  expect(all.filter((q) => q.includes('GROUP BY')).length).toBeGreaterThan(0);
});
