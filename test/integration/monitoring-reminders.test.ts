import { addCalendarDays, fromLondon } from '../../src/common/dates.js';
import { ReturnReminderJob } from '../../src/monitoring/return-reminder.job.js';
import { createUser } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { acceptedAward, submitReturn } from '../support/monitoring-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Reminders of monitoring returns: scheduled when the award's returns are created,
 * RETURN_REMINDER_DAYS_BEFORE (14) before the due date and RETURN_OVERDUE_AFTER_DAYS (7) after it,
 * at the start of the day in London. Delivered (here by handling the jobs directly, as the
 * delayed queue would), each arrives once through the real SMTP sink, to the owners, the overdue
 * one to the grants officers too; a job delivered twice sends once; a job for another due date,
 * or for a return already submitted, sends nothing.
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

const londonMidnight = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number);
  return fromLondon({ year, month, day, hour: 0, minute: 0 }).toISOString();
};
const jobAt = async (key: string): Promise<string | undefined> => ((await t.db.query(`SELECT available_at FROM outbox WHERE job_key = $1`, [key]))[0]?.available_at as Date | undefined)?.toISOString();
const emails = async (address: string, template: string): Promise<number> =>
  Number((await t.db.query(`SELECT count(*) AS n FROM email_messages WHERE to_address = $1 AND template = $2`, [address.toLowerCase(), template]))[0].n);

it('schedules a reminder 14 days before and an overdue notice 7 days after each due date, at the start of the London day', async () => {
  expect([t.config.returnReminderDaysBefore, t.config.returnOverdueAfterDays]).toEqual([14, 7]);
  const award = await acceptedAward(t, api);
  for (const r of award.returns) {
    expect(await jobAt(`return-before-${r.id}-${r.dueOn}`)).toBe(londonMidnight(addCalendarDays(r.dueOn, -14)));
    expect(await jobAt(`return-overdue-${r.id}-${r.dueOn}`)).toBe(londonMidnight(addCalendarDays(r.dueOn, 7)));
  }
});

it('the reminder and the overdue notice (with its escalation) arrive once each; none for another due date or once the return is submitted', async () => {
  const officer = await createUser(t.db, { roles: ['grants_officer'] });
  const award = await acceptedAward(t, api);
  const [first, final] = award.returns;
  const job = t.app.get(ReturnReminderJob);
  const owner = award.owner.email;

  await job.handle({ returnId: first.id, kind: 'before', dueOn: first.dueOn });
  await job.handle({ returnId: first.id, kind: 'before', dueOn: first.dueOn });
  const reminder = await t.mailbox.waitFor(owner, (m) => m.subject.startsWith('Monitoring return due on'));
  expect(reminder.subject).toContain(award.reference);
  expect(reminder.text).toContain(`/returns/${first.id}`);

  await job.handle({ returnId: first.id, kind: 'overdue', dueOn: first.dueOn });
  await job.handle({ returnId: first.id, kind: 'overdue', dueOn: first.dueOn });
  await t.mailbox.waitFor(owner, (m) => m.subject === `Monitoring return overdue: ${award.reference}`);
  const escalation = await t.mailbox.waitFor(officer.email, (m) => m.subject === `Monitoring return overdue: ${award.reference}`);
  expect(escalation.text).toContain('has not been submitted');

  // Another due date's job (the date moved) sends nothing.
  await job.handle({ returnId: first.id, kind: 'overdue', dueOn: addCalendarDays(first.dueOn, 1) });
  // The final return, submitted: its reminders send nothing.
  await submitReturn(t, api, award, final.id, [10_000]);
  await job.handle({ returnId: final.id, kind: 'before', dueOn: final.dueOn });
  await job.handle({ returnId: final.id, kind: 'overdue', dueOn: final.dueOn });
  await t.settle();

  expect(await emails(owner, 'return-reminder')).toBe(1);
  expect(await emails(owner, 'return-overdue')).toBe(1);
  expect(await emails(officer.email, 'return-overdue')).toBe(1);
  expect(t.mailbox.to(owner).filter((m) => m.subject.startsWith('Monitoring return due on'))).toHaveLength(1);
  expect(t.mailbox.to(owner).filter((m) => m.subject.startsWith('Monitoring return overdue'))).toHaveLength(1);
  const sent = await t.db.query(`SELECT return_id, kind FROM return_reminders WHERE return_id = ANY($1::uuid[]) ORDER BY kind`, [[first.id, final.id]]);
  expect(sent).toEqual([
    { return_id: first.id, kind: 'before' },
    { return_id: first.id, kind: 'overdue' },
  ]);
});
