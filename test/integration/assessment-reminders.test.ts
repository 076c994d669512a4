import { AssessmentReminderJob } from '../../src/assessment/assessment-reminder.job.js';
import { londonDate } from '../../src/common/dates.js';
import { createUser, tokenFor } from '../support/factories.js';
import { assessmentRound, bidInAssessment, type AssessmentCast } from '../support/assessment-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Reminders before the due date and when overdue (escalated to grants officers) arrive once each
 * through the real SMTP sink; a job delivered twice sends once; a submitted or rescheduled
 * assessment gets none for its old date. The offsets are the settings
 * ASSESSMENT_REMINDER_DAYS_BEFORE and ASSESSMENT_OVERDUE_AFTER_DAYS, both 0 here: an assessment
 * rescheduled to today has both its jobs due at once, while those of a 30-day assessment wait.
 */
let t: TestApp;
let api: ApiClient;
let cast: AssessmentCast;

beforeAll(async () => {
  t = await startTestApp({ env: { ASSESSMENT_REMINDER_DAYS_BEFORE: '0', ASSESSMENT_OVERDUE_AFTER_DAYS: '0' } });
  api = apiClient(t.url);
  cast = await assessmentRound(t, api, { poolSize: 1, assessorsPerBid: 1 });
  const put = await api.put(
    `/api/v1/rounds/${cast.round.roundId}/criteria`,
    { criteria: [{ key: 'need', name: 'Need', guidance: '', weight: 1, allowNotApplicable: false }], assessorsPerBid: 1, moderationThreshold: 20, dueDays: 30 },
    { token: cast.officerToken },
  );
  expect(put.status).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

const emailsTo = async (address: string, template: string): Promise<number> =>
  Number((await t.db.query(`SELECT count(*) AS n FROM email_messages WHERE to_address = $1 AND template = $2`, [address, template]))[0].n);
const assessmentOf = async (applicationId: string): Promise<{ id: string; due_on: string }> =>
  (await t.db.query(`SELECT id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM assessments WHERE application_id = $1`, [applicationId]))[0];
const jobAt = async (key: string): Promise<string | undefined> =>
  (await t.db.query(`SELECT to_char(available_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS at FROM outbox WHERE job_key = $1`, [key]))[0]?.at;

it('schedules the reminders the settings say, for the due date', async () => {
  const bid = await bidInAssessment(t, api, cast.round);
  const a = await assessmentOf(bid.id);
  expect(t.config.assessmentReminderDaysBefore).toBe(0);
  expect(await jobAt(`assessment-before-${a.id}-${a.due_on}`)).toBe(`${a.due_on}T00:00`);
  expect(await jobAt(`assessment-overdue-${a.id}-${a.due_on}`)).toBe(`${a.due_on}T00:00`);
});

it('rescheduled to today: the new date’s reminder and overdue notice (with its escalation) arrive once each; the old date’s jobs send nothing', async () => {
  const bid = await bidInAssessment(t, api, cast.round);
  const old = await assessmentOf(bid.id);
  const assessor = cast.assessors[0].email;
  const today = londonDate(new Date());
  const moved = await api.put(`/api/v1/assessments/${old.id}/due-date`, { dueOn: today }, { token: cast.officerToken });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({ id: old.id, applicationId: bid.id, dueOn: today, status: 'open' });
  await t.mailbox.waitFor(assessor, (m) => m.subject.startsWith('Assessment due on'));
  await t.mailbox.waitFor(assessor, (m) => m.subject.startsWith('Assessment overdue'));
  await t.mailbox.waitFor(cast.officer.email, (m) => m.subject.startsWith('Assessment overdue'));
  // The old date's jobs (due in 30 days) delivered now, and the new ones delivered again: nothing more.
  const job = t.app.get(AssessmentReminderJob);
  await job.handle({ assessmentId: old.id, kind: 'before', dueOn: old.due_on });
  await job.handle({ assessmentId: old.id, kind: 'overdue', dueOn: old.due_on });
  await job.handle({ assessmentId: old.id, kind: 'before', dueOn: today });
  await job.handle({ assessmentId: old.id, kind: 'overdue', dueOn: today });
  await t.settle();
  expect(await emailsTo(assessor, 'assessment-reminder')).toBe(1);
  expect(await emailsTo(assessor, 'assessment-overdue')).toBe(1);
  expect(await emailsTo(cast.officer.email, 'assessment-overdue')).toBe(1);
  expect(t.mailbox.messages.filter((m) => m.to.includes(assessor) && m.subject.startsWith('Assessment due on'))).toHaveLength(1);
  const [audit] = await t.db.query(`SELECT before, after FROM audit_events WHERE action = 'assessment.rescheduled' AND entity_id = $1`, [old.id]);
  expect(audit).toMatchObject({ before: { dueOn: old.due_on }, after: { dueOn: today } });
});

it('refuses a bad, past or far date, a submitted assessment and anyone but a grants officer, changing nothing', async () => {
  const bid = await bidInAssessment(t, api, cast.round);
  const a = await assessmentOf(bid.id);
  const url = `/api/v1/assessments/${a.id}/due-date`;
  const officer = { token: cast.officerToken };
  expect((await api.put(url, { dueOn: '2026-02-30' }, officer)).body.code).toBe('ASSESSMENT.BAD_DUE_DATE');
  expect((await api.put(url, { dueOn: '2020-01-01' }, officer)).body.code).toBe('ASSESSMENT.DUE_DATE_PAST');
  const far = await api.put(url, { dueOn: '2099-01-01' }, officer);
  expect([far.status, far.body.code]).toEqual([422, 'ASSESSMENT.DUE_DATE_TOO_LATE']);
  expect((await api.put(url, { dueOn: 'tomorrow' }, officer)).status).toBe(422);
  expect((await api.put(url, { dueOn: londonDate(new Date()) }, { token: cast.assessorTokens[0] })).status).toBe(403);
  const auditor = await tokenFor(t, await createUser(t.db, { roles: ['auditor'] }));
  expect((await api.put(url, { dueOn: londonDate(new Date()) }, { token: auditor })).status).toBe(403);
  expect((await api.put('/api/v1/assessments/00000000-0000-4000-8000-000000000000/due-date', { dueOn: londonDate(new Date()) }, officer)).status).toBe(404);
  expect((await assessmentOf(bid.id)).due_on).toBe(a.due_on);

  const token = cast.assessorTokens[0];
  await api.post(`/api/v1/assessments/${a.id}/no-conflict`, {}, { token });
  await api.put(`/api/v1/assessments/${a.id}`, { scores: [{ criterionKey: 'need', score: 4, comment: 'Fine' }], recommendation: 'fund' }, { token });
  expect((await api.post(`/api/v1/assessments/${a.id}/submit`, {}, { token })).status).toBe(200);
  const late = await api.put(url, { dueOn: londonDate(new Date()) }, officer);
  expect([late.status, late.body.code]).toEqual([409, 'ASSESSMENT.NOT_OPEN']);
  expect((await assessmentOf(bid.id)).due_on).toBe(a.due_on);
});

it('sends nothing for a submitted assessment or for a due date that has moved', async () => {
  const bid = await bidInAssessment(t, api, cast.round);
  const a = await assessmentOf(bid.id);
  const token = cast.assessorTokens[0];
  await api.post(`/api/v1/assessments/${a.id}/no-conflict`, {}, { token });
  await api.put(`/api/v1/assessments/${a.id}`, { scores: [{ criterionKey: 'need', score: 4, comment: 'Fine' }], recommendation: 'fund' }, { token });
  expect((await api.post(`/api/v1/assessments/${a.id}/submit`, {}, { token })).status).toBe(200);
  const before = await emailsTo(cast.assessors[0].email, 'assessment-reminder');
  const job = t.app.get(AssessmentReminderJob);
  await job.handle({ assessmentId: a.id, kind: 'before', dueOn: a.due_on });
  expect(await emailsTo(cast.assessors[0].email, 'assessment-reminder')).toBe(before);

  const other = await bidInAssessment(t, api, cast.round);
  const b = await assessmentOf(other.id);
  await t.db.query(`UPDATE assessments SET due_on = due_on + 7 WHERE id = $1`, [b.id]);
  await job.handle({ assessmentId: b.id, kind: 'before', dueOn: b.due_on });
  expect(await emailsTo(cast.assessors[0].email, 'assessment-reminder')).toBe(before);
});
