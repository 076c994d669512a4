import { randomUUID } from 'node:crypto';
import { approvedAward, ledgerOf } from '../support/award-factories.js';
import { createUser, tokenFor } from '../support/factories.js';
import { createOpenRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { acceptedAward, payAward, type AcceptedAward } from '../support/money-factories.js';
import { assessedBids, panelCast, panelWithAgenda } from '../support/panel-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Variations: an owner asks to move money between an accepted award's budget lines, extend its
 * end date or change its amount; a grants officer approves or refuses. An approved increase
 * commits the difference from the pot in the decision's transaction, so however many are approved
 * at once (with each other or with panel decisions) the pot is never over-committed.
 */
let t: TestApp;
let api: ApiClient;
let officerToken: string;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  officerToken = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'], fullName: 'Vera Officer' }));
});

afterAll(async () => {
  await t?.close();
});

const awardRow = async (id: string) => (await t.db.query(`SELECT amount_pence::int AS amount, budget_lines, ends_on::text AS ends_on, paid_pence::int AS paid FROM awards WHERE id = $1`, [id]))[0];
const potRow = async (id: string) => (await t.db.query(`SELECT budget_pence::int AS budget, committed_pence::int AS committed FROM pots WHERE id = $1`, [id]))[0];
const lines = (a: AcceptedAward, first: number, second: number) => [
  { budgetLineId: a.lineIds[0], amountPence: first },
  { budgetLineId: a.lineIds[1], amountPence: second },
];
const ask = (a: AcceptedAward, body: Record<string, unknown>) => api.post(`/api/v1/awards/${a.awardId}/variations`, { reason: 'The venue costs more than we planned', ...body }, { token: a.ownerToken });
const decide = (id: string, body: Record<string, unknown>, headers?: Record<string, string>) => api.post(`/api/v1/variations/${id}/decision`, body, { token: officerToken, headers });
/** Leaves `available` pence in the pot. */
const leaveInPot = async (potId: string, available: number) => t.db.query(`UPDATE pots SET budget_pence = committed_pence + $2 WHERE id = $1`, [potId, available]);

describe('a budget variation moves money between the approved lines', () => {
  it('refuses lines that are not the award’s or do not add up to it, then approves a move: the lines change, the amount and the ledger do not', async () => {
    const a = await acceptedAward(t, api, { amountPence: 250000 });
    const unknown = await ask(a, { kind: 'budget', budgetLines: [{ budgetLineId: randomUUID(), amountPence: 250000 }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { code: string }) => e.code)).toContain('VARIATION.UNKNOWN_BUDGET_LINE');
    const sum = await ask(a, { kind: 'budget', budgetLines: lines(a, 100000, 100000) });
    expect(sum.status).toBe(422);
    expect(sum.body.errors[0]).toMatchObject({ field: 'budgetLines', code: 'VARIATION.BUDGET_LINES_SUM' });
    const missing = await ask(a, { kind: 'budget', budgetLines: [{ budgetLineId: a.lineIds[0], amountPence: 250000 }] });
    expect(missing.body.errors[0].code).toBe('VARIATION.BUDGET_LINES_MISSING');
    const same = await ask(a, { kind: 'budget', budgetLines: lines(a, 150000, 100000) });
    expect(same.body.errors[0].code).toBe('VARIATION.NO_CHANGE');
    const entriesBefore = await ledgerOf(t, a.potId);

    const asked = await ask(a, { kind: 'budget', budgetLines: lines(a, 100000, 150000) });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ kind: 'budget', status: 'requested', differencePence: 0, decidable: true, withdrawable: true });
    expect(asked.body.lines.map((l: { beforePence: number; afterPence: number; changePence: number }) => [l.beforePence, l.afterPence, l.changePence])).toEqual([
      [150000, 100000, -50000],
      [100000, 150000, 50000],
    ]);
    const approved = await decide(asked.body.id, { outcome: 'approve' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    const after = await awardRow(a.awardId);
    expect(after.amount).toBe(250000);
    expect(after.budget_lines.map((l: { amountPence: number }) => l.amountPence)).toEqual([100000, 150000]);
    expect(await ledgerOf(t, a.potId)).toEqual(entriesBefore);
    const [audit] = await t.db.query(`SELECT before, after FROM audit_events WHERE action = 'award.varied' AND entity_id = $1`, [a.awardId]);
    expect(audit.before.budgetLines.map((l: { amountPence: number }) => l.amountPence)).toEqual([150000, 100000]);
    expect(audit.after.budgetLines.map((l: { amountPence: number }) => l.amountPence)).toEqual([100000, 150000]);
  });
});

describe('one open variation per award, asked for by an owner', () => {
  it('409 VARIATION.ALREADY_OPEN while one waits; withdrawing it lets another be asked; members and strangers cannot ask', async () => {
    const a = await acceptedAward(t, api);
    const first = await ask(a, { kind: 'end_date', endsOn: '2031-09-30' });
    expect(first.status).toBe(201);
    const second = await ask(a, { kind: 'end_date', endsOn: '2031-12-31' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('VARIATION.ALREADY_OPEN');

    const member = await createUser(t.db);
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [a.organisationId, member.id]);
    const memberToken = await tokenFor(t, member);
    expect((await api.post(`/api/v1/variations/${first.body.id}/withdraw`, {}, { token: memberToken })).status).toBe(403);
    expect((await api.post(`/api/v1/awards/${a.awardId}/variations`, { kind: 'end_date', endsOn: '2032-01-31', reason: 'x' }, { token: memberToken })).status).toBe(403);
    const stranger = await tokenFor(t, await createUser(t.db));
    expect((await api.get(`/api/v1/variations/${first.body.id}`, { token: stranger })).status).toBe(404);
    expect((await api.get(`/api/v1/awards/${a.awardId}/variations`, { token: stranger })).status).toBe(404);
    expect((await api.get(`/api/v1/awards/${a.awardId}/variations`, { token: memberToken })).body.items).toHaveLength(1);

    const withdrawn = await api.post(`/api/v1/variations/${first.body.id}/withdraw`, { note: 'We sorted it out' }, { token: a.ownerToken });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', decidable: false });
    expect((await decide(first.body.id, { outcome: 'approve' })).status).toBe(409);
    expect((await ask(a, { kind: 'end_date', endsOn: '2031-12-31' })).status).toBe(201);
  });

  it('two requests at once for one award: one is created, the other is 409', async () => {
    const a = await acceptedAward(t, api);
    const answers = await Promise.all([ask(a, { kind: 'end_date', endsOn: '2031-06-30' }), ask(a, { kind: 'end_date', endsOn: '2031-07-31' })]);
    expect(answers.map((x) => x.status).sort()).toEqual([201, 409]);
  });

  it('an award not yet accepted cannot be varied (409 AWARD.NOT_VARIABLE)', async () => {
    const offered = await approvedAward(t, api);
    const answer = await api.post(`/api/v1/awards/${offered.awardId}/variations`, { kind: 'end_date', endsOn: '2035-01-01', reason: 'Later' }, { token: offered.ownerToken });
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('AWARD.NOT_VARIABLE');
  });
});

describe('an end date variation', () => {
  it('must be later than the current end; approved, the award ends later; the owner is told', async () => {
    const a = await acceptedAward(t, api);
    const earlier = await ask(a, { kind: 'end_date', endsOn: '2031-01-31' });
    expect(earlier.status).toBe(422);
    expect(earlier.body.errors[0]).toMatchObject({ field: 'endsOn', code: 'VARIATION.END_NOT_LATER' });
    expect((await ask(a, { kind: 'end_date', endsOn: '2031-02-30' })).status).toBe(422);
    const asked = await ask(a, { kind: 'end_date', endsOn: '2031-09-30' });
    const approved = await decide(asked.body.id, { outcome: 'approve', note: 'Fine by us' });
    expect(approved.body).toMatchObject({ status: 'approved', decisionNote: 'Fine by us', proposed: { endsOn: '2031-09-30' }, before: { endsOn: '2031-03-31' } });
    expect((await awardRow(a.awardId)).ends_on).toBe('2031-09-30');
    expect((await api.get(`/api/v1/awards/${a.awardId}`, { token: a.ownerToken })).body).toMatchObject({ endsOn: '2031-09-30', startsOn: '2030-04-01' });
    await t.settle();
    const mail = await t.mailbox.waitFor(a.owner.email, (m) => m.subject.includes(a.reference) && m.subject.startsWith('Your request'));
    expect(mail.subject).toContain('approved');
    expect(mail.text).toContain('30 September 2031');
  });
});

describe('refusing', () => {
  it('needs a note (422), changes nothing on the award, and tells the owner why', async () => {
    const a = await acceptedAward(t, api);
    const asked = await ask(a, { kind: 'amount', amountPence: 300000, budgetLines: lines(a, 150000, 150000) });
    expect(asked.status).toBe(201);
    const bare = await decide(asked.body.id, { outcome: 'refuse' });
    expect(bare.status).toBe(422);
    expect(bare.body.errors[0]).toMatchObject({ field: 'note', code: 'VARIATION.NOTE_REQUIRED' });
    const refused = await decide(asked.body.id, { outcome: 'refuse', note: 'The round has no money left for increases' });
    expect(refused.body.status).toBe('refused');
    expect((await awardRow(a.awardId)).amount).toBe(250000);
    await t.settle();
    const mail = await t.mailbox.waitFor(a.owner.email, (m) => m.subject.includes(a.reference) && m.subject.startsWith('Your request'));
    expect(mail.subject).toContain('not approved');
    expect(mail.text).toContain('The round has no money left for increases');
  });

  it('only grants officers decide: the owner, finance and the auditor cannot', async () => {
    const a = await acceptedAward(t, api);
    const asked = await ask(a, { kind: 'end_date', endsOn: '2031-08-31' });
    expect((await api.post(`/api/v1/variations/${asked.body.id}/decision`, { outcome: 'approve' }, { token: a.ownerToken })).status).toBe(403);
    for (const role of ['finance_officer', 'auditor'] as const) {
      const token = await tokenFor(t, await createUser(t.db, { roles: [role] }));
      expect((await api.post(`/api/v1/variations/${asked.body.id}/decision`, { outcome: 'approve' }, { token })).status).toBe(403);
      expect((await api.get(`/api/v1/variations/${asked.body.id}`, { token })).status).toBe(200);
    }
    const waiting = await api.get(`/api/v1/variations?status=requested&pageSize=200`, { token: officerToken });
    expect(waiting.body.items.map((v: { id: string }) => v.id)).toContain(asked.body.id);
  });
});

describe('an amount variation moves money in the pot ledger', () => {
  it('a decrease releases the difference (never below paid + released)', async () => {
    const a = await acceptedAward(t, api, { amountPence: 250000 });
    await payAward(t, a, 100000);
    const below = await ask(a, { kind: 'amount', amountPence: 90000, budgetLines: lines(a, 45000, 45000) });
    expect(below.status).toBe(422);
    expect(below.body.errors[0].code).toBe('VARIATION.BELOW_PAID');
    const potBefore = await potRow(a.potId);
    const asked = await ask(a, { kind: 'amount', amountPence: 200000, budgetLines: lines(a, 120000, 80000) });
    expect(asked.body.differencePence).toBe(-50000);
    expect((await decide(asked.body.id, { outcome: 'approve' })).status).toBe(200);
    expect((await awardRow(a.awardId)).amount).toBe(200000);
    expect((await potRow(a.potId)).committed).toBe(potBefore.committed - 50000);
    const entries = await ledgerOf(t, a.potId);
    expect(entries.filter((e) => e.key === `variation:${asked.body.id}:release`)).toEqual([
      { kind: 'release', amount: 50000, key: `variation:${asked.body.id}:release`, source_type: 'variation', source_id: asked.body.id },
    ]);
  });

  it('an increase commits the difference; against a pot with too little left it is 409 POT.BUDGET_EXCEEDED and nothing changes', async () => {
    const a = await acceptedAward(t, api, { amountPence: 250000 });
    await leaveInPot(a.potId, 30000);
    const asked = await ask(a, { kind: 'amount', amountPence: 300000, budgetLines: lines(a, 180000, 120000) });
    const refused = await decide(asked.body.id, { outcome: 'approve' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'POT.BUDGET_EXCEEDED', availablePence: 30000, requestedPence: 50000 });
    expect((await awardRow(a.awardId)).amount).toBe(250000);
    expect((await api.get(`/api/v1/variations/${asked.body.id}`, { token: officerToken })).body.status).toBe('requested');
    expect((await ledgerOf(t, a.potId)).filter((e) => e.source_type === 'variation')).toEqual([]);

    await leaveInPot(a.potId, 50000);
    const key = `variation-${randomUUID()}`;
    const first = await decide(asked.body.id, { outcome: 'approve' }, { 'idempotency-key': key });
    const replay = await decide(asked.body.id, { outcome: 'approve' }, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect((await decide(asked.body.id, { outcome: 'refuse', note: 'no' }, { 'idempotency-key': key })).status).toBe(422);
    expect((await awardRow(a.awardId)).amount).toBe(300000);
    const pot = await potRow(a.potId);
    expect(pot.committed).toBe(pot.budget);
    expect((await ledgerOf(t, a.potId)).filter((e) => e.source_type === 'variation')).toEqual([
      { kind: 'commit', amount: 50000, key: `variation:${asked.body.id}:commit`, source_type: 'variation', source_id: asked.body.id },
    ]);
  });
});

describe('the race: increases approved at once never over-commit the pot', () => {
  it('two variations of two awards, with room for one: exactly one 200 and one 409', async () => {
    const round = await createOpenRound(t.db);
    const a = await acceptedAward(t, api, { round });
    const b = await acceptedAward(t, api, { round });
    const va = await ask(a, { kind: 'amount', amountPence: 330000, budgetLines: lines(a, 200000, 130000) });
    const vb = await ask(b, { kind: 'amount', amountPence: 330000, budgetLines: lines(b, 200000, 130000) });
    await leaveInPot(a.potId, 100000);
    const answers = await Promise.all([decide(va.body.id, { outcome: 'approve' }), decide(vb.body.id, { outcome: 'approve' })]);
    expect(answers.map((x) => x.status).sort()).toEqual([200, 409]);
    expect(answers.find((x) => x.status === 409)!.body.code).toBe('POT.BUDGET_EXCEEDED');
    const pot = await potRow(a.potId);
    expect(pot.committed).toBe(pot.budget - 20000);
    const amounts = [(await awardRow(a.awardId)).amount, (await awardRow(b.awardId)).amount].sort();
    expect(amounts).toEqual([250000, 330000]);
  });

  it('a variation and a panel approval at once, with room for one: exactly one succeeds', async () => {
    const cast = await panelCast(t, { budgetPence: 100_000_00 });
    const a = await acceptedAward(t, api, { round: cast.round, amountPence: 250000 });
    const [bid] = await assessedBids(t, cast, 1, 80000);
    const panelId = await panelWithAgenda(api, cast, [bid]);
    const asked = await ask(a, { kind: 'amount', amountPence: 330000, budgetLines: lines(a, 200000, 130000) });
    await leaveInPot(cast.potId, 100000);
    const [variation, panel] = await Promise.all([
      decide(asked.body.id, { outcome: 'approve' }),
      api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: bid.id, outcome: 'approve' }, { token: cast.officerToken }),
    ]);
    expect([variation.status, panel.status].filter((s) => s === 409)).toHaveLength(1);
    expect([variation.status, panel.status].filter((s) => s === 200 || s === 201)).toHaveLength(1);
    const pot = await potRow(cast.potId);
    expect(pot.committed).toBeLessThanOrEqual(pot.budget);
    const [{ net }] = await t.db.query(
      `SELECT COALESCE(SUM(CASE kind WHEN 'commit' THEN amount_pence WHEN 'release' THEN -amount_pence ELSE 0 END), 0)::int AS net FROM pot_ledger_entries WHERE pot_id = $1`,
      [cast.potId],
    );
    expect(net).toBe(pot.committed);
  });
});

describe('the payment schedule follows an approved change of amount', () => {
  it('an increase goes on the unpaid instalment, a decrease comes off it: the schedule adds up to the award each time', async () => {
    const a = await acceptedAward(t, api, { amountPence: 250000 });
    await t.settle();
    const schedule = async () =>
      (await t.db.query(`SELECT amount_pence::int AS amount, paid_pence::int AS paid FROM payment_instalments WHERE award_id = $1 ORDER BY position`, [a.awardId])).map(
        (r: { amount: number; paid: number }) => [r.amount, r.paid],
      );
    expect(await schedule()).toEqual([[250000, 0]]);
    const up = await ask(a, { kind: 'amount', amountPence: 300000, budgetLines: lines(a, 180000, 120000) });
    expect((await decide(up.body.id, { outcome: 'approve' })).status).toBe(200);
    expect(await schedule()).toEqual([[300000, 0]]);
    const down = await ask(a, { kind: 'amount', amountPence: 220000, budgetLines: lines(a, 120000, 100000) });
    expect((await decide(down.body.id, { outcome: 'approve' })).status).toBe(200);
    expect(await schedule()).toEqual([[220000, 0]]);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'finance.schedule_followed' AND entity_id = $1`, [a.awardId]);
    expect(n).toBe(2);
  });
});
