import { RoundCloseJob, RoundOpenJob } from '../../src/funds/round-jobs.job.js';
import { createDistrict, createUser, tokenFor } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Rounds open and close by themselves on their dates: the round.open / round.close jobs, for real. */
let t: TestApp;
let api: ApiClient;
let officer: string;
let districtId: string;
let priorityId: string;

const FORM = { sections: [{ key: 'project', title: 'Your project', questions: [{ key: 'need', type: 'text', label: 'What is the need?', wordLimit: 200 }] }] };
const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = await startTestApp({ workers: true });
  api = apiClient(t.url);
  officer = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
  districtId = (await createDistrict(t.db, 'Wakefield', 'E08000036')).id;
  const [outcome] = await t.db.query(`INSERT INTO outcomes (code, name) VALUES ('o', 'Outcome') RETURNING id`);
  [{ id: priorityId }] = await t.db.query(`INSERT INTO priorities (code, name, outcome_id) VALUES ('p', 'Priority', $1) RETURNING id`, [outcome.id]);
});
afterAll(async () => {
  await t?.close();
});

let codeCounter = 0;
async function readyRound(opensAt: number, closesAt: number) {
  const fund = await api.post('/api/v1/funds', { name: 'Fund', funderName: 'PCC', fundingSource: 'POCA', referencePrefix: `S${++codeCounter}` }, { token: officer });
  const round = await api.post(`/api/v1/funds/${fund.body.id}/rounds`, { code: 'R1', title: 'Round', opensAt: iso(opensAt), closesAt: iso(closesAt), totalBudgetPence: 1_000_000 }, { token: officer });
  expect(round.status).toBe(201);
  const pot = await api.post(
    `/api/v1/rounds/${round.body.id}/pots`,
    { name: 'Pot', minGrantPence: 0, maxGrantPence: 500_000, budgetPence: 1_000_000, districtIds: [districtId], priorityIds: [priorityId] },
    { token: officer },
  );
  expect(pot.status).toBe(201);
  expect((await api.put(`/api/v1/rounds/${round.body.id}/form`, FORM, { token: officer })).status).toBe(200);
  return round.body as { id: string; closesAt: string; opensAt: string };
}

async function statusWhen(roundId: string, wanted: string, withinMs: number): Promise<string> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const [{ status }] = await t.db.query(`SELECT status FROM rounds WHERE id = $1`, [roundId]);
    if (status === wanted || Date.now() > deadline) return status;
    await sleep(100);
  }
}

const auditActions = async (roundId: string) =>
  (await t.db.query(`SELECT action, actor_label FROM audit_events WHERE entity_id = $1 ORDER BY id`, [roundId])) as { action: string; actor_label: string }[];

describe('scheduled closing', () => {
  it('closes an open round at its closing time by itself; delivering the job again changes nothing', async () => {
    const ready = await readyRound(Date.now() - 60_000, Date.now() + 3_600_000);
    // The closing time is set just before opening, so a slow machine's set-up does not eat the 2 s.
    const round = (await api.patch(`/api/v1/rounds/${ready.id}`, { closesAt: iso(Date.now() + 2_000) }, { token: officer })).body as typeof ready;
    expect((await api.post(`/api/v1/rounds/${round.id}/open`, {}, { token: officer })).status).toBe(200);
    expect(await statusWhen(round.id, 'open', 0)).toBe('open');

    expect(await statusWhen(round.id, 'closed', 10_000)).toBe('closed');
    const closes = (await auditActions(round.id)).filter((a) => a.action === 'round.closed');
    expect(closes).toEqual([{ action: 'round.closed', actor_label: 'system:round.close' }]);
    const publicView = await api.get(`/api/v1/rounds/${round.id}`);
    expect(publicView.body).toMatchObject({ status: 'closed', acceptingApplications: false });

    // At-least-once delivery: the same job again does nothing.
    const [before] = await t.db.query(`SELECT status, version, closes_at FROM rounds WHERE id = $1`, [round.id]);
    await t.app.get(RoundCloseJob).handle({ roundId: round.id, at: round.closesAt });
    const [after] = await t.db.query(`SELECT status, version, closes_at FROM rounds WHERE id = $1`, [round.id]);
    expect(after).toEqual(before);
    expect((await auditActions(round.id)).filter((a) => a.action === 'round.closed')).toHaveLength(1);
  });

  it('does nothing for a closing date that has since moved (the job for the old date finds it stale)', async () => {
    const ready = await readyRound(Date.now() - 60_000, Date.now() + 3_600_000);
    const round = (await api.patch(`/api/v1/rounds/${ready.id}`, { closesAt: iso(Date.now() + 1_500) }, { token: officer })).body as typeof ready;
    expect((await api.post(`/api/v1/rounds/${round.id}/open`, {}, { token: officer })).status).toBe(200);
    const later = iso(Date.now() + 3_600_000);
    expect((await api.patch(`/api/v1/rounds/${round.id}`, { closesAt: later }, { token: officer })).status).toBe(200);
    await sleep(2_500);
    await t.settle();
    expect(await statusWhen(round.id, 'open', 0)).toBe('open');
    // Delivered by hand with the old date: still nothing.
    await t.app.get(RoundCloseJob).handle({ roundId: round.id, at: round.closesAt });
    expect(await statusWhen(round.id, 'open', 0)).toBe('open');
    expect((await auditActions(round.id)).map((a) => a.action)).not.toContain('round.closed');
  });
});

describe('scheduled opening', () => {
  it('opens a scheduled round at its opening time and freezes its form', async () => {
    const ready = await readyRound(Date.now() + 3_600_000, Date.now() + 7_200_000);
    // The opening time is set just before scheduling, so a slow machine's set-up does not eat the 2 s.
    const round = (await api.patch(`/api/v1/rounds/${ready.id}`, { opensAt: iso(Date.now() + 2_000) }, { token: officer })).body as typeof ready;
    const scheduled = await api.post(`/api/v1/rounds/${round.id}/transitions`, { to: 'scheduled' }, { token: officer });
    expect(scheduled.body.status).toBe('scheduled');
    expect(await statusWhen(round.id, 'open', 10_000)).toBe('open');
    const [form] = await t.db.query(`SELECT f.frozen_at FROM round_forms f JOIN rounds r ON r.current_form_id = f.id WHERE r.id = $1`, [round.id]);
    expect(form.frozen_at).not.toBeNull();
    expect((await auditActions(round.id)).find((a) => a.action === 'round.opened')).toEqual({ action: 'round.opened', actor_label: 'system:round.open' });
    const [{ version }] = await t.db.query(`SELECT version FROM rounds WHERE id = $1`, [round.id]);
    await t.app.get(RoundOpenJob).handle({ roundId: round.id, at: round.opensAt });
    expect((await t.db.query(`SELECT version FROM rounds WHERE id = $1`, [round.id]))[0].version).toBe(version);
  });

  it('never opens a draft by itself: only a scheduled round opens on its date', async () => {
    const round = await readyRound(Date.now() + 1_000, Date.now() + 3_600_000);
    await sleep(2_000);
    await t.settle();
    expect(await statusWhen(round.id, 'draft', 0)).toBe('draft');
    await t.app.get(RoundOpenJob).handle({ roundId: round.id, at: round.opensAt });
    expect(await statusWhen(round.id, 'draft', 0)).toBe('draft');
  });

  it('ignores jobs for unknown rounds and malformed payloads', async () => {
    await expect(t.app.get(RoundOpenJob).handle({ roundId: '00000000-0000-4000-8000-000000000000', at: iso(Date.now() - 1000) })).resolves.toBeUndefined();
    await expect(t.app.get(RoundCloseJob).handle({ roundId: 'nope', at: 'never' })).resolves.toBeUndefined();
  });
});
