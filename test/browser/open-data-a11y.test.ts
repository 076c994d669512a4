import type { Browser } from 'playwright-core';
import { approvedAward, type TestAward } from '../support/award-factories.js';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createUser, sessionCookieFor } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The open data page in headless Chromium with axe-core (WCAG 2.2 AA): empty, the form's error
 * summary, withholding an award by reference, the list of withheld awards, publishing it again.
 */
let t: TestApp;
let browser: Browser;
let award: TestAward;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  award = await approvedAward(t, apiClient(t.url));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

it('the open data page has no axe violations: empty, with errors, with a withheld award', async () => {
  const context = await browser.newContext();
  const officer = await createUser(t.db, { roles: ['grants_officer'] });
  await context.addCookies([{ name: 'scf.sid', value: (await sessionCookieFor(t, officer)).split('=')[1], url: t.url }]);
  const page = await CheckedPage.open(context);
  await page.visit(`${t.url}/staff/open-data`);
  expect(await page.page.getByText('No award is withheld.').count()).toBe(1);
  await page.press('Withhold');
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
  await page.page.getByLabel('Award reference').fill(award.reference);
  await page.page.getByLabel('Only where it is (districts and postcode)').check();
  await page.page.getByLabel('Why').fill('The project is a refuge');
  await page.press('Withhold');
  expect(page.page.url()).toMatch(/\/staff\/open-data$/);
  expect(await page.page.locator('table').textContent()).toContain(award.reference);
  await page.follow(page.page.locator(`main form[action="/staff/open-data/${award.awardId}/release"] button`));
  expect(await page.page.getByText('No award is withheld.').count()).toBe(1);
});
