import { STAFF_ROLES } from '../../src/auth/roles.js';
import { createUser, tokenFor } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { concretePath, listRoutes, type RouteInfo } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let routes: RouteInfo[];

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  routes = listRoutes(t.app);
});
afterAll(async () => {
  await t?.close();
});

const isApi = (r: RouteInfo) => r.path.startsWith('/api/');
const rulesOf = (r: RouteInfo) => r.rules ?? [];

describe('every route declares who may call it', () => {
  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThan(5);
  });

  it('has an @Access declaration on every route', () => {
    const undeclared = routes.filter((r) => !r.rules || r.rules.length === 0).map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(undeclared).toEqual([]);
  });

  it('uses only known rules', () => {
    const known = new Set(['public', 'user', ...STAFF_ROLES]);
    const unknown = routes.flatMap((r) => rulesOf(r).filter((rule) => !known.has(rule)).map((rule) => `${r.method} ${r.path}: ${rule}`));
    expect(unknown).toEqual([]);
  });

  it('gives anonymous callers 401 on every API route that needs a user', async () => {
    const api = apiClient(t.url);
    const failures: string[] = [];
    for (const r of routes.filter((r) => isApi(r) && !rulesOf(r).includes('public'))) {
      const res = await api.request(r.method, concretePath(r.path), { body: ['GET', 'DELETE'].includes(r.method) ? undefined : {} });
      if (res.status !== 401 || res.body?.code !== 'AUTH.REQUIRED') failures.push(`${r.method} ${r.path} -> ${res.status} ${res.body?.code}`);
    }
    expect(failures).toEqual([]);
  });

  it('gives applicants 403 on every staff-only API route', async () => {
    const applicant = await createUser(t.db);
    const token = await tokenFor(t, applicant);
    const api = apiClient(t.url);
    const failures: string[] = [];
    for (const r of routes.filter((r) => isApi(r) && !rulesOf(r).includes('public') && !rulesOf(r).includes('user'))) {
      const res = await api.request(r.method, concretePath(r.path), { token, body: ['GET', 'DELETE'].includes(r.method) ? undefined : {} });
      if (res.status !== 403 || res.body?.code !== 'ACCESS.FORBIDDEN') failures.push(`${r.method} ${r.path} -> ${res.status} ${res.body?.code}`);
    }
    expect(failures).toEqual([]);
  });

  it('gives the auditor only read access: 403 on every unsafe staff API route not declared for auditors', async () => {
    const auditor = await createUser(t.db, { roles: ['auditor'] });
    const token = await tokenFor(t, auditor);
    const api = apiClient(t.url);
    const unsafe = routes.filter((r) => isApi(r) && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    // No unsafe route may be open to the auditor.
    expect(unsafe.filter((r) => rulesOf(r).includes('auditor')).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const failures: string[] = [];
    for (const r of unsafe.filter((r) => !rulesOf(r).includes('public') && !rulesOf(r).includes('user'))) {
      const res = await api.request(r.method, concretePath(r.path), { token, body: r.method === 'DELETE' ? undefined : {} });
      if (res.status !== 403) failures.push(`${r.method} ${r.path} -> ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('sends anonymous browsers to sign in from staff pages', async () => {
    const pages = routes.filter((r) => !isApi(r) && r.method === 'GET' && !rulesOf(r).includes('public') && !r.path.startsWith('/health'));
    expect(pages.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const r of pages) {
      const res = await fetch(t.url + concretePath(r.path), { redirect: 'manual' });
      if (res.status !== 303 || res.headers.get('location') !== '/sign-in') failures.push(`${r.method} ${r.path} -> ${res.status} ${res.headers.get('location')}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('the queue dashboard', () => {
  it('is for administrators only', async () => {
    const anonymous = await fetch(t.url + '/admin/queues', { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/sign-in');
    const cookieFor = async (roles: ('administrator' | 'grants_officer')[]) => {
      const { signInAs } = await import('../support/sessions.js');
      return signInAs(t, await createUser(t.db, { roles }));
    };
    const officer = await fetch(t.url + '/admin/queues', { headers: { cookie: await cookieFor(['grants_officer']) }, redirect: 'manual' });
    expect(officer.status).toBe(403);
    const admin = await fetch(t.url + '/admin/queues', { headers: { cookie: await cookieFor(['administrator']) }, redirect: 'manual' });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('Queues');
  });
});
