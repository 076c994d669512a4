import { errorSummaryOf, textOf } from '../support/form-client.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { assessedBids, panelCast, panelWithAgenda } from '../support/panel-factories.js';
import { browserAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The panel pages without JavaScript: the officer creates a meeting, adds bids from the ranking,
 * records decisions (and is stopped at the budget with the available amount), confirms; a panel
 * member reads their meeting's pack and declares a conflict. (The browser journey with axe is the lead's.)
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

it('an officer runs a meeting through the pages, stopped clearly at the budget', async () => {
  const cast = await panelCast(t, { budgetPence: 5_000_00, organisations: 3 });
  const bids = await assessedBids(t, cast, 3, 3_000_00);
  const officer = await browserAs(t, cast.officer, { csrfPath: '/staff/panels' });

  const form = await officer.get(`/staff/panels/new?roundId=${cast.round.roundId}`);
  expect(form.status).toBe(200);
  const bad = await officer.post('/staff/panels', { roundId: cast.round.roundId, title: '', meetingAt: 'tomorrow' });
  expect(bad.status).toBe(422);
  expect(errorSummaryOf(bad.html)).toEqual(['Enter a title for the meeting']);
  const created = await officer.post('/staff/panels', {
    roundId: cast.round.roundId,
    title: 'Pages panel',
    meetingAt: '2027-03-10 10:00',
    memberIds: cast.members.map((m) => m.id),
    chairId: cast.members[0].id,
  });
  expect(created.status).toBe(303);
  const panelPath = created.headers.get('location')!;
  const agenda = await officer.get(panelPath);
  expect(textOf(agenda.html)).toContain('Add bids from the ranking');
  for (const b of bids) expect(agenda.html).toContain(b.reference);

  expect((await officer.post(`${panelPath}/agenda`, { applicationIds: bids.map((b) => b.id) })).status).toBe(303);
  const pack = await officer.get(panelPath);
  expect(textOf(pack.html)).toContain('available £5,000');

  const [first, second, third] = bids;
  expect((await officer.post(`${panelPath}/decisions/${first.id}`, { outcome: 'approve', standardConditions: [], otherConditions: 'Send the safeguarding policy' })).status).toBe(303);
  const over = await officer.post(`${panelPath}/decisions/${second.id}`, { outcome: 'approve' });
  expect(over.status).toBe(409);
  expect(errorSummaryOf(over.html)[0]).toContain('only £2,000 is available');
  expect((await officer.post(`${panelPath}/decisions/${second.id}`, { outcome: 'approve_in_part', amount: '2000' })).status).toBe(303);
  const noFeedback = await officer.post(`${panelPath}/decisions/${third.id}`, { outcome: 'reject', feedback: '' });
  expect(noFeedback.status).toBe(422);
  expect((await officer.post(`${panelPath}/decisions/${third.id}`, { outcome: 'reject', feedback: 'Not enough evidence of need.' })).status).toBe(303);

  const confirmPage = await officer.get(`${panelPath}/confirm`);
  expect(textOf(confirmPage.html)).toContain('Approve in part');
  expect((await officer.post(`${panelPath}/confirm`, {})).status).toBe(422);
  const confirmed = await officer.post(`${panelPath}/confirm`, { confirm: 'yes' });
  expect(confirmed.status).toBe(303);
  const minutes = await officer.get(`${panelPath}/minutes`);
  expect(textOf(minutes.html)).toContain('Send the safeguarding policy');
  expect(textOf(minutes.html)).toContain('Not enough evidence of need.');

  // The rejected applicant reads the feedback from their dashboard (the bid's history), never a score.
  const owner = await browserAs(t, cast.organisations[2].owner, { csrfPath: '/dashboard' });
  const history = await owner.get(`/applications/${third.id}/history`);
  expect(history.status).toBe(200);
  expect(textOf(history.html)).toContain('Not funded');
  expect(textOf(history.html)).toContain('Not enough evidence of need.');
  expect(textOf(history.html)).not.toMatch(/score/i);
});

it('a panel member reads only their meetings and declares a conflict from the pack', async () => {
  const cast = await panelCast(t, { organisations: 2 });
  const bids = await assessedBids(t, cast, 2);
  const panelId = await panelWithAgenda(api, cast, bids);
  const member = await browserAs(t, cast.members[1], { csrfPath: '/staff/panels' });
  const list = await member.get('/staff/panels');
  expect(list.html).toContain(`/staff/panels/${panelId}`);
  const pack = await member.get(`/staff/panels/${panelId}`);
  expect(textOf(pack.html)).toContain('Declare a conflict of interest');
  const declared = await member.post(`/staff/panels/${panelId}/conflicts`, { organisationId: bids[0].organisationId, reason: 'My sister runs it' });
  expect(declared.status).toBe(303);
  const after = await member.get(`/staff/panels/${panelId}`);
  expect(textOf(after.html)).toContain('Not taking part: Panel Member 2');
  expect(after.html).not.toContain(`/staff/panels/${panelId}/decisions/${bids[0].id}`);
  expect(after.html).toContain(`/staff/panels/${panelId}/decisions/${bids[1].id}`);

  const elsewhere = await panelCast(t);
  const otherPanel = await panelWithAgenda(api, elsewhere, []);
  expect((await member.get(`/staff/panels/${otherPanel}`)).status).toBe(404);
});
