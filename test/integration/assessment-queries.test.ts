import { randomUUID } from 'node:crypto';
import { createUser, tokenFor } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queriesDuring } from '../support/query-log.js';

/** The assessor's queue and the ranking run the same number of queries for 5 items as for 100. */
let t: TestApp;
let api: ApiClient;
let round: TestRound;

beforeAll(async () => {
  // No workers: nothing polls the database in the background while queries are counted.
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
});
afterAll(async () => {
  await t?.close();
});

/** `count` bids in assessment for one assessor, each assessed with a submitted score (rows written directly: the counting is of the reads). */
async function seed(count: number, assessorId: string, potId: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const applicationId = randomUUID();
    await t.db.query(`INSERT INTO assessment_bids (application_id, round_id, pot_id, organisation_id, state) VALUES ($1, $2, $3, $4, 'assessed')`, [applicationId, round.roundId, potId, randomUUID()]);
    await t.db.query(`INSERT INTO assessments (application_id, round_id, assessor_id, due_on, status, weighted_score) VALUES ($1, $2, $3, current_date + $4::int, 'submitted', $5)`, [
      applicationId,
      round.roundId,
      assessorId,
      i % 20,
      50 + (i % 40),
    ]);
  }
}

it('counts the same queries for the queue and the ranking with 5 and with 100 items', async () => {
  const few = await createUser(t.db, { roles: ['assessor'] });
  const many = await createUser(t.db, { roles: ['assessor'] });
  const officer = await createUser(t.db, { roles: ['grants_officer'] });
  const [fewToken, manyToken, officerToken] = [await tokenFor(t, few), await tokenFor(t, many), await tokenFor(t, officer)];
  await seed(5, few.id, round.pots[0].id);
  const queueFew = (await queriesDuring(t.db, () => api.get('/api/v1/me/assessments?pageSize=200', { token: fewToken }))).length;
  const rankedFew = (await api.get(`/api/v1/rounds/${round.roundId}/ranking?potId=${round.pots[0].id}`, { token: officerToken })).body.items.length;
  const rankFew = (await queriesDuring(t.db, () => api.get(`/api/v1/rounds/${round.roundId}/ranking?potId=${round.pots[0].id}`, { token: officerToken }))).length;
  await seed(100, many.id, round.pots[0].id);
  const queueMany = (await queriesDuring(t.db, async () => {
    const res = await api.get('/api/v1/me/assessments?pageSize=200', { token: manyToken });
    expect(res.body.items).toHaveLength(100);
    expect(res.body.items.map((i: any) => i.dueOn)).toEqual([...res.body.items.map((i: any) => i.dueOn)].sort());
  })).length;
  const rankMany = (await queriesDuring(t.db, async () => {
    const res = await api.get(`/api/v1/rounds/${round.roundId}/ranking?potId=${round.pots[0].id}`, { token: officerToken });
    expect(res.body.items).toHaveLength(105);
  })).length;
  expect(rankedFew).toBe(5);
  expect(queueMany).toBe(queueFew);
  expect(rankMany).toBe(rankFew);
  if (process.env.SHOW_QUERY_COUNTS) console.log({ queue: queueFew, ranking: rankFew });
});
