/**
 * The first real journey of the service, in headless Chromium, clicking and typing as people do
 * through the real pages (issue 2, "Tests"): someone creates an account, confirms their email from
 * the message the SMTP sink received, signs in, registers their organisation, and invites a
 * colleague; the colleague, in a browser of their own, creates an account from the invitation and
 * accepts it. axe-core (WCAG 2.0/2.1/2.2 A and AA) checks every page either of them sees, error
 * pages included, and the list of pages is asserted so that a change which skips one shows up.
 *
 * The only direct database write is the district the organisation form offers.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createDistrict, uniqueEmail } from '../support/factories.js';
import { linkIn } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  t = await startTestApp();
  browser = await launchBrowser();
  await createDistrict(t.db, 'Wakefield');
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await t?.close();
});

/** A fresh browser context (its own cookie jar) whose pages are checked with axe. */
async function person(): Promise<CheckedPage> {
  const context = await browser.newContext({ javaScriptEnabled: true });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  return CheckedPage.open(context);
}

/** Presses a form's button (by its exact name, never a same-named header link) and checks the page it leads to. */
const press = (p: CheckedPage, name: string) => p.follow(p.page.getByRole('button', { name, exact: true }));

/**
 * Follows a link (in the main content unless told) by its exact text and checks the page it leads
 * to; a link styled as a GOV.UK button has the button role, so either role counts.
 */
function follow(p: CheckedPage, name: string, within = 'main'): Promise<void> {
  const area = p.page.locator(within);
  return p.follow(area.getByRole('link', { name, exact: true }).or(area.getByRole('button', { name, exact: true })));
}

const heading = (p: CheckedPage) => p.page.locator('h1').innerText();
const errorSummary = (p: CheckedPage) => p.page.locator('.govuk-error-summary a').allInnerTexts();
const path = (p: CheckedPage) => new URL(p.page.url()).pathname;

/** Page paths with ids and tokens replaced, so the list reads the same on every run. */
const shape = (paths: string[]) =>
  paths.map((p) => p.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id').replace(/^\/invites\/[^/]+/, '/invites/:token'));

/** Registration, confirmation from the received email and sign-in, through the pages, starting on the create-account page. */
async function createAccountAndSignIn(p: CheckedPage, who: { fullName: string; email: string; password: string }): Promise<void> {
  const { page } = p;
  expect(await heading(p)).toBe('Create an account');
  await page.getByLabel('Full name', { exact: true }).fill(who.fullName);
  await page.getByLabel('Email address', { exact: true }).fill(who.email);
  await page.getByLabel('Create a password', { exact: true }).fill(who.password);
  await press(p, 'Create account');
  expect(path(p)).toBe('/register/check-your-email');
  expect(await heading(p)).toBe('Check your email');
  expect(await page.locator('main').innerText()).toContain(`We have sent an email to ${who.email}`);

  await t.settle();
  const mail = await t.mailbox.waitFor(who.email, (m) => m.subject === 'Confirm your email address');
  await p.visit(linkIn(mail, '/verify-email'));
  expect(await page.locator('.govuk-panel__title').innerText()).toBe('Email address confirmed');
  expect(await page.locator('.govuk-panel__body').innerText()).toBe(who.email);

  await follow(p, 'Sign in');
  expect(path(p)).toBe('/sign-in');
  await page.getByLabel('Email address', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await press(p, 'Sign in');
  expect(await page.locator('header').innerText()).toContain(who.fullName);
}

describe('the first journey in a browser: account, organisation, colleague (axe on every page)', () => {
  it('registers, confirms, signs in, registers an organisation, invites a colleague who joins', async () => {
    const owner = { fullName: 'Priya Shah', email: uniqueEmail('journey-owner'), password: 'correct horse battery staple' };
    const colleague = { fullName: 'Tom Okafor', email: uniqueEmail('journey-colleague'), password: 'lantern meadow copper kettle' };

    // 1. The start page, then create an account, first forgetting the name: an error summary.
    const o = await person();
    const page = o.page;
    await o.visit(`${t.url}/`);
    expect(await heading(o)).toBe('Apply for a community safety grant');
    await follow(o, 'Create an account');
    await page.getByLabel('Email address', { exact: true }).fill(owner.email);
    await page.getByLabel('Create a password', { exact: true }).fill(owner.password);
    await press(o, 'Create account');
    expect(await errorSummary(o)).toEqual(['Enter your full name']);
    expect(await page.locator('#fullName-error').innerText()).toContain('Enter your full name');
    expect(await page.getByLabel('Email address', { exact: true }).inputValue()).toBe(owner.email);

    // 1-3. Register, confirm from the email, sign in: the applicant's home page.
    await createAccountAndSignIn(o, owner);
    expect(path(o)).toBe('/dashboard');
    expect(await heading(o)).toBe('Your applications');

    // 4. Register the organisation, one question per page.
    await follow(o, 'Your organisations', 'nav[aria-label="Main"]');
    expect(await heading(o)).toBe('Your organisations');
    await follow(o, 'Register an organisation');
    await page.getByLabel('What is the organisation’s name?').fill('Castleford Safer Streets');
    await press(o, 'Continue');
    await page.getByLabel('Registered charity (unincorporated, such as a charitable trust or association)').check();
    await press(o, 'Continue');
    expect(path(o)).toBe('/organisations/new/registration-numbers');
    await page.getByLabel('Charity number').fill('1123456');
    await press(o, 'Continue');
    await page.getByLabel('Address line 1').fill('12 Carlton Street');
    await page.getByLabel('Town or city').fill('Castleford');
    await page.getByLabel('Postcode').fill('wf10 1aa');
    await press(o, 'Continue');
    await page.getByLabel('Wakefield').check();
    await press(o, 'Continue');
    await page.getByLabel('Full name').fill(owner.fullName);
    await page.getByLabel('Email address').fill('hello@castleford-safer-streets.org.uk');
    await page.getByLabel('Telephone number (optional)').fill('01977 512345');
    await press(o, 'Continue');
    expect(path(o)).toBe('/organisations/new/check');
    const answers = await page.locator('.govuk-summary-list').innerText();
    for (const text of ['Castleford Safer Streets', '1123456', '12 Carlton Street', 'WF10 1AA', 'Wakefield', 'hello@castleford-safer-streets.org.uk']) {
      expect(answers).toContain(text);
    }
    await press(o, 'Register the organisation');
    expect(path(o)).toMatch(/^\/organisations\/[0-9a-f-]{36}$/);
    const organisationUrl = page.url();
    expect(await heading(o)).toBe('Castleford Safer Streets');
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain('Castleford Safer Streets is registered');
    const details = page.locator('.govuk-summary-list');
    expect(await details.locator('.govuk-summary-list__row', { hasText: 'Identifier for open data' }).locator('dd').first().innerText()).toBe('GB-CHC-1123456');

    // 5. Invite the colleague from the organisation page: they get the email.
    await follow(o, 'Invite someone');
    await page.getByLabel('What is the email address of the person you want to invite?').fill(colleague.email);
    await press(o, 'Send invitation');
    expect(page.url()).toBe(organisationUrl);
    expect(await page.locator('#invitations ~ .app-table-scroll table').innerText()).toContain(colleague.email);
    await t.settle();
    const invitation = await t.mailbox.waitFor(colleague.email, (m) => m.subject === 'You have been invited to join Castleford Safer Streets');
    const inviteLink = linkIn(invitation, '/invites/');

    // 6. The colleague, in their own browser: the invitation, an account, back to the invitation.
    const c = await person();
    await c.visit(inviteLink);
    expect(await heading(c)).toBe('Join Castleford Safer Streets');
    expect(await c.page.locator('main').innerText()).toContain(colleague.email);
    await follow(c, 'Create an account');
    await createAccountAndSignIn(c, colleague);
    expect(c.page.url()).toBe(inviteLink);
    await press(c, 'Accept invitation');
    expect(c.page.url()).toBe(organisationUrl);
    expect(await c.page.locator('.govuk-notification-banner').innerText()).toContain('You have joined Castleford Safer Streets');
    expect(await c.page.locator('.govuk-caption-l').first().innerText()).toBe('You are a member');
    expect(await c.page.locator('main').innerText()).not.toContain('Invite someone');

    // The owner, reloading the organisation page, sees the colleague as a member.
    await page.reload();
    await o.check();
    const members = await page.locator('#members ~ .app-table-scroll table').first().locator('tbody tr').allInnerTexts();
    expect(members.map((row) => row.split('\t').slice(0, 3).map((cell) => cell.trim()))).toEqual([
      [owner.fullName, owner.email, 'Owner'],
      [colleague.fullName, colleague.email, 'Member'],
    ]);
    expect(await page.locator('main').innerText()).toContain('There are no invitations waiting for a reply');

    // Every page either person saw, in order (each was checked by axe).
    expect(shape(o.visited)).toEqual([
      '/',
      '/register',
      '/register', // with the error summary
      '/register/check-your-email',
      '/verify-email',
      '/sign-in',
      '/dashboard',
      '/organisations',
      '/organisations/new',
      '/organisations/new/legal-form',
      '/organisations/new/registration-numbers',
      '/organisations/new/address',
      '/organisations/new/district',
      '/organisations/new/contact',
      '/organisations/new/check',
      '/organisations/:id',
      '/organisations/:id/invites/new',
      '/organisations/:id',
      '/organisations/:id', // reloaded after the colleague joined
    ]);
    expect(shape(c.visited)).toEqual([
      '/invites/:token',
      '/register',
      '/register/check-your-email',
      '/verify-email',
      '/sign-in',
      '/invites/:token',
      '/organisations/:id',
    ]);
  }, 180_000);
});
