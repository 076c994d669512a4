import type { Browser } from 'playwright-core';
import { assessmentRound, bidInAssessment, type AssessmentCast } from '../support/assessment-factories.js';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A grants officer in headless Chromium sets up a round's assessment (a criterion added after a
 * mistake, the settings, an assessor added to the pool) and manages a bid's assessors (a due date
 * moved after a mistake, an assessor assigned from the pool and one removed). axe-core finds no
 * violation on any page visited, the error pages included.
 */
let t: TestApp;
let browser: Browser;
let cast: AssessmentCast;
let bidId: string;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  const api = apiClient(t.url);
  cast = await assessmentRound(t, api, { poolSize: 3, assessorsPerBid: 2 });
  bidId = (await bidInAssessment(t, api, cast.round)).id;
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: CheckedPage, email: string): Promise<void> {
  await page.visit(`${t.url}/sign-in`);
  await page.page.fill('[name="email"]', email);
  await page.page.fill('[name="password"]', TEST_PASSWORD);
  await page.press('Sign in');
}

it('an officer sets up the criteria, settings and pool, then manages a bid’s assessors', async () => {
  const newcomer = await createUser(t.db, { roles: ['assessor'], fullName: 'Nia Newcomer' });
  const page = await CheckedPage.open(browser);
  await signIn(page, cast.officer.email);
  await page.visit(`${t.url}/staff/rounds/${cast.round.roundId}`);
  await page.click('View or change the assessment criteria and assessor pool');
  expect(await page.page.locator('h1').textContent()).toBe('Assessment set-up');

  await page.click('Add a criterion');
  await page.page.fill('[name="name"]', 'Value for money');
  await page.page.fill('[name="weight"]', 'lots');
  await page.press('Save criterion');
  expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('Enter the weight as a whole number from 1 to 100');
  await page.page.fill('[name="weight"]', '2');
  await page.page.check('input[name="allowNotApplicable"][value="yes"]');
  await page.press('Save criterion');
  expect(await page.page.locator('main table').first().textContent()).toContain('Value for money');

  await page.click('Change the settings');
  await page.page.fill('[name="moderationThreshold"]', '15');
  await page.press('Save settings');
  expect(await page.page.locator('main').textContent()).toContain('more than 15 points');

  await page.click('Change the assessor pool');
  await page.press('Add to the pool'); // nobody chosen
  expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('Choose an assessor to add');
  await page.page.selectOption('[name="userId"]', newcomer.id);
  await page.page.fill('#capacity', '4');
  await page.press('Add to the pool');
  expect(await page.page.locator('main table').textContent()).toContain('Nia Newcomer');

  await page.visit(`${t.url}/staff/assessment/applications/${bidId}`);
  expect(await page.page.locator('h1').textContent()).toBe('Assessors');
  const dueOn = page.page.locator('main form[action$="/due-date"]').first();
  await dueOn.locator('[name="dueOn-day"]').fill('31');
  await dueOn.locator('[name="dueOn-month"]').fill('2');
  await dueOn.locator('[name="dueOn-year"]').fill('2099');
  await page.follow(dueOn.getByRole('button'));
  expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('The due date must be a real date');
  const again = page.page.locator('main form[action$="/due-date"]').first();
  const next = new Date(Date.now() + 30 * 86400_000);
  await again.locator('[name="dueOn-day"]').fill(String(next.getUTCDate()));
  await again.locator('[name="dueOn-month"]').fill(String(next.getUTCMonth() + 1));
  await again.locator('[name="dueOn-year"]').fill(String(next.getUTCFullYear()));
  await page.follow(again.getByRole('button'));
  expect(await page.page.locator('.govuk-notification-banner').textContent()).toContain('The due date has been changed');

  await page.page.selectOption('[name="userId"]', newcomer.id);
  await page.press('Assign');
  expect(await page.page.locator('main table').textContent()).toContain('Nia Newcomer');
  await page.follow(page.page.locator('main form[action$="/remove"]').first().getByRole('button'));
  expect(await page.page.locator('.govuk-notification-banner').textContent()).toContain('The assessor has been taken off the application');
  const open = await t.db.query(`SELECT count(*)::int AS n FROM assessments WHERE application_id = $1 AND status = 'open'`, [bidId]);
  expect(open[0].n).toBe(2);
});
