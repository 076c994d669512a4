import { approvedAward, type TestAward } from '../support/award-factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { callAs, joinOrganisation, matrixCast, OK, routesOf, row, sweepRoute, type MatrixCast, type MatrixRole, type Row } from '../support/role-matrix.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The role-by-route matrix of awards: every awards route (API and pages, as the route table lists
 * them), called by each single role on a real offered award, answers the status written below,
 * and a refused request changes nothing. Members of the organisation read its offered award; only
 * owners answer it; grants officers, finance officers and the auditor read every award and answer
 * none; anyone else is told it does not exist (404). A provisional award does not exist for the
 * organisation either. A new route must be added here.
 */
type Role = MatrixRole;

//                          owner member stranger officer assessor panel finance admin auditor anonymous
const API_LIST = /*     */ row(200, 200, 200, 200, 200, 200, 200, 200, 200, 401);
const API_READ = /*     */ row(200, 200, 404, 200, 404, 404, 200, 404, 200, 401);
const API_ANSWER = /*   */ row(OK, 403, 404, 403, 404, 404, 403, 404, 403, 401);
const API_WITHDRAW = /* */ row(403, 403, 403, OK, 403, 403, 403, 403, 403, 401);
const API_TERMS = /*    */ row(403, 403, 403, 200, 403, 403, 200, 403, 200, 401);
const API_PUBLISH = /*  */ row(403, 403, 403, OK, 403, 403, 403, 403, 403, 401);
const PAGE_LIST = /*    */ row(200, 200, 200, 200, 200, 200, 200, 200, 200, 303);
const PAGE_READ = /*    */ row(200, 200, 404, 200, 404, 404, 200, 404, 200, 303);
const PAGE_ANSWER = /*  */ row(OK, 403, 404, 403, 404, 404, 403, 404, 403, 303);
const PAGE_STAFF = /*   */ row(403, 403, 403, 200, 403, 403, 200, 403, 200, 303);

interface RouteCase {
  row: Row;
  /** The success status where the row says OK. */
  ok?: number;
  /** The OK role's call changes things: it runs on a fresh award. */
  changes?: boolean;
  changer?: Role;
  body?: (a: TestAward) => Record<string, unknown>;
}

const ACCEPT = { signatoryName: 'Matrix Owner', signatoryRole: 'Chair', agreementVersion: 1, acceptTerms: true };
const TERMS = { text: 'Matrix terms: use the grant for the project, report on it and repay what is not spent.' };

const ROUTES: Record<string, RouteCase> = {
  'GET /api/v1/awards': { row: API_LIST },
  'GET /api/v1/awards/:id': { row: API_READ },
  'GET /api/v1/awards/:id/offer-letter.pdf': { row: API_READ },
  'POST /api/v1/awards/:id/accept': { row: API_ANSWER, ok: 200, changes: true, body: () => ACCEPT },
  'POST /api/v1/awards/:id/decline': { row: API_ANSWER, ok: 200, changes: true, body: () => ({ reason: 'Matrix decline' }) },
  'POST /api/v1/awards/:id/withdraw': { row: API_WITHDRAW, ok: 200, changes: true, changer: 'grants_officer', body: () => ({ reason: 'Matrix withdrawal' }) },
  'GET /api/v1/funds/:id/agreement': { row: API_TERMS },
  'PUT /api/v1/funds/:id/agreement': { row: API_PUBLISH, ok: 200, changes: true, changer: 'grants_officer', body: () => TERMS },
  'GET /awards': { row: PAGE_LIST },
  'GET /awards/:id': { row: PAGE_READ },
  'GET /awards/:id/offer-letter.pdf': { row: PAGE_READ },
  'GET /awards/:id/accept': { row: PAGE_READ },
  'POST /awards/:id/accept': { row: PAGE_ANSWER, ok: 303, changes: true, body: () => ({ ...ACCEPT, acceptTerms: 'yes', agreementVersion: '1' }) },
  'GET /awards/:id/accepted': { row: PAGE_READ },
  'GET /awards/:id/decline': { row: PAGE_READ },
  'POST /awards/:id/decline': { row: PAGE_ANSWER, ok: 303, changes: true, body: () => ({ reason: 'Matrix decline' }) },
  'GET /awards/:id/declined': { row: PAGE_READ },
  'GET /staff/awards': { row: PAGE_STAFF },
};

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let shared: TestAward;
let fundId: string;
let cast: MatrixCast;

/** An offered award whose organisation has the matrix's owner and member (as owner and member). */
async function makeAward(offered = true): Promise<TestAward> {
  const a = await approvedAward(t, api, { round, offered });
  await joinOrganisation(t, cast, a.organisationId);
  return a;
}

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  [{ fund_id: fundId }] = await t.db.query(`SELECT fund_id FROM rounds WHERE id = $1`, [round.roundId]);
  cast = await matrixCast(t);
  shared = await makeAward();
});

afterAll(async () => {
  await t?.close();
});

/** Everything a refused request must leave alone. */
async function snapshot(): Promise<string> {
  const awards = await t.db.query(`SELECT id, status, version, signatory_name, decline_reason FROM awards ORDER BY id`);
  const ledger = await t.db.query(`SELECT count(*)::int AS n FROM pot_ledger_entries`);
  const terms = await t.db.query(`SELECT fund_id, version FROM agreement_terms ORDER BY fund_id, version`);
  const [{ audits }] = await t.db.query(`SELECT count(*)::int AS audits FROM audit_events`);
  return JSON.stringify({ awards, ledger, terms, audits });
}

async function call(role: Role, method: string, path: string, spec: RouteCase, award: TestAward) {
  const url = path.replace('/funds/:id', `/funds/${fundId}`).replace(':id', award.awardId);
  const body = spec.body?.(award);
  // The terms version the award was offered under (the matrix publishes new versions as it goes).
  if (body && 'agreementVersion' in body) {
    const [{ v }] = await t.db.query(`SELECT agreement_version AS v FROM awards WHERE id = $1`, [award.awardId]);
    body.agreementVersion = typeof body.agreementVersion === 'string' ? String(v ?? 1) : (v ?? 1);
  }
  return callAs(t, cast, role, method, url, { body });
}

it('lists exactly the awards routes this matrix classifies (a new route must be added here)', () => {
  expect(routesOf(t, ['AwardsController', 'AwardsPages', 'StaffAwardsPages'])).toEqual(Object.keys(ROUTES).sort());
});

it.each(Object.keys(ROUTES))('%s answers every single role as the matrix says, and a refusal changes nothing', async (key) => {
  const spec = ROUTES[key];
  const [method, path] = key.split(' ');
  const problems = await sweepRoute({
    row: spec.row,
    ok: spec.ok,
    changes: (role) => !!spec.changes && role === (spec.changer ?? 'owner'),
    shared,
    fresh: () => makeAward(),
    call: (role, award) => call(role, method, path, spec, award),
    snapshot,
    hidden: shared.reference,
  });
  expect(problems).toEqual([]);
});

it('a provisional award does not exist for its organisation on any route (404), but staff who read awards see it', async () => {
  const provisional = await makeAward(false);
  const problems: string[] = [];
  for (const [key, spec] of Object.entries(ROUTES).filter(([k, spec]) => k.includes(':id') && !k.includes('/funds/') && spec.row.owner !== 403)) {
    const [method, path] = key.split(' ');
    for (const role of ['owner', 'member'] as const) {
      const before = await snapshot();
      const answer = await call(role, method, path, spec, provisional);
      if (answer.status !== 404) problems.push(`${key} ${role}: expected 404, got ${answer.status}`);
      if ((await snapshot()) !== before) problems.push(`${key} ${role}: changed something`);
    }
  }
  expect(problems).toEqual([]);
  expect((await call('grants_officer', 'GET', '/api/v1/awards/:id', ROUTES['GET /api/v1/awards/:id'], provisional)).status).toBe(200);
  const owned = await api.get(`/api/v1/awards?pageSize=200`, { token: cast.tokens.owner });
  expect(owned.body.items.map((i: { id: string }) => i.id)).not.toContain(provisional.awardId);
  expect(owned.body.items.map((i: { id: string }) => i.id)).toContain(shared.awardId);
  const strangers = await api.get(`/api/v1/awards?pageSize=200`, { token: cast.tokens.stranger });
  expect(strangers.body.items).toEqual([]);
});
