import { STAFF_ROLES } from '../../src/auth/roles.js';
import { createUser, tokenFor } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { signInAs } from '../support/sessions.js';
import { listRoutes, type RouteInfo } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * "No request ever returns a 500 for something the client did": every route, called by someone
 * allowed to call it, with ids that are malformed or unknown and bodies that are junk, answers
 * with a 4xx (or success), never a 5xx.
 */
let t: TestApp;
let routes: RouteInfo[];
let token: string;
let cookie: string;

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  routes = listRoutes(t.app).filter((r) => !r.path.startsWith('/health'));
  const everyone = await createUser(t.db, { roles: [...STAFF_ROLES] });
  token = await tokenFor(t, everyone);
  cookie = await signInAs(t, everyone);
});
// Closing waits for this file's many requests to drain and drops its database: under a loaded CI
// run that took over the default 60 s once (alone it takes under a second).
afterAll(async () => {
  await t?.close();
}, 180_000);

const IDS = ['not-a-uuid', '00000000-0000-4000-8000-000000000000', '1', "x'; DROP TABLE users; --"];
const BODIES: unknown[] = [{}, { page: 'x', amountPence: 1.5, name: 12, roundId: 'nope' }, [], 'text'];
const fill = (path: string, id: string) => path.replace(/:[A-Za-z0-9_]+/g, encodeURIComponent(id));

/**
 * The routes are only known once the app runs, so each test takes its share of them (one of
 * PARTS): every route is called, and no single test grows with the number of routes.
 */
const API_PARTS = 8;
const PAGE_PARTS = 4;
const partOf = <T>(all: T[], part: number, parts: number): T[] => all.filter((_, i) => i % parts === part);
const parts = (n: number) => Array.from({ length: n }, (_, i) => [i + 1, n]);

describe('no route answers a client mistake with a server error', () => {
  it.each(parts(API_PARTS))('JSON API routes (part %i of %i)', async (part, of) => {
    const api = apiClient(t.url);
    const failures: string[] = [];
    for (const r of partOf(routes.filter((r) => r.path.startsWith('/api/')), part - 1, of)) {
      for (const id of r.path.includes(':') ? IDS : [IDS[0]]) {
        const bodies = ['GET', 'DELETE'].includes(r.method) ? [undefined] : BODIES;
        for (const body of bodies) {
          const res = await api.request(r.method, fill(r.path, id) + '?page=abc&status=nonsense', { token, body });
          if (res.status >= 500) failures.push(`${r.method} ${fill(r.path, id)} body=${JSON.stringify(body)} -> ${res.status} ${res.body?.code}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it.each(parts(PAGE_PARTS))('pages and forms (part %i of %i)', async (part, of) => {
    const page = await fetch(t.url + '/account', { headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const failures: string[] = [];
    for (const r of partOf(routes.filter((r) => !r.path.startsWith('/api/')), part - 1, of)) {
      for (const id of r.path.includes(':') ? IDS : [IDS[0]]) {
        const url = t.url + fill(r.path, id) + (r.method === 'GET' ? '?page=abc&status=nonsense&roundId=x' : '');
        const res =
          r.method === 'GET'
            ? await fetch(url, { headers: { cookie }, redirect: 'manual' })
            : await fetch(url, {
                method: r.method,
                headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
                body: `_csrf=${encodeURIComponent(csrf)}&amount=lots&version=abc&name=${'x'.repeat(5000)}&roles=wizard`,
                redirect: 'manual',
              });
        if (res.status >= 500) failures.push(`${r.method} ${fill(r.path, id)} -> ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
