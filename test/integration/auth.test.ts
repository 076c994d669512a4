import type { Redis } from 'ioredis';
import { SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_IP_LIMIT, SIGN_IN_WINDOW_SECONDS } from '../../src/auth/sign-in-throttle.js';
import { createRedis } from '../../src/queue/redis.js';
import { createUser, TEST_PASSWORD, tokenFor, uniqueEmail } from '../support/factories.js';
import { csrfTokenIn, errorSummaryOf, FormClient, textOf } from '../support/form-client.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Signing in and out, sessions (regeneration, idle and absolute timeouts), throttling, CSRF and
 * bearer tokens, over real HTTP with the real session store and Redis.
 */
let t: TestApp;
let api: ApiClient;
let redis: Redis;

beforeAll(async () => {
  // A generous bound on Redis calls: on a loaded machine a timed-out call is counted in the process only.
  t = await startTestApp({ workers: false, env: { REDIS_REQUEST_TIMEOUT_MS: '5000' } });
  api = apiClient(t.url);
  redis = createRedis(t.config.redisUrl);
});
afterAll(async () => {
  redis?.disconnect();
  await t?.close();
});

/** Forgets every sign-in failure counted so far (the window "ends"). */
async function clearThrottle(): Promise<void> {
  const keys = await redis.keys(`${t.config.queuePrefix}:sign-in:*`);
  if (keys.length) await redis.del(...keys);
}

const SID = 'scf.sid';
const sidOf = (cookie: string | undefined) => decodeURIComponent(cookie ?? '').split('.')[0];

describe('sign in', () => {
  beforeEach(clearThrottle);

  it('has a form with labelled fields and the right autocomplete attributes', async () => {
    const page = await new FormClient(t.url).get('/sign-in');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<label class="govuk-label" for="email">\s*Email address\s*<\/label>/);
    expect(page.html).toMatch(/<input[^>]*id="email"[^>]*type="email"[^>]*autocomplete="email"/);
    expect(page.html).toMatch(/<input[^>]*id="password"[^>]*type="password"[^>]*autocomplete="current-password"/);
    expect(page.html).toContain('href="/forgot-password"');
    expect(page.html).toContain('href="/register"');
    expect(csrfTokenIn(page.html)).toBeTruthy();
  });

  it('gives one generic error for a wrong password and for an unknown email', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    const wrong = await browser.submit('/sign-in', { email: user.email, password: 'not the password at all' });
    const unknown = await browser.submit('/sign-in', { email: uniqueEmail('nobody'), password: TEST_PASSWORD });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(errorSummaryOf(res.html)).toEqual(['Enter a correct email address and password']);
      expect(res.html).toContain('<a href="#email">');
    }
    expect(browser.cookie(SID)).toBeDefined();
    expect((await browser.get('/account')).location).toBe('/sign-in');

    const apiWrong = await api.post('/api/v1/auth/token', { email: user.email, password: 'not the password at all' });
    const apiUnknown = await api.post('/api/v1/auth/token', { email: uniqueEmail('nobody'), password: TEST_PASSWORD });
    for (const res of [apiWrong, apiUnknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS', detail: 'Enter a correct email address and password' });
    }
  });

  it('asks for missing fields without counting a failure', async () => {
    const res = await new FormClient(t.url).submit('/sign-in', { email: '', password: '' });
    expect(res.status).toBe(422);
    expect(errorSummaryOf(res.html)).toEqual(['Enter your email address', 'Enter your password']);
    expect(await redis.keys(`${t.config.queuePrefix}:sign-in:*`)).toEqual([]);
  });

  it('gives a new session id at sign-in and sends the person to their home page', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.get('/sign-in');
    const before = browser.cookie(SID);
    expect(before).toBeDefined();
    const res = await browser.signIn(user.email.toUpperCase(), TEST_PASSWORD);
    expect(res.location).toBe('/dashboard');
    const after = browser.cookie(SID);
    expect(after).toBeDefined();
    expect(sidOf(after)).not.toBe(sidOf(before));
    // The old session id is gone from the store; the new one belongs to the person.
    expect(await t.db.query(`SELECT sid FROM sessions WHERE sid = $1`, [sidOf(before)])).toEqual([]);
    const [row] = await t.db.query(`SELECT user_id, data FROM sessions WHERE sid = $1`, [sidOf(after)]);
    expect(row.user_id).toBe(user.id);
    expect(Math.abs(row.data.signedInAt - Date.now())).toBeLessThan(60_000);
    expect((await browser.get('/account')).status).toBe(200);
  });

  it('sends staff to their own home page', async () => {
    const officer = await createUser(t.db, { roles: ['grants_officer'] });
    const admin = await createUser(t.db, { roles: ['administrator'] });
    const finance = await createUser(t.db, { roles: ['finance_officer'] });
    expect((await new FormClient(t.url).signIn(officer.email, TEST_PASSWORD)).location).toBe('/staff/applications');
    expect((await new FormClient(t.url).signIn(admin.email, TEST_PASSWORD)).location).toBe('/admin/users');
    expect((await new FormClient(t.url).signIn(finance.email, TEST_PASSWORD)).location).toBe('/account');
  });

  it('returns the person to the page they asked for', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    const asked = await browser.get('/account/password');
    expect([asked.status, asked.location]).toEqual([303, '/sign-in']);
    const res = await browser.signIn(user.email, TEST_PASSWORD);
    expect(res.location).toBe('/account/password');
    // Signed in, the sign-in page sends them on.
    expect((await browser.get('/sign-in')).location).toBe('/dashboard');
  });

  it('refuses a disabled account even with the right password', async () => {
    const user = await createUser(t.db);
    await t.db.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [user.id]);
    const res = await new FormClient(t.url).submit('/sign-in', { email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(403);
    expect(errorSummaryOf(res.html)[0]).toMatch(/Your account has been disabled/);
    const apiRes = await api.post('/api/v1/auth/token', { email: user.email, password: TEST_PASSWORD });
    expect([apiRes.status, apiRes.body.code]).toEqual([403, 'AUTH.ACCOUNT_DISABLED']);
    // A wrong password for a disabled account says nothing about it.
    const wrong = await api.post('/api/v1/auth/token', { email: user.email, password: 'wrong password here' });
    expect(wrong.body.code).toBe('AUTH.INVALID_CREDENTIALS');
  });

  it('refuses an invited person who has not set a password yet, with the generic error', async () => {
    const [row] = await t.db.query(`INSERT INTO users (email, full_name, roles) VALUES ($1, 'Invited', '{assessor}') RETURNING id`, [uniqueEmail('inv')]);
    const [{ email }] = await t.db.query(`SELECT email FROM users WHERE id = $1`, [row.id]);
    const res = await api.post('/api/v1/auth/token', { email, password: 'anything at all here' });
    expect([res.status, res.body.code]).toEqual([401, 'AUTH.INVALID_CREDENTIALS']);
  });
});

describe('sign out and session timeouts', () => {
  beforeEach(clearThrottle);

  it('signing out ends the session: the old cookie no longer works', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);
    const cookie = browser.cookie(SID)!;
    const res = await browser.signOut();
    expect([res.status, res.location]).toEqual([303, '/signed-out']);
    expect(textOf((await browser.follow(res)).html)).toContain('You have signed out');
    expect(await t.db.query(`SELECT sid FROM sessions WHERE sid = $1`, [sidOf(cookie)])).toEqual([]);

    const replay = new FormClient(t.url);
    replay.setCookie(SID, cookie);
    const page = await replay.get('/account');
    expect([page.status, page.location]).toEqual([303, '/sign-in']);
  });

  it('refuses sign-out without the CSRF token, and the session goes on', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);
    const res = await browser.post('/sign-out', {});
    expect(res.status).toBe(403);
    expect(textOf(res.html)).toContain('The form has expired or was not sent from this service');
    expect((await browser.get('/account')).status).toBe(200);
  });

  it('is rolling: each request moves the idle expiry on', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);
    await t.db.query(`UPDATE sessions SET expires_at = now() + interval '2 minutes' WHERE user_id = $1`, [user.id]);
    expect((await browser.get('/account')).status).toBe(200);
    const [{ expires_at }] = await t.db.query(`SELECT expires_at FROM sessions WHERE user_id = $1`, [user.id]);
    expect(new Date(expires_at).getTime() - Date.now()).toBeGreaterThan((t.config.sessionIdleSeconds - 60) * 1000);
  });

  it('ends a session idle for longer than the idle timeout', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);
    await t.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    const res = await browser.get('/account');
    expect([res.status, res.location]).toEqual([303, '/sign-in']);
    // The expired row is left for housekeeping; nothing live belongs to the person.
    expect(await t.db.query(`SELECT sid FROM sessions WHERE user_id = $1 AND expires_at > now()`, [user.id])).toEqual([]);
  });

  it('ends a session older than the absolute timeout, however active, and lets the person sign in again', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);
    const old = Date.now() - t.config.sessionAbsoluteSeconds * 1000 - 1000;
    await t.db.query(`UPDATE sessions SET data = jsonb_set(data, '{signedInAt}', to_jsonb($2::bigint)) WHERE user_id = $1`, [user.id, old]);
    const res = await browser.get('/account');
    expect([res.status, res.location]).toEqual([303, '/sign-in']);
    expect(await t.db.query(`SELECT sid FROM sessions WHERE user_id = $1`, [user.id])).toEqual([]);
    // The same browser can sign straight back in (its sign-in form carries a working CSRF token)
    // and lands where it was going.
    const again = await browser.signIn(user.email, TEST_PASSWORD);
    expect(again.location).toBe('/account');
    expect((await browser.get('/account')).status).toBe(200);
  });
});

describe('throttling', () => {
  beforeEach(clearThrottle);
  afterAll(clearThrottle);

  it(`locks an account after ${SIGN_IN_ACCOUNT_LIMIT} failures, even for the right password, page and API alike`, async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    for (let i = 0; i < SIGN_IN_ACCOUNT_LIMIT; i++) {
      const res = await browser.submit('/sign-in', { email: user.email, password: `wrong password ${i}` });
      expect(res.status).toBe(401);
    }
    const page = await browser.submit('/sign-in', { email: user.email, password: TEST_PASSWORD });
    expect(page.status).toBe(429);
    expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(SIGN_IN_WINDOW_SECONDS - 60);
    expect(Number(page.headers.get('retry-after'))).toBeLessThanOrEqual(SIGN_IN_WINDOW_SECONDS);
    expect(errorSummaryOf(page.html)[0]).toMatch(/too many attempts to sign in\. Wait 15 minutes/);
    expect((await browser.get('/account')).location).toBe('/sign-in');

    const viaApi = await api.post('/api/v1/auth/token', { email: user.email.toUpperCase(), password: TEST_PASSWORD });
    expect(viaApi.status).toBe(429);
    expect(viaApi.body.code).toBe('AUTH.TOO_MANY_ATTEMPTS');
    expect(Number(viaApi.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(viaApi.body.retryAfterSeconds).toBe(Number(viaApi.headers.get('retry-after')));

    // Someone else signing in from the same address is not affected.
    const other = await createUser(t.db);
    expect((await api.post('/api/v1/auth/token', { email: other.email, password: TEST_PASSWORD })).status).toBe(201);

    // When the window ends, the right password works again.
    await clearThrottle();
    expect((await api.post('/api/v1/auth/token', { email: user.email, password: TEST_PASSWORD })).status).toBe(201);
  });

  it('clears the account count on a successful sign-in', async () => {
    const user = await createUser(t.db);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < SIGN_IN_ACCOUNT_LIMIT - 1; i++) {
        expect((await api.post('/api/v1/auth/token', { email: user.email, password: `wrong ${i} xxxxxxxx` })).status).toBe(401);
      }
      expect((await api.post('/api/v1/auth/token', { email: user.email, password: TEST_PASSWORD })).status).toBe(201);
    }
  });

  it(`limits one IP address to ${SIGN_IN_IP_LIMIT} failures, whichever accounts they try (X-Forwarded-For is ignored without TRUST_PROXY)`, async () => {
    for (let batch = 0; batch < SIGN_IN_IP_LIMIT; batch += 10) {
      const results = await Promise.all(
        Array.from({ length: Math.min(10, SIGN_IN_IP_LIMIT - batch) }, (_, i) =>
          api.post('/api/v1/auth/token', { email: uniqueEmail(`spray${batch + i}`), password: 'spray password attempt' }, { headers: { 'x-forwarded-for': `203.0.113.${batch + i}` } }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(results.map(() => 401));
    }
    const user = await createUser(t.db);
    const blocked = await api.post('/api/v1/auth/token', { email: user.email, password: TEST_PASSWORD });
    expect([blocked.status, blocked.body.code]).toEqual([429, 'AUTH.TOO_MANY_ATTEMPTS']);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    const page = await new FormClient(t.url).submit('/sign-in', { email: user.email, password: TEST_PASSWORD });
    expect(page.status).toBe(429);
  }, 180_000);

  it('counts wrong current passwords on the change-password page too', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);
    for (let i = 0; i < SIGN_IN_ACCOUNT_LIMIT; i++) {
      const res = await browser.submit('/account/password', { currentPassword: `guess number ${i}`, newPassword: 'velvet lantern orchard' });
      expect(res.status).toBe(422);
    }
    const res = await browser.submit('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'velvet lantern orchard' });
    expect(res.status).toBe(429);
    expect((await api.post('/api/v1/auth/token', { email: user.email, password: TEST_PASSWORD })).status).toBe(429);
  });
});

describe('CSRF', () => {
  beforeEach(clearThrottle);

  it('refuses a form posted without the token or with a wrong one, and changes nothing', async () => {
    const email = uniqueEmail('csrf');
    const browser = new FormClient(t.url);
    await browser.get('/register');
    const fields = { fullName: 'No Token', email, password: 'velvet lantern orchard' };
    const none = await browser.post('/register', fields);
    expect(none.status).toBe(403);
    expect(textOf(none.html)).toContain('The form has expired or was not sent from this service');
    const wrong = await browser.post('/register', { ...fields, _csrf: 'forged-token' });
    expect(wrong.status).toBe(403);
    // No session at all (a cross-site post from a fresh browser) is refused too.
    const stranger = await new FormClient(t.url).post('/register', { ...fields, _csrf: 'forged-token' });
    expect(stranger.status).toBe(403);
    expect(await t.db.query(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
  });

  it('refuses a password change without the token', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);
    const [{ password_hash: before }] = await t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
    const res = await browser.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'velvet lantern orchard' });
    expect(res.status).toBe(403);
    const [{ password_hash: after }] = await t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [user.id]);
    expect(after).toBe(before);
  });

  it('the JSON API ignores session cookies: a page session is no bearer token', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);
    const res = await fetch(t.url + '/api/v1/me', { headers: { cookie: `${SID}=${browser.cookie(SID)}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('AUTH.REQUIRED');
  });
});

describe('bearer tokens and bad input', () => {
  beforeEach(clearThrottle);

  it('refuses malformed headers, unknown, expired and revoked tokens with codes', async () => {
    const user = await createUser(t.db);
    const malformed = await api.get('/api/v1/me', { headers: { authorization: 'Token abc' } });
    expect([malformed.status, malformed.body.code]).toEqual([401, 'AUTH.MALFORMED_HEADER']);
    expect(malformed.headers.get('www-authenticate')).toBe('Bearer');
    const unknown = await api.get('/api/v1/me', { token: 'scf_' + 'x'.repeat(43) });
    expect([unknown.status, unknown.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);

    const signIn = await api.post('/api/v1/auth/token', { email: user.email, password: TEST_PASSWORD });
    expect((await api.get('/api/v1/me', { token: signIn.body.token })).status).toBe(200);
    await t.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    const expired = await api.get('/api/v1/me', { token: signIn.body.token });
    expect([expired.status, expired.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);

    const fresh = await tokenFor(t, user);
    await t.db.query(`UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1`, [user.id]);
    const revoked = await api.get('/api/v1/me', { token: fresh });
    expect([revoked.status, revoked.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);
  });

  it('refuses bad sign-in bodies with codes, without counting failures', async () => {
    const malformed = await api.request('POST', '/api/v1/auth/token', { raw: '{"email":' });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'REQUEST.MALFORMED_JSON']);
    const cases: [unknown, string, string][] = [
      [{ email: 5, password: 'x' }, 'email', 'FIELD.NOT_A_STRING'],
      [{ email: 'a@example.test' }, 'password', 'FIELD.REQUIRED'],
      [{ email: 'a@example.test', password: 'p'.repeat(201) }, 'password', 'FIELD.TOO_LONG'],
      [{ email: 'e'.repeat(255), password: 'x' }, 'email', 'FIELD.TOO_LONG'],
      [{ email: 'a@example.test', password: 'x', remember: true }, 'remember', 'FIELD.UNKNOWN_FIELD'],
    ];
    for (const [body, field, code] of cases) {
      const res = await api.post('/api/v1/auth/token', body);
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    }
    const text = await api.request('POST', '/api/v1/auth/token', { raw: 'email=a', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    expect(await redis.keys(`${t.config.queuePrefix}:sign-in:*`)).toEqual([]);
  });

  it('documents the account routes in OpenAPI', async () => {
    const doc = await api.get('/api/docs-json');
    for (const path of ['/api/v1/auth/register', '/api/v1/auth/token', '/api/v1/auth/verify-email', '/api/v1/auth/password-reset', '/api/v1/auth/password-reset/complete', '/api/v1/me', '/api/v1/me/tokens', '/api/v1/me/tokens/{id}', '/api/v1/admin/users', '/api/v1/admin/users/{id}/roles']) {
      expect(doc.body.paths[path]).toBeDefined();
    }
    expect(doc.body.components.schemas.RegisterDto.properties.password.maxLength).toBe(200);
    expect(JSON.stringify(doc.body.paths)).not.toContain('/sign-in');
  });
});
