import { createOrganisation, createUser, tokenFor } from '../support/factories.js';
import { COMPLETE_NEED_ANSWERS, completeApplication, createOpenRound, daysFromNow, startApplication, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let applicant: { id: string; email: string };
let token: string;
let org: { id: string; name: string };

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  applicant = await createUser(t.db, { fullName: 'Amina Khan' });
  token = await tokenFor(t, applicant);
  org = await createOrganisation(t.db, applicant);
});
afterAll(async () => {
  await t?.close();
});

const count = async (sql: string, params: unknown[] = []) => (await t.db.query(sql, params))[0].n as number;

describe('eligibility check', () => {
  it('passes when every answer is the passing one, and creates nothing', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM applications`);
    const res = await api.post(`/api/v1/rounds/${round.roundId}/eligibility-check`, {
      answers: round.eligibility.map((q) => ({ questionId: q.id, answer: q.passingAnswer })),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ eligible: true, failures: [] });
    expect(await count(`SELECT count(*)::int AS n FROM applications`)).toBe(before);
  });

  it('explains each failing answer with the round’s message', async () => {
    const [first, second] = round.eligibility;
    const res = await api.post(`/api/v1/rounds/${round.roundId}/eligibility-check`, {
      answers: [
        { questionId: first.id, answer: first.passingAnswer },
        { questionId: second.id, answer: !second.passingAnswer },
      ],
    });
    expect(res.body).toEqual({ eligible: false, failures: [{ questionId: second.id, message: second.failureMessage }] });
  });

  it('refuses unanswered or unknown questions, wrong types and unknown rounds', async () => {
    const unanswered = await api.post(`/api/v1/rounds/${round.roundId}/eligibility-check`, { answers: [] });
    expect(unanswered.status).toBe(422);
    expect(unanswered.body.code).toBe('ELIGIBILITY.UNANSWERED');
    const unknown = await api.post(`/api/v1/rounds/${round.roundId}/eligibility-check`, {
      answers: [...round.eligibility.map((q) => ({ questionId: q.id, answer: q.passingAnswer })), { questionId: round.pots[0].id, answer: true }],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('ELIGIBILITY.UNKNOWN_QUESTION');
    const wrongType = await api.post(`/api/v1/rounds/${round.roundId}/eligibility-check`, { answers: [{ questionId: round.eligibility[0].id, answer: 'yes' }] });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.errors[0]).toMatchObject({ field: 'answers.0.answer', code: 'FIELD.NOT_A_BOOLEAN' });
    const missingRound = await api.post(`/api/v1/rounds/00000000-0000-4000-8000-000000000000/eligibility-check`, { answers: [] });
    expect(missingRound.status).toBe(404);
    const malformed = await api.request('POST', `/api/v1/rounds/${round.roundId}/eligibility-check`, { raw: '{"answers": [' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('REQUEST.MALFORMED_JSON');
  });
});

describe('starting a draft', () => {
  it('creates a draft on the round’s current form with every section not started, recorded in history and audit', async () => {
    const res = await api.post('/api/v1/applications', { roundId: round.roundId, potId: round.pots[0].id, organisationId: org.id }, { token });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'draft', reference: null, formId: round.formId, amountRequestedPence: 0, organisation: { id: org.id } });
    expect(res.body.sections.map((s: any) => [s.key, s.status])).toEqual([
      ['_project', 'not_started'],
      ['need', 'not_started'],
      ['documents', 'not_started'],
      ['_budget', 'not_started'],
    ]);
    const history = await api.get(`/api/v1/applications/${res.body.id}/history`, { token });
    expect(history.body.items).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'draft', actorLabel: applicant.email })]);
    expect(await count(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'application.created'`, [res.body.id])).toBe(1);
  });

  it('refuses an organisation the caller does not belong to (404), a pot of another round, a closed round and bad ids', async () => {
    const stranger = await createUser(t.db);
    const strangerOrg = await createOrganisation(t.db, stranger);
    const notMine = await api.post('/api/v1/applications', { roundId: round.roundId, potId: round.pots[0].id, organisationId: strangerOrg.id }, { token });
    expect(notMine.status).toBe(404);
    expect(notMine.body.code).toBe('ORGANISATION.NOT_FOUND');

    const other = await createOpenRound(t.db);
    const wrongPot = await api.post('/api/v1/applications', { roundId: round.roundId, potId: other.pots[0].id, organisationId: org.id }, { token });
    expect(wrongPot.status).toBe(422);
    expect(wrongPot.body.code).toBe('APPLICATION.POT_NOT_IN_ROUND');

    const closed = await createOpenRound(t.db, { opensAt: new Date(Date.now() - 10 * 86400_000), closesAt: new Date(Date.now() - 86400_000) });
    const late = await api.post('/api/v1/applications', { roundId: closed.roundId, potId: closed.pots[0].id, organisationId: org.id }, { token });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('ROUND.NOT_OPEN');

    const badId = await api.post('/api/v1/applications', { roundId: 'nope', potId: round.pots[0].id, organisationId: org.id }, { token });
    expect(badId.status).toBe(422);
    expect(badId.body.errors[0]).toMatchObject({ field: 'roundId', code: expect.stringMatching(/^FIELD\.(INVALID_ID|IS_UUID)$/) });
    const extra = await api.post('/api/v1/applications', { roundId: round.roundId, potId: round.pots[0].id, organisationId: org.id, status: 'approved' }, { token });
    expect(extra.status).toBe(422);
    expect(extra.body.errors[0].code).toBe('FIELD.UNKNOWN_FIELD');
  });
});

describe('project details', () => {
  let app: any;
  beforeAll(async () => {
    app = await startApplication(api, token, round, org.id);
  });

  const patch = (body: Record<string, unknown>) => api.patch(`/api/v1/applications/${app.id}`, body, { token });
  const current = async () => (await api.get(`/api/v1/applications/${app.id}`, { token })).body;

  it('saves partial details as in progress', async () => {
    const res = await patch({ version: app.version, projectTitle: 'Safe evenings' });
    expect(res.status).toBe(200);
    expect(res.body.projectTitle).toBe('Safe evenings');
    expect(res.body.version).toBe(app.version + 1);
    expect(res.body.sections[0]).toMatchObject({ key: '_project', status: 'in_progress' });
  });

  it('refuses a summary over 250 words with FIELD.WORD_LIMIT and changes nothing', async () => {
    const before = await current();
    const res = await patch({ version: before.version, projectSummary: 'word '.repeat(251) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('FIELD.WORD_LIMIT');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'projectSummary', code: 'FIELD.WORD_LIMIT' })]);
    const after = await current();
    expect(after.version).toBe(before.version);
    expect(after.projectSummary).toBe(before.projectSummary);
    // 250 words exactly is fine
    expect((await patch({ version: before.version, projectSummary: 'word '.repeat(250) })).status).toBe(200);
  });

  it('refuses a project longer than 12 months with APPLICATION.PROJECT_TOO_LONG', async () => {
    const { version } = await current();
    const res = await patch({ version, projectStartDate: '2031-04-01', projectEndDate: '2032-04-01' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('APPLICATION.PROJECT_TOO_LONG');
    const ok = await patch({ version, projectStartDate: '2031-04-01', projectEndDate: '2032-03-31' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ projectStartDate: '2031-04-01', projectEndDate: '2032-03-31' });
  });

  it('refuses a start date that is not after today, an end before the start and impossible dates', async () => {
    const { version } = await current();
    const today = await patch({ version, projectStartDate: daysFromNow(0), projectEndDate: daysFromNow(10) });
    expect(today.status).toBe(422);
    expect(today.body.code).toBe('APPLICATION.START_DATE_NOT_IN_FUTURE');
    const backwards = await patch({ version, projectStartDate: '2031-05-01', projectEndDate: '2031-04-01' });
    expect(backwards.body.code).toBe('APPLICATION.END_BEFORE_START');
    const impossible = await patch({ version, projectStartDate: '2031-02-30' });
    expect(impossible.status).toBe(422);
    expect(impossible.body.errors[0]).toMatchObject({ field: 'projectStartDate', code: 'FIELD.INVALID_DATE' });
    const wrongType = await patch({ version, projectStartDate: 20310501 });
    expect(wrongType.status).toBe(422);
    const hugeVersion = await patch({ version: 99999999999, projectTitle: 'x' });
    expect(hugeVersion.status).toBe(422);
    expect(hugeVersion.body.errors[0]).toMatchObject({ field: 'version', code: 'FIELD.TOO_LARGE' });
    const hugeLineVersion = await api.delete(`/api/v1/applications/${app.id}/budget-lines/00000000-0000-4000-8000-000000000000?version=99999999999`, { token });
    expect(hugeLineVersion.status).toBe(422);
  });

  it('refuses districts and priorities outside the pot', async () => {
    const { version } = await current();
    const res = await patch({ version, districtIds: [round.districts[0].id, round.outsideDistrict.id] });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('APPLICATION.DISTRICT_NOT_IN_POT');
    const priority = await patch({ version, priorityIds: [round.pots[0].id] });
    expect(priority.body.code).toBe('APPLICATION.PRIORITY_NOT_IN_POT');
    const ok = await patch({ version, districtIds: [round.districts[1].id], priorityIds: [round.priorities[0].id] });
    expect(ok.status).toBe(200);
    expect(ok.body.districts).toEqual([expect.objectContaining({ id: round.districts[1].id })]);
    expect(ok.body.priorities).toEqual([expect.objectContaining({ id: round.priorities[0].id })]);
  });

  it('refuses to mark the section complete while answers are missing', async () => {
    const fresh = await startApplication(api, token, round, org.id);
    const res = await api.patch(`/api/v1/applications/${fresh.id}`, { version: fresh.version, projectTitle: 'Only a title', completed: true }, { token });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['projectSummary', 'projectStartDate', 'projectEndDate', 'districtIds']));
  });

  it('checks the organisation’s postcode district when the pot is limited to postcodes', async () => {
    const limited = await createOpenRound(t.db, { potPostcodeDistricts: ['BD1', 'BD2'] });
    const draft = await startApplication(api, token, limited, org.id); // the organisation is in LS1
    const res = await api.patch(`/api/v1/applications/${draft.id}`, { version: draft.version, districtIds: [limited.districts[0].id] }, { token });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('APPLICATION.POSTCODE_NOT_IN_POT');
  });

  it('a stale version is a conflict carrying the current details and who saved them', async () => {
    const fresh = await current();
    const first = await patch({ version: fresh.version, projectTitle: 'First title' });
    expect(first.status).toBe(200);
    const second = await patch({ version: fresh.version, projectTitle: 'Second title' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('APPLICATION.EDIT_CONFLICT');
    expect(second.body.current).toMatchObject({ version: fresh.version + 1, answers: { projectTitle: 'First title' }, updatedBy: { name: 'Amina Khan' } });
    expect((await current()).projectTitle).toBe('First title');
  });
});

describe('form sections and optimistic locking', () => {
  let app: any;
  let colleagueToken: string;
  beforeAll(async () => {
    app = await startApplication(api, token, round, org.id);
    const colleague = await createUser(t.db, { fullName: 'Ben Colleague' });
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member')`, [org.id, colleague.id]);
    colleagueToken = await tokenFor(t, colleague);
  });

  const section = async (key: string) => (await api.get(`/api/v1/applications/${app.id}`, { token })).body.sections.find((s: any) => s.key === key);
  const put = (key: string, body: unknown, tok = token) => api.put(`/api/v1/applications/${app.id}/sections/${key}`, body, { token: tok });

  it('saves partial answers in progress, and a colleague sees and edits the same bid', async () => {
    const need = await section('need');
    const res = await put('need', { answers: { need: 'Nowhere safe to go' }, version: need.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'in_progress', answers: { need: 'Nowhere safe to go' }, version: need.version + 1 });
    const seen = await api.get(`/api/v1/applications/${app.id}`, { token: colleagueToken });
    expect(seen.status).toBe(200);
    const theirs = seen.body.sections.find((s: any) => s.key === 'need');
    expect(theirs.answers.need).toBe('Nowhere safe to go');
    const edited = await put('need', { answers: { ...theirs.answers, beneficiaries: 12 }, version: theirs.version }, colleagueToken);
    expect(edited.status).toBe(200);
    expect(edited.body.updatedBy.name).toBe('Ben Colleague');
  });

  it('a form may name its own sections "project" and "budget" without clashing with the built-in ones', async () => {
    const clash = await createOpenRound(t.db);
    await t.db.query(`UPDATE round_forms SET definition = $2 WHERE id = $1`, [
      clash.formId,
      JSON.stringify({ sections: [
        { key: 'project', title: 'About the project', questions: [{ key: 'aims', type: 'text', label: 'Aims', required: true }] },
        { key: 'budget', title: 'Budget questions', questions: [{ key: 'vat', type: 'yes_no', label: 'Are you VAT registered?', required: true }] },
      ] }),
    ]);
    const draft = await startApplication(api, token, clash, org.id);
    expect(draft.sections.map((s: any) => s.key)).toEqual(['_project', 'project', 'budget', '_budget']);
    const saved = await api.put(`/api/v1/applications/${draft.id}/sections/budget`, { answers: { vat: false }, version: 1, completed: true }, { token });
    expect(saved.body).toMatchObject({ key: 'budget', title: 'Budget questions', status: 'completed', answers: { vat: false } });
  });

  it('checks every answer type, word limits and unknown questions', async () => {
    const need = await section('need');
    const cases: [Record<string, unknown>, string][] = [
      [{ need: 'word '.repeat(51) }, 'FIELD.WORD_LIMIT'],
      [{ beneficiaries: 'forty' }, 'FIELD.NOT_AN_INTEGER'],
      [{ beneficiaries: 0 }, 'FIELD.TOO_SMALL'],
      [{ matchFunding: 12.5 }, 'FIELD.NOT_AN_INTEGER'],
      [{ approach: 'Carrier pigeon' }, 'FIELD.NOT_ALLOWED_VALUE'],
      [{ safeguarding: 'yes' }, 'FIELD.NOT_A_BOOLEAN'],
      [{ launchDate: '2030-13-01' }, 'FIELD.INVALID_DATE'],
      [{ favouriteColour: 'blue' }, 'FIELD.UNKNOWN_QUESTION'],
      [{ need: 'x'.repeat(20001) }, 'FIELD.TOO_LONG'],
    ];
    for (const [answers, code] of cases) {
      const res = await put('need', { answers, version: need.version });
      expect([res.status, res.body.code]).toEqual([422, code]);
    }
    expect((await section('need')).version).toBe(need.version);
    const notObject = await put('need', { answers: 'everything', version: need.version });
    expect(notObject.status).toBe(422);
    const unknownSection = await put('nonsense', { answers: {}, version: 1 });
    expect(unknownSection.status).toBe(404);
    expect(unknownSection.body.code).toBe('APPLICATION.SECTION_NOT_FOUND');
  });

  it('completing needs every required answer', async () => {
    const need = await section('need');
    const res = await put('need', { answers: { need: 'Only this' }, version: need.version, completed: true });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: any) => [e.field, e.code])).toEqual(
      expect.arrayContaining([
        ['answers.beneficiaries', 'FIELD.REQUIRED'],
        ['answers.approach', 'FIELD.REQUIRED'],
        ['answers.safeguarding', 'FIELD.REQUIRED'],
      ]),
    );
    const ok = await put('need', { answers: COMPLETE_NEED_ANSWERS, version: need.version, completed: true });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('completed');
  });

  it('two saves with the same version: one 200, one 409 with the current answers', async () => {
    const need = await section('need');
    const [a, b] = await Promise.all([
      put('need', { answers: { ...COMPLETE_NEED_ANSWERS, need: 'Amina wrote this' }, version: need.version }),
      put('need', { answers: { ...COMPLETE_NEED_ANSWERS, need: 'Ben wrote this' }, version: need.version }, colleagueToken),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    expect(loser.body.code).toBe('APPLICATION.EDIT_CONFLICT');
    expect(loser.body.current).toMatchObject({ version: need.version + 1, answers: { need: winner.body.answers.need } });
    expect(loser.body.current.updatedBy.name).toBe(winner === a ? 'Amina Khan' : 'Ben Colleague');
    expect(loser.body.current.updatedAt).toEqual(expect.any(String));
    expect((await section('need')).answers.need).toBe(winner.body.answers.need);
  });
});

describe('budget lines', () => {
  let app: any;
  beforeAll(async () => {
    app = await startApplication(api, token, round, org.id);
  });
  const lines = `/api/v1/applications/PLACEHOLDER/budget-lines`;
  const path = (suffix = '') => lines.replace('PLACEHOLDER', app.id) + suffix;

  it('adds, changes and removes lines, keeping the total in integer pence', async () => {
    const a = await api.post(path(), { item: 'Venue hire', category: 'venue', amountPence: 120050, otherFundingPence: 20000, otherFundingSource: 'Parish council' }, { token });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ item: 'Venue hire', amountPence: 120050, otherFundingPence: 20000, version: 1 });
    const b = await api.post(path(), { item: 'Leaflets', category: 'publicity', amountPence: 9999 }, { token });
    expect((await api.get(path(), { token })).body.totalPence).toBe(130049);
    const changed = await api.patch(path(`/${b.body.id}`), { version: 1, amountPence: 10001 }, { token });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ amountPence: 10001, version: 2 });
    const detail = (await api.get(`/api/v1/applications/${app.id}`, { token })).body;
    expect(detail.amountRequestedPence).toBe(130051);
    const removed = await api.delete(path(`/${b.body.id}?version=2`), { token });
    expect(removed.status).toBe(200);
    // The budget section's new version, in the shape adding and changing a line answer it.
    expect(removed.body).toEqual({ section: { key: '_budget', status: 'in_progress', version: changed.body.section.version + 1 } });
    const after = (await api.get(`/api/v1/applications/${app.id}`, { token })).body;
    expect(after.amountRequestedPence).toBe(120050);
    expect(after.sections.find((s: { key: string }) => s.key === '_budget').version).toBe(removed.body.section.version);
    expect(await count(`SELECT count(*)::int AS n FROM audit_events WHERE entity_type = 'budget_line' AND entity_id = $1`, [b.body.id])).toBe(3);
  });

  it('refuses money that is not whole pence, unknown categories, missing sources and oversized items', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ item: 'Pens', category: 'equipment', amountPence: 12.5 }, 'amountPence', 'FIELD.NOT_AN_INTEGER'],
      [{ item: 'Pens', category: 'equipment', amountPence: '1250' }, 'amountPence', 'FIELD.NOT_AN_INTEGER'],
      [{ item: 'Pens', category: 'equipment', amountPence: 0 }, 'amountPence', 'FIELD.TOO_SMALL'],
      [{ item: 'Pens', category: 'refreshments', amountPence: 100 }, 'category', 'FIELD.NOT_ALLOWED_VALUE'],
      [{ item: 'x'.repeat(201), category: 'equipment', amountPence: 100 }, 'item', 'FIELD.TOO_LONG'],
      [{ item: 'Pens', category: 'equipment', amountPence: 100, otherFundingPence: 50 }, 'otherFundingSource', 'FIELD.REQUIRED'],
    ];
    const before = (await api.get(path(), { token })).body.items.length;
    for (const [body, field, code] of cases) {
      const res = await api.post(path(), body, { token });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, code })]));
    }
    expect((await api.get(path(), { token })).body.items.length).toBe(before);
  });

  it('a stale line version is a conflict with the current line; unknown lines are 404', async () => {
    const line = await api.post(path(), { item: 'Minibus', category: 'travel', amountPence: 30000 }, { token });
    expect((await api.patch(path(`/${line.body.id}`), { version: 1, item: 'Minibus hire' }, { token })).status).toBe(200);
    const stale = await api.patch(path(`/${line.body.id}`), { version: 1, item: 'Coach hire' }, { token });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'APPLICATION.EDIT_CONFLICT', current: { item: 'Minibus hire', version: 2, updatedBy: { name: 'Amina Khan' } } });
    const staleDelete = await api.delete(path(`/${line.body.id}?version=1`), { token });
    expect(staleDelete.status).toBe(409);
    const noVersion = await api.delete(path(`/${line.body.id}`), { token });
    expect(noVersion.status).toBe(422);
    expect((await api.patch(path('/00000000-0000-4000-8000-000000000000'), { version: 1, item: 'x' }, { token })).status).toBe(404);
    expect((await api.delete(path('/not-a-uuid?version=1'), { token })).status).toBe(404);
  });

  it('marking the budget complete needs a total within the pot’s limits', async () => {
    const draft = await startApplication(api, token, round, org.id);
    const budgetOf = async () => (await api.get(`/api/v1/applications/${draft.id}`, { token })).body.sections.find((s: any) => s.key === '_budget');
    const empty = await api.put(`/api/v1/applications/${draft.id}/sections/_budget`, { answers: {}, version: (await budgetOf()).version, completed: true }, { token });
    expect(empty.body.code).toBe('APPLICATION.BUDGET_EMPTY');
    await api.post(`/api/v1/applications/${draft.id}/budget-lines`, { item: 'Too little', category: 'other', amountPence: 100 }, { token });
    const small = await api.put(`/api/v1/applications/${draft.id}/sections/_budget`, { answers: {}, version: (await budgetOf()).version, completed: true }, { token });
    expect(small.status).toBe(422);
    expect(small.body.code).toBe('APPLICATION.BUDGET_OUTSIDE_POT_LIMITS');
  });
});

describe('submitting', () => {
  it('refuses an incomplete bid, listing each missing item, and leaves it a draft', async () => {
    const draft = await startApplication(api, token, round, org.id);
    const res = await api.post(`/api/v1/applications/${draft.id}/submit`, { declaration: { name: 'Amina Khan', confirmed: true } }, { token });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('APPLICATION.INCOMPLETE');
    const fields = res.body.errors.map((e: any) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'project.projectTitle',
        'sections._project',
        'sections.need.beneficiaries',
        'sections.need',
        'sections.documents',
        'budget',
        'sections._budget',
      ]),
    );
    expect((await api.get(`/api/v1/applications/${draft.id}`, { token })).body.status).toBe('draft');
  });

  it('requires a required file question to be answered by an attachment of that kind', async () => {
    const withFile = await createOpenRound(t.db, { requiredFile: true });
    const draft = await startApplication(api, token, withFile, org.id);
    await completeApplication(api, token, withFile, draft.id);
    const res = await api.post(`/api/v1/applications/${draft.id}/submit`, { declaration: { name: 'Amina Khan', confirmed: true } }, { token });
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'attachments.constitution', code: 'APPLICATION.ATTACHMENT_MISSING' })]);
    await t.db.query(
      `INSERT INTO attachments (application_id, kind, file_name, storage_key, content_type, size_bytes, sha256, uploaded_by) VALUES ($1, 'constitution', 'constitution.pdf', $2, 'application/pdf', 10, $3, $4)`,
      [draft.id, 'k'.repeat(32), '0'.repeat(64), applicant.id],
    );
    const ok = await api.post(`/api/v1/applications/${draft.id}/submit`, { declaration: { name: 'Amina Khan', confirmed: true } }, { token });
    expect(ok.status).toBe(200);
  });

  it('refuses a total outside the pot’s bounds with APPLICATION.BUDGET_OUTSIDE_POT_LIMITS', async () => {
    const draft = await startApplication(api, token, round, org.id);
    await completeApplication(api, token, round, draft.id);
    // a colleague then adds a line that takes the total over the maximum
    await api.post(`/api/v1/applications/${draft.id}/budget-lines`, { item: 'Building works', category: 'other', amountPence: 490000 }, { token });
    const budget = (await api.get(`/api/v1/applications/${draft.id}`, { token })).body.sections.find((s: any) => s.key === '_budget');
    expect(budget.status).toBe('in_progress');
    const forced = await t.db.query(`UPDATE application_sections SET status = 'completed' WHERE application_id = $1 AND section_key = '_budget'`, [draft.id]);
    expect(forced).toBeDefined();
    const res = await api.post(`/api/v1/applications/${draft.id}/submit`, { declaration: { name: 'Amina Khan', confirmed: true } }, { token });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('APPLICATION.BUDGET_OUTSIDE_POT_LIMITS');
    expect((await api.get(`/api/v1/applications/${draft.id}`, { token })).body.status).toBe('draft');
  });

  it('needs a declaration with a name and confirmed: true', async () => {
    const draft = await startApplication(api, token, round, org.id);
    for (const body of [{}, { declaration: { name: '', confirmed: true } }, { declaration: { name: 'Amina', confirmed: false } }, { declaration: { name: 'Amina', confirmed: 'yes' } }]) {
      const res = await api.post(`/api/v1/applications/${draft.id}/submit`, body, { token });
      expect(res.status).toBe(422);
    }
  });

  it('submits: reference, status, history, audit and a confirmation email to the submitter and the organisation', async () => {
    const draft = await startApplication(api, token, round, org.id);
    await completeApplication(api, token, round, draft.id);
    const res = await api.post(`/api/v1/applications/${draft.id}/submit`, { declaration: { name: 'Amina Khan', confirmed: true } }, { token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('submitted');
    expect(res.body.reference).toMatch(new RegExp(`^${round.prefix}-${round.roundCode}-\\d{4}$`));
    expect(res.body.submittedAt).toEqual(expect.any(String));
    expect(res.body.declarationName).toBe('Amina Khan');
    const history = (await api.get(`/api/v1/applications/${draft.id}/history`, { token })).body.items;
    expect(history.map((h: any) => h.toStatus)).toEqual(['draft', 'submitted']);
    expect(await count(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'application.submitted'`, [draft.id])).toBe(1);
    await t.settle();
    const mine = await t.mailbox.waitFor(applicant.email, (m) => m.subject.includes(res.body.reference));
    expect(mine.text).toContain('Safe evenings for young people');
    expect(mine.text).toContain(`/applications/${draft.id}`);
    const contact = await t.mailbox.waitFor('contact@example.test', (m) => m.subject.includes(res.body.reference));
    expect(contact.text).toContain('Amount requested: £2,500.50');

    const again = await api.post(`/api/v1/applications/${draft.id}/submit`, { declaration: { name: 'Amina Khan', confirmed: true } }, { token });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('APPLICATION.ILLEGAL_TRANSITION');
    const edit = await api.patch(`/api/v1/applications/${draft.id}`, { version: res.body.version, projectTitle: 'Changed after' }, { token });
    expect(edit.status).toBe(409);
    expect(edit.body.code).toBe('APPLICATION.NOT_EDITABLE');
    const line = await api.post(`/api/v1/applications/${draft.id}/budget-lines`, { item: 'Late', category: 'other', amountPence: 100 }, { token });
    expect(line.body.code).toBe('APPLICATION.NOT_EDITABLE');
  });

  it('after the deadline: refused with APPLICATION.DEADLINE_PASSED and the draft unchanged', async () => {
    const closing = await createOpenRound(t.db);
    const draft = await startApplication(api, token, closing, org.id);
    await completeApplication(api, token, closing, draft.id);
    const before = (await api.get(`/api/v1/applications/${draft.id}`, { token })).body;
    await t.db.query(`UPDATE rounds SET opens_at = now() - interval '10 days', closes_at = now() - interval '1 second' WHERE id = $1`, [closing.roundId]);
    const res = await api.post(`/api/v1/applications/${draft.id}/submit`, { declaration: { name: 'Amina Khan', confirmed: true } }, { token });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('APPLICATION.DEADLINE_PASSED');
    const after = (await api.get(`/api/v1/applications/${draft.id}`, { token })).body;
    expect({ ...after, round: null }).toEqual({ ...before, round: null });
    expect(after.status).toBe('draft');
    const [{ last }] = await t.db.query(`SELECT last_reference_number AS last FROM rounds WHERE id = $1`, [closing.roundId]);
    expect(last).toBe(0);
  });

  it('20 bids submitted at once get 20 distinct, consecutive references', async () => {
    const busy = await createOpenRound(t.db);
    const people = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(t.db, { fullName: `Applicant ${i}` })));
    const drafts: { id: string; token: string }[] = [];
    for (const person of people) {
      const personToken = await tokenFor(t, person);
      const personOrg = await createOrganisation(t.db, person);
      const draft = await startApplication(api, personToken, busy, personOrg.id);
      await completeApplication(api, personToken, busy, draft.id);
      drafts.push({ id: draft.id, token: personToken });
    }
    const results = await Promise.all(
      drafts.map((d) => api.post(`/api/v1/applications/${d.id}/submit`, { declaration: { name: 'Submitter', confirmed: true } }, { token: d.token })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    const numbers = results.map((r) => Number(r.body.reference.split('-').pop())).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.body.reference)).size).toBe(20);
  });
});

describe('withdrawing', () => {
  it('withdraws a draft or a submitted bid with a reason, recorded in history', async () => {
    const draft = await startApplication(api, token, round, org.id);
    const res = await api.post(`/api/v1/applications/${draft.id}/withdraw`, { reason: 'We found other funding' }, { token });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('withdrawn');
    expect(res.body.withdrawnAt).toEqual(expect.any(String));
    const history = (await api.get(`/api/v1/applications/${draft.id}/history`, { token })).body.items;
    expect(history[1]).toMatchObject({ fromStatus: 'draft', toStatus: 'withdrawn', reason: 'We found other funding' });

    const submitted = await startApplication(api, token, round, org.id);
    await completeApplication(api, token, round, submitted.id);
    await api.post(`/api/v1/applications/${submitted.id}/submit`, { declaration: { name: 'Amina Khan', confirmed: true } }, { token });
    const out = await api.post(`/api/v1/applications/${submitted.id}/withdraw`, { reason: 'Project cancelled' }, { token });
    expect(out.body.status).toBe('withdrawn');
    await t.settle();
    const mail = await t.mailbox.waitFor(applicant.email, (m: any) => /withdrawn/i.test(m.subject));
    expect(mail.text).toContain('Project cancelled');
  });

  it('refuses after a decision (409 illegal transition), without a reason, and twice', async () => {
    const draft = await startApplication(api, token, round, org.id);
    expect((await api.post(`/api/v1/applications/${draft.id}/withdraw`, {}, { token })).status).toBe(422);
    expect((await api.post(`/api/v1/applications/${draft.id}/withdraw`, { reason: 'r'.repeat(1001) }, { token })).status).toBe(422);
    for (const decided of ['approved', 'rejected']) {
      await t.db.query(`UPDATE applications SET status = $2 WHERE id = $1`, [draft.id, decided]);
      const res = await api.post(`/api/v1/applications/${draft.id}/withdraw`, { reason: 'Too late' }, { token });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('APPLICATION.ILLEGAL_TRANSITION');
    }
    await t.db.query(`UPDATE applications SET status = 'draft' WHERE id = $1`, [draft.id]);
    expect((await api.post(`/api/v1/applications/${draft.id}/withdraw`, { reason: 'Once' }, { token })).status).toBe(200);
    expect((await api.post(`/api/v1/applications/${draft.id}/withdraw`, { reason: 'Twice' }, { token })).body.code).toBe('APPLICATION.ILLEGAL_TRANSITION');
  });
});

describe('lists', () => {
  it('an applicant lists their organisations’ bids, filterable and paginated', async () => {
    const res = await api.get(`/api/v1/applications?roundId=${round.roundId}&status=draft&pageSize=2&page=1`, { token });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(2);
    expect(res.body.total).toBeGreaterThan(2);
    expect(res.body.items.every((i: any) => i.status === 'draft' && i.organisation.id === org.id)).toBe(true);
    const bad = await api.get(`/api/v1/applications?status=won`, { token });
    expect(bad.status).toBe(422);
    const badPage = await api.get(`/api/v1/applications?pageSize=1000`, { token });
    expect(badPage.status).toBe(422);
  });

  it('grants officers see submitted bids of every organisation, filterable by district and priority', async () => {
    const officer = await createUser(t.db, { roles: ['grants_officer'] });
    const officerToken = await tokenFor(t, officer);
    const all = await api.get(`/api/v1/applications?roundId=${round.roundId}&pageSize=200`, { token: officerToken });
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThan(0);
    expect(all.body.items.some((i: any) => i.status === 'draft')).toBe(false);
    const byDistrict = await api.get(`/api/v1/applications?roundId=${round.roundId}&districtId=${round.districts[0].id}`, { token: officerToken });
    expect(byDistrict.body.total).toBeGreaterThan(0);
    const byOtherDistrict = await api.get(`/api/v1/applications?roundId=${round.roundId}&districtId=${round.outsideDistrict.id}`, { token: officerToken });
    expect(byOtherDistrict.body.total).toBe(0);
    const byPriority = await api.get(`/api/v1/applications?priorityId=${round.priorities[1].id}&status=submitted`, { token: officerToken });
    expect(byPriority.body.items.every((i: any) => i.status === 'submitted')).toBe(true);
    expect(byPriority.body.total).toBeGreaterThan(0);
  });
});

describe('the OpenAPI document', () => {
  it('documents the application routes and their bodies', async () => {
    const doc = (await api.get('/api/docs-json')).body;
    for (const path of [
      '/api/v1/applications',
      '/api/v1/applications/{id}',
      '/api/v1/applications/{id}/sections/{key}',
      '/api/v1/applications/{id}/budget-lines',
      '/api/v1/applications/{id}/budget-lines/{lineId}',
      '/api/v1/applications/{id}/submit',
      '/api/v1/applications/{id}/withdraw',
      '/api/v1/applications/{id}/history',
      '/api/v1/rounds/{id}/eligibility-check',
      '/api/v1/rounds/{id}/applications.csv',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.components.schemas.CreateBudgetLineDto.properties.amountPence).toBeDefined();
  });
});

describe('one shape to complete any section (PUT .../sections/{key})', () => {
  it('completes the project details through PUT _project, locked by the section version, and the older PATCH still works', async () => {
    const app = await startApplication(api, token, round, org.id);
    const section = app.sections.find((s: any) => s.key === '_project');
    const answers = {
      projectTitle: 'Safe evenings for young people',
      projectSummary: 'Weekly youth sessions in the community centre.',
      projectStartDate: daysFromNow(30),
      projectEndDate: daysFromNow(300),
      districtIds: [round.districts[0].id],
      priorityIds: [round.priorities[1].id],
    };
    const saved = await api.put(`/api/v1/applications/${app.id}/sections/_project`, { answers, version: section.version, completed: true }, { token });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ key: '_project', kind: 'project', status: 'completed', version: section.version + 1, applicationVersion: app.version + 1, answers });
    const detail = (await api.get(`/api/v1/applications/${app.id}`, { token })).body;
    expect(detail).toMatchObject({ projectTitle: answers.projectTitle, version: app.version + 1, districts: [{ id: round.districts[0].id }], priorities: [{ id: round.priorities[1].id }] });
    expect(detail.sections.find((s: any) => s.key === '_project')).toMatchObject({ status: 'completed', version: section.version + 1 });

    // The version loaded before is stale now, by either door.
    const stale = await api.put(`/api/v1/applications/${app.id}/sections/_project`, { answers, version: section.version }, { token });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'APPLICATION.EDIT_CONFLICT', current: { section: '_project', version: section.version + 1, answers: { projectTitle: answers.projectTitle } } });
    const stalePatch = await api.patch(`/api/v1/applications/${app.id}`, { version: app.version, projectTitle: 'Overwritten' }, { token });
    expect(stalePatch.status).toBe(409);
    const patched = await api.patch(`/api/v1/applications/${app.id}`, { version: saved.body.applicationVersion, projectTitle: 'Safer evenings' }, { token });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ projectTitle: 'Safer evenings', districts: [{ id: round.districts[0].id }] });
    expect(patched.body.sections.find((s: any) => s.key === '_project').version).toBe(section.version + 2);
  });

  it('refuses project answers the section does not have, or of the wrong type, and checks completion', async () => {
    const app = await startApplication(api, token, round, org.id);
    const section = app.sections.find((s: any) => s.key === '_project');
    const unknown = await api.put(`/api/v1/applications/${app.id}/sections/_project`, { answers: { colour: 'blue' }, version: section.version }, { token });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].field).toBe('answers.colour');
    const wrongType = await api.put(`/api/v1/applications/${app.id}/sections/_project`, { answers: { districtIds: ['not-a-uuid'] }, version: section.version }, { token });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.errors[0]).toMatchObject({ field: 'answers.districtIds', code: 'FIELD.INVALID_ID' });
    const incomplete = await api.put(`/api/v1/applications/${app.id}/sections/_project`, { answers: { projectTitle: 'Only a title' }, version: section.version, completed: true }, { token });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.errors.map((e: any) => e.field)).toEqual(expect.arrayContaining(['projectSummary', 'projectStartDate', 'districtIds']));
  });

  it('adding a budget line answers with the budget section’s new version, enough to complete it without another read', async () => {
    const app = await startApplication(api, token, round, org.id);
    const budget = app.sections.find((s: any) => s.key === '_budget');
    const line = await api.post(`/api/v1/applications/${app.id}/budget-lines`, { item: 'Youth worker', category: 'staff', amountPence: 250000 }, { token });
    expect(line.status).toBe(201);
    expect(line.body).toMatchObject({ item: 'Youth worker', amountPence: 250000, version: 1, section: { key: '_budget', status: 'in_progress', version: budget.version + 1 } });
    const done = await api.put(`/api/v1/applications/${app.id}/sections/_budget`, { answers: {}, version: line.body.section.version, completed: true }, { token });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ key: '_budget', status: 'completed', version: budget.version + 2 });
    const changed = await api.patch(`/api/v1/applications/${app.id}/budget-lines/${line.body.id}`, { version: 1, amountPence: 260000 }, { token });
    expect(changed.body).toMatchObject({ version: 2, section: { status: 'in_progress', version: budget.version + 3 } });
  });
});
