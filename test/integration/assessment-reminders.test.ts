import { AssessmentReminderJob } from '../../src/assessment/assessment-reminder.job.js';
import { REMINDER_TIMING } from '../../src/assessment/assignment.service.js';
import { assessmentRound, bidInAssessment, type AssessmentCast } from '../support/assessment-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Reminders before the due date and when overdue (escalated to grants officers) arrive once each
 * through the real SMTP sink; a job delivered twice sends once; a submitted or rescheduled
 * assessment gets none.
 */
let t: TestApp;
let api: ApiClient;
let cast: AssessmentCast;
const saved = { ...REMINDER_TIMING };

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  cast = await assessmentRound(t, api, { poolSize: 1, assessorsPerBid: 1 });
  await api.put(`/api/v1/rounds/${cast.round.roundId}/criteria`, { criteria: [{ key: 'need', name: 'Need', guidance: '', weight: 1, allowNotApplicable: false }], assessorsPerBid: 1, moderationThreshold: 20, dueDays: 1 }, { token: cast.officerToken });
});
afterAll(async () => {
  Object.assign(REMINDER_TIMING, saved);
  await t?.close();
});

const emailsTo = async (address: string, template: string): Promise<number> =>
  Number((await t.db.query(`SELECT count(*) AS n FROM email_messages WHERE to_address = $1 AND template = $2`, [address, template]))[0].n);

it('sends the reminder and the overdue notice (with its escalation) exactly once each', async () => {
  // Due tomorrow at 00:00 UTC: shift the offsets so the jobs fall due a moment from now.
  const tomorrow = new Date();
  tomorrow.setUTCHours(24, 0, 0, 0);
  REMINDER_TIMING.beforeMs = tomorrow.getTime() - Date.now() - 300;
  REMINDER_TIMING.overdueMs = Date.now() + 600 - tomorrow.getTime();
  const bid = await bidInAssessment(t, api, cast.round);
  Object.assign(REMINDER_TIMING, saved);
  const [a] = await t.db.query(`SELECT id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM assessments WHERE application_id = $1`, [bid.id]);
  const assessor = cast.assessors[0].email;
  await t.mailbox.waitFor(assessor, (m) => m.subject.startsWith('Assessment due on'));
  await t.mailbox.waitFor(assessor, (m) => m.subject.startsWith('Assessment overdue'));
  await t.mailbox.waitFor(cast.officer.email, (m) => m.subject.startsWith('Assessment overdue'));
  // Delivered again: nothing more.
  const job = t.app.get(AssessmentReminderJob);
  await job.handle({ assessmentId: a.id, kind: 'before', dueOn: a.due_on });
  await job.handle({ assessmentId: a.id, kind: 'overdue', dueOn: a.due_on });
  await t.settle();
  expect(await emailsTo(assessor, 'assessment-reminder')).toBe(1);
  expect(await emailsTo(assessor, 'assessment-overdue')).toBe(1);
  expect(await emailsTo(cast.officer.email, 'assessment-overdue')).toBe(1);
  expect(t.mailbox.messages.filter((m) => m.to.includes(assessor) && m.subject.startsWith('Assessment due on'))).toHaveLength(1);
});

it('sends nothing for a submitted assessment or for a due date that has moved', async () => {
  // The scheduled jobs fall far in the future here: only the deliveries below run.
  REMINDER_TIMING.beforeMs = -30 * 86400_000;
  REMINDER_TIMING.overdueMs = 30 * 86400_000;
  const bid = await bidInAssessment(t, api, cast.round);
  const [a] = await t.db.query(`SELECT id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM assessments WHERE application_id = $1`, [bid.id]);
  const token = cast.assessorTokens[0];
  await api.post(`/api/v1/assessments/${a.id}/no-conflict`, {}, { token });
  await api.put(`/api/v1/assessments/${a.id}`, { scores: [{ criterionKey: 'need', score: 4, comment: 'Fine' }], recommendation: 'fund' }, { token });
  expect((await api.post(`/api/v1/assessments/${a.id}/submit`, {}, { token })).status).toBe(200);
  const before = await emailsTo(cast.assessors[0].email, 'assessment-reminder');
  const job = t.app.get(AssessmentReminderJob);
  await job.handle({ assessmentId: a.id, kind: 'before', dueOn: a.due_on });
  expect(await emailsTo(cast.assessors[0].email, 'assessment-reminder')).toBe(before);

  const other = await bidInAssessment(t, api, cast.round);
  Object.assign(REMINDER_TIMING, saved);
  const [b] = await t.db.query(`SELECT id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM assessments WHERE application_id = $1`, [other.id]);
  await t.db.query(`UPDATE assessments SET due_on = due_on + 7 WHERE id = $1`, [b.id]);
  await job.handle({ assessmentId: b.id, kind: 'before', dueOn: b.due_on });
  expect(await emailsTo(cast.assessors[0].email, 'assessment-reminder')).toBe(before);
});
