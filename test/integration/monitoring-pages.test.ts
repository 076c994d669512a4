import { minimalPdf } from '../fixtures/files.js';
import { createUser, tokenFor, type TestUser } from '../support/factories.js';
import { errorSummaryOf, textOf } from '../support/form-client.js';
import { createOpenRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { acceptedAward, budgetLinesOf, pay, returnsOf, submitReturn } from '../support/monitoring-factories.js';
import { browserAs, type Browser } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The monitoring pages without JavaScript: the organisation finds its returns from the award's
 * page, writes one (spend per approved line in pounds, outputs, narrative, outcomes, case study),
 * checks it and submits it; a grants officer finds it in the queue, asks for changes with a note
 * (shown to the organisation) and accepts it; the round's schedule page sets the schedule; the
 * close page lists what blocks closing, then closes the award.
 */
let t: TestApp;
let api: ApiClient;
let officer: TestUser;
let officerBrowser: Browser;
let officerToken: string;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  officer = await createUser(t.db, { roles: ['grants_officer'] });
  officerBrowser = await browserAs(t, officer);
  officerToken = await tokenFor(t, officer);
});
afterAll(async () => {
  await t?.close();
});

it('an owner writes, checks and submits a return; the officer asks for changes, then accepts it', async () => {
  const award = await acceptedAward(t, api);
  await pay(t, award, 100_000);
  const owner = await browserAs(t, award.owner);
  const [line] = await budgetLinesOf(t, award.awardId);
  const [first] = award.returns;

  const hub = await owner.get(`/awards/${award.awardId}`);
  expect(hub.html).toContain(`/awards/${award.awardId}/returns`);
  const list = await owner.get(`/awards/${award.awardId}/returns`);
  expect(list.status).toBe(200);
  expect(textOf(list.html)).toContain('Six-month return');

  const form = await owner.get(`/returns/${first.id}/edit`);
  expect(form.status).toBe(200);
  expect(textOf(form.html)).toContain(`Approved: £3,000`);

  const bad = await owner.post(`/returns/${first.id}/edit`, { [`spend-${line.budgetLineId}`]: 'lots', 'output-0-label': 'Sessions', 'output-0-promised': '10', 'output-0-actual': 'x', narrative: '', outcomes: '', caseStudy: '' });
  expect(bad.status).toBe(422);
  expect(errorSummaryOf(bad.html)).toEqual(['Enter what you spent on Youth worker sessions in pounds, like 1250.50', 'Enter how many of output 1 the project delivered, as a whole number']);
  expect((await returnsOf(t, award.awardId))[0].status).toBe('due');

  const saved = await owner.post(`/returns/${first.id}/edit`, {
    [`spend-${line.budgetLineId}`]: '£1,250.50',
    'output-0-label': 'Sessions run',
    'output-0-promised': '20',
    'output-0-actual': '18',
    narrative: 'Sessions ran every week.',
    outcomes: 'Fewer incidents near the centre.',
    caseStudy: '',
  });
  expect([saved.status, saved.location]).toEqual([303, `/returns/${first.id}/check`]);
  const upload = async (data: Buffer, name: string) => {
    const form = new FormData();
    form.append('_csrf', owner.csrf);
    form.append('file', new Blob([new Uint8Array(data)]), name);
    const res = await fetch(`${t.url}/returns/${first.id}/evidence`, { method: 'POST', headers: { cookie: owner.cookie }, body: form, redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  };
  expect((await owner.get(`/returns/${first.id}/evidence`)).status).toBe(200);
  const empty = await upload(Buffer.alloc(0), 'Empty.pdf');
  expect(empty.status).toBe(422);
  expect(errorSummaryOf(empty.html)).toEqual(['The selected file is empty']);
  expect(await upload(minimalPdf(), 'Register.pdf')).toMatchObject({ status: 303, location: `/returns/${first.id}/evidence` });
  expect(textOf((await owner.get(`/returns/${first.id}/evidence`)).html)).toContain('Register.pdf');
  const check = await owner.get(`/returns/${first.id}/check`);
  expect(textOf(check.html)).toContain('Register.pdf');
  expect(textOf(check.html)).toContain('£1,250.50');
  expect(textOf(check.html)).toContain('Sessions run');
  const submitted = await owner.post(`/returns/${first.id}/submit`);
  expect([submitted.status, submitted.location]).toEqual([303, `/returns/${first.id}`]);
  expect((await returnsOf(t, award.awardId))[0].status).toBe('submitted');

  const queue = await officerBrowser.get('/staff/returns');
  expect(queue.status).toBe(200);
  expect(queue.html).toContain(`/staff/returns/${first.id}`);
  const reviewPage = await officerBrowser.get(`/staff/returns/${first.id}`);
  expect(textOf(reviewPage.html)).toContain('£1,250.50');
  const noNote = await officerBrowser.post(`/staff/returns/${first.id}/review`, { outcome: 'changes_requested', note: '' });
  expect(noNote.status).toBe(422);
  expect(errorSummaryOf(noNote.html)).toEqual(['Say what needs to change']);
  const back = await officerBrowser.post(`/staff/returns/${first.id}/review`, { outcome: 'changes_requested', note: 'Add the venue receipts.' });
  expect([back.status, back.location]).toEqual([303, '/staff/returns']);
  const shown = await owner.get(`/returns/${first.id}`);
  expect(textOf(shown.html)).toContain('Add the venue receipts.');
  expect((await owner.post(`/returns/${first.id}/submit`)).status).toBe(303);
  expect((await officerBrowser.post(`/staff/returns/${first.id}/review`, { outcome: 'accept', note: '' })).status).toBe(303);
  expect((await returnsOf(t, award.awardId))[0].status).toBe('accepted');
});

it('sets a round’s schedule on its page, the last return given being final; bad months are shown on their row', async () => {
  const round = await createOpenRound(t.db);
  const page = await officerBrowser.get(`/staff/rounds/${round.roundId}/return-schedule`);
  expect(page.status).toBe(200);
  const bad = await officerBrowser.post(`/staff/rounds/${round.roundId}/return-schedule`, { 'months-0': '6', 'months-1': '4' });
  expect(bad.status).toBe(422);
  expect(errorSummaryOf(bad.html)).toEqual(['Each return must be due later than the one before it']);
  const ok = await officerBrowser.post(`/staff/rounds/${round.roundId}/return-schedule`, { 'months-0': '4', 'months-1': '8', 'months-2': '12' });
  expect(ok.status).toBe(303);
  expect((await api.get(`/api/v1/rounds/${round.roundId}/return-schedule`, { token: officerToken })).body.returns).toEqual([
    { monthsAfterStart: 4, final: false },
    { monthsAfterStart: 8, final: false },
    { monthsAfterStart: 12, final: true },
  ]);
});

it('the close page lists what blocks closing, then closes the award', async () => {
  const award = await acceptedAward(t, api);
  await pay(t, award, 100_000);
  const [first, final] = award.returns;
  await submitReturn(t, api, award, first.id, [10_000]);
  const blocked = await officerBrowser.get(`/staff/awards/${award.awardId}/close`);
  expect(blocked.status).toBe(200);
  expect(textOf(blocked.html)).toContain('The award’s final return must be accepted before it can be closed');
  expect((await officerBrowser.post(`/staff/awards/${award.awardId}/close`, { note: '' })).status).toBe(409);
  await submitReturn(t, api, award, final.id, [20_000]);
  expect((await api.post(`/api/v1/returns/${final.id}/review`, { outcome: 'accept' }, { token: officerToken })).status).toBe(200);
  const open = await officerBrowser.get(`/staff/awards/${award.awardId}/close`);
  expect(textOf(open.html)).not.toContain('cannot be closed yet');
  const closed = await officerBrowser.post(`/staff/awards/${award.awardId}/close`, { note: 'All done' });
  expect([closed.status, closed.location]).toEqual([303, `/awards/${award.awardId}/returns`]);
  const [{ status }] = await t.db.query(`SELECT status FROM awards WHERE id = $1`, [award.awardId]);
  expect(status).toBe('closed');
});
