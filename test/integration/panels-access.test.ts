import type { StaffRole } from '../../src/auth/roles.js';
import { createUser, tokenFor } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { listRoutes } from '../support/routes.js';
import { signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every panels route for every single role, on ids nobody has: who is refused by role (403; 401
 * or the sign-in page when signed out) and who gets as far as "not found" (404) or an answer (200).
 * Officers run meetings; panel members read and decide (their own meetings only: panels.test.ts);
 * the auditor reads but never changes; applicants reach nothing. A new route must be added here.
 */
const ROLES = ['applicant', 'grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
const NIL = '00000000-0000-4000-8000-000000000000';
//                                          applicant officer assessor panel finance admin auditor anonymous
const r = (...s: number[]): Record<Role, number> => Object.fromEntries(ROLES.map((role, i) => [role, s[i]])) as Record<Role, number>;
const READ_404 = r(403, 404, 403, 404, 403, 403, 404, 401);
const READ_200 = r(403, 200, 403, 200, 403, 403, 200, 401);
const DECIDE_404 = r(403, 404, 403, 404, 403, 403, 403, 401);
const OFFICER_404 = r(403, 404, 403, 403, 403, 403, 403, 401);
const PAGE = (s: Record<Role, number>): Record<Role, number> => ({ ...s, anonymous: 303 });

const CASES: Record<string, { row: Record<Role, number>; body?: unknown }> = {
  'POST /api/v1/panels': { row: OFFICER_404, body: { roundId: NIL, title: 'Sweep', meetingAt: '2027-03-10T10:00:00Z', memberIds: [NIL], chairId: NIL } },
  'GET /api/v1/panels': { row: READ_200 },
  'GET /api/v1/panels/:id': { row: READ_404 },
  'POST /api/v1/panels/:id/agenda': { row: OFFICER_404, body: { applicationIds: [NIL] } },
  'GET /api/v1/panels/:id/agenda': { row: READ_404 },
  'POST /api/v1/panels/:id/decisions': { row: DECIDE_404, body: { applicationId: NIL, outcome: 'approve' } },
  'GET /api/v1/panels/:id/decisions': { row: READ_404 },
  'GET /api/v1/panels/:id/decisions/:decisionId': { row: READ_404 },
  'PUT /api/v1/panels/:id/decisions/:decisionId': { row: DECIDE_404, body: { outcome: 'defer', reason: 'Sweep' } },
  'POST /api/v1/panels/:id/confirm': { row: DECIDE_404 },
  'GET /api/v1/panels/:id/minutes': { row: READ_404 },
  'GET /api/v1/funds/:id/standard-conditions': { row: READ_404 },
  'PUT /api/v1/funds/:id/standard-conditions': { row: OFFICER_404, body: { conditions: [] } },
  'GET /staff/panels': { row: PAGE(READ_200) },
  'GET /staff/panels/new': { row: PAGE(r(403, 200, 403, 403, 403, 403, 403, 0)) },
  'GET /staff/panels/:id': { row: PAGE(READ_404) },
  'GET /staff/panels/:id/decisions/:applicationId': { row: PAGE(DECIDE_404) },
  'GET /staff/panels/:id/confirm': { row: PAGE(DECIDE_404) },
  'GET /staff/panels/:id/minutes': { row: PAGE(READ_404) },
  'GET /staff/panels/:id/applications/:applicationId': { row: PAGE(READ_404) },
};
// Page POSTs need the session's CSRF token: their rules are in panels-pages.test.ts.
const POST_PAGES = ['POST /staff/panels', 'POST /staff/panels/:id/agenda', 'POST /staff/panels/:id/conflicts', 'POST /staff/panels/:id/decisions/:applicationId', 'POST /staff/panels/:id/confirm'];

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

it('lists every panels route', () => {
  const mine = listRoutes(t.app).filter((x) => x.controller.startsWith('Panels')).map((x) => `${x.method} ${x.path}`).sort();
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
