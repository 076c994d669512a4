import type { Browser } from 'playwright-core';
import { minimalPdf } from '../fixtures/files.js';
import { createUser } from '../support/factories.js';
import { launchBrowser, pageSignedInAs } from '../support/browser.js';
import { apiClient } from '../support/http.js';
import { acceptedAward, pay, submitReturn } from '../support/monitoring-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The monitoring pages in headless Chromium with axe-core (WCAG 2.2 AA): the organisation goes
 * from its grant to its returns, writes one (with its error summary), adds evidence, checks and
 * submits it; the grants officer opens the queue, the review (with its error summary), the
 * round's return schedule and the close page with what blocks it.
 */
let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const pageAs = (user: { id: string }) => pageSignedInAs(browser, t, user);

it('the organisation’s return pages and the officer’s monitoring pages have no axe violations, errors included', async () => {
  const api = apiClient(t.url);
  const award = await acceptedAward(t, api);
  await pay(t, award, 100_000);
  const page = await pageAs(award.owner);
  await page.visit(`${t.url}/awards/${award.awardId}`);
  await page.click('Returns due and submitted');
  await page.click('Six-month return');
  await page.click('Write the return');
  await page.page.getByLabel('Youth worker sessions').fill('a lot');
  await page.press('Save and continue');
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
  await page.page.getByLabel('Youth worker sessions').fill('1250.50');
  await page.page.getByLabel('How has the project gone?').fill('Sessions ran every week.');
  await page.page.getByLabel('What difference has it made?').fill('Fewer incidents near the centre.');
  await page.press('Save and continue');
  expect(page.page.url()).toContain('/check');
  await page.visit(`${t.url}/returns/${award.returns[0].id}/evidence`);
  await page.page.getByLabel('Upload a file').setInputFiles({ name: 'Register.pdf', mimeType: 'application/pdf', buffer: minimalPdf() });
  await page.press('Upload file');
  expect(await page.page.locator('main').innerText()).toContain('Register.pdf');
  await page.visit(`${t.url}/returns/${award.returns[0].id}/check`);
  await page.press('Submit the return');
  expect(await page.page.locator('main').innerText()).toContain('Submitted');

  const officer = await pageAs(await createUser(t.db, { roles: ['grants_officer'] }));
  await officer.visit(`${t.url}/staff/returns`);
  await officer.click('Six-month return');
  await officer.press('Send the review');
  expect(await officer.page.locator('.govuk-error-summary').count()).toBe(1);
  await officer.visit(`${t.url}/staff/rounds/${award.roundId}/return-schedule`);
  await officer.visit(`${t.url}/staff/awards/${award.awardId}/close`);
  await submitReturn(t, api, award, award.returns[1].id, [1000]);
  await officer.visit(`${t.url}/awards/${award.awardId}/returns`);
  await officer.visit(`${t.url}/returns/${award.returns[1].id}`);
});
