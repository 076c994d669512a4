import { createOrganisation, createUser, tokenFor } from '../support/factories.js';
import { COMPLETE_NEED_ANSWERS, createOpenRound, startApplication, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queriesDuring } from '../support/query-log.js';

/**
 * A section save is the commonest write of the service: it must stay cheap. The test counts every
 * SQL statement the app sends through TypeORM (BEGIN and COMMIT included, the caller's
 * authentication included) while one save is in flight, and fails above the budget.
 */
const QUERY_BUDGET = 10;

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let token: string;
let orgId: string;

beforeAll(async () => {
  // No workers: nothing polls the database in the background while queries are counted.
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  const applicant = await createUser(t.db);
  token = await tokenFor(t, applicant);
  orgId = (await createOrganisation(t.db, applicant)).id;
});
afterAll(async () => {
  await t?.close();
});

const counted: Record<string, number> = {};
afterAll(() => {
  // The figures, for the record of what a save costs.
  if (process.env.SHOW_QUERY_COUNTS) console.log(counted);
});

const report = (queries: string[]) => queries.map((q, i) => `${i + 1}. ${q.slice(0, 160)}`).join('\n');

describe('the number of queries of one section save', () => {
  it(`saves a form section in at most ${QUERY_BUDGET} queries`, async () => {
    const app = await startApplication(api, token, round, orgId);
    const section = app.sections.find((s: any) => s.key === 'need');
    let status = 0;
    const queries = await queriesDuring(t.db, async () => {
      const res = await api.put(`/api/v1/applications/${app.id}/sections/need`, { answers: COMPLETE_NEED_ANSWERS, version: section.version, completed: true }, { token });
      status = res.status;
    });
    expect(status).toBe(200);
    counted.formSection = queries.length;
    if (queries.length > QUERY_BUDGET) throw new Error(`A section save ran ${queries.length} queries (budget ${QUERY_BUDGET}):\n${report(queries)}`);
    expect(queries.length).toBeGreaterThan(0);
  });

  it(`completes the budget in at most ${QUERY_BUDGET} queries`, async () => {
    const app = await startApplication(api, token, round, orgId);
    const line = await api.post(`/api/v1/applications/${app.id}/budget-lines`, { item: 'Youth worker', category: 'staff', amountPence: 250000 }, { token });
    expect(line.status).toBe(201);
    const budget = (await api.get(`/api/v1/applications/${app.id}`, { token })).body.sections.find((s: any) => s.key === '_budget');
    let status = 0;
    const queries = await queriesDuring(t.db, async () => {
      const res = await api.put(`/api/v1/applications/${app.id}/sections/_budget`, { answers: {}, version: budget.version, completed: true }, { token });
      status = res.status;
    });
    expect(status).toBe(200);
    counted.budget = queries.length;
    if (queries.length > QUERY_BUDGET) throw new Error(`A budget save ran ${queries.length} queries (budget ${QUERY_BUDGET}):\n${report(queries)}`);
  });

  it(`saves the project details (PUT .../sections/_project) in at most ${QUERY_BUDGET} queries`, async () => {
    const app = await startApplication(api, token, round, orgId);
    const section = app.sections.find((s: any) => s.key === '_project');
    let status = 0;
    const answers = { projectTitle: 'Safer streets', projectSummary: 'Youth work on two estates', districtIds: round.pots[0].districtIds.slice(0, 1), priorityIds: round.pots[0].priorityIds.slice(0, 1) };
    const queries = await queriesDuring(t.db, async () => {
      const res = await api.put(`/api/v1/applications/${app.id}/sections/_project`, { answers, version: section.version }, { token });
      status = res.status;
    });
    expect(status).toBe(200);
    counted.project = queries.length;
    if (queries.length > QUERY_BUDGET) throw new Error(`A project save ran ${queries.length} queries (budget ${QUERY_BUDGET}):\n${report(queries)}`);
  });
});
