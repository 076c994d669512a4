import { randomUUID } from 'node:crypto';
import type { TestAward } from '../support/award-factories.js';
import { acceptedAward, financeOfficer, VALID_BANK, type Officer } from '../support/finance-factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { callAs, joinOrganisation, matrixCast, OK, routesOf, row, sweepRoute, type MatrixCast, type MatrixRole, type Row } from '../support/role-matrix.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The role-by-route matrix of finance: every finance route (API and pages), called by each single
 * role on a real accepted award, answers the status written below, and a refused request changes
 * nothing. Members of the organisation read its plan and masked bank details; only owners enter
 * bank details; finance officers do the money (verify, schedule, pay, approve); grants officers
 * read and mark conditions met; the auditor reads; anyone else is told the award does not exist.
 * A new finance route must be added here.
 */
type Role = MatrixRole;

//                          owner member stranger officer assessor panel finance admin auditor anonymous
const API_READ = /*     */ row(200, 200, 404, 200, 404, 404, 200, 404, 200, 401);
const API_OWNER = /*    */ row(OK, 403, 404, 403, 404, 404, 403, 404, 403, 401);
const API_FINANCE = /*  */ row(403, 403, 404, 403, 404, 404, OK, 404, 403, 401);
const API_CONDITION = /**/ row(403, 403, 403, OK, 403, 403, 409, 403, 403, 401);
const API_FIN_ONLY = /* */ row(403, 403, 403, 403, 403, 403, OK, 403, 403, 401);
const API_STAFF = /*    */ row(403, 403, 403, 200, 403, 403, 200, 403, 200, 401);
const PAGE_READ = /*    */ row(200, 200, 404, 200, 404, 404, 200, 404, 200, 303);
const PAGE_OWNER = /*   */ row(OK, 403, 404, 403, 404, 404, 403, 404, 403, 303);
const PAGE_STAFF = /*   */ row(403, 403, 403, 200, 403, 403, 200, 403, 200, 303);
const PAGE_FIN_READ = /**/ row(403, 403, 403, 403, 403, 403, 200, 403, 200, 303);
const PAGE_FIN_ONLY = /**/ row(403, 403, 403, 403, 403, 403, OK, 403, 403, 303);
const PAGE_CONDITION = /* */ row(403, 403, 403, OK, 403, 403, 409, 403, 403, 303);

interface MatrixAward extends TestAward {
  /** The second instalment: conditioned (met on the shared award, not on fresh ones). */
  instalmentId: string;
  /** A payment of £10 waiting for approval, recorded by the set-up officer. */
  paymentId: string;
  fundId: string;
}

interface RouteCase {
  row: Row;
  ok?: number;
  changes?: boolean;
  changer?: Role;
  /** The fresh award's bank details are left unverified (for the verify routes). */
  unverified?: boolean;
  body?: () => Record<string, unknown>;
  headers?: () => Record<string, string>;
}

const SCHEDULE = { instalments: [{ dueOn: '2027-05-01', amountPence: 250000 }] };
const pageSchedule = () => ({ dueOn_0: '1/5/2027', amount_0: '2500' });
const fin = (body?: () => Record<string, unknown>, extra: Partial<RouteCase> = {}): RouteCase => ({ row: API_FINANCE, ok: 200, changes: true, changer: 'finance_officer', body, ...extra });
const finOnly = (row: Row, ok: number, body?: () => Record<string, unknown>, extra: Partial<RouteCase> = {}): RouteCase => ({ row, ok, changes: true, changer: 'finance_officer', body, ...extra });

const ROUTES: Record<string, RouteCase> = {
  'GET /api/v1/awards/:id/bank-account': { row: API_READ },
  'PUT /api/v1/awards/:id/bank-account': { row: API_OWNER, ok: 200, changes: true, body: () => VALID_BANK },
  'POST /api/v1/awards/:id/bank-account/verify': fin(() => ({ method: 'letter' }), { unverified: true }),
  'GET /api/v1/awards/:id/payment-schedule': { row: API_READ },
  'PUT /api/v1/awards/:id/payment-schedule': fin(() => SCHEDULE),
  'POST /api/v1/instalments/:id/condition-met': { row: API_CONDITION, ok: 200, changes: true, changer: 'grants_officer', body: () => ({ note: 'Matrix' }) },
  'GET /api/v1/awards/:id/payments': { row: API_READ },
  'POST /api/v1/awards/:id/payments': fin(() => ({ amountPence: 1000, paidOn: '2027-05-01', reference: 'MATRIX' }), { ok: 201, headers: () => ({ 'idempotency-key': randomUUID() }) }),
  'POST /api/v1/payments/:id/approve': finOnly(API_FIN_ONLY, 200, () => ({})),
  'POST /api/v1/payments/:id/reject': finOnly(API_FIN_ONLY, 200, () => ({})),
  'GET /api/v1/payments/due': { row: API_STAFF },
  'GET /api/v1/payments/due.csv': { row: API_STAFF },
  'GET /api/v1/payments/due.xlsx': { row: API_STAFF },
  'GET /api/v1/rounds/:id/payment-plan': { row: API_STAFF },
  'PUT /api/v1/rounds/:id/payment-plan': finOnly(API_FIN_ONLY, 200, () => ({ steps: [{ percent: 100, after: 'acceptance' }] })),
  'GET /api/v1/funds/:id/payment-approval': { row: API_STAFF },
  'PUT /api/v1/funds/:id/payment-approval': finOnly(API_FIN_ONLY, 200, () => ({ approveEveryPayment: true, approvalThresholdPence: 1 })),
  'GET /awards/:id/payment-plan': { row: PAGE_READ },
  'GET /awards/:id/bank-details': { row: PAGE_READ },
  'POST /awards/:id/bank-details': { row: PAGE_OWNER, ok: 303, changes: true, body: () => VALID_BANK },
  'GET /staff/finance/payments-due': { row: PAGE_STAFF },
  'GET /staff/finance/payments-due.csv': { row: PAGE_STAFF },
  'GET /staff/finance/payments-due.xlsx': { row: PAGE_STAFF },
  'GET /staff/finance/bank-details': { row: PAGE_FIN_READ },
  'GET /staff/finance/awards/:id': { row: PAGE_STAFF },
  'GET /staff/finance/awards/:id/verify': { row: PAGE_FIN_READ },
  'POST /staff/finance/awards/:id/verify': finOnly(PAGE_FIN_ONLY, 303, () => ({ method: 'letter' }), { unverified: true }),
  'POST /staff/finance/awards/:id/schedule': finOnly(PAGE_FIN_ONLY, 303, pageSchedule),
  'POST /staff/finance/awards/:id/payments': finOnly(PAGE_FIN_ONLY, 303, () => ({ payAmount: '10', payPaidOn: '1/5/2027', payReference: 'MATRIX', idempotencyKey: randomUUID() })),
  'POST /staff/finance/payments/:id/approve': finOnly(PAGE_FIN_ONLY, 303, () => ({})),
  'POST /staff/finance/payments/:id/reject': finOnly(PAGE_FIN_ONLY, 303, () => ({})),
  'POST /staff/finance/instalments/:id/condition-met': { row: PAGE_CONDITION, ok: 303, changes: true, changer: 'grants_officer', body: () => ({}) },
  'GET /staff/finance/rounds/:id/payment-settings': { row: PAGE_STAFF },
  'POST /staff/finance/rounds/:id/payment-plan': finOnly(PAGE_FIN_ONLY, 303, () => ({ percent_0: '100', months_0: '' })),
  'POST /staff/finance/funds/:id/payment-approval': finOnly(PAGE_FIN_ONLY, 303, () => ({ threshold: '', every: 'yes' })),
};

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let setup: Officer;
let shared: MatrixAward;
let cast: MatrixCast;

const ok = async (p: Promise<{ status: number; text: string }>, status = 200) => {
  const r = await p;
  if (r.status !== status) throw new Error(`set-up call answered ${r.status}: ${r.text}`);
  return r as { status: number; text: string; body: any };
};

/** An accepted award of the matrix's owner and member: bank details entered (and verified), a schedule with a conditioned instalment, and a payment waiting for approval. */
async function makeAward(options: { unverified?: boolean; conditionMet?: boolean } = {}): Promise<MatrixAward> {
  const a = await acceptedAward(t, api, { round, amountPence: 250000 });
  await joinOrganisation(t, cast, a.organisationId);
  await ok(api.put(`/api/v1/awards/${a.awardId}/bank-account`, VALID_BANK, { token: a.ownerToken }));
  await ok(api.post(`/api/v1/awards/${a.awardId}/bank-account/verify`, { method: 'letter' }, { token: setup.token }));
  const schedule = await ok(
    api.put(`/api/v1/awards/${a.awardId}/payment-schedule`, { instalments: [{ dueOn: '2027-05-01', amountPence: 150000 }, { dueOn: '2027-11-01', amountPence: 100000, condition: { kind: 'offer_condition', text: 'Matrix condition' } }] }, { token: setup.token }),
  );
  const instalmentId = schedule.body.instalments[1].id;
  if (options.conditionMet) await ok(api.post(`/api/v1/instalments/${instalmentId}/condition-met`, {}, { token: setup.token }));
  const payment = await ok(api.post(`/api/v1/awards/${a.awardId}/payments`, { amountPence: 1000, paidOn: '2027-05-01', reference: 'SETUP' }, { token: setup.token, headers: { 'idempotency-key': randomUUID() } }), 201);
  if (options.unverified) await ok(api.put(`/api/v1/awards/${a.awardId}/bank-account`, { ...VALID_BANK, accountName: 'Changed' }, { token: a.ownerToken }));
  const [{ fund_id: fundId }] = await t.db.query(`SELECT fund_id FROM rounds WHERE id = $1`, [a.roundId]);
  return { ...a, instalmentId, paymentId: payment.body.id, fundId };
}

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  setup = await financeOfficer(t, 'Matrix Set-up Officer');
  cast = await matrixCast(t);
  const [{ fund_id: fundId }] = await t.db.query(`SELECT fund_id FROM rounds WHERE id = $1`, [round.roundId]);
  await ok(api.put(`/api/v1/funds/${fundId}/payment-approval`, { approveEveryPayment: true }, { token: setup.token }));
  shared = await makeAward({ conditionMet: true });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

/** Everything a refused request must leave alone. */
async function snapshot(): Promise<string> {
  const awards = await t.db.query(`SELECT id, status, version, paid_pence FROM awards ORDER BY id`);
  const bank = await t.db.query(`SELECT award_id, version, verified_at FROM bank_accounts ORDER BY award_id`);
  const instalments = await t.db.query(`SELECT id, due_on, amount_pence, paid_pence, condition_met_at FROM payment_instalments ORDER BY id`);
  const payments = await t.db.query(`SELECT id, status FROM payments ORDER BY id`);
  const plans = await t.db.query(`SELECT round_id, steps FROM round_payment_plans ORDER BY round_id`);
  const rules = await t.db.query(`SELECT fund_id, approval_threshold_pence, approve_every_payment FROM fund_payment_rules ORDER BY fund_id`);
  const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM pot_ledger_entries`);
  const [{ audits }] = await t.db.query(`SELECT count(*)::int AS audits FROM audit_events`);
  return JSON.stringify({ awards, bank, instalments, payments, plans, rules, n, audits });
}

async function call(role: Role, method: string, path: string, spec: RouteCase, award: MatrixAward) {
  const url = path
    .replace('/funds/:id', `/funds/${award.fundId}`)
    .replace('/rounds/:id', `/rounds/${award.roundId}`)
    .replace('/instalments/:id', `/instalments/${award.instalmentId}`)
    .replace('/payments/:id', `/payments/${award.paymentId}`)
    .replace(':id', award.awardId);
  const body = spec.body?.();
  // A page's post carries the ids its form would.
  return callAs(t, cast, role, method, url, { body: path.startsWith('/api/') || method === 'GET' ? body : { awardId: award.awardId, roundId: award.roundId, ...body }, headers: spec.headers?.() });
}

const CONTROLLERS = ['FinanceController', 'FinancePages', 'StaffFinancePages', 'FinanceSettingsPages'];

it('lists exactly the finance routes this matrix classifies (a new route must be added here)', () => {
  expect(routesOf(t, CONTROLLERS)).toEqual(Object.keys(ROUTES).sort());
});

it.each(Object.keys(ROUTES))('%s answers every single role as the matrix says, and a refusal changes nothing', async (key) => {
  const spec = ROUTES[key];
  const [method, path] = key.split(' ');
  const problems = await sweepRoute({
    row: spec.row,
    ok: spec.ok,
    changes: (role) => !!spec.changes && role === (spec.changer ?? 'owner'),
    shared,
    fresh: () => makeAward({ unverified: spec.unverified }),
    call: (role, award) => call(role, method, path, spec, award),
    snapshot,
    hidden: shared.reference,
  });
  expect(problems).toEqual([]);
});
