import { createUser, TEST_PASSWORD, tokenFor, uniqueEmail, type TestUser } from '../support/factories.js';
import { errorSummaryOf, FormClient, textOf } from '../support/form-client.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { linkIn, type ReceivedMail } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Administrators and people: list, invite staff, roles, disable and enable; pages and API. */
let t: TestApp;
let api: ApiClient;
let admin: TestUser;
let adminToken: string;
let adminBrowser: FormClient;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  admin = await createUser(t.db, { roles: ['administrator'], fullName: 'Alex Admin' });
  adminToken = await tokenFor(t, admin);
  adminBrowser = new FormClient(t.url);
  await adminBrowser.signIn(admin.email, TEST_PASSWORD);
});
afterAll(async () => {
  await t?.close();
});

const PASSWORD = 'granite meadow compass';
const pathOf = (link: string) => link.replace(t.url, '');
const auditOf = (entityId: string) =>
  t.db.query(`SELECT action, actor_user_id, before, after, reason FROM audit_events WHERE entity_id = $1 ORDER BY id`, [entityId]);

async function mailTo(email: string, subject: RegExp): Promise<ReceivedMail> {
  await t.settle();
  return t.mailbox.waitFor(email, (m) => subject.test(m.subject));
}

describe('who may manage people', () => {
  it('sends anonymous visitors to sign in, and gives the API 401', async () => {
    const page = await new FormClient(t.url).get('/admin/users');
    expect([page.status, page.location]).toEqual([303, '/sign-in']);
    for (const [method, path] of [
      ['GET', '/api/v1/admin/users'],
      ['POST', '/api/v1/admin/users'],
      ['PUT', `/api/v1/admin/users/${admin.id}/roles`],
      ['POST', `/api/v1/admin/users/${admin.id}/disable`],
    ]) {
      const res = await api.request(method, path, { body: method === 'GET' ? undefined : {} });
      expect([res.status, res.body.code]).toEqual([401, 'AUTH.REQUIRED']);
    }
  });

  it('refuses applicants and other staff (403), pages and API', async () => {
    for (const roles of [[], ['grants_officer'], ['auditor']] as const) {
      const person = await createUser(t.db, { roles: [...roles] });
      const browser = new FormClient(t.url);
      await browser.signIn(person.email, TEST_PASSWORD);
      for (const path of ['/admin/users', '/admin/users/invite', `/admin/users/${admin.id}`]) {
        expect((await browser.get(path)).status).toBe(403);
      }
      const post = await browser.submit(`/admin/users/${admin.id}/disable`, {}, { form: '/account' });
      expect(post.status).toBe(403);
      const token = await tokenFor(t, person);
      const list = await api.get('/api/v1/admin/users', { token });
      expect([list.status, list.body.code]).toEqual([403, 'ACCESS.FORBIDDEN']);
      const invite = await api.post('/api/v1/admin/users', { email: uniqueEmail('x'), fullName: 'X', roles: ['administrator'] }, { token });
      expect(invite.status).toBe(403);
      const promote = await api.put(`/api/v1/admin/users/${person.id}/roles`, { roles: ['administrator'] }, { token });
      expect(promote.status).toBe(403);
    }
    const [{ disabled_at }] = await t.db.query(`SELECT disabled_at FROM users WHERE id = $1`, [admin.id]);
    expect(disabled_at).toBeNull();
  });
});

describe('listing people', () => {
  it('filters by role, searches by email and pages (API)', async () => {
    const tag = `findme${Date.now()}`;
    const assessors = await Promise.all([1, 2, 3].map((i) => createUser(t.db, { email: `${tag}-assessor${i}@example.test`, roles: ['assessor'] })));
    const applicant = await createUser(t.db, { email: `${tag}-applicant@example.test` });

    const all = await api.get(`/api/v1/admin/users?q=${tag}`, { token: adminToken });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(4);
    expect(all.body.items.map((u: { email: string }) => u.email)).toEqual([applicant.email, ...assessors.map((a) => a.email)].sort());
    expect(all.body.items[0]).toEqual({
      id: applicant.id,
      email: applicant.email,
      fullName: 'Test Person',
      roles: [],
      status: 'active',
      emailVerifiedAt: expect.any(String),
      disabledAt: null,
      createdAt: expect.any(String),
    });
    expect(all.text).not.toMatch(/password/i);

    const onlyAssessors = await api.get(`/api/v1/admin/users?q=${tag}&role=assessor&pageSize=2&page=2`, { token: adminToken });
    expect(onlyAssessors.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(onlyAssessors.body.items.map((u: { email: string }) => u.email)).toEqual([assessors[2].email]);

    const applicants = await api.get(`/api/v1/admin/users?q=${tag.toUpperCase()}&role=applicant`, { token: adminToken });
    expect(applicants.body.items.map((u: { id: string }) => u.id)).toEqual([applicant.id]);

    // LIKE wildcards are searched for literally.
    expect((await api.get(`/api/v1/admin/users?q=%25`, { token: adminToken })).body.total).toBe(0);

    for (const query of ['role=wizard', 'page=0', 'pageSize=201', 'page=abc', 'sort=email']) {
      const res = await api.get(`/api/v1/admin/users?${query}`, { token: adminToken });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('VALIDATION.FAILED');
    }
  });

  it('shows the list with filters on the page', async () => {
    const tag = `pagelist${Date.now()}`;
    const officer = await createUser(t.db, { email: `${tag}-officer@example.test`, roles: ['grants_officer'], fullName: 'Olu Officer' });
    await createUser(t.db, { email: `${tag}-applicant@example.test` });
    const page = await adminBrowser.get(`/admin/users?q=${tag}&role=grants_officer`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(officer.email);
    expect(text).toContain('Olu Officer');
    expect(text).toContain('Grants officer');
    expect(text).not.toContain(`${tag}-applicant`);
    expect(page.html).toContain(`href="/admin/users/${officer.id}"`);
    expect(page.html).toMatch(/<option value="grants_officer" selected>/);
    expect(page.html).toContain('href="/admin/users/invite"');
    // Nonsense filters are ignored rather than failing.
    expect((await adminBrowser.get('/admin/users?role=wizard&page=-3')).status).toBe(200);
  });
});

describe('inviting staff', () => {
  it('invites by page; the person sets a password from the email, signs in and has the roles', async () => {
    const email = uniqueEmail('newstaff');
    const form = await adminBrowser.get('/admin/users/invite');
    expect(form.html).toMatch(/<input[^>]*type="checkbox"[^>]*value="assessor"/);

    const empty = await adminBrowser.submit('/admin/users/invite', { email: '', fullName: '' });
    expect(empty.status).toBe(422);
    expect(errorSummaryOf(empty.html)).toEqual(['Enter your email address', 'Enter your full name', 'Select at least one role']);
    expect(empty.html).toContain('<a href="#roles">Select at least one role</a>');

    const res = await adminBrowser.submit('/admin/users/invite', { email: email.toUpperCase(), fullName: 'Sam Patel', roles: ['assessor', 'panel_member'] });
    expect(res.status).toBe(303);
    const [created] = await t.db.query(`SELECT id, password_hash, email_verified_at, roles FROM users WHERE email = $1`, [email]);
    expect(created).toMatchObject({ password_hash: null, email_verified_at: null, roles: ['assessor', 'panel_member'] });
    expect(res.location).toBe(`/admin/users/${created.id}`);
    const shown = await adminBrowser.follow(res);
    expect(textOf(shown.html)).toContain('Invitation sent');
    expect(textOf(shown.html)).toContain('Invited');

    // Not usable before the password is set.
    expect((await api.post('/api/v1/auth/token', { email, password: PASSWORD })).status).toBe(401);

    const mail = await mailTo(email, /invited/);
    expect(mail.text).toContain('Assessor, Panel member');
    const link = pathOf(linkIn(mail, '/accept-invite?token='));
    const [{ expires_at }] = await t.db.query(`SELECT expires_at FROM one_time_tokens WHERE user_id = $1 AND purpose = 'staff_invite'`, [created.id]);
    expect(new Date(expires_at).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);

    const person = new FormClient(t.url);
    const acceptForm = await person.get(link);
    expect(acceptForm.status).toBe(200);
    expect(textOf(acceptForm.html)).toContain('Sam Patel');
    expect(acceptForm.html).toMatch(/<input[^>]*id="password"[^>]*autocomplete="new-password"/);
    const token = new URL(t.url + link).searchParams.get('token')!;
    const weak = await person.submit('/accept-invite', { token, password: 'password1234' }, { form: link });
    expect(weak.status).toBe(422);
    const accepted = await person.submit('/accept-invite', { token, password: PASSWORD }, { form: link });
    expect([accepted.status, accepted.location]).toEqual([303, '/sign-in']);
    expect(textOf((await person.follow(accepted)).html)).toContain('Your password has been set');

    const signedIn = await person.signIn(email, PASSWORD);
    // Assessors land on their queue of assessments.
    expect(signedIn.location).toBe('/assessments');
    const account = textOf((await person.get('/account')).html);
    expect(account).toContain('Assessor');
    expect(account).toContain('Panel member');
    const bearer = (await api.post('/api/v1/auth/token', { email, password: PASSWORD })).body.token;
    expect((await api.get('/api/v1/me', { token: bearer })).body.roles).toEqual(['assessor', 'panel_member']);

    const again = await new FormClient(t.url).get(link);
    expect(again.status).toBe(410);
    expect(textOf(again.html)).toContain('This link has already been used');

    const audit = await auditOf(created.id);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['user.invited', 'user.invite_accepted']);
    expect(audit[0]).toMatchObject({ actor_user_id: admin.id, after: { email, fullName: 'Sam Patel', roles: ['assessor', 'panel_member'] } });
  });

  it('invites over the API; an expired invitation cannot be used', async () => {
    const email = uniqueEmail('apistaff');
    const res = await api.post('/api/v1/admin/users', { email, fullName: 'Jo Walker', roles: ['finance_officer'] }, { token: adminToken });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ created: true, user: { email, fullName: 'Jo Walker', roles: ['finance_officer'], status: 'invited' } });
    const token = new URL(linkIn(await mailTo(email, /invited/), '/accept-invite?token=')).searchParams.get('token')!;
    await t.db.query(`UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [res.body.user.id]);
    const page = await new FormClient(t.url).get(`/accept-invite?token=${token}`);
    expect(page.status).toBe(410);
    expect(textOf(page.html)).toContain('This link has expired');
    const accept = await api.post('/api/v1/auth/accept-invite', { token, password: PASSWORD });
    expect([accept.status, accept.body.code]).toEqual([410, 'TOKEN.EXPIRED']);
    const [{ password_hash }] = await t.db.query(`SELECT password_hash FROM users WHERE id = $1`, [res.body.user.id]);
    expect(password_hash).toBeNull();

    // Inviting again sends a fresh link that works.
    const again = await api.post('/api/v1/admin/users', { email, fullName: 'Jo Walker', roles: ['finance_officer'] }, { token: adminToken });
    expect(again.body.created).toBe(false);
    await t.settle();
    const mails = t.mailbox.to(email).filter((m) => /invited/.test(m.subject));
    expect(mails).toHaveLength(2);
    const fresh = new URL(linkIn(mails[1], '/accept-invite?token=')).searchParams.get('token')!;
    const ok = await api.post('/api/v1/auth/accept-invite', { token: fresh, password: PASSWORD });
    expect(ok.body).toEqual({ email, accepted: true });
    expect((await api.post('/api/v1/auth/token', { email, password: PASSWORD })).status).toBe(201);
  });

  it('adds roles to an existing account instead of creating another', async () => {
    const applicant = await createUser(t.db);
    const res = await api.post('/api/v1/admin/users', { email: applicant.email, fullName: 'Ignored Name', roles: ['assessor'] }, { token: adminToken });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ created: false, user: { id: applicant.id, fullName: 'Test Person', roles: ['assessor'], status: 'active' } });
    const mail = await mailTo(applicant.email, /roles/);
    expect(mail.text).toContain('Assessor');
    expect(linkIn(mail, '/sign-in')).toBe(`${t.url}/sign-in`);
    const audit = await auditOf(applicant.id);
    expect(audit).toEqual([expect.objectContaining({ action: 'user.roles_changed', before: { roles: [] }, after: { roles: ['assessor'] }, reason: 'Invited as staff' })]);
  });

  it('refuses bad invitations with codes and creates nothing', async () => {
    const email = uniqueEmail('badinvite');
    const cases: [unknown, string, string][] = [
      [{ email, fullName: 'X', roles: [] }, 'roles', 'FIELD.REQUIRED'],
      [{ email, fullName: 'X', roles: ['wizard'] }, 'roles', 'FIELD.NOT_ALLOWED_VALUE'],
      [{ email, fullName: 'X', roles: 'assessor' }, 'roles', 'FIELD.NOT_AN_ARRAY'],
      [{ email: 'nope', fullName: 'X', roles: ['assessor'] }, 'email', 'FIELD.INVALID_EMAIL'],
      [{ email, fullName: '', roles: ['assessor'] }, 'fullName', 'FIELD.REQUIRED'],
      [{ email, fullName: 'X'.repeat(121), roles: ['assessor'] }, 'fullName', 'FIELD.TOO_LONG'],
      [{ email, fullName: 'X', roles: ['assessor'], password: 'x' }, 'password', 'FIELD.UNKNOWN_FIELD'],
    ];
    for (const [body, field, code] of cases) {
      const res = await api.post('/api/v1/admin/users', body, { token: adminToken });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    }
    const page = await adminBrowser.submit('/admin/users/invite', { email, fullName: 'X', roles: ['wizard'] });
    expect(page.status).toBe(422);
    expect(errorSummaryOf(page.html)).toEqual(['Select roles from the list']);
    expect(await t.db.query(`SELECT id FROM users WHERE email = $1`, [email])).toEqual([]);
  });
});

describe('changing roles', () => {
  it('sets roles (page and API), takes effect at once and is audited', async () => {
    const person = await createUser(t.db, { roles: ['assessor'] });
    const personToken = await tokenFor(t, person);
    const res = await api.put(`/api/v1/admin/users/${person.id}/roles`, { roles: ['grants_officer', 'assessor'] }, { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual(['grants_officer', 'assessor']);
    expect((await api.get('/api/v1/me', { token: personToken })).body.roles).toEqual(['grants_officer', 'assessor']);

    const same = await api.put(`/api/v1/admin/users/${person.id}/roles`, { roles: ['assessor', 'grants_officer'] }, { token: adminToken });
    expect(same.status).toBe(200);

    const page = await adminBrowser.get(`/admin/users/${person.id}`);
    expect(page.html).toMatch(/value="grants_officer" checked/);
    const saved = await adminBrowser.submit(`/admin/users/${person.id}/roles`, { roles: 'auditor' }, { form: `/admin/users/${person.id}` });
    expect([saved.status, saved.location]).toEqual([303, `/admin/users/${person.id}`]);
    expect(textOf((await adminBrowser.follow(saved)).html)).toContain('Roles updated');
    // No boxes ticked: no staff roles at all.
    await adminBrowser.submit(`/admin/users/${person.id}/roles`, {}, { form: `/admin/users/${person.id}` });
    expect((await api.get('/api/v1/me', { token: personToken })).body.roles).toEqual([]);

    const audit = await auditOf(person.id);
    expect(audit.map((a: { before: unknown; after: unknown }) => [a.before, a.after])).toEqual([
      [{ roles: ['assessor'] }, { roles: ['grants_officer', 'assessor'] }],
      [{ roles: ['grants_officer', 'assessor'] }, { roles: ['auditor'] }],
      [{ roles: ['auditor'] }, { roles: [] }],
    ]);
    expect(audit.every((a: { actor_user_id: string }) => a.actor_user_id === admin.id)).toBe(true);
  });

  it('does not let an administrator remove their own administrator role', async () => {
    const res = await api.put(`/api/v1/admin/users/${admin.id}/roles`, { roles: ['grants_officer'] }, { token: adminToken });
    expect([res.status, res.body.code]).toEqual([409, 'USER.CANNOT_REMOVE_OWN_ADMIN_ROLE']);
    const page = await adminBrowser.submit(`/admin/users/${admin.id}/roles`, { roles: 'grants_officer' }, { form: `/admin/users/${admin.id}` });
    expect(page.status).toBe(409);
    expect(errorSummaryOf(page.html)).toEqual(['You cannot remove your own administrator role. Ask another administrator to do it.']);
    expect(page.html).toContain('<a href="#roles">You cannot remove');
    expect(page.html).toMatch(/value="grants_officer" checked/); // what they chose is shown again
    // Adding a role to themselves is fine.
    const add = await api.put(`/api/v1/admin/users/${admin.id}/roles`, { roles: ['administrator', 'auditor'] }, { token: adminToken });
    expect(add.status).toBe(200);
    await api.put(`/api/v1/admin/users/${admin.id}/roles`, { roles: ['administrator'] }, { token: adminToken });
    const [{ roles }] = await t.db.query(`SELECT roles FROM users WHERE id = $1`, [admin.id]);
    expect(roles).toEqual(['administrator']);
  });

  it('refuses bad roles and unknown people with codes', async () => {
    const person = await createUser(t.db, { roles: ['assessor'] });
    for (const [body, code] of [
      [{ roles: ['wizard'] }, 'FIELD.NOT_ALLOWED_VALUE'],
      [{ roles: 'assessor' }, 'FIELD.NOT_AN_ARRAY'],
      [{}, 'FIELD.REQUIRED'],
      [{ roles: [], extra: 1 }, 'FIELD.UNKNOWN_FIELD'],
    ] as const) {
      const res = await api.put(`/api/v1/admin/users/${person.id}/roles`, body, { token: adminToken });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { code: string }) => e.code)).toContain(code);
    }
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await api.put(`/api/v1/admin/users/${id}/roles`, { roles: [] }, { token: adminToken });
      expect([res.status, res.body.code]).toEqual([404, 'USER.NOT_FOUND']);
      expect((await api.get(`/api/v1/admin/users/${id}`, { token: adminToken })).status).toBe(404);
      expect((await api.post(`/api/v1/admin/users/${id}/disable`, {}, { token: adminToken })).status).toBe(404);
      expect((await adminBrowser.get(`/admin/users/${id}`)).status).toBe(404);
    }
    const [{ roles }] = await t.db.query(`SELECT roles FROM users WHERE id = $1`, [person.id]);
    expect(roles).toEqual(['assessor']);
  });
});

describe('disabling and enabling accounts', () => {
  it('disabling by page ends the person’s sessions and API tokens at once; enabling lets them sign in again', async () => {
    const person = await createUser(t.db, { roles: ['assessor'] });
    const theirBrowser = new FormClient(t.url);
    await theirBrowser.signIn(person.email, TEST_PASSWORD);
    const theirToken = await tokenFor(t, person);
    expect((await theirBrowser.get('/account')).status).toBe(200);

    const confirm = await adminBrowser.get(`/admin/users/${person.id}/disable`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain('Are you sure you want to disable');
    const tooLong = await adminBrowser.submit(`/admin/users/${person.id}/disable`, { reason: 'r'.repeat(501) });
    expect(tooLong.status).toBe(422);
    expect((await theirBrowser.get('/account')).status).toBe(200);

    const res = await adminBrowser.submit(`/admin/users/${person.id}/disable`, { reason: 'Left the organisation' });
    expect([res.status, res.location]).toEqual([303, `/admin/users/${person.id}`]);
    expect(textOf((await adminBrowser.follow(res)).html)).toContain('Account disabled');

    expect((await theirBrowser.get('/account')).location).toBe('/sign-in');
    const refused = await api.get('/api/v1/me', { token: theirToken });
    expect([refused.status, refused.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);
    const [{ live }] = await t.db.query(`SELECT count(*)::int AS live FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL`, [person.id]);
    expect(live).toBe(0);
    expect((await new FormClient(t.url).submit('/sign-in', { email: person.email, password: TEST_PASSWORD })).status).toBe(403);

    const enabled = await adminBrowser.submit(`/admin/users/${person.id}/enable`, {}, { form: `/admin/users/${person.id}` });
    expect(enabled.status).toBe(303);
    expect((await new FormClient(t.url).signIn(person.email, TEST_PASSWORD)).status).toBe(303);
    expect((await api.get('/api/v1/me', { token: theirToken })).status).toBe(401);

    const audit = await auditOf(person.id);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['user.disabled', 'user.enabled']);
    expect(audit[0]).toMatchObject({ actor_user_id: admin.id, reason: 'Left the organisation', before: { disabledAt: null } });
  });

  it('disables over the API, repeatably, and stops a token that is in use', async () => {
    const person = await createUser(t.db);
    const theirToken = await tokenFor(t, person);
    const res = await api.post(`/api/v1/admin/users/${person.id}/disable`, { reason: 'Suspicious activity' }, { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: person.id, status: 'disabled', disabledAt: expect.any(String) });
    const again = await api.post(`/api/v1/admin/users/${person.id}/disable`, {}, { token: adminToken });
    expect(again.body.disabledAt).toBe(res.body.disabledAt);
    expect((await api.get('/api/v1/me', { token: theirToken })).status).toBe(401);
    const bad = await api.post(`/api/v1/admin/users/${person.id}/disable`, { reason: 5 }, { token: adminToken });
    expect(bad.status).toBe(422);
    const enabled = await api.post(`/api/v1/admin/users/${person.id}/enable`, undefined, { token: adminToken });
    expect(enabled.body).toMatchObject({ status: 'active', disabledAt: null });
    expect((await auditOf(person.id)).map((a: { action: string }) => a.action)).toEqual(['user.disabled', 'user.enabled']);
  });

  it('does not let an administrator disable themselves', async () => {
    const res = await api.post(`/api/v1/admin/users/${admin.id}/disable`, {}, { token: adminToken });
    expect([res.status, res.body.code]).toEqual([409, 'USER.CANNOT_DISABLE_SELF']);
    const page = await adminBrowser.submit(`/admin/users/${admin.id}/disable`, {}, { form: `/admin/users/${admin.id}` });
    expect(page.status).toBe(409);
    expect(errorSummaryOf(page.html)).toEqual(['You cannot disable your own account. Ask another administrator to do it.']);
    expect((await adminBrowser.get('/admin/users')).status).toBe(200);
    const [{ disabled_at }] = await t.db.query(`SELECT disabled_at FROM users WHERE id = $1`, [admin.id]);
    expect(disabled_at).toBeNull();
  });
});
