import { AuditService } from '../../src/audit/audit.service.js';
import { createDataSource } from '../../src/database/data-source.js';
import { MailService } from '../../src/mail/mail.service.js';
import { SendMailJob } from '../../src/mail/send-mail.job.js';
import { OutboxService } from '../../src/queue/outbox.service.js';
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

describe('health and documentation', () => {
  it('answers live and ready with database, Redis and migrations up', async () => {
    expect((await api.get('/health/live')).body).toEqual({ status: 'ok' });
    const ready = await api.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: { status: 'up' }, redis: { status: 'up' }, migrations: { status: 'up' } });
  });

  it('serves OpenAPI 3 JSON and the interactive docs', async () => {
    const doc = await api.get('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    const html = await fetch(t.url + '/api/docs');
    expect(html.status).toBe(200);
  });

  it('returns a request id on every response', async () => {
    const res = await api.get('/health/live', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });
});

describe('errors', () => {
  it('maps unknown API routes to problem+json 404 with a code, no stack', async () => {
    const res = await api.get('/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'ROUTE.NOT_FOUND', title: 'Not found' });
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('answers malformed JSON with 400 REQUEST.MALFORMED_JSON and an oversized body with 413', async () => {
    const malformed = await api.request('POST', '/api/v1/communications/00000000-0000-4000-8000-000000000000/resend', { raw: '{"oops": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'REQUEST.MALFORMED_JSON', status: 400 });
    const huge = await api.request('POST', '/api/v1/communications/00000000-0000-4000-8000-000000000000/resend', { raw: JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('REQUEST.TOO_LARGE');
  });

  it('refuses a browser POST without a CSRF token with 403 CSRF.INVALID_TOKEN', async () => {
    const res = await fetch(t.url + '/staff/communications/test', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1', redirect: 'manual' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('The form has expired');
  });

  it('answers an over-long path parameter with a coded problem', async () => {
    const res = await api.get(`/api/v1/communications/${'a'.repeat(300)}`);
    expect(res.status).toBe(414);
    expect(res.body.code).toBe('REQUEST.PARAMETER_TOO_LONG');
  });

  it('renders an HTML 404 page for unknown pages', async () => {
    const res = await fetch(t.url + '/no-such-page');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Page not found');
  });
});

describe('schema', () => {
  it('the migrations produce exactly the schema the entities describe', async () => {
    const ds = createDataSource(t.config.databaseUrl);
    await ds.initialize();
    try {
      const sql = await ds.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it("every CHECK in the database allows exactly the values its entity's @Check lists", async () => {
    // TypeORM compares CHECKs by name only; this compares what they allow, so a status added to an
    // entity's list without a migration (or a migration without the list) fails here.
    const ds = createDataSource(t.config.databaseUrl);
    await ds.initialize();
    const literals = (sql: string) => [...sql.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]).sort();
    try {
      const checks = ds.entityMetadatas.flatMap((e) => e.checks.map((c) => ({ table: e.tableName, name: c.name, expression: c.expression ?? '' })));
      expect(checks.map((c) => c.name)).toEqual(
        expect.arrayContaining(['chk_applications_status', 'chk_rounds_status', 'chk_email_messages_status', 'chk_application_sections_status', 'chk_users_roles']),
      );
      for (const check of checks) {
        const rows: { def: string }[] = await t.db.query(
          `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid WHERE c.conname = $1 AND t.relname = $2`,
          [check.name, check.table],
        );
        expect({ name: check.name, allows: rows.map((r) => literals(r.def))[0] }).toEqual({ name: check.name, allows: literals(check.expression) });
      }
    } finally {
      await ds.destroy();
    }
  });

  it('refuses a status or role outside the lists', async () => {
    await expect(t.db.query(`INSERT INTO users (email, full_name, roles) VALUES ('wizard@example.test', 'W', ARRAY['wizard'])`)).rejects.toThrow(/chk_users_roles/);
    const [{ id }] = await t.db.query(`INSERT INTO users (email, full_name) VALUES ('member-check@example.test', 'M') RETURNING id`);
    await expect(t.db.query(`INSERT INTO one_time_tokens (user_id, purpose, token_hash, expires_at) VALUES ($1, 'bogus', $2, now())`, [id, 'x'.repeat(64)])).rejects.toThrow(
      /chk_one_time_tokens_purpose/,
    );
  });

  it('the audit trail refuses UPDATE and DELETE', async () => {
    await t.db.query(`INSERT INTO audit_events (actor_label, action, entity_type, entity_id) VALUES ('test', 'x.y', 'thing', '1')`);
    await expect(t.db.query(`UPDATE audit_events SET action = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_events`)).rejects.toThrow(/append-only/);
  });

  it('audit and outbox rows are written only inside the use case transaction', async () => {
    const actor = { userId: null, label: 'test' };
    const entry = { action: 'guard.checked', entityType: 'thing', entityId: 'guard-1' };
    await expect(t.app.get(AuditService).record(t.db.manager, actor, entry)).rejects.toThrow(/outside a transaction/);
    await expect(t.app.get(OutboxService).enqueue(t.db.manager, 'mail.send', { emailId: 'x' } as never)).rejects.toThrow(/outside a transaction/);
    await t.db.transaction((m) => t.app.get(AuditService).record(m, actor, entry));
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM audit_events WHERE entity_id = 'guard-1'`);
    expect(count).toBe(1);
  });
});

describe('outbox and mail', () => {
  const mail = () => t.app.get(MailService);

  it('a transaction that rolls back leaves no email and no job', async () => {
    const to = 'rollback@example.test';
    await expect(
      t.db.transaction(async (m) => {
        await mail().queue(m, { to, template: 'test-message', data: { name: 'Rolled Back' } });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await t.settle();
    const [{ count }] = await t.db.query(`SELECT count(*)::int AS count FROM email_messages WHERE to_address = $1`, [to]);
    expect(count).toBe(0);
    const [{ pending }] = await t.db.query(`SELECT count(*)::int AS pending FROM outbox WHERE dispatched_at IS NULL`);
    expect(pending).toBe(0);
    expect(t.mailbox.to(to)).toHaveLength(0);
  });

  it('a committed email is sent once, with text and HTML from one template, and logged as sent', async () => {
    const to = 'commit@example.test';
    const id = await t.db.transaction((m) => mail().queue(m, { to, template: 'test-message', data: { name: 'Committed' } }));
    await t.settle();
    const received = await t.mailbox.waitFor(to);
    expect(received.subject).toBe('Test message for Committed');
    expect(received.text).toContain('Hello Committed');
    expect(received.html).toContain('Hello Committed');
    const [row] = await t.db.query(`SELECT status, attempts, sent_at FROM email_messages WHERE id = $1`, [id]);
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('sends single-use links to the recipient but never keeps them where staff can read them', async () => {
    const to = 'secret@example.test';
    const secret = 'tok_' + 'x'.repeat(40);
    const id = await t.db.transaction((m) =>
      mail().queue(m, { to, template: 'test-message', data: { name: `Link ${t.url}/verify-email?token=${secret}` }, secrets: [secret] }),
    );
    const [before] = await t.db.query(`SELECT text_body, html_body, unsent_text_body FROM email_messages WHERE id = $1`, [id]);
    expect(before.text_body).not.toContain(secret);
    expect(before.html_body).not.toContain(secret);
    expect(before.text_body).toContain('token=[hidden]');
    expect(before.unsent_text_body).toContain(secret);
    await t.settle();
    const received = await t.mailbox.waitFor(to);
    expect(received.text).toContain(secret);
    const [after] = await t.db.query(`SELECT status, unsent_text_body, unsent_html_body FROM email_messages WHERE id = $1`, [id]);
    expect(after).toEqual({ status: 'sent', unsent_text_body: null, unsent_html_body: null });
    const [{ found }] = await t.db.query(`SELECT count(*)::int AS found FROM email_messages WHERE text_body LIKE $1 OR html_body LIKE $1`, [`%${secret}%`]);
    expect(found).toBe(0);
  });

  it('a mail job delivered twice sends once', async () => {
    const to = 'twice@example.test';
    const id = await t.db.transaction((m) => mail().queue(m, { to, template: 'test-message', data: { name: 'Twice' } }));
    await t.settle();
    await t.mailbox.waitFor(to);
    // Deliver the same job again, as BullMQ may after a stall.
    await t.app.get(SendMailJob).handle({ messageId: id }, { jobId: 'again', attempt: 2, finalAttempt: false });
    await new Promise((r) => setTimeout(r, 300));
    expect(t.mailbox.to(to)).toHaveLength(1);
  });
});
