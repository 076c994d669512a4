/**
 * Issue 8's journey in headless Chromium, through the real pages: the grants officer opens the
 * ranking, goes to panels, creates a meeting for the round, puts three bids from the ranking on its
 * agenda, approves one in part with a standard condition, rejects one with feedback, is stopped at
 * the budget (with the available amount) approving the third and defers it instead, confirms the
 * meeting and reads the minutes. The approved bid's owner gets the offer email, signs in, reads the
 * offer and its PDF and accepts it online; the rejected bid's owner reads the feedback from the
 * dashboard. axe-core checks every page either of them sees (error pages included).
 */
import type { Browser } from 'playwright-core';
import { CheckedPage, launchBrowser, signInThroughPage } from '../support/browser.js';
import type { TestUser } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { assessedBids, panelCast, type AssessedBid, type PanelCast } from '../support/panel-factories.js';
import { linkIn } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CONDITION = 'Provide an up-to-date safeguarding policy before the first payment';
const FEEDBACK = 'The panel wanted more evidence of need in the area.';
const REASON = 'Reserve list: first in line if money is released.';

let t: TestApp;
let browser: Browser;
let cast: PanelCast;
let bids: AssessedBid[];

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  // £10,000 in the pot and three £6,000 bids: after £4,500 in part, the third does not fit in full.
  cast = await panelCast(t, { budgetPence: 10_000_00, members: 3, organisations: 3 });
  bids = await assessedBids(t, cast, 3, 6_000_00);
  const put = await apiClient(t.url).put(`/api/v1/funds/${cast.round.fundId}/standard-conditions`, { conditions: [CONDITION, 'Send a photograph of the project for publicity'] }, { token: cast.officerToken });
  expect(put.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const signedIn = (user: TestUser) => signInThroughPage(browser, t, user);

const main = (p: CheckedPage) => p.page.locator('main').innerText();

it('the officer runs a meeting from the ranking; the applicant accepts the offer; the rejected applicant reads the feedback', async () => {
  const [approved, rejected, deferred] = bids;

  // The officer: the ranking, then panels, a new meeting for the round (a bad submit first).
  const officer = await signedIn(cast.officer);
  await officer.visit(`${t.url}/staff/rounds/${cast.round.roundId}/ranking`);
  const ranking = await officer.page.locator('main tbody tr').allInnerTexts();
  expect(bids.map((b) => ranking.findIndex((r) => r.includes(b.reference)))).toEqual([0, 1, 2]);
  await officer.follow(officer.page.locator('main').getByRole('link', { name: 'Take bids to a panel meeting' }));
  expect(new URL(officer.page.url()).pathname).toBe('/staff/panels/new');
  await officer.press('Create the meeting');
  expect(await officer.page.locator('.govuk-error-summary').innerText()).toContain('Enter a title for the meeting');
  expect(await officer.page.locator('#roundId').inputValue()).toBe(cast.round.roundId);
  await officer.page.getByLabel('Title').fill('March panel');
  await officer.page.getByLabel('Date and time (UK time)').fill('2027-03-10 10:00');
  for (const m of cast.members) await officer.page.getByRole('group', { name: 'Members' }).getByLabel(new RegExp(m.fullName!)).check();
  await officer.page.getByRole('group', { name: 'Chair' }).getByLabel(cast.members[0].fullName!, { exact: true }).check();
  await officer.press('Create the meeting');
  expect(await main(officer)).toContain('Panel meeting created');
  expect(await officer.page.locator('h1').innerText()).toBe('March panel');
  const panelPath = new URL(officer.page.url()).pathname;

  // Three bids from the ranking onto the agenda.
  const candidates = officer.page.getByRole('group', { name: 'Assessed bids of the round, best first' });
  for (const b of bids) await candidates.getByRole('checkbox', { name: `${b.reference}: score` }).check();
  await officer.press('Add to the agenda');
  expect(await main(officer)).toContain('3 bids added to the agenda');
  expect(await main(officer)).toContain('available £10,000');

  // Approve in part with a standard condition.
  await officer.click(`Record the decision on ${approved.reference}`);
  await officer.page.getByRole('radio', { name: 'Approve in part' }).check();
  await officer.page.getByLabel('Amount approved').fill('4500');
  await officer.page.getByLabel(CONDITION).check();
  await officer.press('Save the decision');
  expect(await main(officer)).toContain(`${approved.reference}: approve in part (£4,500)`);
  expect(await main(officer)).toContain('available £5,500');

  // Reject with feedback (forgotten first).
  await officer.click(`Record the decision on ${rejected.reference}`);
  await officer.page.getByRole('radio', { name: 'Reject' }).check();
  await officer.press('Save the decision');
  expect(await officer.page.locator('.govuk-error-summary').count()).toBe(1);
  await officer.page.getByLabel('Feedback for the applicant').fill(FEEDBACK);
  await officer.press('Save the decision');
  expect(await main(officer)).toContain('Decision recorded');

  // Approving the third in full does not fit: the clear budget message; then defer it.
  await officer.click(`Record the decision on ${deferred.reference}`);
  await officer.page.getByRole('radio', { name: 'Approve in full' }).check();
  await officer.press('Save the decision');
  expect(await officer.page.locator('.govuk-error-summary').innerText()).toContain('only £5,500 is available');
  await officer.page.getByRole('radio', { name: 'Defer' }).check();
  await officer.page.getByLabel('Reason for deferring').fill(REASON);
  await officer.press('Save the decision');
  expect(await main(officer)).toContain(`${deferred.reference}: defer`);

  // Confirm (the checkbox forgotten first), then the minutes.
  await officer.click('Confirm the meeting');
  expect(new URL(officer.page.url()).pathname).toBe(`${panelPath}/confirm`);
  await officer.press('Confirm the meeting');
  expect(await officer.page.locator('.govuk-error-summary').innerText()).toContain('Confirm that the decisions are final');
  await officer.page.getByLabel('Yes, these decisions are final').check();
  await officer.press('Confirm the meeting');
  expect(new URL(officer.page.url()).pathname).toBe(`${panelPath}/minutes`);
  expect(await officer.page.locator('h1').innerText()).toBe('Minutes');
  const minutes = await officer.page.locator('main tbody tr').allInnerTexts();
  const rowOf = (b: AssessedBid) => minutes.find((r) => r.includes(b.reference)) ?? '';
  expect(rowOf(approved)).toContain('Approve in part');
  expect(rowOf(approved)).toContain('£4,500');
  expect(rowOf(approved)).toContain(CONDITION);
  expect(rowOf(rejected)).toContain('Reject');
  expect(rowOf(rejected)).toContain(FEEDBACK);
  expect(rowOf(deferred)).toContain('Defer');
  expect(rowOf(deferred)).toContain(REASON);

  // The approved bid's owner: the offer email, the offer page and PDF, acceptance online.
  await t.settle();
  const owner = cast.organisations[0].owner;
  const mail = await t.mailbox.waitFor(owner.email, (m) => m.subject.startsWith('Offer of a grant'));
  expect(mail.text).toContain('£4,500');
  expect(mail.text).toContain(CONDITION);
  const applicant = await signedIn(owner);
  await applicant.visit(linkIn(mail, '/awards/'));
  expect(await applicant.page.locator('h1').innerText()).toBe('Offer of a grant of £4,500');
  expect(await main(applicant)).toContain(CONDITION);
  const pdfHref = await applicant.page.getByRole('link', { name: 'Download the offer letter (PDF)' }).getAttribute('href');
  const pdf = await applicant.page.request.get(new URL(pdfHref!, t.url).toString());
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  await applicant.click('Accept the offer');
  await applicant.page.getByLabel('Your full name').fill('Owner One');
  await applicant.page.getByLabel('Your role in the organisation').fill('Chair of trustees');
  await applicant.page.getByLabel(/I have read the offer letter/).check();
  await applicant.press('Accept the offer');
  expect(await main(applicant)).toContain('Offer accepted');
  expect(await main(applicant)).toContain('£4,500');

  const awards = await t.db.query(`SELECT status, amount_pence::int AS amount, signatory_role FROM awards WHERE application_id = $1`, [approved.id]);
  expect(awards).toEqual([{ status: 'accepted', amount: 4_500_00, signatory_role: 'Chair of trustees' }]);
  const ledger = await t.db.query(`SELECT kind, amount_pence::int AS amount, application_id FROM pot_ledger_entries WHERE pot_id = $1`, [cast.potId]);
  expect(ledger).toEqual([{ kind: 'commit', amount: 4_500_00, application_id: approved.id }]);

  // The rejected bid's owner: the feedback on the history page linked from the dashboard.
  const other = await signedIn(cast.organisations[1].owner);
  await other.visit(`${t.url}/dashboard`);
  await other.follow(other.page.locator('main').getByRole('link', { name: /^History/ }));
  expect(new URL(other.page.url()).pathname).toBe(`/applications/${rejected.id}/history`);
  expect(await main(other)).toContain(FEEDBACK);
  expect(await main(other)).not.toMatch(/score|assessor/i);
}, 60_000);
