import type { Browser, Page } from 'playwright-core';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createOrganisation, createUser, sessionCookieFor, TEST_PASSWORD } from '../support/factories.js';
import { createOpenRound, daysFromNow, type TestRound } from '../support/funding-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The applicant's journey in headless Chromium, from the open round to the confirmation email,
 * leaving half-way and coming back in a second sitting, with axe-core (WCAG 2.2 AA) finding no
 * violation on any page, including pages showing errors; and a journey that fails eligibility.
 */
let t: TestApp;
let browser: Browser;
let round: TestRound;
let applicant: { id: string; email: string };
let orgName: string;

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  round = await createOpenRound(t.db, { twoPots: true, title: 'Safer Communities Fund round 17' });
  applicant = await createUser(t.db, { fullName: 'Amina Khan' });
  orgName = (await createOrganisation(t.db, applicant, { name: 'Holme Valley Youth Project' })).name;
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(page: CheckedPage): Promise<void> {
  await page.page.fill('[name="email"]', applicant.email);
  await page.page.fill('[name="password"]', TEST_PASSWORD);
  // The header has a "Sign in" link too: press the form's button.
  await Promise.all([page.page.waitForNavigation(), page.page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.check();
}

const fillDate = async (page: Page, name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  await page.fill(`[name="${name}-day"]`, String(Number(d)));
  await page.fill(`[name="${name}-month"]`, String(Number(m)));
  await page.fill(`[name="${name}-year"]`, y);
};

describe('the applicant journey in a browser', () => {
  let applicationPath = '';

  it('checks eligibility, signs in, starts a bid and fills part of it (first sitting)', async () => {
    const page = await CheckedPage.open(browser);
    await page.visit(`${t.url}/rounds/${round.roundId}`);
    await page.click('Check if you can apply');
    await page.click('Start now');
    await page.click('Continue'); // no answer: error summary
    expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('Select yes or no');
    await page.page.check('input[name="answer"][value="yes"]');
    await page.click('Continue');
    await page.page.check('input[name="answer"][value="no"]');
    await page.click('Continue');
    expect(await page.page.locator('h1').textContent()).toContain('You can apply');
    await page.click('Start your application');
    expect(page.page.url()).toContain('/sign-in');
    await signIn(page);
    expect(page.page.url()).toContain(`/rounds/${round.roundId}/apply`);
    await page.click('Start application'); // two pots: must choose one
    expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('Select the pot');
    await page.page.check(`input[name="potId"][value="${round.pots[0].id}"]`);
    await page.click('Start application');
    applicationPath = new URL(page.page.url()).pathname;
    expect(applicationPath).toMatch(/^\/applications\/[0-9a-f-]{36}$/);
    expect(await page.page.locator('.govuk-task-list').textContent()).toContain('Project details');

    await page.click('Project details');
    await page.page.fill('[name="projectTitle"]', 'Safe evenings for young people');
    await page.page.check('input[name="completed"][value="yes"]');
    await page.click('Save and continue'); // incomplete: errors shown on the page
    expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('Enter a summary of the project');
    await page.page.fill('[name="projectSummary"]', 'Weekly youth sessions in the community centre with the local policing team.');
    await fillDate(page.page, 'projectStartDate', daysFromNow(30));
    await fillDate(page.page, 'projectEndDate', daysFromNow(300));
    await page.page.check(`input[name="districtIds"][value="${round.districts[0].id}"]`);
    await page.page.check(`input[name="priorityIds"][value="${round.priorities[0].id}"]`);
    await page.page.check('input[name="completed"][value="yes"]');
    await page.click('Save and continue');
    expect(new URL(page.page.url()).pathname).toBe(applicationPath);
    await page.page.context().close();
  });

  it('comes back another day, finishes, checks answers and submits (second sitting)', async () => {
    const page = await CheckedPage.open(browser);
    await page.visit(`${t.url}/sign-in`);
    await signIn(page);
    await page.visit(`${t.url}/dashboard`);
    await page.click('Safe evenings for young people');
    await page.click('The need for your project');
    await page.page.fill('[name="answers.need"]', 'Young people have nowhere safe to go in the evenings.');
    await page.page.fill('[name="answers.beneficiaries"]', 'forty');
    await page.page.check('input[name="answers.approach"][value="Group sessions"]');
    await page.page.check('input[name="answers.safeguarding"][value="yes"]');
    await page.page.fill('[name="answers.matchFunding"]', '1,250.50');
    await page.page.check('input[name="completed"][value="yes"]');
    await page.click('Save and continue');
    expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('must be a whole number');
    await page.page.fill('[name="answers.beneficiaries"]', '40');
    await page.click('Save and continue');
    await page.click('Supporting documents');
    await page.page.check('input[name="completed"][value="yes"]');
    await page.click('Save and continue');
    await page.click('Budget');
    await page.click('Add a budget line');
    await page.page.fill('[name="item"]', 'Sessional youth worker');
    await page.page.selectOption('[name="category"]', 'staff');
    await page.page.fill('[name="amount"]', '2400.50');
    await page.click('Save budget line');
    expect(await page.page.locator('table').textContent()).toContain('£2,400.50');
    await page.page.check('input[name="completed"][value="yes"]');
    await page.click('Save and continue');
    await page.click('Check answers and submit');
    expect(await page.page.locator('main').textContent()).toContain('£1,250.50');
    await page.click('Accept and send application'); // no declaration: errors
    expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('Confirm that the information');
    await page.page.check('input[name="confirmed"]');
    await page.click('Accept and send application');
    const panel = await page.page.locator('.govuk-panel').textContent();
    expect(panel).toContain('Application submitted');
    const reference = /([A-Z0-9]+-R\d+-\d{4})/.exec(panel ?? '')![1];
    await t.settle();
    const mail = await t.mailbox.waitFor(applicant.email, (m) => m.subject.includes(reference));
    expect(mail.text).toContain(orgName);
    await page.visit(`${t.url}/dashboard`);
    expect(await page.page.locator('table').textContent()).toContain(reference);
    await page.visit(`${t.url}${applicationPath}`);
    await page.visit(`${t.url}${applicationPath}/check-answers`);
    await page.visit(`${t.url}${applicationPath}/history`);
    await page.visit(`${t.url}${applicationPath}/withdraw`);
    await page.click('Withdraw application'); // no reason: error
    expect(await page.page.locator('.govuk-error-summary').textContent()).toContain('why you are withdrawing');
    await page.page.context().close();
  });

  it('staff see the bid in the round’s list and in full', async () => {
    const officer = await createUser(t.db, { roles: ['grants_officer'], fullName: 'Olive Officer' });
    const context = await browser.newContext();
    await context.addCookies([{ name: 'scf.sid', value: (await sessionCookieFor(t, officer)).split('=')[1], url: t.url }]);
    const page = await CheckedPage.open(context);
    await page.visit(`${t.url}/staff/applications?roundId=${round.roundId}`);
    expect(await page.page.locator('table').textContent()).toContain('Holme Valley Youth Project');
    await page.click(/-R\d+-\d{4}/);
    expect(await page.page.locator('h1').textContent()).toContain('Safe evenings for young people');
    await context.close();
  });

  it('a journey that fails eligibility explains why', async () => {
    const page = await CheckedPage.open(browser);
    await page.visit(`${t.url}/rounds/${round.roundId}/eligibility/1`);
    await page.page.check('input[name="answer"][value="no"]');
    await page.click('Continue');
    expect(await page.page.locator('h1').textContent()).toContain('cannot apply');
    expect(await page.page.locator('main').textContent()).toContain(round.eligibility[0].failureMessage);
    await page.page.context().close();
  });
});
