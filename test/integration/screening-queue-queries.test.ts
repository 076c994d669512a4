import { createOrganisation, createUser, tokenFor } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { submittedBid } from '../support/screening-factories.js';
import { signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queriesDuring } from '../support/query-log.js';

/**
 * The screening queue runs a fixed number of SQL queries however many bids wait: counted for 5 and
 * for 100 waiting bids, on the API and on the page, all on one page of the list.
 */

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let officerToken: string;
let officerCookie: string;
let templateId: string;

beforeAll(async () => {
  // No workers: nothing polls the database in the background while queries are counted.
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  const owner = await createUser(t.db);
  const orgId = (await createOrganisation(t.db, owner)).id;
  templateId = await submittedBid(t, api, await tokenFor(t, owner), round, orgId);
  const officer = await createUser(t.db, { roles: ['grants_officer'] });
  officerToken = await tokenFor(t, officer);
  officerCookie = await signInAs(t, officer);
});

afterAll(async () => {
  await t?.close();
});

/** Copies of the submitted bid (the test writes them directly: only their number matters), each from its own organisation. */
async function waitingBids(total: number): Promise<void> {
  const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM applications WHERE status IN ('submitted', 'screening')`);
  for (let i = n; i < total; i++) {
    const org = await createOrganisation(t.db, await createUser(t.db));
    await t.db.query(
      `INSERT INTO applications (round_id, pot_id, organisation_id, form_id, reference, project_title, status, submitted_at, created_by, amount_requested_pence)
       SELECT round_id, pot_id, $2, form_id, 'QQ-' || $3::text || '-' || substr(md5(random()::text), 1, 6), project_title, 'submitted', now() - make_interval(mins => $3::int), created_by, amount_requested_pence
         FROM applications WHERE id = $1`,
      [templateId, org.id, i],
    );
  }
}

it('answers the queue in the same number of queries for 5 and for 100 waiting bids', async () => {
  const counts: Record<number, { api: number; page: number }> = {};
  for (const total of [5, 100]) {
    await waitingBids(total);
    // One uncounted call of each first: a token's or session's first use in a while records when it was used.
    await api.get('/api/v1/screening/queue', { token: officerToken });
    await fetch(`${t.url}/staff/screening`, { headers: { cookie: officerCookie } });
    let listed = 0;
    const apiQueries = await queriesDuring(t.db, async () => {
      const res = await api.get('/api/v1/screening/queue?pageSize=200', { token: officerToken });
      expect(res.status).toBe(200);
      listed = res.body.items.length;
    });
    expect(listed).toBe(total);
    const pageQueries = await queriesDuring(t.db, async () => {
      const res = await fetch(`${t.url}/staff/screening`, { headers: { cookie: officerCookie } });
      expect(res.status).toBe(200);
    });
    // The session store's rolling save runs by the clock, not by the list: left out of the count.
    const listQueries = pageQueries.filter((q) => !q.startsWith('INSERT INTO sessions'));
    counts[total] = { api: apiQueries.length, page: listQueries.length };
    if (process.env.SHOW_QUERIES) console.log(total, pageQueries.map((q) => q.slice(0, 120)));
  }
  expect(counts[100]).toEqual(counts[5]);
  // The figures, for the record: a handful, not one per bid.
  expect(counts[100].api).toBeLessThanOrEqual(8);
});
