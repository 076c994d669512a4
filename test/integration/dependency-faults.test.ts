import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { SIGN_IN_ACCOUNT_LIMIT } from '../../src/auth/sign-in-throttle.js';
import { createUser, sessionCookieFor, TEST_PASSWORD, tokenFor, uniqueEmail } from '../support/factories.js';
import { csrfTokenIn, FormClient, textOf } from '../support/form-client.js';
import { apiClient } from '../support/http.js';
import { createMigratedDatabase, startTestApp, type TestApp } from '../support/test-app.js';

/** A port nothing listens on yet. */
async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP relay to PostgreSQL that the test can take away (and bring back) while the service runs. */
class PostgresRelay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  constructor(readonly port: number) {}

  async up(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(5432, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /** Nothing listens on the port any more, and every open connection is cut. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('PostgreSQL goes away while the service runs', () => {
  let t: TestApp;
  let relay: PostgresRelay;
  let signedIn: string;
  let bearer: string;

  beforeAll(async () => {
    relay = new PostgresRelay(await sparePort());
    await relay.up();
    // A migrated test database, reached through the relay. (startTestApp's own copy goes unused; the
    // next run's clean-up drops it, as its name carries this process's id.)
    const viaRelay = new URL(await createMigratedDatabase('pgdown'));
    viaRelay.port = String(relay.port);
    t = await startTestApp({ workers: false, env: { DATABASE_URL: viaRelay.toString() } });
    const officer = await createUser(t.db, { roles: ['grants_officer'] });
    signedIn = await sessionCookieFor(t, officer);
    bearer = await tokenFor(t, officer);
    expect((await fetch(`${t.url}/rounds`)).status).toBe(200);
    await relay.down();
  });
  afterAll(async () => {
    await relay?.up(); // so the test database can be dropped
    await t?.close();
    await relay?.down();
  }, 120_000);

  const internals = /ECONNREFUSED|127\.0\.0\.1|5432|connect |stack|at .*\.js/;

  it('answers pages with the service error page: 503, Retry-After, nothing internal', async () => {
    for (const cookie of [undefined, signedIn]) {
      for (const path of ['/rounds', '/staff/communications', '/sign-in']) {
        const res = await fetch(`${t.url}${path}`, { headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) }, redirect: 'manual' });
        const html = await res.text();
        expect([path, res.status]).toEqual([path, 503]);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(textOf(html)).toMatch(/Sorry, there is a problem with the service.*Try again later/);
        expect(html).not.toMatch(internals);
      }
    }
  }, 120_000);

  it('answers the API with problem+json 503 SERVICE.UNAVAILABLE and Retry-After', async () => {
    const api = apiClient(t.url);
    for (const path of ['/api/v1/rounds', '/api/v1/me', '/api/v1/communications']) {
      const res = await api.get(path, { token: bearer });
      expect([path, res.status, res.body.code]).toEqual([path, 503, 'SERVICE.UNAVAILABLE']);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(res.text).not.toMatch(internals);
    }
    const signIn = await api.post('/api/v1/auth/token', { email: uniqueEmail('pgdown'), password: TEST_PASSWORD });
    expect(signIn.status).toBe(503);
  }, 120_000);
});

describe('Redis freezes (SIGSTOP) while the service runs', () => {
  let redis: ChildProcess;
  let t: TestApp;
  let port: number;
  const BOUND_MS = 3000;

  beforeAll(async () => {
    port = await sparePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; ; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(port, '127.0.0.1', () => (s.end(), resolve(true))).on('error', () => resolve(false));
      });
      if (ok) break;
      if (i > 100) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    t = await startTestApp({ workers: false, env: { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_REQUEST_TIMEOUT_MS: '300' } });
  });
  afterAll(async () => {
    redis?.kill('SIGCONT');
    await t?.close();
    redis?.kill('SIGKILL');
  }, 120_000);

  it('signs in and registers within a bound, and still limits guesses', async () => {
    const user = await createUser(t.db);
    const victim = await createUser(t.db);
    expect(redis.kill('SIGSTOP')).toBe(true);
    try {
      const api = apiClient(t.url);
      const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
        const started = Date.now();
        const result = await run();
        return [result, Date.now() - started];
      };
      const [ok, okMs] = await timed(() => api.post('/api/v1/auth/token', { email: user.email, password: TEST_PASSWORD }));
      expect(ok.status).toBe(201);
      expect(okMs).toBeLessThan(BOUND_MS);

      const browser = new FormClient(t.url);
      const form = await browser.get('/register');
      const [registered, registerMs] = await timed(() =>
        browser.post('/register', { _csrf: csrfTokenIn(form.html), fullName: 'Frozen Redis', email: uniqueEmail('frozen'), password: 'velvet lantern orchard' }),
      );
      expect(registered.status).toBeLessThan(400);
      expect(registerMs).toBeLessThan(BOUND_MS);

      // Limiting goes on in the process: wrong guesses beyond the limit are refused, even all at once.
      const guesses = await Promise.all(
        Array.from({ length: SIGN_IN_ACCOUNT_LIMIT * 3 }, (_, i) => api.post('/api/v1/auth/token', { email: victim.email, password: `guess ${i} xxxxxxxx` })),
      );
      const statuses = guesses.map((g) => g.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_ACCOUNT_LIMIT);
      expect(statuses.filter((s) => s === 429)).toHaveLength(SIGN_IN_ACCOUNT_LIMIT * 2);
      const [locked, lockedMs] = await timed(() => api.post('/api/v1/auth/token', { email: victim.email, password: TEST_PASSWORD }));
      expect([locked.status, locked.body.code]).toEqual([429, 'AUTH.TOO_MANY_ATTEMPTS']);
      expect(lockedMs).toBeLessThan(BOUND_MS);
    } finally {
      redis.kill('SIGCONT');
    }
  }, 120_000);

  it('answers the queue dashboard with a prompt 503 and Retry-After while Redis is frozen, and serves it again after', async () => {
    const admin = await createUser(t.db, { roles: ['administrator'] });
    const cookie = await sessionCookieFor(t, admin);
    const board = (path: string, accept = 'application/json') => fetch(t.url + path, { headers: { cookie, accept } });
    // The board answers once its connection is back from the previous test's freeze (ioredis backs
    // off between reconnections, and under load a command can still time out): until then 503s,
    // for up to 20 s, never a 500.
    const ready = async () => {
      let status = 0;
      for (let i = 0; i < 200 && status !== 200; i++) {
        status = (await board('/admin/queues/api/queues')).status;
        expect([200, 503]).toContain(status);
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      return status;
    };
    expect(await ready()).toBe(200);
    expect(redis.kill('SIGSTOP')).toBe(true);
    try {
      for (const [path, accept] of [
        ['/admin/queues/api/queues', 'application/json'],
        ['/admin/queues', 'text/html'],
      ]) {
        const started = Date.now();
        const res = await board(path, accept);
        const ms = Date.now() - started;
        const text = await res.text();
        expect([path, res.status]).toEqual([path, 503]);
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(ms).toBeLessThan(BOUND_MS);
        if (accept === 'application/json') expect(JSON.parse(text)).toMatchObject({ code: 'QUEUE.UNAVAILABLE', status: 503 });
        else expect(text).toContain('Sorry, there is a problem with the service');
        expect(text).not.toMatch(/ECONN|ETIMEDOUT|Command timed out|at .+\.js:\d+/);
      }
    } finally {
      redis.kill('SIGCONT');
    }
    expect(await ready()).toBe(200);
  }, 120_000);
});
