import { londonDate } from '../../src/common/dates.js';
import { keyFromName } from '../../src/assessment/assessment-setup.pages.js';
import { createUser, TEST_PASSWORD, tokenFor } from '../support/factories.js';
import { errorSummaryOf, FormClient, parseHtml, textOf } from '../support/form-client.js';
import { assessmentRound, bidInAssessment, type AssessmentCast } from '../support/assessment-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Grants officers' pages for a round's criteria, settings and assessor pool, and for a bid's
 * assessors (assign from the pool, remove, change a due date), posted as a browser without
 * JavaScript would: each change lands through the API's service, each mistake is in the error
 * summary with nothing changed, and frozen criteria are refused (409) as the page says.
 */
let t: TestApp;
let api: ApiClient;
let cast: AssessmentCast;
let officer: FormClient;

beforeAll(async () => {
  t = await startTestApp({ workers: true, smtp: false });
  api = apiClient(t.url);
  cast = await assessmentRound(t, api, { poolSize: 3, assessorsPerBid: 2 });
  officer = new FormClient(t.url);
  await officer.signIn(cast.officer.email, TEST_PASSWORD);
});
afterAll(async () => {
  await t?.close();
});

const base = () => `/staff/rounds/${cast.round.roundId}/assessment`;
const criteria = async (roundId = cast.round.roundId) => (await api.get(`/api/v1/rounds/${roundId}/criteria`, { token: cast.officerToken })).body;
const pool = async (roundId = cast.round.roundId) => (await api.get(`/api/v1/rounds/${roundId}/assessors`, { token: cast.officerToken })).body;

it('derives a criterion’s key from its name, unique in the round', () => {
  expect(keyFromName('Value for money!', new Set())).toBe('value_for_money');
  expect(keyFromName('Value for money', new Set(['value_for_money']))).toBe('value_for_money_2');
  expect(keyFromName('2 partners', new Set())).toBe('c_2_partners');
  expect(keyFromName('Café impact', new Set())).toBe('cafe_impact');
  expect(keyFromName('x'.repeat(60), new Set(['x'.repeat(40)]))).toMatch(/^x{38}_2$/);
});

describe('the criteria and settings', () => {
  it('adds, changes and removes a criterion through the pages', async () => {
    const overview = await officer.get(base());
    expect(overview.status).toBe(200);
    expect(textOf(overview.html)).toContain('Evidence of need');
    const added = await officer.submit(`${base()}/criteria/new`, { name: 'Value for money', guidance: 'Is the cost reasonable?', weight: '2', allowNotApplicable: 'yes' });
    expect(added.status).toBe(303);
    expect(textOf((await officer.follow(added)).html)).toContain('The criterion “Value for money” has been added.');
    let c = await criteria();
    expect(c.criteria.at(-1)).toEqual({ key: 'value_for_money', name: 'Value for money', guidance: 'Is the cost reasonable?', weight: 2, allowNotApplicable: true });

    const form = await officer.get(`${base()}/criteria/value_for_money`);
    expect(parseHtml(form.html)('#weight').attr('value')).toBe('2');
    const changed = await officer.submit(`${base()}/criteria/value_for_money`, { name: 'Value for money', guidance: '', weight: '4', allowNotApplicable: 'no' });
    expect(changed.status).toBe(303);
    c = await criteria();
    expect(c.criteria.at(-1)).toMatchObject({ key: 'value_for_money', weight: 4, allowNotApplicable: false });

    const removed = await officer.submit(`${base()}/criteria/value_for_money/remove`, {});
    expect(removed.status).toBe(303);
    expect((await criteria()).criteria.map((x: { key: string }) => x.key)).toEqual(['need', 'delivery', 'partners']);
    expect((await officer.get(`${base()}/criteria/value_for_money`)).status).toBe(404);
  });

  it('shows every mistake in a criterion or the settings in the error summary, in form order, changing nothing', async () => {
    const before = await criteria();
    const bad = await officer.submit(`${base()}/criteria/new`, { name: '', guidance: 'g'.repeat(2001), weight: 'heavy' });
    expect(bad.status).toBe(422);
    expect(errorSummaryOf(bad.html)).toEqual([
      'Enter the criterion’s name (up to 120 characters)',
      'Guidance must be 2000 characters or fewer',
      'Enter the weight as a whole number from 1 to 100',
      'Select whether assessors may answer “not applicable”',
    ]);
    expect(parseHtml(bad.html)('#weight').attr('value')).toBe('heavy');
    expect((await officer.submit(`${base()}/criteria/need`, { name: 'Need', guidance: '', weight: '101', allowNotApplicable: 'no' })).status).toBe(422);
    const settings = await officer.submit(`${base()}/settings`, { assessorsPerBid: '0', moderationThreshold: 'ten', dueDays: '121' });
    expect(settings.status).toBe(422);
    expect(errorSummaryOf(settings.html)).toEqual([
      'Enter the number of assessors per application, a whole number from 1 to 10',
      'Enter the moderation threshold, a whole number of points from 0 to 100',
      'Enter the days an assessor has, a whole number from 1 to 120',
    ]);
    expect(await criteria()).toEqual(before);
  });

  it('changes the settings', async () => {
    const saved = await officer.submit(`${base()}/settings`, { assessorsPerBid: '2', moderationThreshold: '15', dueDays: '21' });
    expect(saved.status).toBe(303);
    expect(await criteria()).toMatchObject({ assessorsPerBid: 2, moderationThreshold: 15, dueDays: 21 });
  });
});

describe('the assessor pool', () => {
  it('adds an assessor (only people holding the role are offered), changes a capacity and removes one', async () => {
    const newcomer = await createUser(t.db, { roles: ['assessor'], fullName: 'Nia Newcomer' });
    const applicant = await createUser(t.db, { fullName: 'Arthur Applicant' });
    const page = await officer.get(`${base()}/assessors`);
    const offered = parseHtml(page.html)('#userId option').toArray().map((o) => parseHtml(page.html)(o).attr('value'));
    expect(offered).toContain(newcomer.id);
    expect(offered).not.toContain(applicant.id);
    expect(offered).not.toContain(cast.assessors[0].id);

    const none = await officer.submit(`${base()}/assessors`, { userId: '', capacity: '0' });
    expect(none.status).toBe(422);
    expect(errorSummaryOf(none.html)).toEqual(['Choose an assessor to add', 'Enter the capacity, a whole number of open assessments from 1 to 500']);
    const notAssessor = await officer.submit(`${base()}/assessors`, { userId: applicant.id, capacity: '5' });
    expect(notAssessor.status).toBe(422);
    expect(errorSummaryOf(notAssessor.html)).toEqual(['This person does not hold the assessor role']);

    const added = await officer.submit(`${base()}/assessors`, { userId: newcomer.id, capacity: '5' });
    expect(added.status).toBe(303);
    expect((await pool()).assessors.find((a: { userId: string }) => a.userId === newcomer.id)).toMatchObject({ capacity: 5 });

    const badCapacity = await officer.submit(`${base()}/assessors/${newcomer.id}`, { capacity: '501' }, { form: `${base()}/assessors` });
    expect(badCapacity.status).toBe(422);
    expect(parseHtml(badCapacity.html)(`#capacity-${newcomer.id}`).hasClass('govuk-input--error')).toBe(true);
    expect((await officer.submit(`${base()}/assessors/${newcomer.id}`, { capacity: '7' }, { form: `${base()}/assessors` })).status).toBe(303);
    expect((await pool()).assessors.find((a: { userId: string }) => a.userId === newcomer.id)).toMatchObject({ capacity: 7 });

    expect((await officer.submit(`${base()}/assessors/${newcomer.id}/remove`, {}, { form: `${base()}/assessors` })).status).toBe(303);
    expect((await pool()).assessors.map((a: { userId: string }) => a.userId).sort()).toEqual(cast.assessors.map((a) => a.id).sort());
    expect((await officer.submit(`${base()}/assessors/${newcomer.id}/remove`, {}, { form: `${base()}/assessors` })).status).toBe(404);
  });

  it('keeps both of two assessors added at once by two officers (the pool is changed under its lock)', async () => {
    const [one, two] = [await createUser(t.db, { roles: ['assessor'] }), await createUser(t.db, { roles: ['assessor'] })];
    const second = new FormClient(t.url);
    await second.signIn(cast.officer.email, TEST_PASSWORD);
    const [a, b] = await Promise.all([
      officer.submit(`${base()}/assessors`, { userId: one.id, capacity: '2' }),
      second.submit(`${base()}/assessors`, { userId: two.id, capacity: '3' }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const ids = (await pool()).assessors.map((x: { userId: string }) => x.userId);
    expect(ids).toEqual(expect.arrayContaining([one.id, two.id, ...cast.assessors.map((x) => x.id)]));
    for (const u of [one, two]) expect((await officer.submit(`${base()}/assessors/${u.id}/remove`, {}, { form: `${base()}/assessors` })).status).toBe(303);
  });
});

describe('a bid’s assessors', () => {
  it('assigns from the pool (not the conflicted, not those already on it), removes one and changes a due date', async () => {
    const bid = await bidInAssessment(t, api, cast.round);
    const on = (await api.get(`/api/v1/rounds/${cast.round.roundId}/assessors`, { token: cast.officerToken })).body.assessors;
    const assigned: string[] = (await t.db.query(`SELECT assessor_id FROM assessments WHERE application_id = $1 AND status <> 'removed'`, [bid.id])).map((r: { assessor_id: string }) => r.assessor_id);
    expect(assigned).toHaveLength(2);
    const spare = on.map((a: { userId: string }) => a.userId).find((id: string) => !assigned.includes(id));
    const conflicted = await createUser(t.db, { roles: ['assessor'], fullName: 'Cora Conflicted' });
    await api.put(`/api/v1/rounds/${cast.round.roundId}/assessors`, { assessors: [...on.map((a: { userId: string }) => ({ userId: a.userId, capacity: 10 })), { userId: conflicted.id, capacity: 10 }] }, { token: cast.officerToken });
    expect((await api.post('/api/v1/conflicts', { organisationId: bid.organisationId, reason: 'My sister runs it' }, { token: await tokenFor(t, conflicted) })).status).toBe(201);

    const path = `/staff/assessment/applications/${bid.id}`;
    const page = await officer.get(path);
    expect(page.status).toBe(200);
    const $ = parseHtml(page.html);
    expect($('#userId option').toArray().map((o) => $(o).attr('value')).filter(Boolean)).toEqual([spare]);

    const empty = await officer.submit(`${path}/assignments`, { userId: '' }, { form: path });
    expect(empty.status).toBe(422);
    expect(errorSummaryOf(empty.html)).toEqual(['Choose an assessor from the pool']);
    const twice = await officer.submit(`${path}/assignments`, { userId: assigned[0] }, { form: path });
    expect(twice.status).toBe(409);
    expect(errorSummaryOf(twice.html)).toEqual(['This assessor is already assigned to the application']);
    const refusedConflict = await officer.submit(`${path}/assignments`, { userId: conflicted.id }, { form: path });
    expect(refusedConflict.status).toBe(409);

    expect((await officer.submit(`${path}/assignments`, { userId: spare }, { form: path })).status).toBe(303);
    const now = await t.db.query(`SELECT id, assessor_id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM assessments WHERE application_id = $1 AND status <> 'removed' ORDER BY assigned_at`, [bid.id]);
    expect(now.map((r: { assessor_id: string }) => r.assessor_id).sort()).toEqual([...assigned, spare].sort());

    const removed = await officer.submit(`${path}/assignments/${assigned[0]}/remove`, {}, { form: path });
    expect(removed.status).toBe(303);
    expect((await t.db.query(`SELECT status FROM assessments WHERE application_id = $1 AND assessor_id = $2`, [bid.id, assigned[0]]))[0].status).toBe('removed');

    const target = now.find((r: { assessor_id: string }) => r.assessor_id === spare);
    const past = await officer.submit(`${path}/assessments/${target.id}/due-date`, { 'dueOn-day': '1', 'dueOn-month': '1', 'dueOn-year': '2020' }, { form: path });
    expect(past.status).toBe(422);
    expect(errorSummaryOf(past.html)).toEqual(['The due date must be today or in the future']);
    expect(parseHtml(past.html)('.govuk-error-summary a').attr('href')).toBe(`#dueOn-${target.id}-day`);
    const blank = await officer.submit(`${path}/assessments/${target.id}/due-date`, { 'dueOn-day': '', 'dueOn-month': '', 'dueOn-year': '' }, { form: path });
    expect(errorSummaryOf(blank.html)).toEqual(['Enter the new due date as a day, month and year']);
    const next = new Date(Date.now() + 40 * 86400_000);
    const [y, m, d] = londonDate(next).split('-');
    const moved = await officer.submit(`${path}/assessments/${target.id}/due-date`, { 'dueOn-day': String(Number(d)), 'dueOn-month': String(Number(m)), 'dueOn-year': y }, { form: path });
    expect(moved.status).toBe(303);
    expect((await t.db.query(`SELECT to_char(due_on, 'YYYY-MM-DD') AS d FROM assessments WHERE id = $1`, [target.id]))[0].d).toBe(`${y}-${m}-${d}`);
  });

  it('is read-only for the auditor and links from the unassigned list', async () => {
    const auditor = new FormClient(t.url);
    await auditor.signIn((await createUser(t.db, { roles: ['auditor'] })).email, TEST_PASSWORD);
    const bid = await bidInAssessment(t, api, cast.round);
    const page = await auditor.get(`/staff/assessment/applications/${bid.id}`);
    expect(page.status).toBe(200);
    expect(parseHtml(page.html)('form[action*="/assignments"]')).toHaveLength(0);
    expect((await auditor.submit(`/staff/assessment/applications/${bid.id}/assignments`, { userId: cast.assessors[0].id }, { form: '/account' })).status).toBe(403);
    expect((await auditor.get(`/staff/assessment/applications/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});

describe('frozen criteria', () => {
  it('says so, and refuses changes with 409 and the error summary, changing nothing', async () => {
    const round = await assessmentRound(t, api, { poolSize: 1, assessorsPerBid: 1 });
    const bid = await bidInAssessment(t, api, round.round);
    const [a] = await t.db.query(`SELECT id FROM assessments WHERE application_id = $1`, [bid.id]);
    const token = round.assessorTokens[0];
    await api.post(`/api/v1/assessments/${a.id}/no-conflict`, {}, { token });
    await api.put(
      `/api/v1/assessments/${a.id}`,
      { scores: [{ criterionKey: 'need', score: 4, comment: 'Good' }, { criterionKey: 'delivery', score: 3, comment: 'Fine' }, { criterionKey: 'partners', score: null, comment: 'None' }], recommendation: 'fund' },
      { token },
    );
    expect((await api.post(`/api/v1/assessments/${a.id}/submit`, {}, { token })).status).toBe(200);
    const browser = new FormClient(t.url);
    await browser.signIn(round.officer.email, TEST_PASSWORD);
    const path = `/staff/rounds/${round.round.roundId}/assessment`;
    const overview = await browser.get(path);
    expect(textOf(overview.html)).toContain('The criteria and settings are frozen');
    expect(parseHtml(overview.html)(`a[href="${path}/criteria/new"]`)).toHaveLength(0);
    const before = await criteria(round.round.roundId);
    for (const [url, fields] of [
      [`${path}/criteria/new`, { name: 'Late', guidance: '', weight: '1', allowNotApplicable: 'no' }],
      [`${path}/criteria/need`, { name: 'Need', guidance: '', weight: '5', allowNotApplicable: 'no' }],
      [`${path}/criteria/need/remove`, {}],
      [`${path}/settings`, { assessorsPerBid: '3', moderationThreshold: '20', dueDays: '14' }],
    ] as const) {
      const refused = await browser.submit(url, fields, { form: path });
      expect(refused.status).toBe(409);
      expect(errorSummaryOf(refused.html)).toEqual(['The criteria cannot change once the first assessment of the round is submitted']);
    }
    expect(await criteria(round.round.roundId)).toEqual(before);
  });
});
