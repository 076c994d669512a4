import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { minimalPdf } from '../fixtures/files.js';
import { acceptedAward, budgetLinesOf, returnBody, submitReturn, uploadEvidence, type TestReturn } from '../support/monitoring-factories.js';
import { callAs, joinOrganisation, matrixCast, OK, routesOf, row, sweepRoute, type MatrixCast, type MatrixRole, type Row } from '../support/role-matrix.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { TestAward } from '../support/award-factories.js';

/**
 * The role-by-route matrix of monitoring: every monitoring route (API and pages, as the route
 * table lists them), called by each single role, answers the status written below, and a refused
 * request changes nothing. Members and owners of the organisation read its returns and write and
 * submit them; grants officers, finance officers and the auditor read every award's returns,
 * only grants officers review, set schedules and close; anyone else is told the award or return
 * does not exist (404). A new route must be added here.
 */
type Role = MatrixRole;

//                            owner member stranger officer assessor panel finance admin auditor anonymous
const API_READ = /*       */ row(200, 200, 404, 200, 404, 404, 200, 404, 200, 401);
const API_WRITE = /*      */ row(OK, OK, 404, 403, 404, 404, 403, 404, 403, 401);
const API_STAFF = /*      */ row(403, 403, 403, 200, 403, 403, 200, 403, 200, 401);
const API_OFFICER = /*    */ row(403, 403, 403, OK, 403, 403, 403, 403, 403, 401);
const PAGE_READ = /*      */ row(200, 200, 404, 200, 404, 404, 200, 404, 200, 303);
const PAGE_WRITE = /*     */ row(OK, OK, 404, 403, 404, 404, 403, 404, 403, 303);
const PAGE_STAFF = /*     */ row(403, 403, 403, 200, 403, 403, 200, 403, 200, 303);
const PAGE_OFFICER = /*   */ row(403, 403, 403, OK, 403, 403, 403, 403, 403, 303);

/** What the shared award's first return is: saved as a draft, its final return submitted. */
type Target = 'award' | 'draft' | 'submitted' | 'round';

interface RouteCase {
  row: Row;
  target: Target;
  /** The success status where the row says OK. */
  ok?: number;
  /** The OK roles' calls change things: each runs on a fresh award. */
  changes?: boolean;
  /** Sent as multipart/form-data with an evidence file (after the page's _csrf). */
  multipart?: boolean;
  body?: (a: Fixture) => Record<string, unknown>;
}

interface Fixture {
  award: TestAward;
  draft: TestReturn;
  submitted: TestReturn;
  lines: { budgetLineId: string }[];
  /** An evidence file of the draft return. */
  fileId: string;
}

const saveBody = (f: Fixture) => returnBody(f.lines, [1000], { returnId: f.draft.id });
const pageSaveBody = (f: Fixture) => ({ [`spend-${f.lines[0].budgetLineId}`]: '10', narrative: 'Matrix narrative', outcomes: 'Matrix outcomes', caseStudy: '' });

const ROUTES: Record<string, RouteCase> = {
  'GET /api/v1/rounds/:id/return-schedule': { row: API_STAFF, target: 'round' },
  'PUT /api/v1/rounds/:id/return-schedule': { row: API_OFFICER, target: 'round', ok: 200, changes: true, body: () => ({ returns: [{ monthsAfterStart: 3, final: false }, { monthsAfterStart: 12, final: true }] }) },
  'GET /api/v1/awards/:id/returns': { row: API_READ, target: 'award' },
  'POST /api/v1/awards/:id/returns': { row: API_WRITE, target: 'award', ok: 200, changes: true, body: saveBody },
  'GET /api/v1/returns': { row: API_STAFF, target: 'award' },
  'GET /api/v1/returns/:id': { row: API_READ, target: 'draft' },
  'POST /api/v1/returns/:id/submit': { row: API_WRITE, target: 'draft', ok: 200, changes: true },
  'POST /api/v1/returns/:id/review': { row: API_OFFICER, target: 'submitted', ok: 200, changes: true, body: () => ({ outcome: 'changes_requested', note: 'Matrix note' }) },
  'POST /api/v1/awards/:id/close': { row: API_OFFICER, target: 'award', ok: 409, body: () => ({ note: 'Matrix close' }) },
  'GET /awards/:id/returns': { row: PAGE_READ, target: 'award' },
  'GET /returns/:id': { row: PAGE_READ, target: 'draft' },
  'GET /returns/:id/edit': { row: PAGE_READ, target: 'draft' },
  'POST /returns/:id/edit': { row: PAGE_WRITE, target: 'draft', ok: 303, changes: true, body: pageSaveBody },
  'GET /returns/:id/check': { row: PAGE_READ, target: 'draft' },
  'POST /returns/:id/submit': { row: PAGE_WRITE, target: 'draft', ok: 303, changes: true },
  'GET /staff/returns': { row: PAGE_STAFF, target: 'award' },
  'GET /staff/returns/:id': { row: PAGE_STAFF, target: 'submitted' },
  'POST /staff/returns/:id/review': { row: PAGE_OFFICER, target: 'submitted', ok: 303, changes: true, body: () => ({ outcome: 'changes_requested', note: 'Matrix note' }) },
  'GET /staff/rounds/:id/return-schedule': { row: PAGE_STAFF, target: 'round' },
  'POST /staff/rounds/:id/return-schedule': { row: PAGE_OFFICER, target: 'round', ok: 303, changes: true, body: () => ({ 'months-0': '6', 'months-1': '18' }) },
  'POST /api/v1/returns/:id/evidence': { row: API_WRITE, target: 'draft', ok: 201, changes: true, multipart: true },
  'GET /api/v1/returns/:id/evidence/:fileId': { row: API_READ, target: 'draft' },
  'DELETE /api/v1/returns/:id/evidence/:fileId': { row: API_WRITE, target: 'draft', ok: 204, changes: true },
  'GET /returns/:id/evidence': { row: PAGE_READ, target: 'draft' },
  'POST /returns/:id/evidence': { row: PAGE_WRITE, target: 'draft', ok: 303, changes: true, multipart: true },
  'GET /returns/:id/evidence/:fileId': { row: PAGE_READ, target: 'draft' },
  'POST /returns/:id/evidence/:fileId/remove': { row: PAGE_WRITE, target: 'draft', ok: 303, changes: true },
  'GET /staff/awards/:id/close': { row: PAGE_STAFF, target: 'award' },
  'POST /staff/awards/:id/close': { row: PAGE_OFFICER, target: 'award', ok: 409, body: () => ({ note: 'Matrix close' }) },
};

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let shared: Fixture;
let cast: MatrixCast;

/** An accepted award whose organisation has the matrix's owner and member; its first return saved, its final one submitted. */
async function makeFixture(): Promise<Fixture> {
  const award = await acceptedAward(t, api, { round });
  await joinOrganisation(t, cast, award.organisationId);
  const lines = await budgetLinesOf(t, award.awardId);
  const [draft, submitted] = award.returns;
  const saved = await api.post(`/api/v1/awards/${award.awardId}/returns`, returnBody(lines, [500], { returnId: draft.id }), { token: award.ownerToken });
  expect(saved.status).toBe(200);
  await submitReturn(t, api, award, submitted.id, [700]);
  const file = await uploadEvidence(t, award.ownerToken, draft.id, { name: 'Matrix.pdf', data: minimalPdf() });
  expect(file.status).toBe(201);
  return { award, draft, submitted, lines, fileId: file.body.id };
}

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  cast = await matrixCast(t);
  shared = await makeFixture();
}, 60_000);

afterAll(async () => {
  await t?.close();
});

/** Everything a refused request must leave alone. */
async function snapshot(): Promise<string> {
  const awards = await t.db.query(`SELECT id, status, version, paid_pence, released_pence FROM awards ORDER BY id`);
  const returns = await t.db.query(`SELECT id, status, version, spend FROM monitoring_returns ORDER BY id`);
  const schedules = await t.db.query(`SELECT round_id, returns FROM return_schedules ORDER BY round_id`);
  const files = await t.db.query(`SELECT id FROM evidence_files ORDER BY id`);
  const [{ ledger }] = await t.db.query(`SELECT count(*)::int AS ledger FROM pot_ledger_entries`);
  const [{ audits }] = await t.db.query(`SELECT count(*)::int AS audits FROM audit_events`);
  return JSON.stringify({ awards, returns, schedules, files, ledger, audits });
}

function urlOf(path: string, spec: RouteCase, f: Fixture): string {
  const id = { award: f.award.awardId, draft: f.draft.id, submitted: f.submitted.id, round: round.roundId }[spec.target];
  return path.replace(':id', id).replace(':fileId', f.fileId);
}

async function call(role: Role, method: string, path: string, spec: RouteCase, f: Fixture) {
  const file = spec.multipart ? { blob: new Blob([new Uint8Array(minimalPdf())], { type: 'application/pdf' }), name: 'Matrix upload.pdf' } : undefined;
  return callAs(t, cast, role, method, urlOf(path, spec, f), { body: spec.body?.(f), file });
}

it('lists exactly the monitoring routes this matrix classifies (a new route must be added here)', () => {
  expect(routesOf(t, ['MonitoringController', 'ReturnsPages', 'StaffMonitoringPages'])).toEqual(Object.keys(ROUTES).sort());
});

it.each(Object.keys(ROUTES))('%s answers every single role as the matrix says, and a refusal changes nothing', async (key) => {
  const spec = ROUTES[key];
  const [method, path] = key.split(' ');
  const problems = await sweepRoute({
    row: spec.row,
    ok: spec.ok,
    changes: (role) => !!spec.changes && spec.row[role] === OK,
    shared,
    // A round's schedule is the round's, not the award's: the shared fixture serves.
    fresh: () => (spec.target === 'round' ? Promise.resolve(shared) : makeFixture()),
    call: (role, f) => call(role, method, path, spec, f),
    snapshot,
    hidden: shared.award.reference,
  });
  expect(problems).toEqual([]);
}, 60_000);
