import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import type { TestAward } from '../support/award-factories.js';
import { createUser } from '../support/factories.js';
import { launchBrowser, pageSignedInAs } from '../support/browser.js';
import { acceptedAward, financeOfficer, VALID_BANK, verifiedBankAccount, type Officer } from '../support/finance-factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The finance pages in headless Chromium with axe-core (WCAG 2.2 AA): the applicant's payment plan
 * and bank details form (with its error summary), and finance's payments due, bank details to
 * verify, the verify page, an award's finance page (a payment waiting for approval, a condition)
 * and a round's payment settings.
 */
let t: TestApp;
let browser: Browser;
let fresh: TestAward;
let paid: TestAward;
let officer: Officer;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  const api = apiClient(t.url);
  officer = await financeOfficer(t);
  fresh = await acceptedAward(t, api);
  paid = await acceptedAward(t, api, { amountPence: 600000 });
  await verifiedBankAccount(t, paid);
  await api.put(
    `/api/v1/awards/${paid.awardId}/payment-schedule`,
    { instalments: [{ dueOn: '2027-05-01', amountPence: 550000 }, { dueOn: '2027-11-01', amountPence: 50000, condition: { kind: 'return_accepted', returnNumber: 1 } }] },
    { token: officer.token },
  );
  await api.post(`/api/v1/awards/${paid.awardId}/payments`, { amountPence: 550000, paidOn: '2027-05-01', reference: 'BACS-1' }, { token: officer.token, headers: { 'idempotency-key': randomUUID() } });
  await api.put(`/api/v1/awards/${fresh.awardId}/bank-account`, VALID_BANK, { token: fresh.ownerToken });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const pageAs = (user: { id: string }) => pageSignedInAs(browser, t, user);

it('the applicant’s finance pages have no axe violations, errors included', async () => {
  const page = await pageAs(fresh.owner);
  await page.visit(`${t.url}/awards/${fresh.awardId}`);
  await page.click('Your payment plan and bank details');
  await page.click('Change your bank details');
  await page.page.getByLabel('Sort code').fill('12');
  await page.press('Save bank details');
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
  await page.page.getByLabel('Name on the account').fill(VALID_BANK.accountName);
  await page.page.getByLabel('Sort code').fill(VALID_BANK.sortCode);
  await page.page.getByLabel('Account number').fill(VALID_BANK.accountNumber);
  await page.press('Save bank details');
  expect(page.page.url()).toContain('/payment-plan');
});

it('finance’s pages have no axe violations', async () => {
  const page = await pageAs(await financeOfficer(t, 'Axe Officer'));
  await page.visit(`${t.url}/staff/finance/payments-due`);
  await page.visit(`${t.url}/staff/finance/bank-details`);
  await page.visit(`${t.url}/staff/finance/awards/${fresh.awardId}/verify`);
  await page.press('Verify bank details');
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
  await page.visit(`${t.url}/staff/finance/awards/${paid.awardId}`);
  await page.visit(`${t.url}/staff/finance/rounds/${paid.roundId}/payment-settings`);
  const grants = await pageAs(await createUser(t.db, { roles: ['grants_officer'] }));
  await grants.visit(`${t.url}/staff/finance/awards/${paid.awardId}`);
});
