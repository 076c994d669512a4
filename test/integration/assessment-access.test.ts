import type { StaffRole } from '../../src/auth/roles.js';
import { londonDate } from '../../src/common/dates.js';
import { createUser, tokenFor } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { listRoutes } from '../support/routes.js';
import { signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every assessment route for every single role, on ids nobody has: who is refused by role (403;
 * 401 or the sign-in page when signed out) and who gets as far as "not found" (404) or an answer
 * (200). The auditor reads but never changes; applicants reach nothing. A new route must be added.
 */
const ROLES = ['applicant', 'grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
const NIL = '00000000-0000-4000-8000-000000000000';
//                                    applicant officer assessor panel finance admin auditor anonymous
const r = (...s: number[]): Record<Role, number> => Object.fromEntries(ROLES.map((role, i) => [role, s[i]])) as Record<Role, number>;
const OFFICER_READ_404 = r(403, 404, 403, 403, 403, 403, 404, 401);
const OFFICER_READ_200 = r(403, 200, 403, 403, 403, 403, 200, 401);
const OFFICER_WRITE_404 = r(403, 404, 403, 403, 403, 403, 403, 401);
const ASSESSOR_404 = r(403, 403, 404, 403, 403, 403, 403, 401);
const PAGE = (s: Record<Role, number>): Record<Role, number> => ({ ...s, anonymous: 303 });

const CASES: Record<string, { row: Record<Role, number>; body?: unknown }> = {
  'GET /api/v1/rounds/:id/criteria': { row: OFFICER_READ_404 },
  'PUT /api/v1/rounds/:id/criteria': { row: OFFICER_WRITE_404, body: { criteria: [], assessorsPerBid: 2, moderationThreshold: 20 } },
  'GET /api/v1/rounds/:id/assessors': { row: OFFICER_READ_404 },
  'PUT /api/v1/rounds/:id/assessors': { row: OFFICER_WRITE_404, body: { assessors: [] } },
  'POST /api/v1/conflicts': { row: r(403, 403, 404, 404, 403, 403, 403, 401), body: { organisationId: NIL, reason: 'Sweep' } },
  'GET /api/v1/conflicts': { row: r(403, 200, 200, 200, 403, 403, 200, 401) },
  'GET /api/v1/me/assessments': { row: r(403, 403, 200, 403, 403, 403, 403, 401) },
  'GET /api/v1/assessments/:id': { row: r(403, 404, 404, 403, 403, 403, 404, 401) },
  'PUT /api/v1/assessments/:id': { row: ASSESSOR_404, body: { scores: [], recommendation: 'fund' } },
  'POST /api/v1/assessments/:id/no-conflict': { row: ASSESSOR_404 },
  'POST /api/v1/assessments/:id/submit': { row: ASSESSOR_404 },
  'PUT /api/v1/assessments/:id/due-date': { row: OFFICER_WRITE_404, body: { dueOn: londonDate(new Date(Date.now() + 7 * 86400_000)) } },
  'GET /api/v1/unassigned-applications': { row: OFFICER_READ_200 },
  'GET /api/v1/flagged-applications': { row: OFFICER_READ_200 },
  'POST /api/v1/applications/:id/assignments': { row: OFFICER_WRITE_404, body: { userId: NIL } },
  'DELETE /api/v1/applications/:id/assignments/:userId': { row: OFFICER_WRITE_404 },
  'POST /api/v1/applications/:id/moderation': { row: OFFICER_WRITE_404, body: { scorePercent: 50, reason: 'Sweep' } },
  'GET /api/v1/rounds/:id/ranking': { row: OFFICER_READ_404 },
  'GET /api/v1/rounds/:id/ranking.csv': { row: OFFICER_READ_404 },
  'GET /assessments': { row: PAGE(r(403, 403, 200, 403, 403, 403, 403, 0)) },
  'GET /assessments/:id': { row: PAGE(ASSESSOR_404) },
  'GET /staff/assessment/unassigned': { row: PAGE(OFFICER_READ_200) },
  'GET /staff/assessment/flagged': { row: PAGE(OFFICER_READ_200) },
  'GET /staff/rounds/:id/ranking': { row: PAGE(OFFICER_READ_404) },
  'GET /staff/rounds/:id/assessment': { row: PAGE(OFFICER_READ_404) },
  'GET /staff/rounds/:id/assessment/settings': { row: PAGE(OFFICER_WRITE_404) },
  'GET /staff/rounds/:id/assessment/criteria/new': { row: PAGE(OFFICER_WRITE_404) },
  'GET /staff/rounds/:id/assessment/criteria/:key': { row: PAGE(OFFICER_WRITE_404) },
  'GET /staff/rounds/:id/assessment/criteria/:key/remove': { row: PAGE(OFFICER_WRITE_404) },
  'GET /staff/rounds/:id/assessment/assessors': { row: PAGE(OFFICER_WRITE_404) },
  'GET /staff/assessment/applications/:applicationId': { row: PAGE(OFFICER_READ_404) },
};
// Page POSTs need the session's CSRF token: refused by role first, as the GETs show; their rules are in assessment.test.ts.
const POST_PAGES = [
  'POST /assessments/:id',
  'POST /assessments/:id/no-conflict',
  'POST /staff/assessment/flagged/:applicationId',
  'POST /staff/assessment/applications/:applicationId/assignments',
  'POST /staff/assessment/applications/:applicationId/assignments/:userId/remove',
  'POST /staff/assessment/applications/:applicationId/assessments/:assessmentId/due-date',
  'POST /staff/rounds/:id/assessment/settings',
  'POST /staff/rounds/:id/assessment/criteria/new',
  'POST /staff/rounds/:id/assessment/criteria/:key',
  'POST /staff/rounds/:id/assessment/criteria/:key/remove',
  'POST /staff/rounds/:id/assessment/assessors',
  'POST /staff/rounds/:id/assessment/assessors/:userId',
  'POST /staff/rounds/:id/assessment/assessors/:userId/remove',
];

let t: TestApp;
let api: ApiClient;
const tokens: Partial<Record<Role, string>> = {};
const cookies: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  t = await startTestApp({ workers: false, smtp: false });
  api = apiClient(t.url);
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

it('lists every assessment route', () => {
  const mine = listRoutes(t.app).filter((x) => x.controller.startsWith('Assessment')).map((x) => `${x.method} ${x.path}`).sort();
  expect(mine).toEqual([...Object.keys(CASES), ...POST_PAGES].sort());
});

it.each(Object.keys(CASES))('%s answers each role as the table says', async (key) => {
  const [method, path] = key.split(' ');
  const concrete = path.replace(/:[A-Za-z]+/g, NIL);
  const wrong: string[] = [];
  for (const role of ROLES) {
    const expected = CASES[key].row[role];
    let status: number;
    if (path.startsWith('/api/')) {
      status = (await api.request(method, concrete, { token: tokens[role], body: CASES[key].body })).status;
    } else {
      const res = await fetch(t.url + concrete, { headers: cookies[role] ? { cookie: cookies[role]! } : {}, redirect: 'manual' });
      status = res.status;
    }
    if (status !== expected) wrong.push(`${role}: expected ${expected}, got ${status}`);
  }
  expect(wrong).toEqual([]);
});
