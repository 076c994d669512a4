import { createOrganisation, createUser, tokenFor, type TestUser } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { fullChecklist, londonDaysFromNow, submittedBid } from '../support/screening-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Screening through the API: each round's checklist as data, the queue, each outcome, the rules of
 * a screening (each refusal a coded 4xx with nothing changed), two officers at once, and who may
 * see what (the auditor reads, applicants never see the checklist or its notes).
 */

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let owner: TestUser;
let orgId: string;
const tokens: Record<'owner' | 'officer' | 'auditor' | 'assessor', string> = {} as never;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  owner = await createUser(t.db, { fullName: 'Olu Owner' });
  orgId = (await createOrganisation(t.db, owner, { name: 'Screened Youth Trust', charityNumber: '1234567' })).id;
  tokens.owner = await tokenFor(t, owner);
  tokens.officer = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'], fullName: 'Grace Officer' }));
  tokens.auditor = await tokenFor(t, await createUser(t.db, { roles: ['auditor'] }));
  tokens.assessor = await tokenFor(t, await createUser(t.db, { roles: ['assessor'] }));
});

afterAll(async () => {
  await t?.close();
});

const screen = (id: string, body: unknown, token = tokens.officer) => api.post(`/api/v1/applications/${id}/screening`, body, { token });
const statusOf = async (id: string) => (await t.db.query(`SELECT status FROM applications WHERE id = $1`, [id]))[0].status;
const screeningsOf = async (id: string) => (await t.db.query(`SELECT count(*)::int AS n FROM screenings WHERE application_id = $1`, [id]))[0].n;

describe('the checklist as data per round', () => {
  it('starts with the six defaults and can be replaced by a grants officer, audited', async () => {
    const other = await createOpenRound(t.db);
    const got = await api.get(`/api/v1/rounds/${other.roundId}/screening-checklist`, { token: tokens.officer });
    expect(got.status).toBe(200);
    expect(got.body.items.map((i: any) => i.key)).toEqual(['registered_number', 'latest_accounts', 'safeguarding_policy', 'bank_account', 'project_area', 'no_excluded_purpose']);
    const put = await api.put(`/api/v1/rounds/${other.roundId}/screening-checklist`, { items: [{ key: 'insurance', label: 'Public liability insurance seen' }, { key: 'latest_accounts', label: 'Latest accounts seen' }] }, { token: tokens.officer });
    expect(put.status).toBe(200);
    expect(put.body.items.map((i: any) => i.key)).toEqual(['insurance', 'latest_accounts']);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'screening.checklist_changed' AND entity_id = $1`, [other.roundId]);
    expect(n).toBe(1);
  });

  it('refuses duplicate or malformed keys (422) and anyone but a grants officer (403)', async () => {
    const dup = await api.put(`/api/v1/rounds/${round.roundId}/screening-checklist`, { items: [{ key: 'same', label: 'A' }, { key: 'same', label: 'B' }] }, { token: tokens.officer });
    expect({ status: dup.status, code: dup.body.code }).toEqual({ status: 422, code: 'SCREENING.DUPLICATE_CHECKLIST_KEY' });
    const bad = await api.put(`/api/v1/rounds/${round.roundId}/screening-checklist`, { items: [{ key: 'Bad Key!', label: 'A' }] }, { token: tokens.officer });
    expect(bad.body.code).toBe('SCREENING.BAD_CHECKLIST_KEY');
    const auditor = await api.put(`/api/v1/rounds/${round.roundId}/screening-checklist`, { items: [{ key: 'x1', label: 'A' }] }, { token: tokens.auditor });
    expect(auditor.status).toBe(403);
    expect((await api.get(`/api/v1/rounds/${round.roundId}/screening-checklist`, { token: tokens.auditor })).body.items).toHaveLength(6);
  });
});

describe('outcomes', () => {
  it('pass: the bid goes to assessment through the lifecycle, with the record of who screened it kept', async () => {
    const id = await submittedBid(t, api, tokens.owner, round, orgId);
    const started = await api.post(`/api/v1/applications/${id}/screening/start`, undefined, { token: tokens.officer });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'screening', registration: { charityNumber: '1234567' } });
    const files = (await api.get(`/api/v1/applications/${id}`, { token: tokens.owner })).body.attachments;
    const checklist = fullChecklist().map((c) => (c.key === 'latest_accounts' ? { ...c, attachmentIds: [files[0].id] } : c));
    const res = await screen(id, { outcome: 'pass', checklist });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'pass', screenedBy: { label: expect.any(String) } });
    expect(res.body.checklist.find((c: any) => c.key === 'latest_accounts').attachmentIds).toEqual([files[0].id]);
    expect(await statusOf(id)).toBe('in_assessment');
    const history = (await api.get(`/api/v1/applications/${id}/history`, { token: tokens.officer })).body.items.map((h: any) => h.toStatus);
    expect(history).toEqual(expect.arrayContaining(['screening', 'in_assessment']));
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'screening.pass' AND entity_id = $1`, [id]);
    expect(n).toBe(1);
    // A second screening of a bid already passed: 409 with a code, nothing more recorded.
    const again = await screen(id, { outcome: 'pass', checklist: fullChecklist() });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'SCREENING.NOT_AWAITING_SCREENING' });
    expect(await screeningsOf(id)).toBe(1);
  });

  it('ineligible: rejected with the reason, which the applicant receives by email', async () => {
    const id = await submittedBid(t, api, tokens.owner, round, orgId);
    const noReason = await screen(id, { outcome: 'ineligible', checklist: fullChecklist('fail') });
    expect({ status: noReason.status, code: noReason.body.code }).toEqual({ status: 422, code: 'SCREENING.REASON_REQUIRED' });
    expect(await statusOf(id)).toBe('submitted');
    const res = await screen(id, { outcome: 'ineligible', checklist: fullChecklist('fail'), reason: 'The project is outside the police force area.' });
    expect(res.status).toBe(201);
    expect(await statusOf(id)).toBe('rejected');
    const mail = await t.mailbox.waitFor(owner.email, (m) => m.subject.includes('not eligible'));
    expect(mail.text).toContain('The project is outside the police force area.');
    // The checklist's notes are staff-only: not in the applicant's email.
    expect(mail.text).not.toContain('Checked');
  });

  it('pass and ineligible need every item of the round checklist answered', async () => {
    const id = await submittedBid(t, api, tokens.owner, round, orgId);
    const res = await screen(id, { outcome: 'pass', checklist: fullChecklist().slice(1) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('SCREENING.CHECKLIST_INCOMPLETE');
    expect(res.body.errors.map((e: any) => e.field)).toEqual(['checklist.registered_number']);
    expect(await statusOf(id)).toBe('submitted');
    expect(await screeningsOf(id)).toBe(0);
  });
});

describe('bad input: a coded 4xx, nothing changed', () => {
  let id: string;
  beforeAll(async () => {
    id = await submittedBid(t, api, tokens.owner, round, orgId);
  });
  afterEach(async () => {
    expect(await statusOf(id)).toBe('submitted');
    expect(await screeningsOf(id)).toBe(0);
  });

  const moreInfo = (extra: Record<string, unknown>) => ({ outcome: 'more_info', checklist: [], sections: ['need'], message: 'Please say more.', respondBy: londonDaysFromNow(14), ...extra });

  it.each([
    ['an unknown checklist key', { outcome: 'pass', checklist: [...fullChecklist(), { key: 'made_up', result: 'pass', note: '' }] }, 422, 'SCREENING.UNKNOWN_CHECKLIST_ITEM'],
    ['an item answered twice', { outcome: 'pass', checklist: [...fullChecklist(), fullChecklist()[0]] }, 422, 'SCREENING.DUPLICATE_CHECKLIST_ITEM'],
    ['an unknown section key', moreInfo({ sections: ['no_such_section'] }), 422, 'SCREENING.UNKNOWN_SECTION'],
    ['an unknown attachment kind', moreInfo({ sections: [], attachmentKinds: ['passport'] }), 422, 'SCREENING.UNKNOWN_ATTACHMENT_KIND'],
    ['nothing reopened', moreInfo({ sections: [] }), 422, 'SCREENING.NOTHING_REOPENED'],
    ['no message', moreInfo({ message: '  ' }), 422, 'SCREENING.MESSAGE_REQUIRED'],
    ['a respond-by date today', moreInfo({ respondBy: londonDaysFromNow(0) }), 422, 'SCREENING.RESPOND_BY_PAST'],
    ['a respond-by date in the past', moreInfo({ respondBy: '2020-01-01' }), 422, 'SCREENING.RESPOND_BY_PAST'],
    ['a respond-by date that is not a date', moreInfo({ respondBy: '2030-02-30' }), 422, 'SCREENING.BAD_DATE'],
    ['a file of another bid', { outcome: 'pass', checklist: fullChecklist().map((c, i) => (i === 0 ? { ...c, attachmentIds: ['00000000-0000-4000-8000-000000000000'] } : c)) }, 422, 'SCREENING.ATTACHMENT_NOT_ON_BID'],
  ])('refuses %s', async (_what, body, status, code) => {
    const res = await screen(id, body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  });

  it('refuses wrong types and oversized notes through the DTO', async () => {
    for (const body of [
      { outcome: 'maybe', checklist: [] },
      { outcome: 'pass', checklist: 'all fine' },
      { outcome: 'pass', checklist: [{ key: 'registered_number', result: 'yes' }] },
      { outcome: 'pass', checklist: [{ key: 'registered_number', result: 'pass', note: 'x'.repeat(2001) }] },
      { outcome: 'more_info', checklist: [], sections: 'need', message: 'm', respondBy: londonDaysFromNow(3) },
    ]) {
      const res = await screen(id, body);
      expect([400, 422]).toContain(res.status);
      expect(res.body.code).toEqual(expect.any(String));
    }
  });
});

describe('two officers at once', () => {
  it('screening the same bid twice at once: one succeeds, the other gets 409 with a code, nothing else changed', async () => {
    const id = await submittedBid(t, api, tokens.owner, round, orgId);
    const other = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
    const [a, b] = await Promise.all([
      screen(id, { outcome: 'pass', checklist: fullChecklist() }),
      screen(id, { outcome: 'ineligible', checklist: fullChecklist('fail'), reason: 'Outside the area' }, other),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.code).toBe('SCREENING.NOT_AWAITING_SCREENING');
    expect(await screeningsOf(id)).toBe(1);
    const winner = a.status === 201 ? a : b;
    expect(await statusOf(id)).toBe(winner.body.outcome === 'pass' ? 'in_assessment' : 'rejected');
    const moves = await t.db.query(`SELECT to_status FROM application_transitions WHERE application_id = $1 ORDER BY occurred_at, id`, [id]);
    expect(moves.map((m: any) => m.to_status).filter((s: string) => s !== 'draft' && s !== 'submitted')).toHaveLength(2);
  });
});

describe('who sees what', () => {
  it('the auditor reads the queue and the record but changes nothing; applicants and assessors see no screening', async () => {
    const id = await submittedBid(t, api, tokens.owner, round, orgId);
    expect((await api.get('/api/v1/screening/queue', { token: tokens.auditor })).status).toBe(200);
    expect((await api.get(`/api/v1/applications/${id}/screening`, { token: tokens.auditor })).status).toBe(200);
    expect((await screen(id, { outcome: 'pass', checklist: fullChecklist() }, tokens.auditor)).status).toBe(403);
    expect((await api.post(`/api/v1/applications/${id}/screening/start`, undefined, { token: tokens.auditor })).status).toBe(403);
    for (const token of [tokens.owner, tokens.assessor]) {
      expect((await api.get(`/api/v1/applications/${id}/screening`, { token })).status).toBe(403);
      expect((await api.get('/api/v1/screening/queue', { token })).status).toBe(403);
      expect((await screen(id, { outcome: 'pass', checklist: fullChecklist() }, token)).status).toBe(403);
    }
    expect(await statusOf(id)).toBe('submitted');
  });

  it('records what the register showed through the register port (manual by default), audited', async () => {
    const id = await submittedBid(t, api, tokens.owner, round, orgId);
    const checkedAt = new Date(Date.now() - 60_000).toISOString();
    const res = await api.post(`/api/v1/applications/${id}/register-checks`, { registeredNumber: '1234567', nameShown: 'Screened Youth Trust', status: 'Registered', checkedAt }, { token: tokens.officer });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ registeredNumber: '1234567', registerStatus: 'Registered', source: 'manual', checkedAt });
    const record = (await api.get(`/api/v1/applications/${id}/screening`, { token: tokens.officer })).body;
    expect(record.registerChecks).toHaveLength(1);
    const future = await api.post(`/api/v1/applications/${id}/register-checks`, { registeredNumber: '1', nameShown: 'X', status: 'Registered', checkedAt: new Date(Date.now() + 86400_000).toISOString() }, { token: tokens.officer });
    expect(future.body.code).toBe('SCREENING.CHECKED_IN_FUTURE');
  });
});
