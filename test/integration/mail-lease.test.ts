import { MailService } from '../../src/mail/mail.service.js';
import { OutboxRelay } from '../../src/queue/outbox-relay.js';
import { spawnTs, type Spawned } from './processes/spawn.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const LEASE_SECONDS = 12;
const EMAILS = 6;

const waitUntil = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('a mail worker killed (SIGKILL) in the middle of sending', () => {
  let t: TestApp;
  const workers: Spawned[] = [];
  const workerEnv = () => ({
    NODE_ENV: 'test',
    DATABASE_URL: t.config.databaseUrl,
    REDIS_URL: t.config.redisUrl,
    QUEUE_PREFIX: t.config.queuePrefix,
    SMTP_URL: t.mailbox.url,
    MAIL_LEASE_SECONDS: String(LEASE_SECONDS),
    LOG_LEVEL: 'fatal',
  });

  beforeAll(async () => {
    // This process only writes the emails; the workers are separate processes. Each message takes
    // the SMTP server 4 s to accept (less than the lease), so the first worker is killed while all of them are on their way.
    t = await startTestApp({ workers: false, smtpSink: { delayMs: 4000 }, env: { MAIL_LEASE_SECONDS: String(LEASE_SECONDS) } });
    // The killed worker's connections are reset mid-message: the SMTP server reports that as an error.
    (t.mailbox as unknown as { server: { on(event: 'error', listener: () => void): void } }).server.on('error', () => undefined);
  });
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await t?.close();
  });

  it('leaves its claims to run out, and a fresh worker takes them over and sends every email', async () => {
    const ids: string[] = [];
    for (let i = 0; i < EMAILS; i++) {
      ids.push(await t.db.transaction((m) => t.app.get(MailService).queue(m, { to: `lease${i}@example.test`, template: 'test-message', data: { name: `Lease ${i}` } })));
    }
    await t.app.get(OutboxRelay).drain();

    const first = spawnTs('test/integration/processes/mail-worker.ts', workerEnv());
    workers.push(first);
    await first.waitForOutput('mail worker ready');
    await waitUntil('every email to be on its way', () => t.mailbox.started >= EMAILS);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const stuck: { status: string; lease_expires_at: Date }[] = await t.db.query(`SELECT status, lease_expires_at FROM email_messages WHERE id = ANY($1)`, [ids]);
    expect(stuck.map((r) => r.status)).toEqual(Array(EMAILS).fill('sending'));
    expect(stuck.every((r) => r.lease_expires_at instanceof Date)).toBe(true);

    const fresh = spawnTs('test/integration/processes/mail-worker.ts', workerEnv());
    workers.push(fresh);
    await fresh.waitForOutput('mail worker ready');
    const killedAt = Date.now();
    await waitUntil('the fresh worker to send every email', async () => {
      const rows: { status: string }[] = await t.db.query(`SELECT status FROM email_messages WHERE id = ANY($1)`, [ids]);
      return rows.every((r) => r.status === 'sent');
    }, 90_000);
    // Taken over after the lease, not before (the claims were still live when the fresh worker started, or had just run out).
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    const rows: { attempts: number; lease_expires_at: Date | null }[] = await t.db.query(`SELECT attempts, lease_expires_at FROM email_messages WHERE id = ANY($1)`, [ids]);
    // Each was claimed again (at least once more: on a very slow machine a send can outlast a lease).
    expect(rows.map((r) => [r.attempts >= 2, r.lease_expires_at])).toEqual(rows.map(() => [true, null]));

    // Every recipient has the email. The killed worker's copies may have reached the SMTP server
    // too (accepted, but the worker died before it recorded "sent"): they carry the same Message-ID.
    for (let i = 0; i < EMAILS; i++) {
      const received = t.mailbox.to(`lease${i}@example.test`);
      expect(received.length).toBeGreaterThanOrEqual(1);
      expect(new Set(received.map((m) => m.headers.get('message-id'))).size).toBe(1);
      expect(received[0].headers.get('message-id')).toBe(`<${ids[i]}@localhost>`);
    }
  }, 300_000);
});

describe('with no mail server, in development', () => {
  let t: TestApp;
  let worker: Spawned | null = null;
  beforeAll(async () => {
    t = await startTestApp({ workers: false, smtp: false });
  });
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await t?.close();
  });

  it("prints single-use links on the service's own console, and nowhere staff can read", async () => {
    const secret = 'tok_' + 'z'.repeat(40);
    const id = await t.db.transaction((m) =>
      t.app.get(MailService).queue(m, { to: 'console@example.test', template: 'test-message', data: { name: `${t.url}/reset-password?token=${secret}` }, secrets: [secret] }),
    );
    await t.app.get(OutboxRelay).drain();
    worker = spawnTs('test/integration/processes/mail-worker.ts', {
      NODE_ENV: 'development',
      DATABASE_URL: t.config.databaseUrl,
      REDIS_URL: t.config.redisUrl,
      QUEUE_PREFIX: t.config.queuePrefix,
      SMTP_URL: '',
      LOG_LEVEL: 'fatal',
    });
    await worker.waitForOutput(`-- end of email ${id}`);
    expect(worker.output()).toContain(`token=${secret}`);
    expect(worker.output()).toContain('To: console@example.test');
    const [row] = await t.db.query(`SELECT status, text_body, html_body FROM email_messages WHERE id = $1`, [id]);
    expect(row.status).toBe('not_sent');
    expect(row.text_body + row.html_body).not.toContain(secret);
  }, 300_000);
});
