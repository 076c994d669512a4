/**
 * The organisation pages in headless Chromium, checked with axe-core (WCAG 2.2 A and AA) on every
 * page, including pages showing errors: register, check your answers, the organisation, edit,
 * invite, accept, remove, and the staff views. (axe needs JavaScript to run; that the pages work
 * without it is shown by the form-posting tests in organisations-pages.test.ts.)
 */
import type { Browser, BrowserContext } from 'playwright-core';
import type { StaffRole } from '../../src/auth/roles.js';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createDistrict, createOrganisation, createUser, uniqueEmail } from '../support/factories.js';
import { signInAs } from '../support/sessions.js';
import { linkIn } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  await createDistrict(t.db, 'Leeds');
  await createDistrict(t.db, 'Wakefield');
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

/** A page without JavaScript, signed in as a new person (with roles, if given). */
async function signedInPage(options: { email?: string; roles?: StaffRole[] } = {}) {
  const user = await createUser(t.db, options);
  const [name, value] = (await signInAs(t, user)).split('=');
  const context = await browser.newContext({ javaScriptEnabled: true });
  contexts.push(context);
  await context.addCookies([{ name, value, url: t.url }]);
  context.setDefaultTimeout(10_000);
  return { user, page: await CheckedPage.open(context) };
}

const submit = async (p: CheckedPage, button: string | RegExp) => {
  await p.click(button);
};

describe('accessibility of the organisation pages (axe, WCAG 2.2 AA)', () => {
  it('registration journey, with and without errors, to the organisation page', async () => {
    const { page: p } = await signedInPage();
    const page = p.page;
    await p.visit(`${t.url}/organisations`);
    await p.click('Register an organisation');
    await submit(p, 'Continue'); // no name: error summary
    expect(await page.locator('.govuk-error-summary').count()).toBe(1);
    await page.getByLabel('What is the organisation’s name?').fill('Normanton Neighbours');
    await submit(p, 'Continue');
    await submit(p, 'Continue'); // no legal form
    await page.getByLabel('Charitable company (a company that is also a registered charity)').check();
    await submit(p, 'Continue');
    await page.getByLabel('Charity number').fill('123');
    await submit(p, 'Continue'); // both numbers wrong or missing
    expect(await page.locator('.govuk-error-summary a').count()).toBe(2);
    await page.getByLabel('Charity number').fill('1187001');
    await page.getByLabel('Company number').fill('08700100');
    await submit(p, 'Continue');
    await page.getByLabel('Address line 1').fill('5 Market Street');
    await page.getByLabel('Town or city').fill('Normanton');
    await page.getByLabel('Postcode').fill('WF6 2AA');
    await submit(p, 'Continue');
    await page.getByLabel('Wakefield').check();
    await submit(p, 'Continue');
    await page.getByLabel('Full name').fill('Pat Smith');
    await page.getByLabel('Email address').fill('pat@example.org');
    await submit(p, 'Continue');
    expect(page.url()).toBe(`${t.url}/organisations/new/check`);
    await submit(p, 'Register the organisation');
    expect(await page.locator('h1').textContent()).toContain('Normanton Neighbours');

    await p.click('Change the organisation’s details');
    await page.getByLabel('Postcode').fill('nowhere');
    await submit(p, 'Save changes');
    expect(await page.locator('.govuk-error-summary').count()).toBe(1);

    const orgUrl = page.url().replace(/\/edit$/, '');
    await p.visit(orgUrl);
    await p.click('Invite someone');
    await submit(p, 'Send invitation'); // no email
    expect(await page.locator('.govuk-error-summary').count()).toBe(1);
    await page.getByLabel(/email address of the person/).fill(uniqueEmail('a11y'));
    await submit(p, 'Send invitation');
    expect(await page.getByRole('button', { name: /Cancel invitation/ }).count()).toBe(1);
    expect(p.visited.length).toBeGreaterThan(15);
  }, 180_000);

  it('invitation landing pages, accepting, leaving, and the staff views', async () => {
    const { user: owner, page: ownerPage } = await signedInPage();
    const org = await createOrganisation(t.db, owner, { name: 'Pontefract Pals' });
    const inviteeEmail = uniqueEmail('a11y-invitee');
    await ownerPage.visit(`${t.url}/organisations/${org.id}/invites/new`);
    await ownerPage.page.getByLabel(/email address of the person/).fill(inviteeEmail);
    await submit(ownerPage, 'Send invitation');
    await t.settle();
    const link = linkIn(await t.mailbox.waitFor(inviteeEmail), '/invites/');

    // Not signed in.
    const anonymousContext = await browser.newContext({ javaScriptEnabled: true });
    contexts.push(anonymousContext);
    const anonymous = await CheckedPage.open(anonymousContext);
    await anonymous.visit(link);
    await anonymous.visit(`${t.url}/invites/not-a-token`);

    // The invited person accepts, then leaves.
    const { user: me, page: invitee } = await signedInPage({ email: inviteeEmail });
    await invitee.visit(link);
    await submit(invitee, 'Accept invitation');
    await invitee.visit(link); // already used
    await invitee.visit(`${t.url}/organisations/${org.id}/members/${me.id}/remove`);
    await submit(invitee, 'Yes, leave the organisation');

    const { page: staff } = await signedInPage({ roles: ['grants_officer'] });
    await staff.visit(`${t.url}/staff/organisations`);
    await staff.visit(`${t.url}/staff/organisations?name=Pontefract`);
    await staff.visit(`${t.url}/staff/organisations/${org.id}`);
    expect(staff.visited).toHaveLength(3);
  }, 180_000);
});
