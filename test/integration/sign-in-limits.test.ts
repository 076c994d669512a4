import { SIGN_IN_ACCOUNT_LIMIT, SIGN_IN_IP_LIMIT } from '../../src/auth/sign-in-throttle.js';
import { createUser, TEST_PASSWORD, uniqueEmail } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Sign-in limits behind a trusted proxy (TRUST_PROXY=loopback: the tests connect from 127.0.0.1). */
let t: TestApp;
let api: ApiClient;

beforeAll(async () => {
  // Redis calls get a generous bound here: on a loaded machine a timed-out call would be counted in the process only.
  t = await startTestApp({ workers: false, env: { TRUST_PROXY: 'loopback', REDIS_REQUEST_TIMEOUT_MS: '5000' } });
  api = apiClient(t.url);
});
afterAll(async () => {
  await t?.close();
});

const signIn = (email: string, password: string, from: string) =>
  api.post('/api/v1/auth/token', { email, password }, { headers: { 'x-forwarded-for': from } });

it('counts parallel wrong guesses atomically: beyond the limit they are refused, however many arrive at once', async () => {
  const victim = await createUser(t.db);
  const guesses = await Promise.all(
    Array.from({ length: SIGN_IN_ACCOUNT_LIMIT * 4 }, (_, i) => signIn(victim.email, `parallel guess ${i}`, '198.51.100.20')),
  );
  const statuses = guesses.map((g) => g.status);
  expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_ACCOUNT_LIMIT);
  expect(statuses.filter((s) => s === 429)).toHaveLength(SIGN_IN_ACCOUNT_LIMIT * 3);
  expect((await signIn(victim.email, TEST_PASSWORD, '198.51.100.20')).status).toBe(429);
}, 120_000);

it('believes the trusted proxy: an attacker locks out their own address, not the account everywhere', async () => {
  const victim = await createUser(t.db);
  for (let i = 0; i < SIGN_IN_ACCOUNT_LIMIT; i++) expect((await signIn(victim.email, `attacker guess ${i}`, '203.0.113.66')).status).toBe(401);
  expect((await signIn(victim.email, TEST_PASSWORD, '203.0.113.66')).status).toBe(429);
  // The victim, from their own address behind the same load balancer, still signs in.
  expect((await signIn(victim.email, TEST_PASSWORD, '198.51.100.7')).status).toBe(201);
}, 120_000);

it(`limits one client address to ${SIGN_IN_IP_LIMIT} failures, and leaves everyone else behind the proxy alone`, async () => {
  for (let batch = 0; batch < SIGN_IN_IP_LIMIT; batch += 10) {
    const results = await Promise.all(
      Array.from({ length: Math.min(10, SIGN_IN_IP_LIMIT - batch) }, (_, i) => signIn(uniqueEmail(`spray${batch + i}`), 'spray password attempt', '203.0.113.99')),
    );
    expect(results.map((r) => r.status)).toEqual(results.map(() => 401));
  }
  const user = await createUser(t.db);
  expect((await signIn(user.email, TEST_PASSWORD, '203.0.113.99')).status).toBe(429);
  expect((await signIn(user.email, TEST_PASSWORD, '192.0.2.10')).status).toBe(201);
}, 180_000);
