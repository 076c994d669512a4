import type { Browser } from 'playwright-core';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createDistrict, createUser, sessionCookieFor, tokenFor } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every round, fund and reference-data page in headless Chromium with axe-core (WCAG 2.2 AA),
 * including the pages showing an error summary. (axe-core needs JavaScript in the page to run, so
 * JavaScript stays on; the forms post and redirect without it.)
 */
let t: TestApp;
let browser: Browser;
let roundId: string;
let draftId: string;
let potId: string;
let staffCookie: string;

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  browser = await launchBrowser();
  const api = apiClient(t.url);
  const officer = await createUser(t.db, { roles: ['grants_officer', 'administrator'], fullName: 'Olive Officer' });
  const token = await tokenFor(t, officer);
  staffCookie = (await sessionCookieFor(t, officer)).split('=')[1];
  const leeds = await createDistrict(t.db, 'Leeds', 'E08000035');
  const [outcome] = await t.db.query(`INSERT INTO outcomes (code, name) VALUES ('safeguard', 'Safeguard vulnerable people') RETURNING id`);
  const [priority] = await t.db.query(`INSERT INTO priorities (code, name, outcome_id) VALUES ('hts', 'Human Trafficking and Modern Slavery', $1) RETURNING id`, [outcome.id]);
  const fund = (await api.post('/api/v1/funds', { name: 'Safer Communities Fund', funderName: 'PCC', fundingSource: 'Proceeds of Crime Act', referencePrefix: 'SCF' }, { token })).body;
  const make = async (code: string) => {
    const round = (await api.post(`/api/v1/funds/${fund.id}/rounds`, { code, title: `Round ${code}`, description: 'Small grants.', criteria: 'Groups in West Yorkshire', exclusions: 'General appeals', opensAt: new Date(Date.now() - 3_600_000).toISOString(), closesAt: '2037-03-05T17:00', totalBudgetPence: 50_000_000 }, { token })).body;
    const pot = (await api.post(`/api/v1/rounds/${round.id}/pots`, { name: 'Small grants', minGrantPence: 100_000, maxGrantPence: 600_000, budgetPence: 20_000_000, districtIds: [leeds.id], priorityIds: [priority.id], postcodeDistricts: ['LS9'] }, { token })).body;
    await api.put(`/api/v1/rounds/${round.id}/eligibility-questions`, { questions: [{ question: 'Are you based in West Yorkshire?', passingAnswer: true, failureMessage: 'Only West Yorkshire groups can apply.' }] }, { token });
    await api.put(`/api/v1/rounds/${round.id}/form`, { sections: [{ key: 'project', title: 'Your project', questions: [{ key: 'need', type: 'text', label: 'What is the need?', wordLimit: 200 }, { key: 'area', type: 'choice', label: 'Area', options: ['Urban', 'Rural'] }, { key: 'match', type: 'money', label: 'Other funding', min: 0, max: 100000 }] }] }, { token });
    return { round, pot };
  };
  const open = await make('R17');
  await api.post(`/api/v1/rounds/${open.round.id}/open`, {}, { token });
  roundId = open.round.id;
  const draft = await make('R18');
  draftId = draft.round.id;
  potId = draft.pot.id;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function staffPage(): Promise<CheckedPage> {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'scf.sid', value: staffCookie, url: t.url }]);
  return CheckedPage.open(context);
}

describe('accessibility of round pages', () => {
  it('public pages have no axe violations', async () => {
    const page = await CheckedPage.open(browser);
    await page.visit(`${t.url}/rounds`);
    await page.visit(`${t.url}/rounds/${roundId}`);
    expect(await page.page.getByRole('button', { name: 'Check if you can apply' }).getAttribute('href')).toBe(`/rounds/${roundId}/eligibility`);
    await page.page.context().close();
  });

  it('staff pages, with and without errors, have no axe violations', async () => {
    const page = await staffPage();
    for (const path of [
      '/staff/rounds',
      `/staff/rounds/${roundId}`,
      `/staff/rounds/${draftId}`,
      '/staff/rounds/new',
      `/staff/rounds/${draftId}/edit`,
      `/staff/rounds/${draftId}/pots/new`,
      `/staff/rounds/${draftId}/pots/${potId}`,
      `/staff/rounds/${draftId}/pots/${potId}/remove`,
      `/staff/rounds/${draftId}/eligibility`,
      `/staff/rounds/${draftId}/form`,
      `/staff/rounds/${draftId}/form/edit`,
      '/staff/funds',
      '/staff/funds/new',
      '/admin/reference-data',
      '/admin/reference-data/priorities/new',
      '/admin/reference-data/districts/new',
      '/admin/reference-data/outcomes/new',
    ]) {
      await page.visit(t.url + path);
    }
    // Error summaries: a round with a bad budget, a pot with min over max.
    await page.visit(`${t.url}/staff/rounds/new`);
    await page.page.getByLabel('Total budget').fill('lots');
    await page.click('Set up round');
    expect(await page.page.locator('.govuk-error-summary').count()).toBe(1);
    await page.visit(`${t.url}/staff/rounds/${draftId}/pots/new`);
    await page.page.getByLabel('Name').fill('Large grants');
    await page.page.getByLabel('Smallest grant').fill('9,000');
    await page.page.getByLabel('Largest grant').fill('8,000');
    await page.page.getByLabel('Budget of the pot').fill('10,000');
    await page.page.getByLabel('Leeds').check();
    await page.page.getByLabel('Human Trafficking and Modern Slavery').check();
    await page.click('Save pot');
    expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('The smallest grant must not be more than the largest grant');
    await page.page.screenshot({ path: '/tmp/rounds-pot-error.png', fullPage: true });
    await page.visit(`${t.url}/staff/rounds/${roundId}`);
    await page.page.screenshot({ path: '/tmp/rounds-staff-show.png', fullPage: true });
    await page.visit(`${t.url}/rounds`);
    await page.page.screenshot({ path: '/tmp/rounds-public.png', fullPage: true });
    await page.page.context().close();
  });
});
