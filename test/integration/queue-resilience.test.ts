import { MailService } from '../../src/mail/mail.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const queueEmail = (t: TestApp, to: string) =>
  t.db.transaction((m) => t.app.get(MailService).queue(m, { to, template: 'test-message', data: { name: 'Resilient' } }));

const waitUntil = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('a job that fails for a while', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ smtpSink: { failFirst: 1 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is retried with backoff and succeeds, recording each attempt', async () => {
    const id = await queueEmail(t, 'retry@example.test');
    const started = Date.now();
    const mail = await t.mailbox.waitFor('retry@example.test', () => true, 20000);
    expect(mail.subject).toBe('Test message for Resilient');
    // The first attempt was refused; BullMQ waited (exponential backoff from 2 s) before the second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    await waitUntil('the status to be recorded', async () => (await t.db.query(`SELECT status FROM email_messages WHERE id = $1`, [id]))[0].status === 'sent');
    const [row] = await t.db.query(`SELECT status, attempts, last_error FROM email_messages WHERE id = $1`, [id]);
    expect(row).toEqual({ status: 'sent', attempts: 2, last_error: null });
    expect(t.mailbox.started).toBe(2);
  }, 30000);
});

async function readAfterStop(databaseUrl: string, id: string): Promise<{ status: string }[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(`SELECT status FROM email_messages WHERE id = $1`, [id])).rows;
  } finally {
    await client.end();
  }
}

describe('stopping the service', () => {
  it('lets a job that is running finish before it stops', async () => {
    const t = await startTestApp({ smtpSink: { delayMs: 1500 } });
    const id = await queueEmail(t, 'graceful@example.test');
    await waitUntil('the email to be on its way', () => t.mailbox.started === 1);
    const [{ status }] = await t.db.query(`SELECT status FROM email_messages WHERE id = $1`, [id]);
    expect(status).toBe('sending');
    // Stop as production does, while the email is on its way; the database stays for the test to look at.
    await t.stop();
    const [row] = await readAfterStop(t.config.databaseUrl, id);
    expect(row.status).toBe('sent');
    expect(t.mailbox.to('graceful@example.test')).toHaveLength(1);
    await t.close();
  }, 30000);
});
