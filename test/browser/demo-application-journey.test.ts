/**
 * Issue 3's "Done when", tried as a new user would, on the real demo data (src/demo/seed.ts) in
 * headless Chromium: someone finds the open demo round (R22 of West Yorkshire's Safer Communities
 * Fund), checks eligibility one question per page, signs in as the demo applicant, starts a bid and
 * leaves half-way; a colleague in the same organisation, in a browser of their own, completes
 * another section of the same bid; the applicant comes back, finishes it, uploads the safeguarding
 * policy, checks the answers and submits; the confirmation email arrives; and the grants officer
 * finds the bid in the round's list, opens it and downloads the round's CSV export. axe-core
 * (WCAG 2.0/2.1/2.2 A and AA) checks every page each person sees, and the page lists are asserted.
 *
 * The only direct database writes are the demo seed and the colleague's account and membership
 * (registering and inviting through the pages is covered by account-journey.test.ts).
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { seedDemoIfEmpty } from '../../src/demo/seed.js';
import { CheckedPage, launchBrowser } from '../support/browser.js';
import { createUser, TEST_PASSWORD } from '../support/factories.js';
import { daysFromNow } from '../support/funding-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  t = await startTestApp();
  expect(await seedDemoIfEmpty(t.config)).toBe(true);
  browser = await launchBrowser();
}, 60_000);
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

/** Presses a button in the main content by its exact name and checks the page it leads to. */
const press = (p: CheckedPage, name: string) => p.follow(p.page.locator('main').getByRole('button', { name, exact: true }));

/** Follows a link (or a link styled as a button) in the main content by its exact text. */
function follow(p: CheckedPage, name: string): Promise<void> {
  const main = p.page.locator('main');
  return p.follow(main.getByRole('link', { name, exact: true }).or(main.getByRole('button', { name, exact: true })));
}

const heading = (p: CheckedPage) => p.page.locator('h1').innerText();
const path = (p: CheckedPage) => new URL(p.page.url()).pathname;
const mainText = (p: CheckedPage) => p.page.locator('main').innerText();
/** A radio or checkbox inside the fieldset whose legend is `legend`. */
const option = (p: CheckedPage, legend: string, label: string) =>
  p.page.getByRole('group', { name: legend }).getByLabel(label, { exact: true });
/** The status shown against a task in the task list. */
const taskStatus = (p: CheckedPage, task: string) =>
  p.page.locator('.govuk-task-list__item', { has: p.page.getByRole('link', { name: task, exact: true }) }).locator('.govuk-task-list__status').innerText();

async function fillDate(p: CheckedPage, name: string, iso: string): Promise<void> {
  const [year, month, day] = iso.split('-');
  await p.page.locator(`[name="${name}-day"]`).fill(String(Number(day)));
  await p.page.locator(`[name="${name}-month"]`).fill(String(Number(month)));
  await p.page.locator(`[name="${name}-year"]`).fill(year);
}

/** Signs in through the sign-in page the person is on. */
async function signIn(p: CheckedPage, email: string, password: string): Promise<void> {
  expect(path(p)).toBe('/sign-in');
  await p.page.getByLabel('Email address', { exact: true }).fill(email);
  await p.page.getByLabel('Password', { exact: true }).fill(password);
  await press(p, 'Sign in');
}

const saveSection = async (p: CheckedPage) => {
  await p.page.getByLabel('Yes, I’ve completed this section', { exact: true }).check();
  await press(p, 'Save and continue');
};

/** A small, well-formed one-page PDF (header, objects, cross-reference table with real offsets, trailer). */
function smallPdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Page paths with ids replaced, so the lists read the same on every run. */
const shape = (paths: string[]) => paths.map((p) => p.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id'));

describe('issue 3 done: the demo round from eligibility to the staff export, in a browser (axe on every page)', () => {
  it('finds R22, checks eligibility, writes a bid over two sittings with a colleague, attaches, submits; staff see and export it', async () => {
    const started = Date.now();
    const demoPassword = t.config.demoPassword;
    const title = 'Holbeck evening safety walks';

    // 1. Anonymous: the start page, the open rounds, R22, eligibility one question per page.
    const a = await person();
    await a.visit(`${t.url}/`);
    expect(await heading(a)).toBe('Apply for a community safety grant');
    await follow(a, 'funding rounds are open');
    expect(path(a)).toBe('/rounds');
    const rounds = await mainText(a);
    expect(rounds).toContain('Safer Communities Fund round 22');
    expect(rounds).not.toContain('Safer Communities Fund round 17'); // decided long ago: not open
    await follow(a, 'Safer Communities Fund round 22');
    expect(await heading(a)).toBe('Safer Communities Fund round 22');
    const roundPage = await mainText(a);
    for (const text of ['Community grants', 'Tackling exploitation', '£1,000 to £6,000', 'Human Trafficking and Modern Slavery']) expect(roundPage).toContain(text);
    const roundPath = path(a);
    await follow(a, 'Check if you can apply');
    expect(await heading(a)).toBe('Check if your group can apply');
    await follow(a, 'Start now');
    for (const [n, answer] of [[1, 'Yes'], [2, 'Yes'], [3, 'Yes'], [4, 'No']] as const) {
      expect(path(a)).toBe(`${roundPath}/eligibility/${n}`);
      expect(await a.page.locator('legend').first().innerText()).toContain(`Question ${n} of 4`);
      await a.page.getByLabel(answer, { exact: true }).check();
      await press(a, 'Continue');
    }
    expect(path(a)).toBe(`${roundPath}/eligibility/result`);
    expect(await heading(a)).toBe('You can apply');

    // Start: sign in as the demo applicant, back to starting the bid, choose the pot.
    await follow(a, 'Start your application');
    await signIn(a, 'applicant@demo.test', demoPassword);
    expect(path(a)).toBe(`${roundPath}/apply`);
    expect(await heading(a)).toBe('Start an application');
    await a.page.getByLabel('Community grants', { exact: true }).check();
    await press(a, 'Start application');
    expect(path(a)).toMatch(/^\/applications\/[0-9a-f-]{36}$/);
    const applicationPath = path(a);
    expect(await a.page.locator('.govuk-notification-banner').innerText()).toContain('Application started');
    expect(await a.page.locator('.govuk-caption-l').first().innerText()).toContain('Holbeck Neighbourhood Watch Association');
    expect(await taskStatus(a, 'Project details')).toBe('Not yet started');

    // 2. First sitting: project details and one form section, then sign out half-way.
    await follow(a, 'Project details');
    await a.page.getByLabel('Project title', { exact: true }).fill(title);
    await a.page.getByLabel('Summary of the project', { exact: true }).fill(
      'Volunteers walk the streets of Holbeck on autumn and winter evenings with the neighbourhood policing team, reporting broken lights and places that feel unsafe.',
    );
    await fillDate(a, 'projectStartDate', daysFromNow(30));
    await fillDate(a, 'projectEndDate', daysFromNow(300));
    await option(a, 'Which districts will the project serve?', 'Leeds').check();
    await option(a, 'Which Police and Crime Plan priorities does it serve?', 'Anti-social Behaviour').check();
    await saveSection(a);
    expect(path(a)).toBe(applicationPath);
    expect(await heading(a)).toBe(title);
    expect(await taskStatus(a, 'Project details')).toBe('Completed');

    await follow(a, 'The need for your project');
    await a.page.getByLabel('What community safety problem will your project tackle?', { exact: true }).fill(
      'Residents, especially older people, avoid walking home after dark because of poorly lit alleys and anti-social behaviour near the shops.',
    );
    await a.page.getByLabel('Residents or service users told us', { exact: true }).check();
    await a.page.getByLabel('How many people will take part or benefit?', { exact: true }).fill('350');
    await saveSection(a);
    expect(path(a)).toBe(applicationPath);
    expect(await taskStatus(a, 'The need for your project')).toBe('Completed');
    expect(await taskStatus(a, 'How you will deliver it')).toBe('Not yet started');

    await a.follow(a.page.locator('header').getByRole('button', { name: 'Sign out', exact: true }));
    expect(path(a)).toBe('/signed-out');
    expect(await heading(a)).toBe('You have signed out');

    // 3. A colleague in the same organisation, in a browser of their own, completes the safeguarding section.
    const colleague = await createUser(t.db, { fullName: 'Tom Okafor' });
    await t.db.query(
      `INSERT INTO organisation_members (organisation_id, user_id, role) SELECT id, $1, 'member' FROM organisations WHERE name = 'Holbeck Neighbourhood Watch Association'`,
      [colleague.id],
    );
    const c = await person();
    await c.visit(`${t.url}/sign-in`);
    await signIn(c, colleague.email, TEST_PASSWORD);
    expect(path(c)).toBe('/dashboard');
    expect(await c.page.locator('header').innerText()).toContain('Tom Okafor');
    const colleagueRow = c.page.locator('tbody tr', { hasText: title });
    expect(await colleagueRow.innerText()).toContain('Not submitted');
    await c.follow(colleagueRow.getByRole('link', { name: title, exact: true }));
    expect(path(c)).toBe(applicationPath);
    expect(await taskStatus(c, 'Project details')).toBe('Completed'); // the applicant's work
    await follow(c, 'Safeguarding and governance');
    await option(c, 'Does your organisation have a safeguarding policy reviewed in the last 12 months?', 'Yes').check();
    await c.page.getByLabel('Yes, enhanced DBS checks', { exact: true }).check();
    expect(await c.page.locator('main').getByRole('link', { name: 'attachments page', exact: true }).getAttribute('href')).toBe(`${applicationPath}/attachments`);
    await saveSection(c);
    expect(path(c)).toBe(applicationPath);
    expect(await taskStatus(c, 'Safeguarding and governance')).toBe('Completed');

    // 4. Second sitting: the applicant signs in again, the dashboard shows the draft, and finishes it.
    const a2 = await person();
    await a2.visit(`${t.url}/sign-in`);
    await signIn(a2, 'applicant@demo.test', demoPassword);
    expect(path(a2)).toBe('/dashboard');
    const draftRow = a2.page.locator('tbody tr', { hasText: title });
    expect(await draftRow.innerText()).toContain('Not submitted');
    expect(await draftRow.innerText()).toContain('Safer Communities Fund round 22');
    await a2.follow(draftRow.getByRole('link', { name: title, exact: true }));
    expect(path(a2)).toBe(applicationPath);
    expect(await taskStatus(a2, 'Safeguarding and governance')).toBe('Completed'); // the colleague's work
    expect(await a2.page.locator('main').innerText()).toContain('You have completed 3 of 5 sections');

    await follow(a2, 'How you will deliver it');
    await a2.page.getByLabel('What will you do, and when?', { exact: true }).fill(
      'Two evening walks a week from October to March, led by trained volunteers, with a monthly report to the ward councillors and the police.',
    );
    await a2.page.getByLabel('Which partners, including the police, will you work with? (optional)', { exact: true }).fill('Leeds City Council and the Holbeck neighbourhood policing team.');
    await fillDate(a2, 'answers.firstActivity', daysFromNow(35));
    await a2.page.getByLabel('How much other funding have you secured for this project? (optional)', { exact: true }).fill('250');
    await saveSection(a2);
    expect(await taskStatus(a2, 'How you will deliver it')).toBe('Completed');

    // The budget: £3,000.00 + £1,250.50 = £4,250.50, within Community grants' £1,000 to £6,000.
    await follow(a2, 'Budget');
    expect(await a2.page.locator('.govuk-inset-text').innerText()).toContain('between £1,000 and £6,000');
    for (const [item, category, amount] of [
      ['Volunteer coordinator, 5 hours a week', 'Staff', '3000'],
      ['Hi-visibility jackets and torches', 'Equipment', '1250.50'],
    ]) {
      await follow(a2, 'Add a budget line');
      await a2.page.getByLabel('What is the money for?', { exact: true }).fill(item);
      await a2.page.getByLabel('Category', { exact: true }).selectOption({ label: category });
      await a2.page.getByLabel('How much are you asking for?', { exact: true }).fill(amount);
      await press(a2, 'Save budget line');
      expect(path(a2)).toBe(`${applicationPath}/budget`);
    }
    const total = a2.page.locator('tbody tr', { has: a2.page.locator('th', { hasText: 'Total' }) });
    expect(await total.innerText()).toContain('£4,250.50');
    await saveSection(a2);
    expect(await taskStatus(a2, 'Budget')).toBe('Completed');

    // The safeguarding policy, as a small PDF through the file input.
    await follow(a2, 'Attachments');
    expect(await heading(a2)).toBe('Upload documents');
    await a2.page.getByLabel('Safeguarding policy', { exact: true }).check();
    await a2.page.getByLabel('Upload a file', { exact: true }).setInputFiles({
      name: 'holbeck-safeguarding-policy.pdf',
      mimeType: 'application/pdf',
      buffer: smallPdf('Holbeck Neighbourhood Watch Association safeguarding policy'),
    });
    await press(a2, 'Upload file');
    expect(path(a2)).toBe(`${applicationPath}/attachments`);
    expect(await a2.page.locator('.govuk-notification-banner').innerText()).toContain('holbeck-safeguarding-policy.pdf has been uploaded');
    const fileRow = await a2.page.locator('tbody tr', { hasText: 'holbeck-safeguarding-policy.pdf' }).innerText();
    expect(fileRow).toContain('Safeguarding policy');
    expect(fileRow).toContain('Amina Hussain');
    await follow(a2, 'Return to your application');
    expect(await a2.page.locator('main').innerText()).toContain('Attachments: 1 file attached');

    // Check answers, the declaration, submit.
    await follow(a2, 'Check answers and submit');
    expect(path(a2)).toBe(`${applicationPath}/check-answers`);
    const answers = await mainText(a2);
    for (const text of [title, 'Leeds', 'Anti-social Behaviour', 'Residents or service users told us', '350', 'Yes, enhanced DBS checks', 'holbeck-safeguarding-policy.pdf', '£4,250.50']) {
      expect(answers).toContain(text);
    }
    expect(await a2.page.getByLabel('Your full name', { exact: true }).inputValue()).toBe('Amina Hussain');
    await a2.page.getByLabel('I confirm the declaration above', { exact: true }).check();
    await press(a2, 'Accept and send application');
    expect(path(a2)).toBe(`${applicationPath}/confirmation`);
    const panel = await a2.page.locator('.govuk-panel').innerText();
    expect(panel).toContain('Application submitted');
    // The demo already used SCF-R22-0001 to 0015 (bids for screening, assessment and panels at every stage).
    const reference = /SCF-R22-\d{4}/.exec(panel)?.[0];
    expect(reference).toBe('SCF-R22-0016');

    // The confirmation email.
    await t.settle();
    const mail = await t.mailbox.waitFor('applicant@demo.test', (m) => m.subject.includes(reference!));
    expect(mail.text).toContain(title);
    expect(mail.text).toContain('Holbeck Neighbourhood Watch Association');

    // The dashboard now shows it submitted, with its reference.
    await follow(a2, 'your applications');
    expect(await a2.page.locator('tbody tr', { hasText: title }).innerText()).toContain(reference!);

    // 5. Staff: the grants officer finds the bid in R22's list, opens it, and exports the round.
    const s = await person();
    await s.visit(`${t.url}/sign-in`);
    await signIn(s, 'officer@demo.test', demoPassword);
    expect(path(s)).toBe('/staff/applications');
    await s.page.getByLabel('Round', { exact: true }).selectOption({ label: 'R22: Safer Communities Fund round 22' });
    await press(s, 'Apply filters');
    expect(path(s)).toBe('/staff/applications');
    const listed = await s.page.locator('tbody').innerText();
    for (const ref of ['SCF-R22-0001', 'SCF-R22-0002', 'SCF-R22-0003', 'SCF-R22-0006', reference!]) expect(listed).toContain(ref);
    expect(listed).not.toContain('SCF-R17-'); // only R22's bids
    const csvHref = await s.page.getByRole('link', { name: 'Download this round’s applications (CSV)', exact: true }).getAttribute('href');
    const staffRow = s.page.locator('tbody tr', { hasText: reference! });
    expect(await staffRow.innerText()).toContain('Holbeck Neighbourhood Watch Association');
    expect(await staffRow.innerText()).toContain('£4,250.50');
    await s.follow(staffRow.getByRole('link', { name: reference!, exact: true }));
    expect(path(s)).toBe(`/staff${applicationPath}`);
    expect(await heading(s)).toBe(title);
    const attachmentLink = s.page.locator('main').getByRole('link', { name: 'holbeck-safeguarding-policy.pdf', exact: true });
    const download = await s.page.context().request.get(`${t.url}${await attachmentLink.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');

    // The round's CSV, fetched with the officer's cookies.
    expect(csvHref).toMatch(/^\/staff\/rounds\/[0-9a-f-]{36}\/applications\.csv$/);
    const csv = await s.page.context().request.get(`${t.url}${csvHref}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(csv.headers()['content-disposition']).toContain('R22-applications.csv');
    const csvRow = (await csv.text()).split(/\r?\n/).find((line) => line.startsWith(reference!));
    expect(csvRow).toContain('Holbeck Neighbourhood Watch Association');
    expect(csvRow).toContain(title);
    expect(csvRow).toContain('submitted');
    expect(csvRow).toContain('425050');

    // Every page each person saw, in order (each was checked by axe).
    expect(shape(a.visited)).toEqual([
      '/',
      '/rounds',
      '/rounds/:id',
      '/rounds/:id/eligibility',
      '/rounds/:id/eligibility/1',
      '/rounds/:id/eligibility/2',
      '/rounds/:id/eligibility/3',
      '/rounds/:id/eligibility/4',
      '/rounds/:id/eligibility/result',
      '/sign-in',
      '/rounds/:id/apply',
      '/applications/:id',
      '/applications/:id/project',
      '/applications/:id',
      '/applications/:id/sections/need',
      '/applications/:id',
      '/signed-out',
    ]);
    expect(shape(c.visited)).toEqual(['/sign-in', '/dashboard', '/applications/:id', '/applications/:id/sections/safeguarding', '/applications/:id']);
    expect(shape(a2.visited)).toEqual([
      '/sign-in',
      '/dashboard',
      '/applications/:id',
      '/applications/:id/sections/delivery',
      '/applications/:id',
      '/applications/:id/budget',
      '/applications/:id/budget/add',
      '/applications/:id/budget',
      '/applications/:id/budget/add',
      '/applications/:id/budget',
      '/applications/:id',
      '/applications/:id/attachments',
      '/applications/:id/attachments',
      '/applications/:id',
      '/applications/:id/check-answers',
      '/applications/:id/confirmation',
      '/dashboard',
    ]);
    expect(shape(s.visited)).toEqual(['/sign-in', '/staff/applications', '/staff/applications', '/staff/applications/:id']);
    const pages = a.visited.length + c.visited.length + a2.visited.length + s.visited.length;
    expect(pages).toBe(43);
    console.log(`demo journey: ${pages} pages checked by axe in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 180_000);
});
