import type { StaffRole } from '../../src/auth/roles.js';
import { createUser, tokenFor } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { listRoutes } from '../support/routes.js';
import { signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The role-by-route matrix of the funding report (ReportPolicy, read): grants officers, finance
 * officers, administrators and the auditor read the report, its files and its reconciliation;
 * applicants, assessors and panel members are refused (403); nobody signed in is 401 (API) or sent
 * to sign in (pages). Every route of the funding report's controllers must be listed here.
 */
const ROLES = ['applicant', 'grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
type Row = Record<Role, number>;
const row = (...s: number[]): Row => Object.fromEntries(ROLES.map((role, i) => [role, s[i]])) as Row;

//                          applicant officer assessor panel finance admin auditor anonymous
const API_READ = /*     */ row(403, 200, 403, 403, 200, 200, 200, 401);
const PAGE_READ = /*    */ row(403, 200, 403, 403, 200, 200, 200, 303);

const ROUTES: Record<string, Row> = {
  'GET /api/v1/reports/funding': API_READ,
  'GET /api/v1/reports/funding/reconciliation': API_READ,
  'GET /api/v1/reports/funding.csv': API_READ,
  'GET /api/v1/reports/funding.xlsx': API_READ,
  'GET /staff/reports/funding': PAGE_READ,
  'GET /staff/reports/funding/report.csv': PAGE_READ,
  'GET /staff/reports/funding/report.xlsx': PAGE_READ,
  'GET /staff/reports/funding/reconciliation': PAGE_READ,
};

let t: TestApp;
let round: TestRound;
const tokens: Partial<Record<Role, string>> = {};
const cookies: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  t = await startTestApp({ workers: false, smtp: false });
  round = await createOpenRound(t.db);
  for (const role of ROLES) {
    if (role === 'anonymous') continue;
    const user = await createUser(t.db, { roles: role === 'applicant' ? [] : [role as StaffRole] });
    tokens[role] = await tokenFor(t, user);
    cookies[role] = await signInAs(t, user);
  }
});

afterAll(async () => {
  await t?.close();
});

it('lists exactly the funding report routes this matrix classifies (a new route must be added here)', () => {
  const found = listRoutes(t.app)
    .filter((r) => ['FundingReportController', 'FundingReportFilesController', 'FundingReportPages'].includes(r.controller))
    .map((r) => `${r.method} ${r.path}`)
    .sort();
  expect(found).toEqual(Object.keys(ROUTES).sort());
});

it.each(Object.keys(ROUTES))('%s answers every single role as the matrix says', async (key) => {
  const [method, path] = key.split(' ');
  const api = path.startsWith('/api/');
  const problems: string[] = [];
  for (const role of ROLES) {
    const headers: Record<string, string> = {};
    if (api && tokens[role]) headers.authorization = `Bearer ${tokens[role]}`;
    if (!api && cookies[role]) headers.cookie = cookies[role]!;
    const query = path.endsWith('/reconciliation') ? `fundId=${round.fundId}` : `fundId=${round.fundId}&groupBy=priority`;
    const res = await fetch(`${t.url}${path}?${query}`, { method, headers, redirect: 'manual' });
    if (res.status !== ROUTES[key][role]) problems.push(`${role}: expected ${ROUTES[key][role]}, got ${res.status} ${(await res.text()).slice(0, 160)}`);
    if (role === 'anonymous' && !api && !res.headers.get('location')?.startsWith('/sign-in')) problems.push(`anonymous: redirected to ${res.headers.get('location')}`);
  }
  expect(problems).toEqual([]);
});

it('an unknown or malformed fund is 404 (API) or the form’s error (page) for those who may read', async () => {
  for (const fundId of ['00000000-0000-4000-8000-000000000000']) {
    const res = await fetch(`${t.url}/api/v1/reports/funding?fundId=${fundId}`, { headers: { authorization: `Bearer ${tokens.auditor}` } });
    expect(res.status).toBe(404);
    const rec = await fetch(`${t.url}/api/v1/reports/funding/reconciliation?fundId=${fundId}`, { headers: { authorization: `Bearer ${tokens.auditor}` } });
    expect(rec.status).toBe(404);
    const page = await fetch(`${t.url}/staff/reports/funding?fundId=${fundId}`, { headers: { cookie: cookies.auditor! } });
    expect(page.status).toBe(422);
    expect(await page.text()).toContain('Choose a fund from the list');
  }
  const malformed = await fetch(`${t.url}/api/v1/reports/funding?fundId=not-a-uuid`, { headers: { authorization: `Bearer ${tokens.auditor}` } });
  expect(malformed.status).toBe(422);
});
