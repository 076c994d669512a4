import type { Browser } from 'playwright-core';
import { approvedAward } from '../support/award-factories.js';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createUser, sessionCookieFor } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The funding report pages in headless Chromium with axe-core (WCAG 2.2 AA): the form (groupings
 * as checkboxes, no JavaScript needed), the table with its server-drawn SVG charts, the error
 * summary for a bad year, and the reconciliation.
 */
let t: TestApp;
let browser: Browser;
let round: TestRound;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  round = await createOpenRound(t.db);
  await approvedAward(t, apiClient(t.url), { round, amountPence: 180000 });
  await approvedAward(t, apiClient(t.url), { round, amountPence: 99950 });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
}, 120_000);

it('the funding report and its reconciliation have no axe violations, charts and errors included', async () => {
  const context = await browser.newContext();
  const auditor = await createUser(t.db, { roles: ['auditor'] });
  await context.addCookies([{ name: 'scf.sid', value: (await sessionCookieFor(t, auditor)).split('=')[1], url: t.url }]);
  const page = await CheckedPage.open(context);
  await page.visit(`${t.url}/staff/reports/funding?fundId=${round.fundId}`);
  await page.page.getByLabel('Priority').check();
  await page.page.getByLabel('Financial year', { exact: true }).check();
  await page.press('Show the report');
  expect(page.page.url()).toContain('groupBy=priority');
  expect(await page.page.locator('svg[role="img"]').count()).toBe(2);
  expect(await page.page.locator('#funding-table tbody tr').count()).toBeGreaterThan(0);
  await page.page.getByLabel('From financial year (optional)').fill('2017-18');
  await page.press('Show the report');
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
  await page.visit(`${t.url}/staff/reports/funding/reconciliation?fundId=${round.fundId}`);
  expect(await page.page.locator('#reconciled').count()).toBe(1);
}, 120_000);
