import { ACCOUNT_EMAIL_LIMIT } from '../../src/auth/sign-in-throttle.js';
import { createUser } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
});
afterAll(async () => {
  await t?.close();
});

describe('account emails to one address are limited', () => {
  it('sends at most the limit of reset emails an hour, answering every request the same way', async () => {
    const user = await createUser(t.db);
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_EMAIL_LIMIT + 3; i++) {
      statuses.push((await api.post('/api/v1/auth/password-reset', { email: user.email })).status);
    }
    await t.settle();
    expect(new Set(statuses).size).toBe(1);
    expect(statuses[0]).toBeLessThan(300);
    expect(t.mailbox.to(user.email)).toHaveLength(ACCOUNT_EMAIL_LIMIT);
    const [{ links }] = await t.db.query(`SELECT count(*)::int AS links FROM one_time_tokens WHERE user_id = $1`, [user.id]);
    expect(links).toBe(ACCOUNT_EMAIL_LIMIT);
  });

  it('counts "someone tried to register with your address" emails too', async () => {
    const user = await createUser(t.db);
    for (let i = 0; i < ACCOUNT_EMAIL_LIMIT + 2; i++) {
      const res = await api.post('/api/v1/auth/register', { email: user.email, fullName: 'Someone Else', password: 'a long enough passphrase 42' });
      expect(res.status).toBeLessThan(300);
    }
    await t.settle();
    expect(t.mailbox.to(user.email)).toHaveLength(ACCOUNT_EMAIL_LIMIT);
  });

  it('keeps each address separate', async () => {
    const a = await createUser(t.db);
    const b = await createUser(t.db);
    for (let i = 0; i < ACCOUNT_EMAIL_LIMIT; i++) await api.post('/api/v1/auth/password-reset', { email: a.email });
    await api.post('/api/v1/auth/password-reset', { email: b.email });
    await t.settle();
    expect(t.mailbox.to(b.email)).toHaveLength(1);
  });
});
