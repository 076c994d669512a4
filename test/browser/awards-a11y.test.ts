import type { Browser } from 'playwright-core';
import { approvedAward, type TestAward } from '../support/award-factories.js';
import { createUser } from '../support/factories.js';
import { launchBrowser, pageSignedInAs } from '../support/browser.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The award pages in headless Chromium with axe-core (WCAG 2.2 AA): the applicant's grants, the
 * offer letter, the acceptance form (with its error summary), its confirmation, declining, and
 * the officer's awards list. (The whole journey from the panel is the lead's browser test.)
 */
let t: TestApp;
let browser: Browser;
let accepted: TestAward;
let declined: TestAward;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  const api = apiClient(t.url);
  accepted = await approvedAward(t, api, { amountPence: 480050, conditions: ['Provide an up-to-date safeguarding policy before the first payment'] });
  declined = await approvedAward(t, api, { round: undefined });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const pageAs = (user: { id: string }) => pageSignedInAs(browser, t, user);

it('the applicant’s award pages have no axe violations, errors included', async () => {
  const page = await pageAs(accepted.owner);
  await page.visit(`${t.url}/awards`);
  await page.click(accepted.reference);
  await page.click('Accept the offer');
  await page.press('Accept the offer');
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
  await page.page.getByLabel('Your role in the organisation').fill('Chair of trustees');
  await page.page.getByLabel(/I have read the offer letter/).check();
  await page.press('Accept the offer');
  expect(page.page.url()).toContain('/accepted');

  const other = await pageAs(declined.owner);
  await other.visit(`${t.url}/awards/${declined.awardId}/decline`);
  await other.press('Decline the offer');
  await other.page.getByLabel('Why are you declining the offer?').fill('The project cannot go ahead');
  await other.press('Decline the offer');
  expect(other.page.url()).toContain('/declined');
});

it('the officer’s awards list has no axe violations', async () => {
  const page = await pageAs(await createUser(t.db, { roles: ['grants_officer'] }));
  await page.visit(`${t.url}/staff/awards`);
  await page.visit(`${t.url}/staff/awards?status=accepted`);
  await page.visit(`${t.url}/awards/${accepted.awardId}`);
});
