import type { StaffRole } from '../../src/auth/roles.js';
import { OpenDataWithholdingsService } from '../../src/reporting/open-data-withholdings.service.js';
import { approvedAward, type TestAward } from '../support/award-factories.js';
import { createUser, tokenFor, type TestUser } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { listRoutes } from '../support/routes.js';
import { csrfIn, csrfTokenFor, signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The role-by-route matrix of the 360Giving open data: the files are public (everyone, signed in
 * or not, 200); withholding an award (API and page) is for grants officers and administrators
 * (ReportPolicy's change), the page is read by finance officers and the auditor too; applicants,
 * assessors and panel members are refused (403); nobody signed in is 401 (API) or sent to sign in
 * (pages); a refused request changes nothing. A new open data route must be added here.
 */
const ROLES = ['applicant', 'grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
type Row = Record<Role, number>;
const OK = 0;
const row = (...s: number[]): Row => Object.fromEntries(ROLES.map((role, i) => [role, s[i]])) as Row;

//                          applicant officer assessor panel finance admin auditor anonymous
const PUBLIC = /*       */ row(200, 200, 200, 200, 200, 200, 200, 200);
const API_CHANGE = /*   */ row(403, OK, 403, 403, 403, OK, 403, 401);
const PAGE_READ = /*    */ row(403, 200, 403, 403, 200, 200, 200, 303);
const PAGE_CHANGE = /*  */ row(403, OK, 403, 403, 403, OK, 403, 303);

interface RouteCase {
  row: Row;
  ok?: number;
  json?: () => Record<string, unknown>;
  form?: () => Record<string, string>;
  /** The award must be withheld first (to be published again). */
  withheld?: boolean;
}

let award: TestAward;
const reason = () => `Matrix ${Math.random()}`;

const ROUTES: Record<string, RouteCase> = {
  'GET /api/v1/open-data/360giving.json': { row: PUBLIC },
  'GET /api/v1/open-data/360giving.csv': { row: PUBLIC },
  'PUT /api/v1/awards/:id/publication': { row: API_CHANGE, ok: 200, json: () => ({ withhold: 'location', reason: reason() }) },
  'DELETE /api/v1/awards/:id/publication': { row: API_CHANGE, ok: 204, withheld: true },
  'GET /staff/open-data': { row: PAGE_READ },
  'POST /staff/open-data': { row: PAGE_CHANGE, ok: 303, form: () => ({ reference: award.reference, withhold: 'location', reason: reason() }) },
  'POST /staff/open-data/:id/release': { row: PAGE_CHANGE, ok: 303, form: () => ({}), withheld: true },
};

let t: TestApp;
const users: Partial<Record<Role, TestUser>> = {};
const tokens: Partial<Record<Role, string>> = {};
const cookies: Partial<Record<Role, string>> = {};
const csrfs: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  t = await startTestApp();
  award = await approvedAward(t, apiClient(t.url));
  for (const role of ROLES) {
    if (role === 'anonymous') continue;
    users[role] = await createUser(t.db, { roles: role === 'applicant' ? [] : [role as StaffRole], fullName: `Matrix ${role}` });
    tokens[role] = await tokenFor(t, users[role]!);
    cookies[role] = await signInAs(t, users[role]!);
    csrfs[role] = await csrfTokenFor(t, cookies[role]!, '/account');
  }
  const signIn = await fetch(`${t.url}/sign-in`);
  cookies.anonymous = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  csrfs.anonymous = csrfIn(await signIn.text());
}, 60_000);

afterAll(async () => {
  await t?.close();
});

async function snapshot(): Promise<string> {
  const withheld = await t.db.query(`SELECT award_id, scope, reason FROM open_data_withholdings ORDER BY award_id`);
  const [{ audits }] = await t.db.query(`SELECT count(*)::int AS audits FROM audit_events`);
  return JSON.stringify({ withheld, audits });
}

async function call(role: Role, method: string, path: string, spec: RouteCase): Promise<{ status: number; text: string; location: string | null }> {
  const api = path.startsWith('/api/');
  const headers: Record<string, string> = {};
  if (api && tokens[role]) headers.authorization = `Bearer ${tokens[role]}`;
  if (!api && cookies[role]) headers.cookie = cookies[role]!;
  let body: string | undefined;
  if (spec.json) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(spec.json());
  } else if (!api && method !== 'GET') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ _csrf: csrfs[role] ?? '', ...spec.form?.() }).toString();
  }
  const response = await fetch(t.url + path.replace(':id', award.awardId), { method, headers, body, redirect: 'manual' });
  return { status: response.status, text: await response.text(), location: response.headers.get('location') };
}

it('lists exactly the open data routes this matrix classifies (a new route must be added here)', () => {
  const found = listRoutes(t.app)
    .filter((r) => ['OpenDataController', 'OpenDataPages'].includes(r.controller))
    .map((r) => `${r.method} ${r.path}`)
    .sort();
  expect(found).toEqual(Object.keys(ROUTES).sort());
});

it.each(Object.keys(ROUTES))('%s answers every single role as the matrix says, and a refusal changes nothing', async (key) => {
  const spec = ROUTES[key];
  const [method, path] = key.split(' ');
  const problems: string[] = [];
  for (const role of ROLES) {
    if (spec.withheld) await t.app.get(OpenDataWithholdingsService).withhold({ userId: null, label: 'test:matrix' }, award.awardId, { withhold: 'award', reason: reason() });
    const allowed = spec.row[role] === OK;
    const before = await snapshot();
    const expected = allowed ? spec.ok! : spec.row[role];
    const answer = await call(role, method, path, spec);
    if (answer.status !== expected) problems.push(`${role}: expected ${expected}, got ${answer.status} ${answer.text.slice(0, 160)}`);
    if (role === 'anonymous' && !path.startsWith('/api/') && answer.status === 303 && !answer.location?.startsWith('/sign-in')) problems.push(`anonymous: redirected to ${answer.location}`);
    const changed = (await snapshot()) !== before;
    if (!allowed && changed) problems.push(`${role}: a refused request changed something`);
    if (allowed && method !== 'GET' && !changed) problems.push(`${role}: changed nothing, although it should have`);
  }
  expect(problems).toEqual([]);
});

it('the page shows the withheld award, and its form gives field errors (422) for an unknown reference', async () => {
  await t.app.get(OpenDataWithholdingsService).withhold({ userId: null, label: 'test:page' }, award.awardId, { withhold: 'location', reason: 'A safe house' });
  const page = await fetch(`${t.url}/staff/open-data`, { headers: { cookie: cookies.auditor! } });
  const html = await page.text();
  expect(html).toContain(award.reference);
  expect(html).toContain('A safe house');
  expect(html).toContain('/api/v1/open-data/360giving.csv');
  const body = new URLSearchParams({ _csrf: csrfs.grants_officer!, reference: 'NO-SUCH-REF', withhold: 'award', reason: 'x' }).toString();
  const res = await fetch(`${t.url}/staff/open-data`, { method: 'POST', headers: { cookie: cookies.grants_officer!, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
  expect(res.status).toBe(422);
  expect(await res.text()).toContain('There is no award with this reference');
});
