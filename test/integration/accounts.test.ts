import { DEMO_USERS } from '../../src/demo/demo-data.js';
import { createOrganisation, createUser, TEST_PASSWORD, tokenFor, uniqueEmail } from '../support/factories.js';
import { errorSummaryOf, FormClient, textOf } from '../support/form-client.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { linkIn, type ReceivedMail } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Accounts end to end over real HTTP, Postgres, Redis and SMTP: the start page, registration and
 * email confirmation, password reset and change, the account page, /me and personal access tokens.
 */
let t: TestApp;
let api: ApiClient;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
});
afterAll(async () => {
  await t?.close();
});

const NEW_PASSWORD = 'velvet lantern orchard';
const pathOf = (link: string) => link.replace(t.url, '');
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params))[0].count);
const userRow = async (email: string) => (await t.db.query(`SELECT * FROM users WHERE email = $1`, [email]))[0];
const auditOf = (entityId: string) =>
  t.db.query(`SELECT action, actor_user_id, actor_label, before, after FROM audit_events WHERE entity_id = $1 ORDER BY id`, [entityId]);

async function mailTo(email: string, subject: string): Promise<ReceivedMail> {
  await t.settle();
  return t.mailbox.waitFor(email, (m) => m.subject === subject);
}

async function registerByPage(browser: FormClient, email: string, password = NEW_PASSWORD) {
  return browser.submit('/register', { fullName: 'Kerry Ndlovu', email, password });
}

describe('start page', () => {
  it('says what the service is and offers start, sign in, create an account and the open rounds', async () => {
    const page = await new FormClient(t.url).get('/');
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<h1[^>]*>Apply for a community safety grant<\/h1>/);
    expect(page.html).toMatch(/href="\/register"[^>]*govuk-button--start|govuk-button--start[^>]*href="\/register"/);
    expect(page.html).toContain('href="/sign-in"');
    expect(page.html).toContain('href="/rounds"');
  });

  it('lists every demo user and the demo password outside production', async () => {
    const text = textOf((await new FormClient(t.url).get('/')).html);
    for (const user of DEMO_USERS) expect(text).toContain(user.email);
    expect(text).toContain(t.config.demoPassword);
  });

  it('lists no demo users in production', async () => {
    const prod = await startTestApp({ workers: false, smtp: false, env: { NODE_ENV: 'production' } });
    try {
      const res = await fetch(prod.url + '/');
      const html = await res.text();
      expect(res.status).toBe(200);
      expect(html).toContain('Apply for a community safety grant');
      expect(html).not.toContain('demo.test');
      expect(html).not.toContain(prod.config.demoPassword);
    } finally {
      await prod.close();
    }
  });
});

describe('registration and email confirmation (pages)', () => {
  it('registers, emails a single-use link, confirms the address and lets the person sign in', async () => {
    const browser = new FormClient(t.url);
    const typed = uniqueEmail('Reg').replace('reg', 'ReG');
    const email = typed.toLowerCase();
    const form = await browser.get('/register');
    expect(form.html).toMatch(/<input[^>]*id="fullName"[^>]*autocomplete="name"/);
    expect(form.html).toMatch(/<input[^>]*id="email"[^>]*autocomplete="email"/);
    expect(form.html).toMatch(/<input[^>]*id="password"[^>]*type="password"[^>]*autocomplete="new-password"/);
    expect(form.html).toContain('Must be at least 12 characters');

    const res = await registerByPage(browser, typed);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/register/check-your-email');
    const sent = await browser.follow(res);
    expect(textOf(sent.html)).toContain(`We have sent an email to ${typed}`);

    const row = await userRow(email);
    expect(row).toMatchObject({ email, full_name: 'Kerry Ndlovu', email_verified_at: null, roles: [] });
    expect(row.password_hash).toMatch(/^\$argon2id\$/);

    // Not yet confirmed: the right password is not enough.
    const early = await browser.submit('/sign-in', { email, password: NEW_PASSWORD });
    expect(early.status).toBe(403);

    const mail = await mailTo(email, 'Confirm your email address');
    const link = linkIn(mail, '/verify-email?token=');
    const [{ token_hash, expires_at }] = await t.db.query(`SELECT token_hash, expires_at FROM one_time_tokens WHERE user_id = $1 AND purpose = 'verify_email'`, [row.id]);
    expect(link).not.toContain(token_hash); // only the hash is stored
    expect(new Date(expires_at).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(new Date(expires_at).getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);

    const confirmed = await browser.get(pathOf(link));
    expect(confirmed.status).toBe(200);
    expect(textOf(confirmed.html)).toContain('Email address confirmed');
    expect((await userRow(email)).email_verified_at).not.toBeNull();

    const again = await browser.get(pathOf(link));
    expect(again.status).toBe(410);
    expect(textOf(again.html)).toContain('This link has already been used');

    const signIn = await browser.signIn(typed, NEW_PASSWORD);
    expect(signIn.location).toBe('/dashboard');

    const audit = await auditOf(row.id);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['user.registered', 'user.email_verified']);
    expect(audit[0]).toMatchObject({ actor_user_id: row.id, actor_label: email, after: { email, fullName: 'Kerry Ndlovu', roles: [] } });
    expect(JSON.stringify(audit)).not.toContain('argon2');
  });

  it('shows the same answer for an email address that already has an account, and tells its owner by email', async () => {
    const owner = await createUser(t.db, { fullName: 'Existing Owner' });
    const fresh = uniqueEmail('fresh');
    const a = await registerByPage(new FormClient(t.url), fresh);
    const browser = new FormClient(t.url);
    const b = await registerByPage(browser, owner.email.toUpperCase(), 'another long password here');
    expect([b.status, b.location]).toEqual([a.status, a.location]);
    const page = await browser.follow(b);
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('We have sent an email to');

    const warning = await mailTo(owner.email, 'Someone tried to create an account with your email address');
    expect(linkIn(warning, '/sign-in')).toBe(`${t.url}/sign-in`);
    expect(linkIn(warning, '/forgot-password')).toBe(`${t.url}/forgot-password`);
    expect(await count(`SELECT count(*) FROM users WHERE email = $1`, [owner.email])).toBe(1);
    // The account is untouched: the old password still works, the new one does not.
    expect((await api.post('/api/v1/auth/token', { email: owner.email, password: TEST_PASSWORD })).status).toBe(201);
    expect((await api.post('/api/v1/auth/token', { email: owner.email, password: 'another long password here' })).status).toBe(401);

    const apiFresh = await api.post('/api/v1/auth/register', { email: uniqueEmail('api'), fullName: 'A', password: NEW_PASSWORD });
    const apiTaken = await api.post('/api/v1/auth/register', { email: owner.email, fullName: 'A', password: NEW_PASSWORD });
    expect(apiTaken.status).toBe(202);
    expect(apiTaken.body).toEqual(apiFresh.body);
  });

  it('refuses bad details with an error summary linked to each field, and creates nothing', async () => {
    const browser = new FormClient(t.url);
    const before = await count(`SELECT count(*) FROM users`);
    const empty = await browser.submit('/register', { fullName: '', email: '', password: '' });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain('<a href="#fullName">Enter your full name</a>');
    expect(empty.html).toContain('<a href="#email">Enter your email address</a>');
    expect(empty.html).toContain('<a href="#password">Enter a password</a>');
    expect(empty.html).toMatch(/<title>\s*Error: Create an account/);

    const cases: [Record<string, string>, string][] = [
      [{ email: 'not-an-email' }, 'Enter an email address in the correct format, like name@example.com'],
      [{ password: 'short pass' }, 'Password must be 12 characters or more'],
      [{ password: 'password1234' }, 'Choose a password that is harder to guess, for example 3 random words'],
      [{ password: 'aaaaaaaaaaaaaaaa' }, 'Choose a password that is harder to guess, for example 3 random words'],
      [{ email: 'same.as.password@example.test', password: 'Same.As.Password@example.test' }, 'Password must not be your email address'],
      [{ fullName: 'x'.repeat(121) }, 'Full name must be 120 characters or fewer'],
      [{ password: 'p'.repeat(150) + ' long one ' + 'q'.repeat(50) }, 'Password must be 200 characters or fewer'],
    ];
    for (const [override, message] of cases) {
      const res = await browser.submit('/register', { fullName: 'Good Name', email: uniqueEmail('bad'), password: NEW_PASSWORD, ...override });
      expect(res.status).toBe(422);
      expect(errorSummaryOf(res.html)).toEqual([message]);
      expect(res.html).not.toContain(override.password ?? NEW_PASSWORD); // passwords are never echoed back
    }
    expect(await count(`SELECT count(*) FROM users`)).toBe(before);
  });

  it('lets an unconfirmed person ask for the link again from the sign-in page', async () => {
    const browser = new FormClient(t.url);
    const email = uniqueEmail('resend');
    await registerByPage(browser, email);
    await mailTo(email, 'Confirm your email address');
    const refused = await browser.submit('/sign-in', { email, password: NEW_PASSWORD });
    expect(refused.status).toBe(403);
    expect(textOf(refused.html)).toContain('You need to confirm your email address before you can sign in');
    expect(refused.html).toMatch(/<form method="post" action="\/verify-email\/resend"/);
    expect(refused.html).toContain(`<input type="hidden" name="email" value="${email}">`);

    const resent = await browser.submit('/verify-email/resend', { email }, { form: '/sign-in' });
    expect(resent.status).toBe(303);
    expect(resent.location).toBe('/verify-email/check-your-email');
    await t.settle();
    const mails = t.mailbox.to(email).filter((m) => m.subject === 'Confirm your email address');
    expect(mails).toHaveLength(2);
    // Either link works; using one uses them both.
    expect((await browser.get(pathOf(linkIn(mails[1], '/verify-email?token=')))).status).toBe(200);
    expect((await browser.get(pathOf(linkIn(mails[0], '/verify-email?token=')))).status).toBe(410);

    // Asking for an address with no account looks the same and sends nothing.
    const nobody = uniqueEmail('nobody');
    const same = await browser.submit('/verify-email/resend', { email: nobody });
    expect(same.location).toBe('/verify-email/check-your-email');
    await t.settle();
    expect(t.mailbox.to(nobody)).toHaveLength(0);
  });

  it('refuses expired and made-up confirmation links with a clear page', async () => {
    const browser = new FormClient(t.url);
    const email = uniqueEmail('expiry');
    await registerByPage(browser, email);
    const link = linkIn(await mailTo(email, 'Confirm your email address'), '/verify-email?token=');
    await t.db.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [email]);
    const expired = await browser.get(pathOf(link));
    expect(expired.status).toBe(410);
    expect(textOf(expired.html)).toContain('This link has expired');
    expect(expired.html).toContain('href="/verify-email/resend"');
    expect((await userRow(email)).email_verified_at).toBeNull();

    const madeUp = await browser.get('/verify-email?token=' + 'A'.repeat(43));
    expect(madeUp.status).toBe(400);
    expect(textOf(madeUp.html)).toContain('This link is not valid');
    expect((await browser.get('/verify-email')).status).toBe(400);
  });
});

describe('registration and confirmation (API)', () => {
  it('registers, confirms with the token and signs in for a bearer token; /me lists organisations', async () => {
    const email = uniqueEmail('apireg');
    const res = await api.post('/api/v1/auth/register', { email, fullName: 'Api Person', password: NEW_PASSWORD });
    expect(res.status).toBe(202);
    expect(res.body.message).toMatch(/we have sent an email/);

    const early = await api.post('/api/v1/auth/token', { email, password: NEW_PASSWORD });
    expect(early.status).toBe(403);
    expect(early.body.code).toBe('AUTH.EMAIL_NOT_VERIFIED');

    const token = new URL(linkIn(await mailTo(email, 'Confirm your email address'), '/verify-email?token=')).searchParams.get('token');
    const verified = await api.post('/api/v1/auth/verify-email', { token });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ email, verified: true });
    const reused = await api.post('/api/v1/auth/verify-email', { token });
    expect(reused.status).toBe(410);
    expect(reused.body.code).toBe('TOKEN.USED');
    const bogus = await api.post('/api/v1/auth/verify-email', { token: 'nonsense' });
    expect([bogus.status, bogus.body.code]).toEqual([400, 'TOKEN.INVALID']);

    const signIn = await api.post('/api/v1/auth/token', { email, password: NEW_PASSWORD });
    expect(signIn.status).toBe(201);
    expect(signIn.body.token).toMatch(/^scf_/);
    const lifetime = new Date(signIn.body.expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(11.9 * 3600_000);
    expect(lifetime).toBeLessThanOrEqual(12 * 3600_000);

    const me = await api.get('/api/v1/me', { token: signIn.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: expect.any(String), email, fullName: 'Api Person', roles: [], organisations: [] });
    const org = await createOrganisation(t.db, { id: me.body.id }, { name: 'Holme Valley Youth Project' });
    const again = await api.get('/api/v1/me', { token: signIn.body.token });
    expect(again.body.organisations).toEqual([{ id: org.id, name: 'Holme Valley Youth Project', role: 'owner' }]);
  });

  it('refuses bad bodies with codes and creates nothing', async () => {
    const before = await count(`SELECT count(*) FROM users`);
    const good = { email: uniqueEmail('bad'), fullName: 'Bad Input', password: NEW_PASSWORD };
    const malformed = await api.request('POST', '/api/v1/auth/register', { raw: '{"email": "x@example.test",' });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'REQUEST.MALFORMED_JSON']);

    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...good, password: 12345678901234 }, 'password', 'FIELD.NOT_A_STRING'],
      [{ ...good, email: ['a@example.test'] }, 'email', 'FIELD.NOT_A_STRING'],
      [{ email: good.email, password: good.password }, 'fullName', 'FIELD.REQUIRED'],
      [{ ...good, email: 'x'.repeat(250) + '@example.test' }, 'email', 'FIELD.TOO_LONG'],
      [{ ...good, fullName: 'n'.repeat(121) }, 'fullName', 'FIELD.TOO_LONG'],
      [{ ...good, password: 'p'.repeat(201) }, 'password', 'FIELD.TOO_LONG'],
      [{ ...good, roles: ['administrator'] }, 'roles', 'FIELD.UNKNOWN_FIELD'],
      [{ ...good, email: 'no-at-sign' }, 'email', 'FIELD.INVALID_EMAIL'],
      [{ ...good, password: 'too short' }, 'password', 'PASSWORD.TOO_SHORT'],
      [{ ...good, password: 'qwerty123456' }, 'password', 'PASSWORD.TOO_COMMON'],
      [{ ...good, password: good.email }, 'password', 'PASSWORD.SAME_AS_EMAIL'],
    ];
    for (const [body, field, code] of cases) {
      const res = await api.post('/api/v1/auth/register', body);
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    }
    const array = await api.request('POST', '/api/v1/auth/register', { raw: '[1,2,3]' });
    expect(array.status).toBeGreaterThanOrEqual(400);
    expect(array.status).toBeLessThan(500);
    expect(await count(`SELECT count(*) FROM users`)).toBe(before);
  });
});

describe('password reset', () => {
  it('answers the same for any address, and emails only an account that exists', async () => {
    const user = await createUser(t.db);
    const nobody = uniqueEmail('nobody');
    const browser = new FormClient(t.url);
    const form = await browser.get('/forgot-password');
    expect(form.html).toMatch(/<input[^>]*id="email"[^>]*autocomplete="email"/);
    const a = await browser.submit('/forgot-password', { email: nobody });
    const b = await browser.submit('/forgot-password', { email: user.email });
    expect([a.status, a.location]).toEqual([303, '/forgot-password/check-your-email']);
    expect([b.status, b.location]).toEqual([a.status, a.location]);
    const page = await browser.follow(b);
    expect(textOf(page.html)).toContain(`If ${user.email} has an account, we have sent it a link to reset your password`);
    await mailTo(user.email, 'Reset your password');
    expect(t.mailbox.to(nobody)).toHaveLength(0);

    const apiA = await api.post('/api/v1/auth/password-reset', { email: nobody });
    const apiB = await api.post('/api/v1/auth/password-reset', { email: user.email });
    expect(apiA.status).toBe(202);
    expect(apiB.body).toEqual(apiA.body);
    const bad = await api.post('/api/v1/auth/password-reset', { email: 'nope' });
    expect([bad.status, bad.body.errors[0].code]).toEqual([422, 'FIELD.INVALID_EMAIL']);
  });

  it('does the same work in the answer whether or not the account exists (one outbox row; the worker writes the email)', async () => {
    const user = await createUser(t.db);
    const nobody = uniqueEmail('nobody');
    for (const email of [user.email, nobody]) {
      expect((await api.post('/api/v1/auth/password-reset', { email })).status).toBe(202);
      const rows = await t.db.query(`SELECT job_name FROM outbox WHERE payload->>'email' = $1`, [email]);
      expect(rows).toEqual([{ job_name: 'account.password-reset' }]);
    }
    await mailTo(user.email, 'Reset your password');
    expect(t.mailbox.to(nobody)).toHaveLength(0);
    expect(await count(`SELECT count(*) FROM email_messages WHERE to_address = '${nobody}'`)).toBe(0);
  });

  it('sets a new password once per link, and ends every session and API token of the person', async () => {
    const user = await createUser(t.db);
    const elsewhere = new FormClient(t.url);
    await elsewhere.signIn(user.email, TEST_PASSWORD);
    const apiToken = await tokenFor(t, user);
    expect((await api.get('/api/v1/me', { token: apiToken })).status).toBe(200);

    const browser = new FormClient(t.url);
    await browser.submit('/forgot-password', { email: user.email });
    const mail = await mailTo(user.email, 'Reset your password');
    const link = pathOf(linkIn(mail, '/reset-password?token='));
    const [{ expires_at }] = await t.db.query(`SELECT expires_at FROM one_time_tokens WHERE user_id = $1 AND purpose = 'reset_password'`, [user.id]);
    expect(new Date(expires_at).getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(new Date(expires_at).getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);

    const form = await browser.get(link);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/<input[^>]*id="password"[^>]*autocomplete="new-password"/);

    // A weak password is refused and the link stays usable.
    const weak = await browser.submit('/reset-password', { token: new URL(t.url + link).searchParams.get('token')!, password: 'short' }, { form: link });
    expect(weak.status).toBe(422);
    expect(errorSummaryOf(weak.html)).toEqual(['Password must be 12 characters or more']);

    const token = new URL(t.url + link).searchParams.get('token')!;
    const done = await browser.submit('/reset-password', { token, password: NEW_PASSWORD }, { form: link });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/sign-in');
    expect(textOf((await browser.follow(done)).html)).toContain('Your password has been reset');

    // Everything the person had is over.
    expect((await elsewhere.get('/account')).location).toBe('/sign-in');
    const revoked = await api.get('/api/v1/me', { token: apiToken });
    expect([revoked.status, revoked.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);
    expect(await count(`SELECT count(*) FROM sessions WHERE user_id = $1`, [user.id])).toBe(0);

    expect((await api.post('/api/v1/auth/token', { email: user.email, password: TEST_PASSWORD })).status).toBe(401);
    expect((await api.post('/api/v1/auth/token', { email: user.email, password: NEW_PASSWORD })).status).toBe(201);

    // The link works once.
    const reused = await browser.get(link);
    expect(reused.status).toBe(410);
    expect(textOf(reused.html)).toContain('This link has already been used');
    const reusedPost = await browser.submit('/reset-password', { token, password: 'yet another long password' }, { form: '/forgot-password' });
    expect(reusedPost.status).toBe(410);
    expect((await api.post('/api/v1/auth/token', { email: user.email, password: NEW_PASSWORD })).status).toBe(201);

    await mailTo(user.email, 'Your password has been changed');
    const audit = await auditOf(user.id);
    expect(audit.map((a: { action: string }) => a.action)).toContain('user.password_reset');
  });

  it('refuses an expired link and changes nothing (page and API)', async () => {
    const user = await createUser(t.db);
    await api.post('/api/v1/auth/password-reset', { email: user.email });
    const token = new URL(linkIn(await mailTo(user.email, 'Reset your password'), '/reset-password?token=')).searchParams.get('token')!;
    await t.db.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    const hashBefore = (await userRow(user.email)).password_hash;

    const page = await new FormClient(t.url).get(`/reset-password?token=${token}`);
    expect(page.status).toBe(410);
    expect(textOf(page.html)).toContain('This link has expired');
    expect(page.html).toContain('href="/forgot-password"');

    const res = await api.post('/api/v1/auth/password-reset/complete', { token, password: NEW_PASSWORD });
    expect([res.status, res.body.code]).toEqual([410, 'TOKEN.EXPIRED']);
    expect((await userRow(user.email)).password_hash).toBe(hashBefore);
  });

  it('completes over the API and refuses a second use', async () => {
    const user = await createUser(t.db);
    await api.post('/api/v1/auth/password-reset', { email: user.email });
    const token = new URL(linkIn(await mailTo(user.email, 'Reset your password'), '/reset-password?token=')).searchParams.get('token')!;
    const weak = await api.post('/api/v1/auth/password-reset/complete', { token, password: 'weak' });
    expect([weak.status, weak.body.errors[0].code]).toEqual([422, 'PASSWORD.TOO_SHORT']);
    const ok = await api.post('/api/v1/auth/password-reset/complete', { token, password: NEW_PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ email: user.email, passwordReset: true });
    const again = await api.post('/api/v1/auth/password-reset/complete', { token, password: 'another good password' });
    expect([again.status, again.body.code]).toEqual([410, 'TOKEN.USED']);
  });
});

describe('your account', () => {
  it('shows name, email and roles', async () => {
    const user = await createUser(t.db, { fullName: 'Priya Shah', roles: ['grants_officer', 'assessor'] });
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);
    const page = await browser.get('/account');
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('Priya Shah');
    expect(text).toContain(user.email);
    expect(text).toContain('Grants officer');
    expect(text).toContain('Assessor');
    expect(page.html).toContain('href="/account/password"');
  });

  it('is for signed-in people only', async () => {
    const res = await new FormClient(t.url).get('/account');
    expect([res.status, res.location]).toEqual([303, '/sign-in']);
    const me = await api.get('/api/v1/me');
    expect([me.status, me.body.code]).toEqual([401, 'AUTH.REQUIRED']);
  });

  it('changes the password: this session continues, other sessions and every API token end', async () => {
    const user = await createUser(t.db);
    const here = new FormClient(t.url);
    const there = new FormClient(t.url);
    await here.signIn(user.email, TEST_PASSWORD);
    await there.signIn(user.email, TEST_PASSWORD);
    const apiToken = await tokenFor(t, user);

    const form = await here.get('/account/password');
    expect(form.html).toMatch(/<input[^>]*id="currentPassword"[^>]*autocomplete="current-password"/);
    expect(form.html).toMatch(/<input[^>]*id="newPassword"[^>]*autocomplete="new-password"/);

    const wrong = await here.submit('/account/password', { currentPassword: 'not my password at all', newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain('<a href="#currentPassword">Your current password is not correct</a>');
    const same = await here.submit('/account/password', { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
    expect(errorSummaryOf(same.html)).toEqual(['New password must be different from your current password']);
    const weak = await here.submit('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'password1234' });
    expect(weak.html).toContain('<a href="#newPassword">');
    // Nothing changed so far.
    expect((await there.get('/account')).status).toBe(200);
    expect((await api.get('/api/v1/me', { token: apiToken })).status).toBe(200);

    const done = await here.submit('/account/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
    expect([done.status, done.location]).toEqual([303, '/account']);
    const after = await here.follow(done);
    expect(after.status).toBe(200);
    expect(textOf(after.html)).toContain('Your password has been changed');
    expect((await there.get('/account')).location).toBe('/sign-in');
    expect((await api.get('/api/v1/me', { token: apiToken })).body.code).toBe('AUTH.INVALID_TOKEN');
    expect((await here.get('/account')).status).toBe(200);
    expect((await api.post('/api/v1/auth/token', { email: user.email, password: NEW_PASSWORD })).status).toBe(201);

    const audit = await auditOf(user.id);
    expect(audit.filter((a: { action: string }) => a.action === 'user.password_changed')).toHaveLength(1);
    await mailTo(user.email, 'Your password has been changed');
  });
});

describe('personal access tokens (pages)', () => {
  it('creates a token showing the secret once, lists it, and revokes it', async () => {
    const user = await createUser(t.db);
    const browser = new FormClient(t.url);
    await browser.signIn(user.email, TEST_PASSWORD);

    const invalid = await browser.submit('/account/tokens', { name: '', expiresInDays: '0' }, { form: '/account/tokens/new' });
    expect(invalid.status).toBe(422);
    expect(invalid.html).toContain('<a href="#name">Enter a name for the token</a>');
    expect(invalid.html).toContain('<a href="#expiresInDays">Number of days must be between 1 and 366</a>');
    for (const days of ['367', 'abc', '1.5']) {
      const res = await browser.submit('/account/tokens', { name: 'x', expiresInDays: days }, { form: '/account/tokens/new' });
      expect(res.status).toBe(422);
    }
    expect(await count(`SELECT count(*) FROM api_tokens WHERE user_id = $1`, [user.id])).toBe(0);

    const created = await browser.submit('/account/tokens', { name: 'Monthly report script', expiresInDays: '30' }, { form: '/account/tokens/new' });
    expect([created.status, created.location]).toEqual([303, '/account/tokens/created']);
    const shown = await browser.follow(created);
    const secret = /id="new-token"[^>]*value="(scf_[^"]+)"/.exec(shown.html)?.[1];
    expect(secret).toBeDefined();
    expect(textOf(shown.html)).toContain('You will not be able to see it again');
    // Once only.
    const second = await browser.get('/account/tokens/created');
    expect([second.status, second.location]).toEqual([303, '/account']);
    const [{ data }] = await t.db.query(`SELECT data FROM sessions WHERE user_id = $1`, [user.id]);
    expect(JSON.stringify(data)).not.toContain(secret);

    const me = await api.get('/api/v1/me', { token: secret });
    expect(me.status).toBe(200);
    const account = await browser.get('/account');
    const text = textOf(account.html);
    expect(text).toContain('Monthly report script');
    expect(text).toContain(secret!.slice(0, 12));
    expect(account.html).not.toContain(secret);

    const [{ id }] = await t.db.query(`SELECT id FROM api_tokens WHERE user_id = $1`, [user.id]);
    const revoked = await browser.submit(`/account/tokens/${id}/revoke`, {}, { form: '/account' });
    expect([revoked.status, revoked.location]).toEqual([303, '/account']);
    expect(textOf((await browser.follow(revoked)).html)).toContain('Token revoked');
    const refused = await api.get('/api/v1/me', { token: secret });
    expect([refused.status, refused.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);
  });

  it('cannot revoke someone else’s token', async () => {
    const owner = await createUser(t.db);
    const other = await createUser(t.db);
    const created = await api.post('/api/v1/me/tokens', { name: 'Mine', expiresInDays: 5 }, { token: await tokenFor(t, owner) });
    const browser = new FormClient(t.url);
    await browser.signIn(other.email, TEST_PASSWORD);
    const res = await browser.submit(`/account/tokens/${created.body.id}/revoke`, {}, { form: '/account' });
    expect(res.status).toBe(404);
    expect((await api.get('/api/v1/me', { token: created.body.token })).status).toBe(200);
  });
});

describe('personal access tokens (API)', () => {
  it('creates, lists without secrets, revokes (repeatably), and audits without secrets', async () => {
    const user = await createUser(t.db);
    const bearer = await tokenFor(t, user);
    const created = await api.post('/api/v1/me/tokens', { name: 'CI', expiresInDays: 1 }, { token: bearer });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'CI', token: expect.stringMatching(/^scf_/), expiresAt: expect.any(String) });
    const lifetime = new Date(created.body.expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(23.9 * 3600_000);
    expect(lifetime).toBeLessThanOrEqual(24 * 3600_000);

    const list = await api.get('/api/v1/me/tokens', { token: bearer });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total: 1, page: 1 });
    expect(list.body.items[0]).toMatchObject({ id: created.body.id, name: 'CI', prefix: created.body.token.slice(0, 12), status: 'active', revokedAt: null });
    expect(list.text).not.toContain(created.body.token);

    expect((await api.get('/api/v1/me', { token: created.body.token })).status).toBe(200);
    const listed = await api.get('/api/v1/me/tokens', { token: bearer });
    expect(listed.body.items[0].lastUsedAt).not.toBeNull();

    const revoked = await api.delete(`/api/v1/me/tokens/${created.body.id}`, { token: bearer });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.body.id, status: 'revoked' });
    const again = await api.delete(`/api/v1/me/tokens/${created.body.id}`, { token: bearer });
    expect(again.status).toBe(200);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    const refused = await api.get('/api/v1/me', { token: created.body.token });
    expect([refused.status, refused.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);

    const audit = await auditOf(created.body.id);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['api_token.created', 'api_token.revoked']);
    expect(audit[0].actor_user_id).toBe(user.id);
    expect(JSON.stringify(audit)).not.toContain(created.body.token);
  });

  it('gives 404 for another person’s token id, unknown ids and malformed ids', async () => {
    const owner = await createUser(t.db);
    const other = await createUser(t.db);
    const created = await api.post('/api/v1/me/tokens', { name: 'Owner’s', expiresInDays: 30 }, { token: await tokenFor(t, owner) });
    const otherBearer = await tokenFor(t, other);
    for (const id of [created.body.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await api.delete(`/api/v1/me/tokens/${id}`, { token: otherBearer });
      expect([res.status, res.body.code]).toEqual([404, 'TOKEN.NOT_FOUND']);
    }
    expect((await api.get('/api/v1/me/tokens', { token: otherBearer })).body.items).toEqual([]);
    expect((await api.get('/api/v1/me', { token: created.body.token })).status).toBe(200);
  });

  it('stops accepting a token once it has expired', async () => {
    const user = await createUser(t.db);
    const created = await api.post('/api/v1/me/tokens', { name: 'Short', expiresInDays: 1 }, { token: await tokenFor(t, user) });
    expect((await api.get('/api/v1/me', { token: created.body.token })).status).toBe(200);
    await t.db.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.body.id]);
    const res = await api.get('/api/v1/me', { token: created.body.token });
    expect([res.status, res.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);
    const list = await api.get('/api/v1/me/tokens', { token: await tokenFor(t, user) });
    expect(list.body.items[0].status).toBe('expired');
  });

  it('refuses bad input with codes and creates nothing', async () => {
    const user = await createUser(t.db);
    const bearer = await tokenFor(t, user);
    const cases: [unknown, string, string][] = [
      [{ name: 'x', expiresInDays: 0 }, 'expiresInDays', 'FIELD.TOO_SMALL'],
      [{ name: 'x', expiresInDays: 367 }, 'expiresInDays', 'FIELD.TOO_LARGE'],
      [{ name: 'x', expiresInDays: '30' }, 'expiresInDays', 'FIELD.NOT_AN_INTEGER'],
      [{ name: 'x', expiresInDays: 1.5 }, 'expiresInDays', 'FIELD.NOT_AN_INTEGER'],
      [{ name: 'n'.repeat(101), expiresInDays: 3 }, 'name', 'FIELD.TOO_LONG'],
      [{ name: '   ', expiresInDays: 3 }, 'name', 'FIELD.REQUIRED'],
      [{ name: 'x', expiresInDays: 3, kind: 'sign_in' }, 'kind', 'FIELD.UNKNOWN_FIELD'],
      [{ expiresInDays: 3 }, 'name', 'FIELD.REQUIRED'],
    ];
    for (const [body, field, code] of cases) {
      const res = await api.post('/api/v1/me/tokens', body, { token: bearer });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    }
    const malformed = await api.request('POST', '/api/v1/me/tokens', { raw: '{name', token: bearer });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'REQUEST.MALFORMED_JSON']);
    const badPage = await api.get('/api/v1/me/tokens?page=0', { token: bearer });
    expect(badPage.status).toBe(422);
    expect(await count(`SELECT count(*) FROM api_tokens WHERE user_id = $1 AND kind = 'personal'`, [user.id])).toBe(0);
  });
});
