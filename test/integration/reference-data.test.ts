import { createUser, sessionCookieFor, tokenFor } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;
let admin: string;
let officer: string;
let auditor: string;
let applicant: string;
let adminUser: { id: string };

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  adminUser = await createUser(t.db, { roles: ['administrator'] });
  admin = await tokenFor(t, adminUser);
  officer = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
  auditor = await tokenFor(t, await createUser(t.db, { roles: ['auditor'] }));
  applicant = await tokenFor(t, await createUser(t.db));
});
afterAll(async () => {
  await t?.close();
});

const auditCount = async (entityType: string, entityId: string) =>
  Number((await t.db.query(`SELECT count(*) AS n FROM audit_events WHERE entity_type = $1 AND entity_id = $2`, [entityType, entityId]))[0].n);

describe('outcomes and priorities', () => {
  let outcomeId: string;

  it('an administrator adds an outcome and a priority under it, both audited', async () => {
    const outcome = await api.post('/api/v1/outcomes', { code: 'safeguard-vulnerable-people', name: 'Safeguard vulnerable people', position: 1 }, { token: admin });
    expect(outcome.status).toBe(201);
    expect(outcome.body).toMatchObject({ code: 'safeguard-vulnerable-people', name: 'Safeguard vulnerable people', position: 1 });
    outcomeId = outcome.body.id;

    const priority = await api.post(
      '/api/v1/priorities',
      { code: 'human-trafficking-modern-slavery', name: 'Human Trafficking and Modern Slavery', outcomeId },
      { token: admin },
    );
    expect(priority.status).toBe(201);
    expect(priority.body).toMatchObject({ active: true, outcome: { id: outcomeId, name: 'Safeguard vulnerable people' } });
    expect(await auditCount('outcome', outcomeId)).toBe(1);
    expect(await auditCount('priority', priority.body.id)).toBe(1);
  });

  it('anyone can list priorities with their outcome, and outcomes with their priorities', async () => {
    const list = await api.get('/api/v1/priorities');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ code: 'human-trafficking-modern-slavery', outcome: { code: 'safeguard-vulnerable-people' } });
    const outcomes = await api.get('/api/v1/outcomes');
    expect(outcomes.body.items[0].priorities.map((p: { code: string }) => p.code)).toEqual(['human-trafficking-modern-slavery']);
  });

  it('refuses a duplicate code with 409 and changes nothing', async () => {
    const res = await api.post('/api/v1/priorities', { code: 'human-trafficking-modern-slavery', name: 'Again', outcomeId }, { token: admin });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'PRIORITY.CODE_TAKEN', errors: [{ field: 'code' }] });
    expect((await api.get('/api/v1/priorities')).body.total).toBe(1);
    const dupOutcome = await api.post('/api/v1/outcomes', { code: 'safeguard-vulnerable-people', name: 'x' }, { token: admin });
    expect(dupOutcome.status).toBe(409);
    expect(dupOutcome.body.code).toBe('OUTCOME.CODE_TAKEN');
  });

  it('refuses an unknown outcome, a bad code, wrong types and unknown fields with 422 field codes', async () => {
    const unknownOutcome = await api.post('/api/v1/priorities', { code: 'cyber-crime', name: 'Cyber Crime', outcomeId: '00000000-0000-4000-8000-000000000000' }, { token: admin });
    expect(unknownOutcome.status).toBe(422);
    expect(unknownOutcome.body.errors).toEqual([expect.objectContaining({ field: 'outcomeId', code: 'PRIORITY.UNKNOWN_OUTCOME' })]);

    const bad = await api.post('/api/v1/priorities', { code: 'Cyber Crime!', name: 7, outcomeId: 'nope', active: 'yes', colour: 'red' }, { token: admin });
    expect(bad.status).toBe(422);
    const codes = bad.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`);
    expect(codes).toEqual(
      expect.arrayContaining(['code:FIELD.INVALID_FORMAT', 'name:FIELD.NOT_A_STRING', 'active:FIELD.NOT_A_BOOLEAN', 'colour:FIELD.UNKNOWN_FIELD']),
    );
    // class-validator 0.15 names the UUID rule isUuid; the shared map may call it INVALID_ID.
    expect(codes.find((c: string) => c.startsWith('outcomeId:'))).toMatch(/^outcomeId:FIELD\.(INVALID_ID|IS_UUID)$/);
    const long = await api.post('/api/v1/outcomes', { code: 'x', name: 'n'.repeat(201) }, { token: admin });
    expect(long.status).toBe(422);
    expect(long.body.errors[0]).toMatchObject({ field: 'name', code: 'FIELD.TOO_LONG' });
    expect((await api.get('/api/v1/priorities')).body.total).toBe(1);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await api.request('POST', '/api/v1/outcomes', { token: admin, raw: '{"code": ' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('REQUEST.MALFORMED_JSON');
  });

  it('makes a priority inactive: hidden from the default list, shown with includeInactive', async () => {
    const [p] = (await api.get('/api/v1/priorities')).body.items;
    const res = await api.patch(`/api/v1/priorities/${p.id}`, { active: false, name: 'Human trafficking and modern slavery' }, { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: false, name: 'Human trafficking and modern slavery', code: p.code });
    expect((await api.get('/api/v1/priorities')).body.total).toBe(0);
    expect((await api.get('/api/v1/priorities?includeInactive=true')).body.total).toBe(1);
    const [event] = await t.db.query(`SELECT before, after, actor_label FROM audit_events WHERE entity_type = 'priority' AND action = 'priority.updated'`);
    expect(event.before).toMatchObject({ active: true });
    expect(event.after).toMatchObject({ active: false });
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await api.patch('/api/v1/priorities/00000000-0000-4000-8000-000000000000', { name: 'x' }, { token: admin })).body.code).toBe('PRIORITY.NOT_FOUND');
    expect((await api.patch('/api/v1/outcomes/not-an-id', { name: 'x' }, { token: admin })).status).toBe(404);
    expect((await api.get('/api/v1/districts/not-an-id')).status).toBe(404);
  });
});

describe('districts', () => {
  it('an administrator adds a district by GSS code; anyone lists them', async () => {
    const res = await api.post('/api/v1/districts', { gssCode: 'E08000035', name: 'Leeds' }, { token: admin });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ gssCode: 'E08000035', name: 'Leeds', active: true });
    expect(await auditCount('district', res.body.id)).toBe(1);
    const list = await api.get('/api/v1/districts');
    expect(list.body.items.map((d: { gssCode: string }) => d.gssCode)).toContain('E08000035');
  });

  it('refuses a malformed GSS code and a duplicate one', async () => {
    for (const gssCode of ['E0800003', 'X08000035', 'e08000035', 'E08000035 ', 8000035]) {
      const res = await api.post('/api/v1/districts', { gssCode, name: 'Somewhere' }, { token: admin });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('gssCode');
    }
    const dup = await api.post('/api/v1/districts', { gssCode: 'E08000035', name: 'Leeds again' }, { token: admin });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('DISTRICT.GSS_CODE_TAKEN');
  });
});

describe('who may change reference data', () => {
  it('refuses anonymous callers (401), applicants, grants officers and the auditor (403)', async () => {
    const body = { gssCode: 'E08000036', name: 'Wakefield' };
    expect((await api.post('/api/v1/districts', body)).status).toBe(401);
    for (const token of [applicant, officer, auditor]) {
      const res = await api.post('/api/v1/districts', body, { token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ACCESS.FORBIDDEN');
    }
    const [{ id }] = (await api.get('/api/v1/districts')).body.items;
    expect((await api.patch(`/api/v1/districts/${id}`, { name: 'x' }, { token: officer })).status).toBe(403);
    expect((await api.get('/api/v1/districts')).body.items.map((d: { gssCode: string }) => d.gssCode)).not.toContain('E08000036');
  });
});

describe('reference data pages', () => {
  async function page(path: string, cookie?: string) {
    const res = await fetch(t.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
  async function post(path: string, cookie: string, fields: Record<string, string>) {
    const form = await page(path, cookie);
    const body = new URLSearchParams({ ...fields, _csrf: csrfOf(form.html) });
    const res = await fetch(t.url + path, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  it('shows outcomes, priorities and districts to an administrator', async () => {
    const cookie = await sessionCookieFor(t, adminUser);
    const res = await page('/admin/reference-data', cookie);
    expect(res.status).toBe(200);
    expect(res.html).toContain('Safeguard vulnerable people');
    expect(res.html).toContain('E08000035');
  });

  it('adds a district through the form, with the error summary for a bad GSS code', async () => {
    const cookie = await sessionCookieFor(t, adminUser);
    const bad = await post('/admin/reference-data/districts/new', cookie, { name: 'Calderdale', gssCode: 'E0800003X', active: 'yes' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('govuk-error-summary');
    expect(bad.html).toContain('href="#gssCode"');
    expect(bad.html).toContain('value="Calderdale"');

    const good = await post('/admin/reference-data/districts/new', cookie, { name: 'Calderdale', gssCode: 'e08000033', active: 'yes' });
    expect(good.status).toBe(303);
    expect(good.location).toBe('/admin/reference-data');
    expect((await api.get('/api/v1/districts')).body.items.map((d: { gssCode: string }) => d.gssCode)).toContain('E08000033');
  });

  it('refuses the pages to applicants and sends anonymous people to sign in', async () => {
    const applicantUser = await createUser(t.db);
    expect((await page('/admin/reference-data', await sessionCookieFor(t, applicantUser))).status).toBe(403);
    const anonymous = await page('/admin/reference-data/districts/new');
    expect(anonymous.status).toBe(303);
    expect(anonymous.location).toBe('/sign-in');
  });

  it('lets the auditor read the page but not change anything', async () => {
    const auditorUser = await createUser(t.db, { roles: ['auditor'] });
    const cookie = await sessionCookieFor(t, auditorUser);
    const res = await page('/admin/reference-data', cookie);
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('Add a district');
    expect((await page('/admin/reference-data/districts/new', cookie)).status).toBe(403);
  });
});
