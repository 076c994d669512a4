/**
 * Screening's more-information loop in headless Chromium, through the real pages: the grants
 * officer opens the queue and the bid, answers part of the checklist and asks for more information
 * about one section; the applicant sees the message and the date, changes that section, finds
 * another cannot be changed, and resubmits; the bid is back at the top of the queue and the
 * officer passes it. axe-core checks every page either of them sees (error pages included).
 */
import type { Browser } from 'playwright-core';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createOrganisation, createUser, sessionCookieFor, tokenFor, type TestUser } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient } from '../support/http.js';
import { londonDaysFromNow, submittedBid } from '../support/screening-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let browser: Browser;
let round: TestRound;
let applicant: TestUser;
let officer: TestUser;
let bidId: string;
let olderId: string;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  round = await createOpenRound(t.db);
  applicant = await createUser(t.db, { fullName: 'Ada Applicant' });
  officer = await createUser(t.db, { roles: ['grants_officer'], fullName: 'Grace Officer' });
  const orgId = (await createOrganisation(t.db, applicant, { name: 'Journey Youth Project' })).id;
  const api = apiClient(t.url);
  const token = await tokenFor(t, applicant);
  olderId = await submittedBid(t, api, token, round, orgId);
  bidId = await submittedBid(t, api, token, round, orgId);
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function as(user: TestUser): Promise<CheckedPage> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  await context.addCookies([{ name: 'scf.sid', value: (await sessionCookieFor(t, user)).split('=')[1], url: t.url }]);
  return CheckedPage.open(context);
}

const main = (p: CheckedPage) => p.page.locator('main').innerText();
const referenceOf = async (id: string) => (await t.db.query(`SELECT reference FROM applications WHERE id = $1`, [id]))[0].reference as string;

it('officer asks for more information on one section; the applicant changes only that and resubmits; the officer passes it', async () => {
  const reference = await referenceOf(bidId);
  const [day, month, year] = londonDaysFromNow(10).split('-').reverse();

  // The officer: the queue (oldest first), the bid, a form sent with errors, then more information.
  const staff = await as(officer);
  await staff.visit(`${t.url}/staff/screening`);
  const olderReference = await referenceOf(olderId);
  const rows = await staff.page.locator('tbody tr').allInnerTexts();
  expect(rows.findIndex((r) => r.includes(olderReference))).toBeLessThan(rows.findIndex((r) => r.includes(reference)));
  await staff.follow(staff.page.locator('main').getByRole('link', { name: reference, exact: true }));
  expect(await staff.page.locator('h1').innerText()).toContain(reference);
  await staff.press('Start screening');
  expect(await main(staff)).toContain('Being checked');
  await staff.page.getByRole('group', { name: 'Latest accounts seen' }).getByLabel('Pass', { exact: true }).check();
  await staff.page.getByLabel('Ask for more information').check();
  await staff.press('Record screening');
  const summary = await staff.page.locator('.govuk-error-summary').innerText();
  expect(summary).toContain('Select at least one section');
  expect(summary).toContain('Tell the applicant what information is needed');
  await staff.page.getByRole('group', { name: 'Sections the applicant may change' }).getByLabel('The need for your project').check();
  await staff.page.getByLabel('Message to the applicant: what is needed').fill('Please tell us how many young people came last year.');
  await staff.page.getByLabel('Day').fill(day);
  await staff.page.getByLabel('Month').fill(month);
  await staff.page.getByLabel('Year').fill(year);
  await staff.press('Record screening');
  expect(new URL(staff.page.url()).pathname).toBe('/staff/screening');
  expect(await main(staff)).toContain('sent back for more information');

  // The applicant: the message and date on the bid's page, the named section changeable, another not.
  await t.settle();
  const mail = await t.mailbox.waitFor(applicant.email, (m) => m.subject.startsWith('More information needed'));
  expect(mail.text).toContain('how many young people came last year');
  const own = await as(applicant);
  await own.visit(`${t.url}/applications/${bidId}`);
  expect(await own.page.locator('#more-info-message').innerText()).toContain('Please tell us how many young people came last year.');
  const text = await main(own);
  expect(text).toContain('More information needed');
  expect(text).toContain('Change needed');
  expect(await own.page.locator('main').getByRole('link', { name: 'Supporting documents' }).count()).toBe(0);
  // Another section is not changeable: its page sends the applicant to the answers.
  await own.visit(`${t.url}/applications/${bidId}/sections/documents`);
  expect(new URL(own.page.url()).pathname).toBe(`/applications/${bidId}/check-answers`);
  await own.visit(`${t.url}/applications/${bidId}`);
  await own.follow(own.page.locator('main').getByRole('link', { name: 'The need for your project' }));
  await own.page.getByLabel('What problem will the project tackle?').fill('Forty young people came last year; the evenings are still unsafe.');
  await own.page.getByLabel('Yes, I’ve completed this section').check();
  await own.press('Save and continue');
  await own.visit(`${t.url}/applications/${bidId}`);
  await own.press('Resubmit application');
  expect(await main(own)).toContain('Application resubmitted');
  expect(await main(own)).not.toContain('Change needed');

  // The officer: the bid is first in the queue now, ahead of the older one, and passes screening.
  await staff.visit(`${t.url}/staff/screening`);
  const queue = await staff.page.locator('tbody tr').allInnerTexts();
  expect(queue[0]).toContain(reference);
  expect(queue[0]).toContain('Resubmitted');
  expect(queue.findIndex((r) => r.includes(olderReference))).toBeGreaterThan(0);
  await staff.follow(staff.page.locator('main').getByRole('link', { name: reference, exact: true }));
  expect(await main(staff)).toContain('Forty young people came last year');
  for (const group of await staff.page.locator('.govuk-radios--inline').all()) await group.getByLabel('Pass', { exact: true }).check();
  await staff.page.getByLabel('Pass: send to assessment').check();
  await staff.press('Record screening');
  expect(await main(staff)).toContain('passed to assessment');
  const [{ status }] = await t.db.query(`SELECT status FROM applications WHERE id = $1`, [bidId]);
  expect(status).toBe('in_assessment');

  const shape = (paths: string[]) => [...new Set(paths.map((p) => p.replace(/[0-9a-f-]{36}/g, ':id')))];
  expect(shape(staff.visited)).toEqual(['/staff/screening', '/staff/screening/:id']);
  expect(shape(own.visited)).toEqual(expect.arrayContaining(['/applications/:id', '/applications/:id/check-answers', '/applications/:id/sections/need']));
});
