import type { Browser } from 'playwright-core';
import { approvedAward } from '../support/award-factories.js';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createUser, sessionCookieFor } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient } from '../support/http.js';
import { IMPORT_HEADER } from '../support/reporting-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The reporting pages in headless Chromium with axe-core (WCAG 2.2 AA): the Resources and Funding
 * section, other funding (list, add with its error summary, change, remove), and importing past
 * awards (upload, the preview of a file with errors, a clean file's confirmation and its progress).
 */
let t: TestApp;
let browser: Browser;
let round: TestRound;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  round = await createOpenRound(t.db);
  await approvedAward(t, apiClient(t.url), { round });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function officerPage(): Promise<CheckedPage> {
  const context = await browser.newContext();
  const officer = await createUser(t.db, { roles: ['grants_officer'] });
  await context.addCookies([{ name: 'scf.sid', value: (await sessionCookieFor(t, officer)).split('=')[1], url: t.url }]);
  return CheckedPage.open(context);
}

it('other funding and the Resources and Funding section have no axe violations, errors included', async () => {
  const page = await officerPage();
  await page.visit(`${t.url}/staff/funding-streams`);
  await page.click('Add other funding');
  await page.press('Save');
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
  await page.page.getByLabel('Describe the funding').fill('£200,000 funding secured from Ministry of Justice for a West Yorkshire network.');
  await page.page.getByLabel('Amount (optional)').fill('200,000');
  await page.page.getByLabel('Financial year').fill('2014/15');
  await page.page.getByLabel(round.priorities[1].name).check();
  await page.press('Save');
  expect(page.page.url()).toMatch(/\/staff\/funding-streams$/);
  await page.click(/^Change/);
  await page.visit(`${t.url}/staff/funding-streams`);
  await page.click(/^Remove/);
  await page.visit(`${t.url}/staff/reports/priorities`);
  await page.visit(`${t.url}/staff/reports/priorities?priority=${round.priorities[1].code}&fundId=${round.fundId}`);
  expect(await page.page.locator('#section-sentence').textContent()).toContain('has awarded a total of £2,500, between 1 organisation');
  await page.visit(`${t.url}/staff/reports/priorities?priority=${round.priorities[1].code}&fundId=${round.fundId}&financialYear=2017-18`);
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
});

it('the import pages have no axe violations: upload, errors by row and column, preview and progress', async () => {
  const page = await officerPage();
  await page.visit(`${t.url}/staff/imports`);
  const bad = `${IMPORT_HEADER}\nR1,Group A,,,LS1 4AB,,Project,${round.priorities[0].code},£6,12,2017-01-01,\nR1,Group B,,,LS1 4AB,,Project,Knife Crime,100,31/02/2017,\n`;
  // One fund in this database: the page asks for none.
  expect(await page.page.locator('#fundId').count()).toBe(0);
  await page.page.getByLabel('Spreadsheet of past awards').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.press('Check the file');
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
  await page.visit(`${t.url}/staff/imports`);
  const good = `${IMPORT_HEADER}\nR1,Group C,,,LS1 4AB,,Project,${round.priorities[0].code},"£1,500",2017-01-01,\n`;
  // One fund in this database: the page asks for none.
  expect(await page.page.locator('#fundId').count()).toBe(0);
  await page.page.getByLabel('Spreadsheet of past awards').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.press('Check the file');
  await page.press('Import 1 award');
  if (await page.page.getByRole('link', { name: 'Refresh to see its progress' }).count()) {
    await t.settle();
    await page.click('Refresh to see its progress');
  }
  expect(await page.page.locator('h1').textContent()).toContain('Past awards imported');
  await page.visit(`${t.url}/staff/imports`);
});
