import { MailService } from '../../src/mail/mail.service.js';
import { PurgeJob } from '../../src/maintenance/purge.job.js';
import { createUser, sessionCookieFor, tokenFor } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('communications log with SMTP_URL unset', () => {
  let t: TestApp;
  let api: ReturnType<typeof apiClient>;
  let officerToken: string;

  beforeAll(async () => {
    t = await startTestApp({ smtp: false });
    api = apiClient(t.url);
    officerToken = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the email, marks it not sent, and shows it to staff', async () => {
    const to = 'nobody-sends@example.test';
    const id = await t.db.transaction((m) => t.app.get(MailService).queue(m, { to, template: 'test-message', data: { name: 'Unsent' } }));
    await t.settle();
    expect(t.mailbox.messages).toHaveLength(0);
    const list = await api.get(`/api/v1/communications?to=nobody-sends`, { token: officerToken });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ id, toAddress: to, status: 'not_sent', subject: 'Test message for Unsent' });
    expect(list.body.items[0].htmlBody).toBeUndefined();
    const one = await api.get(`/api/v1/communications/${id}`, { token: officerToken });
    expect(one.body.textBody).toContain('Hello Unsent');
  });

  it('never shows staff the single-use links of an unsent, failed or resent email (in any mode)', async () => {
    const secret = 'tok_' + 'y'.repeat(40);
    const id = await t.db.transaction((m) =>
      t.app.get(MailService).queue(m, { to: 'dev@example.test', template: 'test-message', data: { name: `token=${secret}` }, secrets: [secret] }),
    );
    await t.settle();
    const officerCookie = await sessionCookieFor(t, await createUser(t.db, { roles: ['grants_officer', 'administrator'] }));
    const everywhere = async () => {
      const one = await api.get(`/api/v1/communications/${id}`, { token: officerToken });
      expect(one.status).toBe(200);
      expect(one.body).not.toHaveProperty('linksShown');
      expect(one.body.textBody).toContain('token=[hidden]');
      const list = await api.get(`/api/v1/communications?to=dev@example.test`, { token: officerToken });
      const pages = await Promise.all(
        [`/staff/communications/${id}`, `/staff/communications/${id}/html`, '/staff/communications'].map(async (path) => {
          const res = await fetch(`${t.url}${path}`, { headers: { cookie: officerCookie } });
          expect([path, res.status]).toEqual([path, 200]);
          return res.text();
        }),
      );
      for (const shown of [one.text, list.text, ...pages]) expect(shown).not.toContain(secret);
    };
    // No mail server: not sent (the service's console has it in development; see mail-lease.test.ts).
    expect((await t.db.query(`SELECT status FROM email_messages WHERE id = $1`, [id]))[0].status).toBe('not_sent');
    await everywhere();
    // A failed send, and a resend of it: still hidden; the bodies as sent stay only for the next attempt.
    await t.db.query(`UPDATE email_messages SET status = 'failed', last_error = 'refused' WHERE id = $1`, [id]);
    await everywhere();
    expect((await api.post(`/api/v1/communications/${id}/resend`, undefined, { token: officerToken })).status).toBe(202);
    await everywhere();
    await t.settle();
    await everywhere();
    const [kept] = await t.db.query(`SELECT unsent_text_body FROM email_messages WHERE id = $1`, [id]);
    expect(kept.unsent_text_body).toContain(secret);
  });

  it('lets staff queue an unsent email again, and refuses to resend one that was sent', async () => {
    const id = await t.db.transaction((m) => t.app.get(MailService).queue(m, { to: 'again@example.test', template: 'test-message', data: { name: 'Again' } }));
    await t.settle();
    const first = await api.post(`/api/v1/communications/${id}/resend`, undefined, { token: officerToken });
    expect(first.status).toBe(202);
    await t.settle();
    const [{ attempts }] = await t.db.query(`SELECT attempts FROM email_messages WHERE id = $1`, [id]);
    expect(attempts).toBe(2);
    await t.db.query(`UPDATE email_messages SET status = 'sent' WHERE id = $1`, [id]);
    const second = await api.post(`/api/v1/communications/${id}/resend`, undefined, { token: officerToken });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('EMAIL.NOT_RESENDABLE');
    const audit = await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1`, [id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['email.resent']);
  });

  it('shows the audit trail per record to staff and the auditor, not to applicants', async () => {
    const id = await t.db.transaction((m) => t.app.get(MailService).queue(m, { to: 'audited@example.test', template: 'test-message', data: { name: 'Audited' } }));
    await t.settle();
    await api.post(`/api/v1/communications/${id}/resend`, undefined, { token: officerToken });
    const auditorToken = await tokenFor(t, await createUser(t.db, { roles: ['auditor'] }));
    const res = await api.get(`/api/v1/audit?entity=email&id=${id}`, { token: auditorToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 1, page: 1, items: [{ action: 'email.resent', entityType: 'email', entityId: id }] });
    const applicantToken = await tokenFor(t, await createUser(t.db));
    expect((await api.get(`/api/v1/audit?entity=email&id=${id}`, { token: applicantToken })).status).toBe(403);
    expect((await api.get(`/api/v1/audit?entity=DROP TABLE`, { token: auditorToken })).status).toBe(422);
  });

  it('refuses applicants and answers unknown ids with 404', async () => {
    const applicantToken = await tokenFor(t, await createUser(t.db));
    expect((await api.get('/api/v1/communications', { token: applicantToken })).status).toBe(403);
    const unknown = await api.get('/api/v1/communications/00000000-0000-4000-8000-000000000000', { token: officerToken });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('EMAIL.NOT_FOUND');
    expect((await api.get('/api/v1/communications/not-a-uuid', { token: officerToken })).status).toBe(404);
  });

  it('validates list filters', async () => {
    const res = await api.get('/api/v1/communications?status=lost&pageSize=1000', { token: officerToken });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['pageSize', 'status']);
  });
});

describe('housekeeping', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ workers: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('purges expired sessions and old dispatched outbox rows, and is idempotent', async () => {
    await t.db.query(`INSERT INTO sessions (sid, data, expires_at) VALUES ('old', '{}', now() - interval '1 minute'), ('live', '{}', now() + interval '1 hour')`);
    await t.db.query(
      `INSERT INTO outbox (job_name, payload, dispatched_at) VALUES ('mail.send', '{}', now() - interval '8 days'), ('mail.send', '{}', now() - interval '1 day')`,
    );
    const job = t.app.get(PurgeJob);
    await job.handle();
    await job.handle();
    expect((await t.db.query(`SELECT sid FROM sessions ORDER BY sid`)).map((r: { sid: string }) => r.sid)).toEqual(['live']);
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM outbox`);
    expect(count).toBe(1);
  });

  it('purges spent emailed links and ended API tokens once past their retention, keeping the rest', async () => {
    const user = await createUser(t.db);
    const link = (name: string, usedAt: string, createdAt: string) =>
      t.db.query(
        `INSERT INTO one_time_tokens (user_id, purpose, token_hash, expires_at, used_at, created_at) VALUES ($1, 'verify_email', $2, now() + interval '1 day', ${usedAt}, ${createdAt})`,
        [user.id, name.padEnd(64, '0')],
      );
    await link('a', `now() - interval '31 days'`, `now() - interval '31 days'`); // spent, old: purged
    await link('b', 'NULL', `now() - interval '31 days'`); // unused and live: kept
    await link('c', 'now()', 'now()'); // spent but recent: kept
    const token = (name: string, revokedAt: string, createdAt: string) =>
      t.db.query(
        `INSERT INTO api_tokens (user_id, name, kind, token_hash, token_prefix, expires_at, revoked_at, created_at) VALUES ($1, $2, 'personal', $3, 'scf_x', now() + interval '1 day', ${revokedAt}, ${createdAt})`,
        [user.id, name, name.padEnd(64, '0')],
      );
    await token('d', `now() - interval '91 days'`, `now() - interval '91 days'`); // revoked, old: purged
    await token('e', 'NULL', `now() - interval '91 days'`); // live: kept
    await t.app.get(PurgeJob).handle();
    const links = await t.db.query(`SELECT left(token_hash, 1) AS k FROM one_time_tokens WHERE user_id = $1 ORDER BY 1`, [user.id]);
    expect(links.map((r: { k: string }) => r.k)).toEqual(['b', 'c']);
    const tokens = await t.db.query(`SELECT name FROM api_tokens WHERE user_id = $1 ORDER BY 1`, [user.id]);
    expect(tokens.map((r: { name: string }) => r.name)).toEqual(['e']);
  });

  it('sweeps upload temp files abandoned more than a day ago, and only those', async () => {
    const { mkdirSync, writeFileSync, utimesSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const tmp = join(t.config.storageDir, 'tmp');
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, 'old.part'), 'x');
    writeFileSync(join(tmp, 'fresh.part'), 'x');
    writeFileSync(join(tmp, 'keep.txt'), 'x');
    const twoDaysAgo = new Date(Date.now() - 48 * 3600 * 1000);
    utimesSync(join(tmp, 'old.part'), twoDaysAgo, twoDaysAgo);
    expect(await t.app.get(PurgeJob).sweepAbandonedUploads()).toBe(1);
    expect(readdirSync(tmp).sort()).toEqual(['fresh.part', 'keep.txt']);
  });
});
