import { COMMITTED_STATUSES } from '../../src/awards/award-lifecycle.js';
import { randomUUID } from 'node:crypto';
import { apiClient, type ApiClient } from '../support/http.js';
import { assessedBids, panelCast, panelWithAgenda } from '../support/panel-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The money path through HTTP: approvals commit through the pot ledger in the decision's
 * transaction, so however many arrive at once the pot never passes its budget; Idempotency-Key
 * replays; changing an unconfirmed decision releases exactly what it committed.
 */

let t: TestApp;
let api: ApiClient;

beforeAll(async () => {
  t = await startTestApp({ workers: false, smtp: false });
  api = apiClient(t.url);
});

afterAll(async () => {
  await t?.close();
});

async function potFigures(potId: string): Promise<{ committed: number; net: number; commits: number; releases: number; awarded: number }> {
  // The three views of the pot's money must agree: its committed amount, its ledger's net, and its awards that hold money.
  const [{ awarded }] = await t.db.query(`SELECT COALESCE(SUM(amount_pence), 0)::int AS awarded FROM awards WHERE pot_id = $1 AND status = ANY($2)`, [potId, [...COMMITTED_STATUSES]]);
  const [row] = await t.db.query(
    `SELECT p.committed_pence::bigint::int AS committed,
            COALESCE(SUM(CASE e.kind WHEN 'commit' THEN e.amount_pence WHEN 'release' THEN -e.amount_pence END), 0)::int AS net,
            count(*) FILTER (WHERE e.kind = 'commit')::int AS commits, count(*) FILTER (WHERE e.kind = 'release')::int AS releases
       FROM pots p LEFT JOIN pot_ledger_entries e ON e.pot_id = p.id WHERE p.id = $1 GROUP BY p.id`,
    [potId],
  );
  return { ...row, awarded };
}

const approve = (applicationId: string) => ({ applicationId, outcome: 'approve' });

describe('the race: 50 concurrent £3,000 approvals against a £100,000 pot', () => {
  it('gives exactly 33 × 201 and 17 × 409 POT.BUDGET_EXCEEDED through one meeting; committed = the ledger', async () => {
    const cast = await panelCast(t, { budgetPence: 100_000_00 });
    const bids = await assessedBids(t, cast, 50, 3_000_00);
    const panelId = await panelWithAgenda(api, cast, bids);
    const started = Date.now();
    const answers = await Promise.all(
      bids.map((b) => api.post(`/api/v1/panels/${panelId}/decisions`, approve(b.id), { token: cast.officerToken, headers: { 'idempotency-key': randomUUID() } })),
    );
    const wallMs = Date.now() - started;
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(created).toHaveLength(33);
    expect(refused).toHaveLength(17);
    for (const r of refused) {
      expect(r.body.code).toBe('POT.BUDGET_EXCEEDED');
      expect(r.body.availablePence).toBeLessThan(3_000_00);
    }
    const figures = await potFigures(cast.potId);
    expect(figures).toEqual({ committed: 33 * 3_000_00, net: 33 * 3_000_00, commits: 33, releases: 0, awarded: 33 * 3_000_00 });
    const [{ decisions }] = await t.db.query(`SELECT count(*)::int AS decisions FROM panel_decisions WHERE panel_id = $1`, [panelId]);
    expect(decisions).toBe(33);
    const pack = await api.get(`/api/v1/panels/${panelId}/agenda`, { token: cast.officerToken });
    expect(pack.body.pots[0]).toMatchObject({ budgetPence: 100_000_00, committedPence: 99_000_00, availablePence: 1_000_00 });
    console.log(JSON.stringify({ race: 'one meeting', created: created.length, refused: refused.length, committedPence: figures.committed, wallMs }));
  });

  it('holds the same with the decisions spread over two meetings of the round', async () => {
    const cast = await panelCast(t, { budgetPence: 100_000_00 });
    const bids = await assessedBids(t, cast, 50, 3_000_00);
    const first = await panelWithAgenda(api, cast, bids.slice(0, 25), 'Morning panel');
    const second = await panelWithAgenda(api, cast, bids.slice(25), 'Afternoon panel');
    const started = Date.now();
    const answers = await Promise.all(bids.map((b, i) => api.post(`/api/v1/panels/${i < 25 ? first : second}/decisions`, approve(b.id), { token: cast.officerToken })));
    const wallMs = Date.now() - started;
    expect(answers.filter((a) => a.status === 201)).toHaveLength(33);
    expect(answers.filter((a) => a.status === 409 && a.body.code === 'POT.BUDGET_EXCEEDED')).toHaveLength(17);
    const figures = await potFigures(cast.potId);
    expect(figures.committed).toBe(33 * 3_000_00);
    expect(figures.net).toBe(figures.committed);
    expect(figures.awarded).toBe(figures.committed);
    console.log(JSON.stringify({ race: 'two meetings', created: 33, refused: 17, committedPence: figures.committed, wallMs }));
  });
});

describe('Idempotency-Key', () => {
  it('10 identical requests at once with one key: one decision, one commit, 10 identical answers; another body under the key is 422', async () => {
    const cast = await panelCast(t);
    const [bid, other] = await assessedBids(t, cast, 2, 4_000_00);
    const panelId = await panelWithAgenda(api, cast, [bid, other]);
    const key = `decision-${randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => api.post(`/api/v1/panels/${panelId}/decisions`, approve(bid.id), { token: cast.officerToken, headers: { 'idempotency-key': key } })),
    );
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(answers[0].body).toMatchObject({ applicationId: bid.id, outcome: 'approve', amountPence: 4_000_00 });
    expect(answers[0].body.awardId).toEqual(expect.any(String));
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM panel_decisions WHERE application_id = $1`, [bid.id]);
    expect(n).toBe(1);
    expect(await potFigures(cast.potId)).toMatchObject({ committed: 4_000_00, commits: 1, awarded: 4_000_00 });
    const awards = await t.db.query(`SELECT id, status FROM awards WHERE application_id = $1`, [bid.id]);
    expect(awards).toEqual([{ id: answers[0].body.awardId, status: 'provisional' }]);

    const reused = await api.post(`/api/v1/panels/${panelId}/decisions`, approve(other.id), { token: cast.officerToken, headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    expect(await t.db.query(`SELECT 1 FROM panel_decisions WHERE application_id = $1`, [other.id])).toHaveLength(0);

    // Keys are the caller's own: another person's same key is a new request.
    const member = await api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: other.id, outcome: 'defer', reason: 'Reserve list' }, { token: cast.memberTokens[1], headers: { 'idempotency-key': key } });
    expect(member.status).toBe(201);
  });

  it('accepts a request without the header (no idempotency) and refuses a malformed key', async () => {
    const cast = await panelCast(t);
    const [bid] = await assessedBids(t, cast, 1);
    const panelId = await panelWithAgenda(api, cast, [bid]);
    const bad = await api.post(`/api/v1/panels/${panelId}/decisions`, approve(bid.id), { token: cast.officerToken, headers: { 'idempotency-key': 'has spaces in it' } });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('IDEMPOTENCY.KEY_INVALID');
    const plain = await api.post(`/api/v1/panels/${panelId}/decisions`, approve(bid.id), { token: cast.officerToken });
    expect(plain.status).toBe(201);
  });
});

describe('changing an unconfirmed decision', () => {
  it('releases exactly what the decision committed and commits the new amount (entries checked)', async () => {
    const cast = await panelCast(t);
    const [bid] = await assessedBids(t, cast, 1, 5_000_00);
    const panelId = await panelWithAgenda(api, cast, [bid]);
    const first = await api.post(`/api/v1/panels/${panelId}/decisions`, approve(bid.id), { token: cast.officerToken });
    expect(first.status).toBe(201);
    const id = first.body.id;
    const part = await api.post(
      `/api/v1/panels/${panelId}/decisions`,
      { applicationId: bid.id, outcome: 'approve_in_part', amountPence: 3_500_00, conditions: ['Provide an up-to-date safeguarding policy before the first payment'] },
      { token: cast.officerToken },
    );
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({ id, outcome: 'approve_in_part', amountPence: 3_500_00, awardId: first.body.awardId, version: 2, status: 'changed' });
    const reject = await api.put(`/api/v1/panels/${panelId}/decisions/${id}`, { outcome: 'reject', feedback: 'The need is not shown.' }, { token: cast.officerToken });
    expect(reject.status).toBe(200);
    expect(reject.body).toMatchObject({ outcome: 'reject', amountPence: null, awardId: null, version: 3 });
    const entries = await t.db.query(`SELECT kind, amount_pence::int AS amount, key FROM pot_ledger_entries WHERE source_type = 'decision' AND source_id = $1 ORDER BY key`, [id]);
    // Keys sort as commit:1, commit:2, release:2, release:3: each version releases the one before it in full.
    expect(entries).toEqual([
      { kind: 'commit', amount: 5_000_00, key: `decision:${id}:commit:1` },
      { kind: 'commit', amount: 3_500_00, key: `decision:${id}:commit:2` },
      { kind: 'release', amount: 5_000_00, key: `decision:${id}:release:2` },
      { kind: 'release', amount: 3_500_00, key: `decision:${id}:release:3` },
    ]);
    expect(await potFigures(cast.potId)).toMatchObject({ committed: 0, net: 0, awarded: 0 });
  });

  it('a change that does not fit is 409 with the available amount and changes nothing', async () => {
    const cast = await panelCast(t, { budgetPence: 10_000_00 });
    const [a, b] = await assessedBids(t, cast, 2, 6_000_00);
    const panelId = await panelWithAgenda(api, cast, [a, b]);
    const inPart = await api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: a.id, outcome: 'approve_in_part', amountPence: 4_000_00 }, { token: cast.officerToken });
    expect(inPart.status).toBe(201);
    expect((await api.post(`/api/v1/panels/${panelId}/decisions`, approve(b.id), { token: cast.officerToken })).status).toBe(201);
    const full = await api.post(`/api/v1/panels/${panelId}/decisions`, approve(a.id), { token: cast.officerToken });
    expect(full.status).toBe(409);
    // Available to this decision: the pot's free money plus what the decision itself held.
    expect(full.body).toMatchObject({ code: 'POT.BUDGET_EXCEEDED', availablePence: 4_000_00 });
    const [row] = await t.db.query(`SELECT outcome, amount_pence::int AS amount, version FROM panel_decisions WHERE id = $1`, [inPart.body.id]);
    expect(row).toEqual({ outcome: 'approve_in_part', amount: 4_000_00, version: 1 });
    expect(await potFigures(cast.potId)).toMatchObject({ committed: 10_000_00, commits: 2, releases: 0 });
  });
});
