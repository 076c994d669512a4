import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { acceptedAward, payAward, type AcceptedAward } from '../support/money-factories.js';
import { callAs, joinOrganisation, matrixCast, OK, routesOf, row, sweepRoute, type MatrixCast, type MatrixRole, type Row } from '../support/role-matrix.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The role-by-route matrix of variations, clawbacks, repayments and reconciliation: every route of
 * their controllers (API and pages), called by each single role on a real accepted award, answers
 * the status below, and a refused request changes nothing. Members of the organisation read; only
 * owners ask for and withdraw variations; only grants officers decide them and raise or cancel
 * clawbacks; only finance officers record money received; finance and the auditor reconcile;
 * grants and finance officers and the auditor read every award; anyone else is told it does not
 * exist (404). A new route of these controllers must be added here.
 */
type Role = MatrixRole;

//                             owner member stranger officer assessor panel finance admin auditor anonymous
const API_READ = /*        */ row(200, 200, 404, 200, 404, 404, 200, 404, 200, 401);
const API_OWNER = /*       */ row(OK, 403, 404, 403, 404, 404, 403, 404, 403, 401);
const API_OFFICER = /*     */ row(403, 403, 403, OK, 403, 403, 403, 403, 403, 401);
const API_FINANCE = /*     */ row(403, 403, 403, 403, 403, 403, OK, 403, 403, 401);
const API_STAFF_LIST = /*  */ row(403, 403, 403, 200, 403, 403, 200, 403, 200, 401);
const API_RECONCILE = /*   */ row(403, 403, 403, 403, 403, 403, 200, 403, 200, 401);
const PAGE_READ = /*       */ row(200, 200, 404, 200, 404, 404, 200, 404, 200, 303);
const PAGE_OWNER = /*      */ row(OK, 403, 404, 403, 404, 404, 403, 404, 403, 303);
const PAGE_STAFF = /*      */ row(403, 403, 403, 200, 403, 403, 200, 403, 200, 303);
const PAGE_OFFICER = /*    */ row(403, 403, 403, OK, 403, 403, 403, 403, 403, 303);
const PAGE_FINANCE = /*    */ row(403, 403, 403, 403, 403, 403, OK, 403, 403, 303);
const PAGE_RECONCILE = /*  */ row(403, 403, 403, 403, 403, 403, 200, 403, 200, 303);

interface Fixture {
  award: AcceptedAward;
  variationId: string;
  clawbackId: string;
}

interface RouteCase {
  row: Row;
  /** The success status where the row says OK (a GET's OK is 200). */
  ok?: number;
  /** The OK role's call changes things: it runs on a fresh fixture. */
  changes?: boolean;
  changer?: Role;
  body?: () => Record<string, unknown>;
  /** The fresh fixture has no open variation (a new one is asked for). */
  noVariation?: boolean;
}

const END_DATE = { kind: 'end_date', endsOn: '2031-12-31', reason: 'Matrix change' };
const END_DATE_FORM = { 'endsOn-day': '31', 'endsOn-month': '12', 'endsOn-year': '2031', reason: 'Matrix change' };

const ROUTES: Record<string, RouteCase> = {
  'POST /api/v1/awards/:id/variations': { row: API_OWNER, ok: 201, changes: true, noVariation: true, body: () => END_DATE },
  'GET /api/v1/awards/:id/variations': { row: API_READ },
  'GET /api/v1/variations': { row: API_STAFF_LIST },
  'GET /api/v1/variations/:id': { row: API_READ },
  'POST /api/v1/variations/:id/decision': { row: API_OFFICER, ok: 200, changes: true, changer: 'grants_officer', body: () => ({ outcome: 'approve' }) },
  'POST /api/v1/variations/:id/withdraw': { row: API_OWNER, ok: 200, changes: true, body: () => ({}) },
  'POST /api/v1/awards/:id/clawbacks': { row: API_OFFICER, ok: 201, changes: true, changer: 'grants_officer', body: () => ({ amountPence: 1000, reason: 'Matrix', dueOn: '2031-06-30' }) },
  'GET /api/v1/awards/:id/clawbacks': { row: API_READ },
  'POST /api/v1/clawbacks/:id/cancel': { row: API_OFFICER, ok: 200, changes: true, changer: 'grants_officer', body: () => ({ reason: 'Matrix' }) },
  'POST /api/v1/awards/:id/repayments': {
    row: API_FINANCE,
    ok: 201,
    changes: true,
    changer: 'finance_officer',
    body: () => ({ amountPence: 1000, receivedOn: '2031-05-01', reference: 'Matrix', reason: 'underspend' }),
  },
  'GET /api/v1/awards/:id/repayments': { row: API_READ },
  'GET /api/v1/reconciliation': { row: API_RECONCILE },
  'GET /awards/:id/variations': { row: PAGE_READ },
  'GET /awards/:id/variations/new': { row: PAGE_READ },
  'POST /awards/:id/variations/new': { row: PAGE_OWNER, ok: 303, body: () => ({ kind: 'end_date' }) },
  'GET /awards/:id/variations/new/:kind': { row: PAGE_READ },
  'POST /awards/:id/variations/new/:kind': { row: PAGE_OWNER, ok: 303, changes: true, noVariation: true, body: () => END_DATE_FORM },
  'GET /variations/:id': { row: PAGE_READ },
  'POST /variations/:id/withdraw': { row: PAGE_OWNER, ok: 303, changes: true },
  'GET /staff/variations': { row: PAGE_STAFF },
  'GET /staff/variations/:id': { row: PAGE_STAFF },
  'POST /staff/variations/:id/decision': { row: PAGE_OFFICER, ok: 303, changes: true, changer: 'grants_officer', body: () => ({ outcome: 'approve' }) },
  'GET /awards/:id/clawbacks': { row: PAGE_READ },
  'GET /awards/:id/clawbacks/new': { row: { ...PAGE_OFFICER, grants_officer: 200 } },
  'POST /awards/:id/clawbacks/new': {
    row: PAGE_OFFICER,
    ok: 303,
    changes: true,
    changer: 'grants_officer',
    body: () => ({ amount: '10', 'dueOn-day': '30', 'dueOn-month': '6', 'dueOn-year': '2031', reason: 'Matrix' }),
  },
  'GET /awards/:id/repayments/new': { row: { ...PAGE_FINANCE, finance_officer: 200 } },
  'POST /awards/:id/repayments/new': {
    row: PAGE_FINANCE,
    ok: 303,
    changes: true,
    changer: 'finance_officer',
    body: () => ({ amount: '10', 'receivedOn-day': '1', 'receivedOn-month': '5', 'receivedOn-year': '2031', reference: 'Matrix', reason: 'underspend' }),
  },
  'GET /staff/finance/reconciliation': { row: PAGE_RECONCILE },
};

const CONTROLLERS = ['VariationsController', 'VariationsPages', 'StaffVariationsPages', 'ClawbacksController', 'RepaymentsController', 'ReconciliationController', 'ClawbackPages', 'RepaymentPages', 'ReconciliationPages'];

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let shared: Fixture;
let cast: MatrixCast;

/** An accepted, partly paid award of the matrix's owner and member, with an open variation and an open clawback. */
async function makeFixture(options: { variation?: boolean } = {}): Promise<Fixture> {
  const award = await acceptedAward(t, api, { round });
  await joinOrganisation(t, cast, award.organisationId);
  await payAward(t, award, 100000);
  const clawback = await api.post(`/api/v1/awards/${award.awardId}/clawbacks`, { amountPence: 5000, reason: 'Fixture', dueOn: '2031-06-30' }, { token: cast.tokens.grants_officer });
  if (clawback.status !== 201) throw new Error(`fixture: ${clawback.text}`);
  if (options.variation === false) return { award, variationId: '00000000-0000-4000-8000-000000000000', clawbackId: clawback.body.id };
  const variation = await api.post(`/api/v1/awards/${award.awardId}/variations`, { kind: 'end_date', endsOn: '2031-09-30', reason: 'Fixture' }, { token: award.ownerToken });
  if (variation.status !== 201) throw new Error(`fixture: ${variation.text}`);
  return { award, variationId: variation.body.id, clawbackId: clawback.body.id };
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
  const awards = await t.db.query(`SELECT id, amount_pence, paid_pence, released_pence, ends_on, version FROM awards ORDER BY id`);
  const variations = await t.db.query(`SELECT id, status, version FROM award_variations ORDER BY id`);
  const clawbacks = await t.db.query(`SELECT id, status, repaid_pence, version FROM clawbacks ORDER BY id`);
  const [{ repayments }] = await t.db.query(`SELECT count(*)::int AS repayments FROM repayments`);
  const [{ ledger }] = await t.db.query(`SELECT count(*)::int AS ledger FROM pot_ledger_entries`);
  const [{ audits }] = await t.db.query(`SELECT count(*)::int AS audits FROM audit_events`);
  return JSON.stringify({ awards, variations, clawbacks, repayments, ledger, audits });
}

async function call(role: Role, method: string, path: string, spec: RouteCase, f: Fixture) {
  let url = path
    .replace('/variations/:id', `/variations/${f.variationId}`)
    .replace('/clawbacks/:id', `/clawbacks/${f.clawbackId}`)
    .replace(':id', f.award.awardId)
    .replace(':kind', 'end_date');
  if (path === '/api/v1/reconciliation') url += `?roundId=${round.roundId}`;
  return callAs(t, cast, role, method, url, { body: spec.body?.() });
}

it('lists exactly the routes this matrix classifies (a new route must be added here)', () => {
  expect(routesOf(t, CONTROLLERS)).toEqual(Object.keys(ROUTES).sort());
});

it.each(Object.keys(ROUTES))('%s answers every single role as the matrix says, and a refusal changes nothing', async (key) => {
  const spec = ROUTES[key];
  const [method, path] = key.split(' ');
  const problems = await sweepRoute({
    row: spec.row,
    ok: spec.ok ?? 200,
    changes: (role) => !!spec.changes && role === (spec.changer ?? 'owner'),
    shared,
    fresh: () => makeFixture({ variation: !spec.noVariation }),
    call: (role, fixture) => call(role, method, path, spec, fixture),
    snapshot,
    hidden: shared.award.reference,
  });
  expect(problems).toEqual([]);
});
