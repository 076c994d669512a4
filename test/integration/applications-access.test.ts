import { createOrganisation, createUser, tokenFor } from '../support/factories.js';
import { completeApplication, createOpenRound, startApplication, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { listRoutes } from '../support/routes.js';
import { signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Who can reach a bid: for every application and budget-line route, another organisation's
 * applicant gets 404 and an anonymous caller 401; nobody else's bid appears in a list or export.
 */

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let ownerToken: string;
let strangerToken: string;
let officerToken: string;
let app: any;
let lineId: string;
let strangerUser: { id: string };

/** A body that would pass validation for each route, so a refusal is about access, not the body. */
const BODIES: Record<string, (version: number) => unknown> = {
  'POST /api/v1/applications/:id/budget-lines': () => ({ item: 'Stolen line', category: 'other', amountPence: 100 }),
  'PATCH /api/v1/applications/:id/budget-lines/:lineId': () => ({ version: 1, item: 'Changed by a stranger' }),
  'PATCH /api/v1/applications/:id': (version) => ({ version, projectTitle: 'Changed by a stranger' }),
  'PUT /api/v1/applications/:id/sections/:key': () => ({ answers: {}, version: 1 }),
  'POST /api/v1/applications/:id/submit': () => ({ declaration: { name: 'Stranger', confirmed: true } }),
  'POST /api/v1/applications/:id/withdraw': () => ({ reason: 'Sabotage' }),
};

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  const owner = await createUser(t.db);
  ownerToken = await tokenFor(t, owner);
  const org = await createOrganisation(t.db, owner, { name: 'Owner Group' });
  app = await startApplication(api, ownerToken, round, org.id);
  await completeApplication(api, ownerToken, round, app.id);
  app = (await api.get(`/api/v1/applications/${app.id}`, { token: ownerToken })).body;
  lineId = app.budgetLines[0].id;
  strangerUser = await createUser(t.db);
  strangerToken = await tokenFor(t, strangerUser);
  await createOrganisation(t.db, strangerUser, { name: 'Stranger Group' });
  officerToken = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
});
afterAll(async () => {
  await t?.close();
});

function applicationRoutes() {
  return listRoutes(t.app).filter((r) => r.path.startsWith('/api/v1/applications/:id'));
}

const concrete = (path: string) => path.replace(':id', app.id).replace(':lineId', lineId).replace(':key', 'need');

describe('every application and budget-line API route', () => {
  it('covers the routes the brief names', () => {
    const names = applicationRoutes().map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /api/v1/applications/:id',
        'PATCH /api/v1/applications/:id',
        'PUT /api/v1/applications/:id/sections/:key',
        'GET /api/v1/applications/:id/budget-lines',
        'POST /api/v1/applications/:id/budget-lines',
        'PATCH /api/v1/applications/:id/budget-lines/:lineId',
        'DELETE /api/v1/applications/:id/budget-lines/:lineId',
        'POST /api/v1/applications/:id/submit',
        'POST /api/v1/applications/:id/withdraw',
        'GET /api/v1/applications/:id/history',
      ]),
    );
  });

  it('another organisation’s applicant gets 404 and changes nothing', async () => {
    const before = await t.db.query(`SELECT status, version, project_title, amount_requested_pence FROM applications WHERE id = $1`, [app.id]);
    const checked: string[] = [];
    for (const route of applicationRoutes()) {
      // Attachment routes belong to the attachments domain and are tested there.
      if (route.path.includes('/attachments')) continue;
      // Staff-only routes (screening) refuse applicants by role (403) before any id is looked at: the access matrix covers them.
      if (!route.rules?.includes('user')) continue;
      // Assessment's officer-only routes refuse by role before any bid is looked up (403 whatever the id): in the access matrix.
      if (/\/(assignments|moderation)/.test(route.path)) continue;
      const key = `${route.method} ${route.path}`;
      const path = concrete(route.path) + (route.method === 'DELETE' ? '?version=1' : '');
      const res = await api.request(route.method, path, { token: strangerToken, body: BODIES[key]?.(app.version) });
      expect([key, res.status, res.body.code]).toEqual([key, 404, expect.stringMatching(/NOT_FOUND$/)]);
      checked.push(key);
    }
    expect(checked.length).toBeGreaterThanOrEqual(10);
    const after = await t.db.query(`SELECT status, version, project_title, amount_requested_pence FROM applications WHERE id = $1`, [app.id]);
    expect(after).toEqual(before);
    expect(await t.db.query(`SELECT item FROM budget_lines WHERE application_id = $1`, [app.id])).toEqual([{ item: 'Youth worker sessions' }]);
  });

  it('an anonymous caller gets 401', async () => {
    for (const route of applicationRoutes()) {
      const key = `${route.method} ${route.path}`;
      const res = await api.request(route.method, concrete(route.path), { body: BODIES[key]?.(app.version) });
      expect([key, res.status]).toEqual([key, 401]);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect((await api.get('/api/v1/applications')).status).toBe(401);
    expect((await api.post('/api/v1/applications', { roundId: round.roundId, potId: round.pots[0].id, organisationId: app.organisation.id })).status).toBe(401);
  });

  it('a grants officer reads a bid but cannot edit it for the organisation (403)', async () => {
    expect((await api.get(`/api/v1/applications/${app.id}`, { token: officerToken })).status).toBe(200);
    const edit = await api.patch(`/api/v1/applications/${app.id}`, { version: app.version, projectTitle: 'Officer edit' }, { token: officerToken });
    expect(edit.status).toBe(403);
    expect(edit.body.code).toBe('APPLICATION.MEMBERS_ONLY');
  });

  it('another organisation’s budget line is 404 even on your own application', async () => {
    const mineOrg = (await t.db.query(`SELECT organisation_id FROM organisation_members WHERE user_id = $1`, [strangerUser.id]))[0].organisation_id;
    const mine = await startApplication(api, strangerToken, round, mineOrg);
    const res = await api.patch(`/api/v1/applications/${mine.id}/budget-lines/${lineId}`, { version: 1, item: 'Moved' }, { token: strangerToken });
    expect(res.status).toBe(404);
    expect((await api.delete(`/api/v1/applications/${mine.id}/budget-lines/${lineId}?version=1`, { token: strangerToken })).status).toBe(404);
    expect((await api.get(`/api/v1/applications/${mine.id}/budget-lines/${lineId}`, { token: strangerToken })).status).toBe(404);
  });
});

describe('lists, dashboards and exports', () => {
  it('a bid never appears in another organisation’s list or dashboard', async () => {
    const theirs = await api.get('/api/v1/applications?pageSize=200', { token: strangerToken });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.map((i: any) => i.id)).not.toContain(app.id);
    const filtered = await api.get(`/api/v1/applications?organisationId=${app.organisation.id}`, { token: strangerToken });
    expect(filtered.body).toMatchObject({ items: [], total: 0 });
    const cookie = await signInAs(t, strangerUser);
    const dashboard = await fetch(`${t.url}/dashboard`, { headers: { cookie } });
    expect(dashboard.status).toBe(200);
    const html = await dashboard.text();
    expect(html).not.toContain(app.id);
    expect(html).not.toContain('Safe evenings for young people');
    const mine = await api.get('/api/v1/applications', { token: ownerToken });
    expect(mine.body.items.map((i: any) => i.id)).toContain(app.id);
  });

  it('staff routes refuse applicants (403) and anonymous callers (401)', async () => {
    const csv = `/api/v1/rounds/${round.roundId}/applications.csv`;
    expect((await api.get(csv, { token: ownerToken })).status).toBe(403);
    expect((await api.get(csv)).status).toBe(401);
    const cookie = await signInAs(t, strangerUser);
    for (const path of ['/staff/applications', `/staff/applications/${app.id}`, `/staff/rounds/${round.roundId}/applications.csv`]) {
      const res = await fetch(t.url + path, { headers: { cookie }, redirect: 'manual' });
      expect([path, res.status]).toEqual([path, 403]);
      const anon = await fetch(t.url + path, { redirect: 'manual' });
      expect([path, anon.status, anon.headers.get('location')]).toEqual([path, 303, '/sign-in']);
    }
  });

  it('the CSV export holds the round’s bids only, in pounds and pence, with formula cells defused', async () => {
    // A submitted bid from an organisation whose name a spreadsheet would run as a formula.
    const evil = await createUser(t.db);
    const evilToken = await tokenFor(t, evil);
    const evilOrg = await createOrganisation(t.db, evil, { name: '=HYPERLINK("http://evil.test","Click")' });
    const evilApp = await startApplication(api, evilToken, round, evilOrg.id);
    await completeApplication(api, evilToken, round, evilApp.id, 123456);
    await api.patch(`/api/v1/applications/${evilApp.id}`, { version: (await api.get(`/api/v1/applications/${evilApp.id}`, { token: evilToken })).body.version, projectTitle: '@SUM(1+1)' }, { token: evilToken });
    await t.db.query(`UPDATE application_sections SET status = 'completed' WHERE application_id = $1`, [evilApp.id]);
    const submitted = await api.post(`/api/v1/applications/${evilApp.id}/submit`, { declaration: { name: 'E', confirmed: true } }, { token: evilToken });
    expect(submitted.status).toBe(200);
    const owners = await api.post(`/api/v1/applications/${app.id}/submit`, { declaration: { name: 'Owner', confirmed: true } }, { token: ownerToken });
    expect(owners.status).toBe(200);
    // A bid in another round must not appear.
    const other = await createOpenRound(t.db);
    const otherApp = await startApplication(api, evilToken, other, evilOrg.id);
    await completeApplication(api, evilToken, other, otherApp.id);
    await api.post(`/api/v1/applications/${otherApp.id}/submit`, { declaration: { name: 'E', confirmed: true } }, { token: evilToken });
    // A draft in this round must not appear either.
    const draft = await startApplication(api, ownerToken, round, app.organisation.id);

    const res = await api.get(`/api/v1/rounds/${round.roundId}/applications.csv`, { token: officerToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toContain(`${round.roundCode}-applications.csv`);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('reference,organisation,org_id,pot,status,project_title,amount_requested_pounds,amount_requested_pence,districts,priorities,submitted_at');
    expect(lines).toHaveLength(3);
    const body = lines.slice(1).join('\n');
    expect(body).toContain(owners.body.reference);
    expect(body).toContain(submitted.body.reference);
    expect(body).not.toContain(otherApp.id);
    expect(body).not.toContain(draft.id);
    expect(body).not.toContain(other.prefix);
    expect(body).toContain(`"'=HYPERLINK(""http://evil.test"",""Click"")"`);
    expect(body).toContain(`'@SUM(1+1)`);
    expect(body).toContain('1234.56,123456');
    expect(body).toContain('2500.50,250050');
    expect(body).toMatch(/Leeds [A-Z0-9]+/);
    expect(body).toContain('Anti-social Behaviour');
    expect((await api.get(`/api/v1/rounds/00000000-0000-4000-8000-000000000000/applications.csv`, { token: officerToken })).status).toBe(404);
  });
});
