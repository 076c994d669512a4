/**
 * Issue 9's journey in headless Chromium, through the real pages. An award of £3,000 accepted by
 * its owner, in a round whose payment plan pays 50% on acceptance and 50% six months after the
 * start once return 1 is accepted. The owner enters bank details from the award (a number that
 * fails the modulus check first) and sees them masked; a second finance officer verifies them,
 * finds the first instalment on payments due and records its payment on the award's finance page,
 * and the same form post sent again (as a back-and-resubmit would, and twice at once) still makes
 * one payment; the owner writes, checks and submits the six-month return; a grants officer accepts
 * it and the second instalment's condition shows as met. axe-core checks every page.
 */
import type { Browser } from 'playwright-core';
import { CheckedPage, launchBrowser, signInThroughPage } from '../support/browser.js';
import { createUser, type TestUser } from '../support/factories.js';
import { acceptedAward, FAILS_MODULUS, financeOfficer, VALID_BANK } from '../support/finance-factories.js';
import { createOpenRound } from '../support/funding-factories.js';
import type { TestAward } from '../support/award-factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const HALF = 1_500_00;

let t: TestApp;
let browser: Browser;
let award: TestAward;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  const api = apiClient(t.url);
  const planner = await financeOfficer(t, 'Planning Officer');
  const round = await createOpenRound(t.db);
  const plan = await api.put(
    `/api/v1/rounds/${round.roundId}/payment-plan`,
    { steps: [{ percent: 50, after: 'acceptance' }, { percent: 50, monthsAfterStart: 6, condition: { kind: 'return_accepted', returnNumber: 1 } }] },
    { token: planner.token },
  );
  expect(plan.status).toBe(200);
  award = await acceptedAward(t, api, { round, amountPence: 2 * HALF });
  // The 'award.accepted' job makes the returns and the schedule from the round's plan.
  await t.settle();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const signedIn = (user: TestUser) => signInThroughPage(browser, t, user);

const main = (p: CheckedPage) => p.page.locator('main').innerText();
const path = (p: CheckedPage) => new URL(p.page.url()).pathname;
/** Today in the UK as people type it (d/m/yyyy), and as the database keeps it. */
const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric' }).format(new Date());
const todayIso = today.split('/').reverse().map((n) => n.padStart(2, '0')).join('-');

it('bank details entered and verified, the first instalment paid once despite a resubmitted form, the six-month return submitted and accepted', async () => {
  const schedule = await t.db.query(
    `SELECT amount_pence::int AS amount, condition IS NOT NULL AS conditional FROM payment_instalments WHERE award_id = $1 ORDER BY due_on`,
    [award.awardId],
  );
  expect(schedule).toEqual([
    { amount: HALF, conditional: false },
    { amount: HALF, conditional: true },
  ]);

  // (1) The owner: from the grant to the bank details form; a number failing the modulus check first.
  const applicant = await signedIn(award.owner);
  await applicant.visit(`${t.url}/awards/${award.awardId}`);
  await applicant.click('Your payment plan and bank details');
  expect(path(applicant)).toBe(`/awards/${award.awardId}/payment-plan`);
  expect(await main(applicant)).toContain('You have not given us your bank details yet');
  expect(await main(applicant)).toContain('Monitoring return 1 accepted (not met yet)');
  await applicant.click('Enter your bank details');
  await applicant.page.getByLabel('Name on the account').fill(FAILS_MODULUS.accountName);
  await applicant.page.getByLabel('Sort code').fill(FAILS_MODULUS.sortCode);
  await applicant.page.getByLabel('Account number').fill(FAILS_MODULUS.accountNumber);
  await applicant.press('Save bank details');
  const modulus = 'The sort code and account number do not match';
  expect(await applicant.page.locator('.govuk-error-summary').innerText()).toContain(modulus);
  expect(await applicant.page.locator('#accountNumber-error').innerText()).toContain(modulus);
  expect(await applicant.page.getByLabel('Sort code').inputValue()).toBe(FAILS_MODULUS.sortCode);
  await applicant.page.getByLabel('Account number').fill(VALID_BANK.accountNumber);
  await applicant.press('Save bank details');
  expect(path(applicant)).toBe(`/awards/${award.awardId}/payment-plan`);
  const plan = await main(applicant);
  expect(plan).toContain('Your bank details were saved');
  expect(plan).toContain('****4958');
  expect(plan).not.toContain(VALID_BANK.accountNumber);
  expect(plan).toContain('Not yet: we check them before the first payment');

  // (2) A second finance officer: verify the details (the method forgotten first).
  const finance = await signedIn(await financeOfficer(t, 'Paying Officer'));
  await finance.visit(`${t.url}/staff/finance/bank-details`);
  await finance.follow(finance.page.locator('main tbody tr', { hasText: award.reference }).getByRole('link', { name: /verify its bank details/ }));
  expect(path(finance)).toBe(`/staff/finance/awards/${award.awardId}/verify`);
  expect(await main(finance)).toContain(VALID_BANK.accountNumber);
  await finance.press('Verify bank details');
  expect(await finance.page.locator('.govuk-error-summary').count()).toBe(1);
  await finance.page.getByLabel('A bank statement').check();
  await finance.page.getByLabel('Note (optional)').fill('Statement dated last month seen');
  await finance.press('Verify bank details');
  expect(path(finance)).toBe(`/staff/finance/awards/${award.awardId}`);
  expect(await main(finance)).toContain('The bank details are verified');

  // Payments due: the first instalment is due; the second waits for return 1.
  await finance.visit(`${t.url}/staff/finance/payments-due`);
  const rows = await finance.page.locator('main tbody tr', { hasText: award.reference }).allInnerTexts();
  expect(rows).toHaveLength(2);
  expect(rows[0]).toContain('£1,500');
  expect(rows[0]).toMatch(/\tDue$/);
  expect(rows[1]).toContain('Blocked');
  expect(rows[1]).toContain('Condition not met: Monitoring return 1 accepted');
  await finance.follow(finance.page.locator('main tbody tr', { hasText: award.reference }).first().getByRole('link', { name: award.reference }));
  expect(path(finance)).toBe(`/staff/finance/awards/${award.awardId}`);

  // Record the first instalment's payment, keeping the form's post as the browser sent it.
  const first = await finance.page.locator('#payInstalmentId option', { hasText: 'Instalment 1:' }).getAttribute('value');
  await finance.page.getByLabel('Instalment').selectOption(first!);
  await finance.page.getByLabel('Amount paid').fill('1500');
  await finance.page.getByLabel('Paid on').fill(today);
  await finance.page.getByLabel('Payment reference').fill('BACS-000123');
  const form = finance.page.locator(`main form[action="/staff/finance/awards/${award.awardId}/payments"]`);
  const sent: [string, string][] = await form.evaluate((f: any) => [...new (globalThis as any).FormData(f).entries()]);
  expect(sent.find(([name]) => name === 'idempotencyKey')?.[1]).toMatch(/^[0-9a-f-]{36}$/);
  await finance.press('Record the payment');
  expect(path(finance)).toBe(`/staff/finance/awards/${award.awardId}`);
  expect(await main(finance)).toContain('The payment was recorded.');

  // The same post again (back and resubmit), then twice at once: each lands on the award's page.
  const repost = () => finance.page.request.post(`${t.url}/staff/finance/awards/${award.awardId}/payments`, { form: Object.fromEntries(sent), maxRedirects: 0 });
  const again = [await repost(), ...(await Promise.all([repost(), repost()]))];
  expect(again.map((r) => [r.status(), new URL(r.headers().location, t.url).pathname])).toEqual(Array(3).fill([303, `/staff/finance/awards/${award.awardId}`]));

  const payments = await t.db.query(`SELECT amount_pence::int AS amount, to_char(paid_on, 'YYYY-MM-DD') AS "paidOn", reference, status FROM payments WHERE award_id = $1`, [award.awardId]);
  expect(payments).toEqual([{ amount: HALF, paidOn: todayIso, reference: 'BACS-000123', status: 'paid' }]);
  const [figures] = await t.db.query(`SELECT paid_pence::int AS paid, status FROM awards WHERE id = $1`, [award.awardId]);
  expect(figures).toEqual({ paid: HALF, status: 'active' });
  const ledger = await t.db.query(`SELECT amount_pence::int AS amount FROM pot_ledger_entries WHERE application_id = $1 AND kind = 'payment'`, [award.applicationId]);
  expect(ledger).toEqual([{ amount: HALF }]);
  await finance.visit(`${t.url}/staff/finance/awards/${award.awardId}`);
  expect(await finance.page.locator('main').getByRole('table', { name: 'Payments' }).locator('tbody tr').allInnerTexts()).toHaveLength(1);

  // (3) The owner: what has been paid, then the six-month return, written, checked and submitted.
  await applicant.visit(`${t.url}/awards/${award.awardId}/payment-plan`);
  expect(await main(applicant)).toContain('£1,500 has been paid so far');
  expect(await main(applicant)).toContain('(reference BACS-000123)');
  await applicant.visit(`${t.url}/awards/${award.awardId}`);
  await applicant.click('Returns due and submitted');
  expect(path(applicant)).toBe(`/awards/${award.awardId}/returns`);
  await applicant.click('Six-month return');
  await applicant.click('Write the return');
  await applicant.page.getByLabel('Youth worker sessions').fill('1200.50');
  const output = applicant.page.getByRole('group', { name: 'Output 1' });
  await output.getByLabel('What it counts').fill('Youth sessions run');
  await output.getByLabel('Promised').fill('40');
  await output.getByLabel('Delivered').fill('36');
  await applicant.page.getByLabel('How has the project gone?').fill('The sessions ran every Thursday evening at the community centre.');
  await applicant.page.getByLabel('What difference has it made?').fill('Fewer reports of anti-social behaviour near the centre on session nights.');
  await applicant.page.getByLabel('Case study (optional)').fill('A young person who came every week now helps run the sessions.');
  await applicant.press('Save and continue');
  expect(path(applicant)).toMatch(/^\/returns\/[0-9a-f-]{36}\/check$/);
  const spend = await applicant.page.locator('main tbody tr', { hasText: 'Youth worker sessions' }).innerText();
  expect(spend).toContain('£1,200.50');
  expect(await main(applicant)).toContain('Youth sessions run');
  await applicant.press('Submit the return');
  expect(await main(applicant)).toContain('Return submitted');
  expect(await applicant.page.locator('main .govuk-tag').first().innerText()).toMatch(/submitted/i);

  // (4) A grants officer accepts it (the outcome forgotten first); the second instalment's condition is met.
  const officer = await signedIn(await createUser(t.db, { roles: ['grants_officer'], fullName: 'Grace Officer' }));
  await officer.visit(`${t.url}/staff/returns`);
  await officer.follow(officer.page.locator('main tbody tr', { hasText: award.reference }).getByRole('link', { name: 'Six-month return' }));
  expect(await main(officer)).toContain('£1,200.50');
  await officer.press('Send the review');
  expect(await officer.page.locator('.govuk-error-summary').innerText()).toContain('Choose whether to accept the return or ask for changes');
  await officer.page.getByLabel('Accept the return').check();
  await officer.press('Send the review');
  expect(path(officer)).toBe('/staff/returns');
  expect(await main(officer)).toContain('Return accepted');
  await officer.visit(`${t.url}/staff/finance/awards/${award.awardId}`);
  const instalments = await officer.page.locator('main').getByRole('table', { name: 'Instalments' }).locator('tbody tr').allInnerTexts();
  expect(instalments).toHaveLength(2);
  expect(instalments[1]).toMatch(/Monitoring return 1 accepted:\s*met/);

  await finance.visit(`${t.url}/staff/finance/payments-due`);
  const left = await finance.page.locator('main tbody tr', { hasText: award.reference }).allInnerTexts();
  expect(left).toHaveLength(1);
  expect(left[0]).not.toContain('Blocked');
  await applicant.visit(`${t.url}/awards/${award.awardId}/payment-plan`);
  expect(await main(applicant)).toContain('Monitoring return 1 accepted (met)');
}, 90_000);
