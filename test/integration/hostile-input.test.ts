import { Writable } from 'node:stream';
import { STAFF_ROLES } from '../../src/auth/roles.js';
import { createPino } from '../../src/common/logger.js';
import { MAX_BODY_DEPTH } from '../../src/common/validation.js';
import { createUser, sessionCookieFor, tokenFor } from '../support/factories.js';
import { textOf } from '../support/form-client.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;
let token: string;
let cookie: string;

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  const staff = await createUser(t.db, { roles: [...STAFF_ROLES] });
  token = await tokenFor(t, staff);
  cookie = await sessionCookieFor(t, staff);
});
afterAll(async () => {
  await t?.close();
});

/** Every list with a text filter, in the API and on the staff pages, with the filter's name. */
const API_LISTS: [string, string][] = [
  ['/api/v1/organisations', 'name'],
  ['/api/v1/communications', 'to'],
  ['/api/v1/admin/users', 'q'],
  ['/api/v1/audit', 'entity'],
];
const PAGE_LISTS: [string, string][] = [
  ['/staff/organisations', 'name'],
  ['/staff/communications', 'to'],
  ['/admin/users', 'q'],
  ['/staff/audit', 'entity'],
];
const HOSTILE = ['%00', 'a%00b', '%01', '%1B%5B31m', '%7F'];

describe('control characters in query parameters', () => {
  it('are a 422 field error naming the parameter on every API list, never a 500', async () => {
    for (const [path, field] of API_LISTS) {
      expect([path, (await api.get(`${path}?${field}=plain`, { token })).status]).toEqual([path, 200]);
      for (const value of HOSTILE) {
        const res = await api.get(`${path}?${field}=${value}`, { token });
        expect([path, value, res.status, res.body.code]).toEqual([path, value, 422, 'VALIDATION.FAILED']);
        expect(res.body.errors).toEqual([expect.objectContaining({ field, code: 'FIELD.CONTROL_CHARACTER' })]);
      }
    }
  });

  it('are a 422 error page on the staff pages that list them', async () => {
    for (const [path, field] of PAGE_LISTS) {
      const ok = await fetch(`${t.url}${path}?${field}=plain`, { headers: { cookie, accept: 'text/html' } });
      expect([path, ok.status]).toEqual([path, 200]);
      for (const value of HOSTILE) {
        const res = await fetch(`${t.url}${path}?${field}=${value}`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
        expect([path, value, res.status]).toEqual([path, value, 422]);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(textOf(await res.text())).toContain(`${field} must not contain control characters`);
      }
    }
  });

  it('are refused in JSON body text too, while tabs and line breaks are kept', async () => {
    const res = await api.post('/api/v1/auth/register', { fullName: 'Nul\u0000Byte', email: 'nul@example.test', password: 'velvet lantern orchard' });
    expect([res.status, res.body.errors]).toEqual([422, [expect.objectContaining({ field: 'fullName', code: 'FIELD.CONTROL_CHARACTER' })]]);
    const fine = await api.post('/api/v1/auth/register', { fullName: 'Tab\tName', email: 'tab@example.test', password: 'velvet lantern orchard' });
    expect(fine.body?.errors ?? []).not.toEqual(expect.arrayContaining([expect.objectContaining({ code: 'FIELD.CONTROL_CHARACTER' })]));
  });
});

describe('deeply nested JSON', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it(`is refused with 400 beyond ${MAX_BODY_DEPTH} levels, before validation, on anonymous sign-in and registration`, async () => {
    for (const path of ['/api/v1/auth/token', '/api/v1/auth/register', '/api/v1/auth/password-reset']) {
      for (const raw of [`{"email":${nested(5000)},"password":"x"}`, nestedObject(5000), `{"email":"a@b.test","password":${nestedObject(MAX_BODY_DEPTH + 1)}}`]) {
        expect(raw.length).toBeLessThan(40_000); // a small body: the depth, not the size, is refused
        const res = await api.request('POST', path, { raw });
        expect([path, res.status, res.body.code]).toEqual([path, 400, 'REQUEST.TOO_DEEP']);
      }
    }
    // A body of ordinary depth still reaches validation.
    const shallow = await api.request('POST', '/api/v1/auth/token', { raw: `{"email":${nested(3)},"password":"x"}` });
    expect(shallow.status).toBe(422);
  });
});

describe('CSRF tokens and single-use tokens in request logs', () => {
  it('are redacted from the URL of every logged request', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createPino('info', sink);
    const secret = 'A1b2C3d4E5f6G7h8';
    for (const url of [`/applications/x/attachments?_csrf=${secret}`, `/reset-password?token=${secret}&x=1`, `/verify-email?token=${secret}`]) {
      logger.info({ req: { method: 'POST', url, socket: { remoteAddress: '127.0.0.1' } } }, 'incoming request');
    }
    const logged = lines.join('');
    expect(logged).not.toContain(secret);
    expect(logged).toContain('_csrf=[redacted]');
    expect(logged).toContain('token=[redacted]&x=1');
  });

  it('the CSRF token in the URL is no longer accepted (so pages never put it there)', async () => {
    const page = await fetch(`${t.url}/account`, { headers: { cookie } });
    const html = await page.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    expect(csrf).toBeDefined();
    const res = await fetch(`${t.url}/sign-out?_csrf=${encodeURIComponent(csrf!)}`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(res.status).toBe(403);
  });
});
