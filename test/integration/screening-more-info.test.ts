import { ScreeningReminderJob } from '../../src/screening/screening-mail.service.js';
import { createOrganisation, createUser, tokenFor, type TestUser } from '../support/factories.js';
import { COMPLETE_NEED_ANSWERS, createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { londonDaysFromNow, submittedBid, uploadFile } from '../support/screening-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The more-information loop: the officer names sections and kinds of document, the applicant is
 * emailed, may change exactly those (API), resubmits, and the bid is back at the top of the queue;
 * the reminder after the respond-by date is sent once, and not at all after a resubmission.
 * The reminder runs 300 ms after the request here (SCREENING_REMINDER_DELAY_MS) instead of the day after the date.
 */

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let owner: TestUser;
let orgId: string;
let ownerToken: string;
let officerToken: string;

beforeAll(async () => {
  t = await startTestApp({ env: { SCREENING_REMINDER_DELAY_MS: '300' } });
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  owner = await createUser(t.db, { fullName: 'Mo Member' });
  orgId = (await createOrganisation(t.db, owner, { name: 'More Info Group' })).id;
  ownerToken = await tokenFor(t, owner);
  officerToken = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
});

afterAll(async () => {
  await t?.close();
});

const askForMore = (id: string, extra: Record<string, unknown> = {}) =>
  api.post(
    `/api/v1/applications/${id}/screening`,
    { outcome: 'more_info', checklist: [{ key: 'latest_accounts', result: 'fail', note: 'Accounts are two years old: staff only' }], sections: ['need'], attachmentKinds: ['accounts'], message: 'Please send your latest accounts and say more about the need.', respondBy: londonDaysFromNow(14), ...extra },
    { token: officerToken },
  );
const detail = async (id: string) => (await api.get(`/api/v1/applications/${id}`, { token: ownerToken })).body;
const section = (d: any, key: string) => d.sections.find((s: any) => s.key === key);
const reminders = () => t.mailbox.messages.filter((m) => m.subject.startsWith('Reminder: more information'));
/** Waits until the outbox and queue are quiet and the delayed reminder (300 ms) has had its turn. */
async function afterReminderDelay(): Promise<void> {
  await new Promise((r) => setTimeout(r, 600));
  await t.settle();
}

describe('the more-information loop', () => {
  it('opens only the named section and kind of file, emails the applicant, and resubmitting puts the bid at the top of the queue', async () => {
    const older = await submittedBid(t, api, ownerToken, round, orgId);
    const id = await submittedBid(t, api, ownerToken, round, orgId);
    const before = (await api.get('/api/v1/screening/queue?pageSize=200', { token: officerToken })).body.items.map((i: any) => i.id);
    expect(before.indexOf(older)).toBeLessThan(before.indexOf(id));

    const asked = await askForMore(id);
    expect(asked.status).toBe(201);
    const d = await detail(id);
    expect(d.status).toBe('more_info_requested');
    expect(d.moreInformation).toEqual({ message: 'Please send your latest accounts and say more about the need.', respondBy: londonDaysFromNow(14), sections: ['need'], attachmentKinds: ['accounts'] });
    // The applicant never sees the checklist or its notes.
    expect(JSON.stringify(d)).not.toContain('staff only');
    const mail = await t.mailbox.waitFor(owner.email, (m) => m.subject.startsWith('More information needed'));
    expect(mail.text).toContain('Please send your latest accounts');
    expect(mail.text).toContain('The need for your project');
    expect(mail.text).not.toContain('staff only');

    // The named section can be changed; another section, the project details and the budget cannot.
    const need = await api.put(`/api/v1/applications/${id}/sections/need`, { answers: { ...COMPLETE_NEED_ANSWERS, need: 'More detail, as asked.' }, version: section(d, 'need').version, completed: true }, { token: ownerToken });
    expect(need.status).toBe(200);
    const docs = await api.put(`/api/v1/applications/${id}/sections/documents`, { answers: {}, version: section(d, 'documents').version, completed: true }, { token: ownerToken });
    expect({ status: docs.status, code: docs.body.code }).toEqual({ status: 409, code: 'APPLICATION.PART_NOT_REOPENED' });
    const project = await api.patch(`/api/v1/applications/${id}`, { version: d.version, projectTitle: 'Sneaky change' }, { token: ownerToken });
    expect({ status: project.status, code: project.body.code }).toEqual({ status: 409, code: 'APPLICATION.PART_NOT_REOPENED' });
    const line = await api.post(`/api/v1/applications/${id}/budget-lines`, { item: 'Extra', category: 'other', amountPence: 100 }, { token: ownerToken });
    expect({ status: line.status, code: line.body.code }).toEqual({ status: 409, code: 'APPLICATION.PART_NOT_REOPENED' });

    // Files: the named kind may be added and removed; any other kind may not.
    const accounts = await uploadFile(t, ownerToken, id, 'accounts', 'accounts-2026.pdf');
    expect(accounts.status).toBe(201);
    const other = await uploadFile(t, ownerToken, id, 'other');
    expect({ status: other.status, code: other.body.code }).toEqual({ status: 409, code: 'ATTACHMENT.NOT_REOPENED' });
    const oldAccounts = d.attachments.find((a: any) => a.kind === 'accounts');
    expect((await api.delete(`/api/v1/applications/${id}/attachments/${oldAccounts.id}`, { token: ownerToken })).status).toBe(204);
    // Staff never change the bid's content, even while it is reopened.
    expect((await api.put(`/api/v1/applications/${id}/sections/need`, { answers: COMPLETE_NEED_ANSWERS, version: need.body.version }, { token: officerToken })).status).toBe(403);

    const resubmitted = await api.post(`/api/v1/applications/${id}/resubmit`, undefined, { token: ownerToken });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body).toMatchObject({ status: 'screening', moreInformation: null });
    // Closed again: the section that was open cannot change now.
    const late = await api.put(`/api/v1/applications/${id}/sections/need`, { answers: COMPLETE_NEED_ANSWERS, version: need.body.version }, { token: ownerToken });
    expect(late.status).toBe(409);
    expect((await api.post(`/api/v1/applications/${id}/resubmit`, undefined, { token: ownerToken })).body.code).toBe('APPLICATION.NOT_AWAITING_INFORMATION');

    const queue = (await api.get('/api/v1/screening/queue?pageSize=200', { token: officerToken })).body.items;
    expect(queue[0]).toMatchObject({ id, resubmitted: true, status: 'screening' });
    expect(queue.map((i: any) => i.id)).toContain(older);

    // ...and is screened again from there.
    const passed = await api.post(`/api/v1/applications/${id}/screening`, { outcome: 'pass', checklist: (await api.get(`/api/v1/applications/${id}/screening`, { token: officerToken })).body.checklist.map((c: any) => ({ key: c.key, result: 'pass', note: '' })) }, { token: officerToken });
    expect(passed.status).toBe(201);
    const record = (await api.get(`/api/v1/applications/${id}/screening`, { token: officerToken })).body;
    expect(record.screenings.map((s: any) => s.outcome)).toEqual(['pass', 'more_info']);
    expect(record.screenings[1]).toMatchObject({ respondBy: londonDaysFromNow(14), sections: ['need'], attachmentKinds: ['accounts'] });
  });

  it('a member of another organisation cannot resubmit (404), nor may staff (403)', async () => {
    const id = await submittedBid(t, api, ownerToken, round, orgId);
    expect((await askForMore(id)).status).toBe(201);
    const stranger = await createUser(t.db);
    await createOrganisation(t.db, stranger);
    expect((await api.post(`/api/v1/applications/${id}/resubmit`, undefined, { token: await tokenFor(t, stranger) })).status).toBe(404);
    expect((await api.post(`/api/v1/applications/${id}/resubmit`, undefined, { token: officerToken })).status).toBe(403);
    expect((await detail(id)).status).toBe('more_info_requested');
  });
});

describe('the reminder', () => {
  it('goes out once when the date passes without a resubmission, even when the job is delivered twice', async () => {
    const id = await submittedBid(t, api, ownerToken, round, orgId);
    const sentBefore = reminders().length;
    const asked = await askForMore(id);
    await afterReminderDelay();
    await t.mailbox.waitFor(owner.email, (m) => m.subject.startsWith('Reminder: more information') && m.text.includes('Please send your latest accounts'));
    const job = t.app.get(ScreeningReminderJob);
    await job.handle({ applicationId: id, screeningId: asked.body.id });
    await job.handle({ applicationId: id, screeningId: asked.body.id });
    await t.settle();
    // The submitter is also the organisation's only member; the contact address gets its own copy.
    // Other tests' bids wait for the same owner too, so count only this bid's reminders.
    const { reference } = await detail(id);
    const forThisBid = reminders().slice(sentBefore).filter((m) => m.subject.includes(reference));
    expect(forThisBid.filter((m) => m.to.includes(owner.email.toLowerCase()))).toHaveLength(1);
  });

  it('is a no-op once the bid was resubmitted', async () => {
    const id = await submittedBid(t, api, ownerToken, round, orgId);
    const sentBefore = reminders().length;
    const asked = await askForMore(id);
    expect((await api.post(`/api/v1/applications/${id}/resubmit`, undefined, { token: ownerToken })).status).toBe(200);
    await afterReminderDelay();
    await t.app.get(ScreeningReminderJob).handle({ applicationId: id, screeningId: asked.body.id });
    await t.settle();
    expect(reminders().length).toBe(sentBefore);
    const [{ sent }] = await t.db.query(`SELECT reminder_sent_at AS sent FROM screenings WHERE id = $1`, [asked.body.id]);
    expect(sent).toBeNull();
  });
});
