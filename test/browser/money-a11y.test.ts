import type { Browser } from 'playwright-core';
import { createUser } from '../support/factories.js';
import { launchBrowser, pageSignedInAs } from '../support/browser.js';
import { apiClient } from '../support/http.js';
import { acceptedAward, payAward, type AcceptedAward } from '../support/money-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The variation, clawback, repayment and reconciliation pages in headless Chromium with axe-core
 * (WCAG 2.2 AA), error summaries included: an owner asks for a change (the kind, then its fields),
 * a grants officer decides it and raises a clawback, finance records money and reconciles.
 */
let t: TestApp;
let browser: Browser;
let award: AcceptedAward;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  award = await acceptedAward(t, apiClient(t.url), { amountPence: 250000 });
  await payAward(t, award, 100000);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const pageAs = (user: { id: string }) => pageSignedInAs(browser, t, user);

it('an owner asks for a budget change and a grants officer decides it, with no axe violations', async () => {
  const owner = await pageAs(award.owner);
  await owner.visit(`${t.url}/awards/${award.awardId}`);
  await owner.click('Changes to your grant');
  await owner.click('Ask for a change');
  await owner.press('Continue');
  expect(await owner.page.locator('.govuk-error-summary').count()).toBe(1);
  await owner.page.getByLabel('Move money between budget lines').check();
  await owner.press('Continue');
  await owner.page.getByLabel(/Venue hire/).fill('900');
  await owner.press('Ask for the change');
  expect(await owner.page.locator('.govuk-error-summary').count()).toBe(1);
  await owner.page.getByLabel(/Venue hire/).fill('1100');
  await owner.page.getByLabel(/Youth worker|sessions/i).first().fill('1400');
  await owner.page.getByLabel('Why do you need the change?').fill('The venue costs more than we planned');
  await owner.press('Ask for the change');
  expect(owner.page.url()).toContain('/variations/');

  const officer = await pageAs(await createUser(t.db, { roles: ['grants_officer'] }));
  await officer.visit(`${t.url}/staff/variations`);
  await officer.click(award.reference);
  await officer.press('Record the decision');
  expect(await officer.page.locator('.govuk-error-summary').count()).toBe(1);
  await officer.page.getByLabel('Approve the change').check();
  await officer.press('Record the decision');
  await officer.visit(`${t.url}/awards/${award.awardId}/clawbacks/new`);
  await officer.press('Raise the clawback');
  expect(await officer.page.locator('.govuk-error-summary').count()).toBe(1);
});

it('finance records money received and reconciles the fund, with no axe violations', async () => {
  const finance = await pageAs(await createUser(t.db, { roles: ['finance_officer'] }));
  await finance.visit(`${t.url}/awards/${award.awardId}/repayments/new`);
  await finance.press('Record the money');
  expect(await finance.page.locator('.govuk-error-summary').count()).toBe(1);
  await finance.visit(`${t.url}/awards/${award.awardId}/clawbacks`);
  await finance.visit(`${t.url}/staff/finance/reconciliation`);
  await t.db.query(`UPDATE awards SET paid_pence = paid_pence + 1 WHERE id = $1`, [award.awardId]);
  await finance.visit(`${t.url}/staff/finance/reconciliation?roundId=${award.roundId}`);
  expect(await finance.page.getByText('Figures that do not add up').count()).toBe(1);
});
