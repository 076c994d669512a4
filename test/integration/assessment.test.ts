import { randomUUID } from 'node:crypto';
import { systemActor } from '../../src/auth/actor.js';
import { PotLedger } from '../../src/funds/pot-ledger.service.js';
import { assessmentRound, bidInAssessment, type AssessmentCast } from '../support/assessment-factories.js';
import { createUser, sessionCookieFor, tokenFor } from '../support/factories.js';
import { browserAs } from '../support/sessions.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;
let cast: AssessmentCast;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  cast = await assessmentRound(t, api, { poolSize: 3, assessorsPerBid: 2, moderationThreshold: 20 });
});
afterAll(async () => {
  await t?.close();
});

const fullScores = (need: number, delivery: number, partners: number | null) => ({
  scores: [
    { criterionKey: 'need', score: need, comment: 'Good evidence' },
    { criterionKey: 'delivery', score: delivery, comment: 'Sound plan' },
    { criterionKey: 'partners', score: partners, comment: 'Some partners' },
  ],
  recommendation: 'fund',
});

async function assignmentsOf(applicationId: string): Promise<{ id: string; assessor_id: string; status: string }[]> {
  return t.db.query(`SELECT id, assessor_id, status FROM assessments WHERE application_id = $1 ORDER BY assigned_at, id`, [applicationId]);
}
const tokenOf = (userId: string) => cast.assessorTokens[cast.assessors.findIndex((a) => a.id === userId)];

async function score(userId: string, assessmentId: string, body: ReturnType<typeof fullScores>) {
  const token = tokenOf(userId);
  expect((await api.post(`/api/v1/assessments/${assessmentId}/no-conflict`, {}, { token })).status).toBe(200);
  const saved = await api.put(`/api/v1/assessments/${assessmentId}`, body, { token });
  expect(saved.status).toBe(200);
  return api.post(`/api/v1/assessments/${assessmentId}/submit`, {}, { token });
}

describe('assignment on arrival in assessment', () => {
  it('assigns two different assessors with the fewest open assessments, once even when the event comes twice', async () => {
    const bid = await bidInAssessment(t, api, cast.round);
    const rows = await assignmentsOf(bid.id);
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.assessor_id)).size).toBe(2);
    // The same transition delivered again assigns nothing more.
    const [tr] = await t.db.query(`SELECT id FROM application_transitions WHERE application_id = $1 AND to_status = 'in_assessment'`, [bid.id]);
    await t.db.transaction((m) => m.query(`INSERT INTO outbox (job_name, payload) VALUES ('application.status_changed', $1)`, [JSON.stringify({ applicationId: bid.id, transitionId: String(tr.id), from: 'screening', to: 'in_assessment' })]));
    await t.settle();
    expect(await assignmentsOf(bid.id)).toHaveLength(2);
    // Each assessor is told once, with the reference and the due date.
    const [{ reference }] = await t.db.query(`SELECT reference FROM applications WHERE id = $1`, [bid.id]);
    for (const row of rows) {
      const email = cast.assessors.find((a) => a.id === row.assessor_id)!.email;
      const told = await t.mailbox.waitFor(email, (mail) => mail.subject === `New application to assess: ${reference}`);
      const [{ due }] = await t.db.query(`SELECT to_char(due_on, 'YYYY-MM-DD') AS due FROM assessments WHERE id = $1`, [row.id]);
      expect(told.text).toContain(`due on ${due}`);
      expect(t.mailbox.to(email).filter((mail) => mail.subject === told.subject)).toHaveLength(1);
    }
    // A second bid goes first to the assessor left out (fewest open).
    const second = await bidInAssessment(t, api, cast.round);
    const left = cast.assessors.map((a) => a.id).filter((id) => !rows.some((r) => r.assessor_id === id));
    expect((await assignmentsOf(second.id)).map((r) => r.assessor_id)).toContain(left[0]);
  });

  it('lists the caller’s assessments by due date, and another assessor gets 404 on one not theirs', async () => {
    const bid = await bidInAssessment(t, api, cast.round);
    const [row] = await assignmentsOf(bid.id);
    const mine = await api.get('/api/v1/me/assessments', { token: tokenOf(row.assessor_id) });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: any) => i.id)).toContain(row.id);
    expect(Object.keys(mine.body.items[0]).sort()).toEqual(['applicationId', 'dueOn', 'id', 'status']);
    const other = cast.assessors.find((a) => !(mine.body.items as any[]).length || a.id !== row.assessor_id)!;
    const stranger = cast.assessorTokens[cast.assessors.indexOf(other)];
    const theirs = (await assignmentsOf(bid.id)).map((r) => r.assessor_id);
    if (!theirs.includes(other.id)) {
      expect((await api.get(`/api/v1/assessments/${row.id}`, { token: stranger })).status).toBe(404);
      expect((await api.put(`/api/v1/assessments/${row.id}`, fullScores(3, 3, 3), { token: stranger })).status).toBe(404);
      expect((await api.get(`/api/v1/applications/${bid.id}`, { token: stranger })).status).toBe(404);
    }
    // The assigned assessor reads the bid only after confirming no conflict.
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token: tokenOf(row.assessor_id) })).status).toBe(404);
    await api.post(`/api/v1/assessments/${row.id}/no-conflict`, {}, { token: tokenOf(row.assessor_id) });
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token: tokenOf(row.assessor_id) })).status).toBe(200);
  });
});

describe('scoring, completion and moderation', () => {
  it('refuses bad input with a code and changes nothing', async () => {
    const bid = await bidInAssessment(t, api, cast.round);
    const [row] = await assignmentsOf(bid.id);
    const token = tokenOf(row.assessor_id);
    expect((await api.put(`/api/v1/assessments/${row.id}`, fullScores(3, 3, 3), { token })).body.code).toBe('ASSESSMENT.CONFIRM_NO_CONFLICT');
    await api.post(`/api/v1/assessments/${row.id}/no-conflict`, {}, { token });
    const before = await t.db.query(`SELECT scores, version FROM assessments WHERE id = $1`, [row.id]);
    const out = await api.put(`/api/v1/assessments/${row.id}`, fullScores(6, 3, 3), { token });
    expect(out.status).toBe(422);
    expect(out.body.errors.map((e: any) => e.code)).toContain('ASSESSMENT.SCORE_OUT_OF_SCALE');
    const long = fullScores(3, 3, 3);
    long.scores[0].comment = 'word '.repeat(251);
    expect((await api.put(`/api/v1/assessments/${row.id}`, long, { token })).body.errors.map((e: any) => e.code)).toContain('ASSESSMENT.COMMENT_TOO_LONG');
    const na = fullScores(3, 3, 3) as any;
    na.scores[0].score = null;
    expect((await api.put(`/api/v1/assessments/${row.id}`, na, { token })).body.errors.map((e: any) => e.code)).toContain('ASSESSMENT.NOT_APPLICABLE_NOT_ALLOWED');
    const submit = await api.post(`/api/v1/assessments/${row.id}/submit`, {}, { token });
    expect([submit.status, submit.body.code]).toEqual([422, 'ASSESSMENT.INCOMPLETE']);
    expect(await t.db.query(`SELECT scores, version FROM assessments WHERE id = $1`, [row.id])).toEqual(before);
    const mod = await api.post(`/api/v1/applications/${bid.id}/moderation`, { scorePercent: 50, reason: 'x' }, { token: cast.officerToken });
    expect([mod.status, mod.body.code]).toEqual([409, 'ASSESSMENT.NOT_FLAGGED']);
  });

  it('moves the bid to assessed when both submit close scores, and freezes the criteria', async () => {
    const bid = await bidInAssessment(t, api, cast.round);
    const rows = await assignmentsOf(bid.id);
    const first = await score(rows[0].assessor_id, rows[0].id, fullScores(4, 3, null));
    expect(first.status).toBe(200);
    expect(first.body.weightedScore).toBe(72);
    expect(first.body.status).toBe('submitted');
    expect((await api.put(`/api/v1/assessments/${rows[0].id}`, fullScores(1, 1, 1), { token: tokenOf(rows[0].assessor_id) })).body.code).toBe('ASSESSMENT.SUBMITTED');
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token: cast.officerToken })).body.status).toBe('in_assessment');
    await score(rows[1].assessor_id, rows[1].id, fullScores(4, 4, 4));
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token: cast.officerToken })).body.status).toBe('assessed');
    const frozen = await api.put(`/api/v1/rounds/${cast.round.roundId}/criteria`, { criteria: [], assessorsPerBid: 2, moderationThreshold: 20 }, { token: cast.officerToken });
    expect([frozen.status, frozen.body.code]).toEqual([409, 'ASSESSMENT.CRITERIA_FROZEN']);
  });

  it('flags a wide spread for moderation; the moderated score moves it to assessed and ranks it', async () => {
    const bid = await bidInAssessment(t, api, cast.round, 300000);
    const rows = await assignmentsOf(bid.id);
    await score(rows[0].assessor_id, rows[0].id, fullScores(5, 5, 5));
    await score(rows[1].assessor_id, rows[1].id, fullScores(1, 1, 1));
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token: cast.officerToken })).body.status).toBe('in_assessment');
    const flagged = await api.get('/api/v1/flagged-applications', { token: cast.officerToken });
    expect(flagged.body.items.map((i: any) => i.applicationId)).toContain(bid.id);
    const bad = await api.post(`/api/v1/applications/${bid.id}/moderation`, { scorePercent: 101, reason: 'x' }, { token: cast.officerToken });
    expect(bad.status).toBe(422);
    const mod = await api.post(`/api/v1/applications/${bid.id}/moderation`, { scorePercent: 95, reason: 'Agreed after discussion' }, { token: cast.officerToken });
    expect(mod.status).toBe(200);
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token: cast.officerToken })).body.status).toBe('assessed');
    const ranking = await api.get(`/api/v1/rounds/${cast.round.roundId}/ranking?potId=${cast.round.pots[0].id}`, { token: cast.officerToken });
    expect(ranking.status).toBe(200);
    expect(ranking.body.items[0]).toMatchObject({ rank: 1, applicationId: bid.id, scorePercent: 95, amountRequestedPence: 300000, runningTotalPence: 300000 });
    expect(typeof ranking.body.budgetPence).toBe('number');
    const csv = await api.get(`/api/v1/rounds/${cast.round.roundId}/ranking.csv`, { token: cast.officerToken });
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toBe('rank,reference,score_percent,amount_requested_pence,running_total_pence,within_budget');
    // Money committed by approvals counts at once: the funding line is drawn against what is left.
    const potId = cast.round.pots[0].id;
    const [pot] = await t.db.query(`SELECT budget_pence::int AS budget, committed_pence::int AS committed FROM pots WHERE id = $1`, [potId]);
    const ledger = t.app.get(PotLedger);
    const hold = { potId, amountPence: pot.budget - pot.committed - 200000, sourceType: 'test', sourceId: randomUUID() };
    await t.db.transaction((m) => ledger.commit(m, { ...hold, key: `ranking-test:${hold.sourceId}` }, systemActor('test')));
    const squeezed = await api.get(`/api/v1/rounds/${cast.round.roundId}/ranking?potId=${potId}`, { token: cast.officerToken });
    expect(squeezed.body).toMatchObject({ budgetPence: pot.budget, committedPence: pot.budget - 200000, availablePence: 200000 });
    expect(squeezed.body.items.find((i: any) => i.applicationId === bid.id).withinBudget).toBe(false);
    const page = await api.get(`/staff/rounds/${cast.round.roundId}/ranking?potId=${potId}`, { headers: { cookie: await sessionCookieFor(t, cast.officer) } });
    expect(page.text).toContain('Committed by approvals');
    await t.db.transaction((m) => ledger.release(m, { ...hold, key: `ranking-test:${hold.sourceId}:release` }, systemActor('test')));
  });
});

describe('conflicts of interest', () => {
  it('a declaration after scoring removes the assessor, drops their score and reassigns the bid', async () => {
    const bid = await bidInAssessment(t, api, cast.round);
    const rows = await assignmentsOf(bid.id);
    const conflicted = rows[0].assessor_id;
    await score(conflicted, rows[0].id, fullScores(5, 5, 5));
    const token = tokenOf(conflicted);
    const declared = await api.post('/api/v1/conflicts', { organisationId: bid.organisationId, reason: 'I am a trustee' }, { token });
    expect(declared.status).toBe(201);
    const after = await assignmentsOf(bid.id);
    expect(after.find((r) => r.id === rows[0].id)!.status).toBe('removed');
    const live = after.filter((r) => r.status !== 'removed');
    expect(live).toHaveLength(2);
    expect(live.map((r) => r.assessor_id)).not.toContain(conflicted);
    expect((await api.get(`/api/v1/assessments/${rows[0].id}`, { token })).status).toBe(404);
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token })).status).toBe(404);
    expect((await api.get('/api/v1/me/assessments', { token })).body.items.map((i: any) => i.applicationId)).not.toContain(bid.id);
    expect((await api.get('/api/v1/conflicts', { token })).body.items.map((c: any) => c.organisationId)).toEqual([bid.organisationId]);
    // Manual assignment of the conflicted assessor is refused.
    const manual = await api.post(`/api/v1/applications/${bid.id}/assignments`, { userId: conflicted }, { token: cast.officerToken });
    expect([manual.status, manual.body.code]).toEqual([409, 'ASSESSMENT.CONFLICTED']);
    const dup = await api.post(`/api/v1/applications/${bid.id}/assignments`, { userId: live[0].assessor_id }, { token: cast.officerToken });
    expect([dup.status, dup.body.code]).toEqual([409, 'ASSESSMENT.ALREADY_ASSIGNED']);
  });
});

describe('not enough assessors', () => {
  it('puts the bid on the unassigned list and emails the grants officers; assigning by hand takes it off', async () => {
    const small = await assessmentRound(t, api, { poolSize: 1, assessorsPerBid: 2 });
    const bid = await bidInAssessment(t, api, small.round);
    expect(await assignmentsOf(bid.id)).toHaveLength(1);
    const list = await api.get('/api/v1/unassigned-applications', { token: small.officerToken });
    expect(list.body.items.find((i: any) => i.id === bid.id)).toMatchObject({ assigned: 1, needed: 2 });
    await t.mailbox.waitFor(small.officer.email, (m) => m.subject.startsWith('Application waiting for assessors'));
    const extra = await createUser(t.db, { roles: ['assessor'] });
    await tokenFor(t, extra);
    const manual = await api.post(`/api/v1/applications/${bid.id}/assignments`, { userId: extra.id }, { token: small.officerToken });
    expect(manual.status).toBe(201);
    expect((await api.get('/api/v1/unassigned-applications', { token: small.officerToken })).body.items.map((i: any) => i.id)).not.toContain(bid.id);
    const removed = await api.delete(`/api/v1/applications/${bid.id}/assignments/${extra.id}`, { token: small.officerToken });
    expect(removed.status).toBe(204);
  });
});

describe('applicants never see scores, comments or assessors', () => {
  it('no applicant-reachable route (API or page) shows them once a bid is assessed', async () => {
    const bid = await bidInAssessment(t, api, cast.round);
    const rows = await assignmentsOf(bid.id);
    const secret = { scores: [
      { criterionKey: 'need', score: 4, comment: 'ZEBRA-COMMENT-SECRET' },
      { criterionKey: 'delivery', score: 4, comment: 'ZEBRA-COMMENT-SECRET' },
      { criterionKey: 'partners', score: 4, comment: 'ZEBRA-COMMENT-SECRET' },
    ], recommendation: 'fund' };
    for (const row of rows) expect((await score(row.assessor_id, row.id, secret)).status).toBe(200);
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token: cast.officerToken })).body.status).toBe('assessed');
    const names = cast.assessors.filter((a) => rows.some((r) => r.assessor_id === a.id)).flatMap((a) => [a.fullName, a.email, a.id]);
    const forbidden = ['ZEBRA-COMMENT-SECRET', 'weightedScore', 'scorePercent', '80.00', ...names];
    const texts: string[] = [];
    for (const path of [`/api/v1/applications/${bid.id}`, `/api/v1/applications/${bid.id}/history`, '/api/v1/applications', `/api/v1/applications/${bid.id}/budget-lines`, `/api/v1/applications/${bid.id}/attachments`]) {
      const res = await api.get(path, { token: bid.ownerToken });
      expect([path, res.status]).toEqual([path, 200]);
      texts.push(res.text);
    }
    for (const path of [`/api/v1/assessments/${rows[0].id}`, `/api/v1/rounds/${cast.round.roundId}/ranking`, `/api/v1/rounds/${cast.round.roundId}/criteria`, '/api/v1/conflicts', '/api/v1/me/assessments']) {
      const res = await api.get(path, { token: bid.ownerToken });
      expect([path, res.status]).toEqual([path, 403]);
      texts.push(res.text);
    }
    const browser = await browserAs(t, bid.owner);
    for (const path of ['/dashboard', `/applications/${bid.id}`, `/assessments/${rows[0].id}`, '/assessments']) {
      const page = await browser.get(path);
      texts.push(page.html);
    }
    for (const text of texts) for (const word of forbidden) expect(text.includes(word) ? word : null).toBeNull();
  });
});

describe('the moderation page', () => {
  it('refuses a bad score with the form shown again and nothing changed, then records a good one', async () => {
    const bid = await bidInAssessment(t, api, cast.round);
    const rows = await assignmentsOf(bid.id);
    await score(rows[0].assessor_id, rows[0].id, fullScores(5, 5, 5));
    await score(rows[1].assessor_id, rows[1].id, fullScores(0, 1, 0));
    const officer = await browserAs(t, cast.officer);
    const list = await officer.get('/staff/assessment/flagged');
    expect(list.html).toContain(`/staff/assessment/flagged/${bid.id}`);
    const bad = await officer.post(`/staff/assessment/flagged/${bid.id}`, { scorePercent: '140', reason: '' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('Enter a score from 0 to 100');
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token: cast.officerToken })).body.status).toBe('in_assessment');
    const good = await officer.post(`/staff/assessment/flagged/${bid.id}`, { scorePercent: '55.5', reason: 'Agreed at the moderation meeting' });
    expect([good.status, good.location]).toEqual([303, '/staff/assessment/flagged']);
    expect((await api.get(`/api/v1/applications/${bid.id}`, { token: cast.officerToken })).body.status).toBe('assessed');
  });
});
