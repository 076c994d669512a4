import type { StaffRole } from '../../src/auth/roles.js';
import { PastAwardImportService } from '../../src/reporting/past-award-import.service.js';
import { createUser, tokenFor, type TestUser } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { IMPORT_HEADER } from '../support/reporting-factories.js';
import { listRoutes } from '../support/routes.js';
import { csrfIn, csrfTokenFor, signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The role-by-route matrix of reporting (ReportPolicy): every reporting route (API and pages, as
 * the route table lists them), called by each single role, answers the status written below, and
 * a refused request changes nothing. Grants officers, finance officers, administrators and the
 * auditor read; grants officers and administrators change; applicants, assessors and panel members
 * are refused (403); nobody signed in is 401 (API) or sent to sign in (pages). A new route must be added here.
 */
const ROLES = ['applicant', 'grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
type Row = Record<Role, number>;
const OK = 0;
const row = (...s: number[]): Row => Object.fromEntries(ROLES.map((role, i) => [role, s[i]])) as Row;

//                          applicant officer assessor panel finance admin auditor anonymous
const API_READ = /*     */ row(403, 200, 403, 403, 200, 200, 200, 401);
const API_CHANGE = /*   */ row(403, OK, 403, 403, 403, OK, 403, 401);
const PAGE_READ = /*    */ row(403, 200, 403, 403, 200, 200, 200, 303);
const PAGE_FORM = /*    */ row(403, 200, 403, 403, 403, 200, 403, 303);
const PAGE_CHANGE = /*  */ row(403, OK, 403, 403, 403, OK, 403, 303);

interface Fixture {
  streamId: string;
  batchId: string;
}

interface RouteCase {
  row: Row;
  ok?: number;
  body?: 'json' | 'form' | 'multipart';
  json?: () => Record<string, unknown>;
  form?: () => Record<string, string | string[]>;
  query?: string;
}

let round: TestRound;
const stream = () => ({ description: 'Matrix funding', amountPence: 100000, financialYear: '2017/18', priorityCodes: [round.priorities[0].code], source: 'Matrix' });
const streamForm = () => ({ description: 'Matrix funding', amount: '1000', financialYear: '2017/18', priorityCodes: [round.priorities[0].code], source: 'Matrix' });

const ROUTES: Record<string, RouteCase> = {
  'GET /api/v1/reports/priorities/:code': { row: API_READ },
  'GET /api/v1/reports/priorities/:code/section.docx': { row: API_READ },
  'PUT /api/v1/reports/priorities/:code/wording': { row: API_CHANGE, ok: 200, body: 'json', json: () => ({ tackling: `matrix wording ${Math.random()}` }) },
  'GET /api/v1/funding-streams': { row: API_READ },
  'POST /api/v1/funding-streams': { row: API_CHANGE, ok: 201, body: 'json', json: stream },
  'GET /api/v1/funding-streams/:id': { row: API_READ },
  'PUT /api/v1/funding-streams/:id': { row: API_CHANGE, ok: 200, body: 'json', json: () => ({ ...stream(), description: `Changed ${Math.random()}` }) },
  'DELETE /api/v1/funding-streams/:id': { row: API_CHANGE, ok: 204 },
  'POST /api/v1/imports/awards': { row: API_CHANGE, ok: 200, body: 'multipart' },
  'GET /api/v1/imports/:id': { row: API_READ },
  'GET /staff/reports/priorities': { row: PAGE_READ, query: 'priority=:code' },
  'GET /staff/reports/priorities/:code/section.docx': { row: PAGE_READ },
  'GET /staff/funding-streams': { row: PAGE_READ },
  'GET /staff/funding-streams/new': { row: PAGE_FORM },
  'POST /staff/funding-streams': { row: PAGE_CHANGE, ok: 303, body: 'form', form: streamForm },
  'GET /staff/funding-streams/:id/edit': { row: PAGE_FORM },
  'POST /staff/funding-streams/:id/edit': { row: PAGE_CHANGE, ok: 303, body: 'form', form: () => ({ ...streamForm(), description: `Changed ${Math.random()}` }) },
  'GET /staff/funding-streams/:id/remove': { row: PAGE_FORM },
  'POST /staff/funding-streams/:id/remove': { row: PAGE_CHANGE, ok: 303, body: 'form', form: () => ({}) },
  'GET /staff/imports': { row: PAGE_READ },
  'POST /staff/imports': { row: PAGE_CHANGE, ok: 303, body: 'multipart' },
  'GET /staff/imports/:id': { row: PAGE_READ },
  'POST /staff/imports/:id/confirm': { row: PAGE_CHANGE, ok: 303, body: 'form', form: () => ({}) },
};

let t: TestApp;
let officerToken: string;
const users: Partial<Record<Role, TestUser>> = {};
const tokens: Partial<Record<Role, string>> = {};
const cookies: Partial<Record<Role, string>> = {};
const csrfs: Partial<Record<Role, string>> = {};
let shared: Fixture;
let n = 0;

const file = () =>
  `${IMPORT_HEADER}\nR1,Matrix Group ${++n} ${Math.random()},,,LS1 4AB,,Matrix project,${round.priorities[0].code},£1000,2017-06-01,\n`;

async function fixture(): Promise<Fixture> {
  const created = await fetch(`${t.url}/api/v1/funding-streams`, {
    method: 'POST',
    headers: { authorization: `Bearer ${officerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(stream()),
  });
  // A checked batch (the page path: staged, not yet imported), made through the service as the upload page makes it.
  const batch = await t.app.get(PastAwardImportService).stage({ userId: null, label: 'test:matrix' }, round.fundId, 'matrix.csv', Buffer.from(file()));
  return { streamId: ((await created.json()) as { id: string }).id, batchId: batch.id };
}

beforeAll(async () => {
  t = await startTestApp();
  round = await createOpenRound(t.db);
  for (const role of ROLES) {
    if (role === 'anonymous') continue;
    users[role] = await createUser(t.db, { roles: role === 'applicant' ? [] : [role as StaffRole], fullName: `Matrix ${role}` });
    tokens[role] = await tokenFor(t, users[role]!);
    cookies[role] = await signInAs(t, users[role]!);
    csrfs[role] = await csrfTokenFor(t, cookies[role]!, '/account');
  }
  officerToken = tokens.grants_officer!;
  const signIn = await fetch(`${t.url}/sign-in`);
  cookies.anonymous = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  csrfs.anonymous = csrfIn(await signIn.text());
  // One fund only in this database's reports: the round's (the import and the section need no fundId).
  shared = await fixture();
});

afterAll(async () => {
  await t?.close();
});

async function snapshot(): Promise<string> {
  const streams = await t.db.query(`SELECT id, description, version FROM funding_streams ORDER BY id`);
  const batches = await t.db.query(`SELECT id, status FROM import_batches ORDER BY id`);
  const [{ past }] = await t.db.query(`SELECT count(*)::int AS past FROM past_awards`);
  const wordings = await t.db.query(`SELECT priority_id, tackling FROM priority_report_wordings ORDER BY priority_id`);
  const outbox = await t.db.query(`SELECT count(*)::int AS n FROM outbox`);
  const [{ audits }] = await t.db.query(`SELECT count(*)::int AS audits FROM audit_events`);
  return JSON.stringify({ streams, batches, past, wordings, outbox, audits });
}

async function call(role: Role, method: string, path: string, spec: RouteCase, f: Fixture): Promise<{ status: number; text: string; location: string | null }> {
  const fill = (p: string) => p.replace(':code', round.priorities[0].code).replace('/funding-streams/:id', `/funding-streams/${f.streamId}`).replace('/imports/:id', `/imports/${f.batchId}`);
  const url = fill(path) + (spec.query ? `?${fill(spec.query)}` : '');
  const api = path.startsWith('/api/');
  const headers: Record<string, string> = {};
  if (api && tokens[role]) headers.authorization = `Bearer ${tokens[role]}`;
  if (!api && cookies[role]) headers.cookie = cookies[role]!;
  let body: string | FormData | undefined;
  if (spec.body === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(spec.json!());
  } else if (spec.body === 'form' || (!api && method !== 'GET' && !spec.body)) {
    const form = new URLSearchParams({ _csrf: csrfs[role] ?? '' });
    for (const [k, v] of Object.entries(spec.form?.() ?? {})) for (const one of Array.isArray(v) ? v : [v]) form.append(k, one);
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = form.toString();
  } else if (spec.body === 'multipart') {
    const form = new FormData();
    if (!api) form.append('_csrf', csrfs[role] ?? '');
    form.append('file', new Blob([file()], { type: 'text/csv' }), 'matrix.csv');
    body = form;
  }
  const response = await fetch(t.url + url, { method, headers, body, redirect: 'manual' });
  return { status: response.status, text: Buffer.from(await response.arrayBuffer()).toString('latin1'), location: response.headers.get('location') };
}

it('lists exactly the reporting routes this matrix classifies (a new route must be added here)', () => {
  const found = listRoutes(t.app)
    .filter((r) => ['ReportingController', 'SectionPages', 'FundingStreamsPages', 'ImportsPages'].includes(r.controller))
    .map((r) => `${r.method} ${r.path}`)
    .sort();
  expect(found).toEqual(Object.keys(ROUTES).sort());
});

it.each(Object.keys(ROUTES))('%s answers every single role as the matrix says, and a refusal changes nothing', async (key) => {
  const spec = ROUTES[key];
  const [method, path] = key.split(' ');
  const problems: string[] = [];
  for (const role of ROLES) {
    const allowed = spec.row[role] === OK;
    const f = allowed ? await fixture() : shared;
    // A confirmed import runs in the background: let it finish before looking, so only this request's changes are seen.
    await t.settle();
    const before = await snapshot();
    const expected = allowed ? spec.ok! : spec.row[role];
    const answer = await call(role, method, path, spec, f);
    if (answer.status !== expected) problems.push(`${role}: expected ${expected}, got ${answer.status} ${answer.text.slice(0, 160)}`);
    if (answer.status >= 500) problems.push(`${role}: server error`);
    if (role === 'anonymous' && !path.startsWith('/api/') && answer.status === 303 && answer.location !== '/sign-in' && !answer.location?.startsWith('/sign-in?')) {
      problems.push(`anonymous: redirected to ${answer.location}`);
    }
    if (!allowed) await t.settle();
    const changed = (await snapshot()) !== before;
    if (!allowed && changed) problems.push(`${role}: a refused request changed something`);
    if (allowed && method !== 'GET' && !changed) problems.push(`${role}: changed nothing, although it should have`);
  }
  expect(problems).toEqual([]);
});

it('unknown and malformed ids are 404 for those who may read', async () => {
  for (const path of ['/api/v1/funding-streams/not-a-uuid', '/api/v1/funding-streams/00000000-0000-4000-8000-000000000000', '/api/v1/imports/x', '/api/v1/reports/priorities/no-such-code']) {
    const res = await fetch(t.url + path, { headers: { authorization: `Bearer ${tokens.auditor}` } });
    expect([path, res.status]).toEqual([path, 404]);
  }
  const page = await fetch(`${t.url}/staff/imports/00000000-0000-4000-8000-000000000000`, { headers: { cookie: cookies.auditor! } });
  expect(page.status).toBe(404);
});
