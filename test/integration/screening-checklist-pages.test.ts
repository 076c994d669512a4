import { createOrganisation, createUser, TEST_PASSWORD, tokenFor, type TestUser } from '../support/factories.js';
import { errorSummaryOf, FormClient, parseHtml, textOf } from '../support/form-client.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { DEFAULT_KEYS, submittedBid } from '../support/screening-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A round's screening checklist edited through its page (the form posted as a browser without
 * JavaScript would), its errors in the GOV.UK error summary, and the checklist frozen once
 * screening of any bid in the round has started: the page says so, and the page and the API
 * refuse changes with 409 SCREENING.CHECKLIST_FROZEN, changing nothing.
 */
let t: TestApp;
let api: ApiClient;
let officer: TestUser;
let officerToken: string;
let browser: FormClient;

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  officer = await createUser(t.db, { roles: ['grants_officer'] });
  officerToken = await tokenFor(t, officer);
  browser = new FormClient(t.url);
  await browser.signIn(officer.email, TEST_PASSWORD);
});
afterAll(async () => {
  await t?.close();
});

/** The checklist form's rows as the page shows them. */
async function rowsOn(path: string): Promise<{ key: string; label: string }[]> {
  const $ = parseHtml((await browser.get(path)).html);
  const keys = $('form input[name="key"]').toArray().map((e) => $(e).attr('value') ?? '');
  const labels = $('form input[name="label"]').toArray().map((e) => $(e).attr('value') ?? '');
  return keys.map((key, i) => ({ key, label: labels[i] }));
}
const itemsOf = async (round: TestRound) => (await api.get(`/api/v1/rounds/${round.roundId}/screening-checklist`, { token: officerToken })).body;
const pathOf = (round: TestRound) => `/staff/rounds/${round.roundId}/screening-checklist`;

it('saves the posted form: an item changed, one removed (left empty), one added, in order', async () => {
  const round = await createOpenRound(t.db);
  const rows = await rowsOn(pathOf(round));
  expect(rows.map((r) => r.key)).toEqual([...DEFAULT_KEYS, '', '', '']);
  rows[1].label = 'Accounts for the last financial year seen';
  rows[2] = { key: '', label: '' };
  rows[6] = { key: 'insurance', label: 'Public liability insurance seen' };
  const saved = await browser.submit(pathOf(round), { key: rows.map((r) => r.key), label: rows.map((r) => r.label) });
  expect(saved.status).toBe(303);
  expect(saved.location).toBe(pathOf(round));
  expect(textOf((await browser.follow(saved)).html)).toContain('The screening checklist has been saved.');
  const { items, frozen } = await itemsOf(round);
  expect(frozen).toBe(false);
  expect(items.map((i: { key: string }) => i.key)).toEqual(['registered_number', 'latest_accounts', 'bank_account', 'project_area', 'no_excluded_purpose', 'insurance']);
  expect(items[1].label).toBe('Accounts for the last financial year seen');
  const [audit] = await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'screening.checklist_changed' AND entity_id = $1`, [round.roundId]);
  expect(audit.n).toBe(1);
});

it('shows every mistake in the error summary, keeps what was typed and changes nothing', async () => {
  const round = await createOpenRound(t.db);
  const before = await itemsOf(round);
  const bad = await browser.submit(pathOf(round), { key: ['same', 'same', 'Bad Key!', 'no_label'], label: ['One', 'Two', 'Three', ''] });
  expect(bad.status).toBe(422);
  expect(errorSummaryOf(bad.html)).toEqual([
    'The key same is used twice',
    'A key is 2–60 lower-case letters, digits and underscores, starting with a letter',
    'Enter what the officer checks',
  ]);
  const $ = parseHtml(bad.html);
  expect($('form input[name="key"]').toArray().map((e) => $(e).attr('value'))).toEqual(['same', 'same', 'Bad Key!', 'no_label']);
  expect($('#items-1-key').hasClass('govuk-input--error')).toBe(true);
  const empty = await browser.submit(pathOf(round), { key: ['', ''], label: ['', ''] });
  expect(empty.status).toBe(422);
  expect(errorSummaryOf(empty.html)).toEqual(['A checklist needs at least one item']);
  expect(parseHtml(empty.html)('.govuk-error-summary a').attr('href')).toBe('#items-0-key');
  expect(await itemsOf(round)).toEqual(before);
});

it('is read-only for the auditor (403 on posting)', async () => {
  const round = await createOpenRound(t.db);
  const auditor = new FormClient(t.url);
  await auditor.signIn((await createUser(t.db, { roles: ['auditor'] })).email, TEST_PASSWORD);
  const page = await auditor.get(pathOf(round));
  expect(page.status).toBe(200);
  expect(parseHtml(page.html)('form input[name="key"]')).toHaveLength(0);
  expect(textOf(page.html)).toContain('Latest accounts seen');
  const refused = await auditor.submit(pathOf(round), { key: ['x1'], label: ['X'] }, { form: '/account' });
  expect(refused.status).toBe(403);
});

it('freezes once screening of a bid in the round has started: the page says so and refuses, as does the API', async () => {
  const round = await createOpenRound(t.db);
  const owner = await createUser(t.db);
  const ownerToken = await tokenFor(t, owner);
  const org = await createOrganisation(t.db, owner, { name: 'Frozen Checklist Group' });
  const bid = await submittedBid(t, api, ownerToken, round, org.id);
  const rows = await rowsOn(pathOf(round));
  // A screening refused for its own mistakes rolls back: the checklist is still open.
  const refused = await api.post(`/api/v1/applications/${bid}/screening`, { outcome: 'pass', checklist: [] }, { token: officerToken });
  expect(refused.status).toBe(422);
  expect((await itemsOf(round)).frozen).toBe(false);

  expect((await api.post(`/api/v1/applications/${bid}/screening/start`, {}, { token: officerToken })).status).toBe(200);
  const before = await itemsOf(round);
  expect(before.frozen).toBe(true);
  const page = await browser.get(pathOf(round));
  expect(textOf(page.html)).toContain('Screening of applications in this round has started, so the checklist can no longer be changed.');
  expect(parseHtml(page.html)('form input[name="key"]')).toHaveLength(0);

  const posted = await browser.submit(pathOf(round), { key: rows.map((r) => r.key), label: rows.map((r) => r.label || '') }, { form: '/account' });
  expect(posted.status).toBe(409);
  expect(errorSummaryOf(posted.html)).toEqual(['The screening checklist cannot change once screening of an application in the round has started']);
  const put = await api.put(`/api/v1/rounds/${round.roundId}/screening-checklist`, { items: [{ key: 'only', label: 'Only item' }] }, { token: officerToken });
  expect([put.status, put.body.code]).toEqual([409, 'SCREENING.CHECKLIST_FROZEN']);
  expect(await itemsOf(round)).toEqual(before);
});
