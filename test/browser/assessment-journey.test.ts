import type { Browser } from 'playwright-core';
import { assessmentRound, bidInAssessment, type AssessmentCast } from '../support/assessment-factories.js';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { TEST_PASSWORD } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * An assessor in headless Chromium: signs in, opens their queue, confirms they have no conflict,
 * scores the bid beside its details (a draft first, a bad submit, then the submit with
 * confirmation); a grants officer then sees the ranking. axe-core finds no violation on any page.
 */
let t: TestApp;
let browser: Browser;
let cast: AssessmentCast;
let bidId: string;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  const api = apiClient(t.url);
  cast = await assessmentRound(t, api, { poolSize: 1, assessorsPerBid: 1 });
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

it('an assessor declares no conflict, scores and submits; the officer sees the ranking', async () => {
  const page = await CheckedPage.open(browser);
  await signIn(page, cast.assessors[0].email);
  await page.visit(`${t.url}/assessments`);
  expect(await page.page.locator('h1').textContent()).toBe('My assessments');
  await page.follow(page.page.locator('main table a').first());
  expect(await page.page.locator('h1').textContent()).toContain('conflict of interest');
  await page.press('Continue'); // no answer: an error
  expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('Select whether you have a conflict of interest');
  await page.page.check('input[name="conflict"][value="none"]');
  await page.press('Continue');
  expect(await page.page.locator('h1').textContent()).toContain('Assess');
  expect(await page.page.locator('main').textContent()).toContain('Safe evenings for young people');
  await page.page.check('input[name="score_need"][value="4"]');
  await page.page.fill('[name="comment_need"]', 'Clear local evidence');
  await page.press('Save draft and return later');
  expect(await page.page.locator('input[name="score_need"][value="4"]').isChecked()).toBe(true);
  await page.press('Submit assessment'); // incomplete, unconfirmed
  expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
  await page.page.check('input[name="score_delivery"][value="3"]');
  await page.page.fill('[name="comment_delivery"]', 'Experienced team');
  await page.page.check('input[name="score_partners"][value="na"]');
  await page.page.fill('[name="comment_partners"]', 'Works alone');
  await page.page.check('input[name="recommendation"][value="fund"]');
  await page.page.check('input[name="confirmSubmit"][value="yes"]');
  await page.press('Submit assessment');
  expect(new URL(page.page.url()).pathname).toBe('/assessments');
  expect(await page.page.locator('main').textContent()).toContain('Submitted');
  const [row] = await t.db.query(`SELECT status, weighted_score FROM assessments WHERE application_id = $1`, [bidId]);
  expect(row).toEqual({ status: 'submitted', weighted_score: '72.00' });

  const officer = await CheckedPage.open(browser);
  await signIn(officer, cast.officer.email);
  await officer.visit(`${t.url}/staff/rounds/${cast.round.roundId}/ranking`);
  expect(await officer.page.locator('main table').textContent()).toContain('72');
  await officer.visit(`${t.url}/staff/assessment/unassigned`);
  await officer.visit(`${t.url}/staff/assessment/flagged`);
  await officer.visit(`${t.url}/staff/rounds/${cast.round.roundId}/assessment`);
  expect(await officer.page.locator('main').textContent()).toContain('Evidence of need');
});
