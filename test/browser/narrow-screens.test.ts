/**
 * At a phone's width (375 px) no page grows sideways: wide tables scroll inside their own
 * focusable, labelled region instead (GOV.UK's pattern). Measured as the document's scrollWidth
 * in Chromium, on the demo data, for the pages that overflowed (dashboard 786 px, budget 559 px,
 * staff lists 803 px, start page 501 px) and the other lists.
 */
import type { Browser } from 'playwright-core';
import { seedDemoIfEmpty } from '../../src/demo/seed.js';
import { expectNoA11yViolations, launchBrowser } from '../support/browser.js';
import { tokenFor } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  t = await startTestApp({ workers: false, smtp: false });
  expect(await seedDemoIfEmpty(t.config)).toBe(true);
  browser = await launchBrowser();
}, 120000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const PHONE = { width: 375, height: 812 };

async function widthsAt375(email: string, paths: string[]): Promise<Record<string, number>> {
  const [user] = await t.db.query(`SELECT id FROM users WHERE email = $1`, [email]);
  const cookie = await signInAs(t, user);
  const [name, value] = cookie.split(';')[0].split('=');
  const context = await browser.newContext({ viewport: PHONE });
  await context.addCookies([{ name, value, url: t.url }]);
  const page = await context.newPage();
  const widths: Record<string, number> = {};
  try {
    for (const path of paths) {
      const response = await page.goto(t.url + path);
      expect([path, response?.status()]).toEqual([path, 200]);
      widths[path] = await page.evaluate<number>('document.documentElement.scrollWidth');
      await expectNoA11yViolations(page);
      // Each wide table sits in a region that can take focus and has a name.
      const regions = await page.locator('.app-table-scroll').evaluateAll((els) => els.map((e) => [e.getAttribute('tabindex'), e.getAttribute('aria-label') ?? e.getAttribute('aria-labelledby')]));
      for (const [tabindex, label] of regions) expect([path, tabindex, !!label]).toEqual([path, '0', true]);
    }
  } finally {
    await context.close();
  }
  return widths;
}

const fits = (widths: Record<string, number>) => Object.fromEntries(Object.keys(widths).map((p) => [p, PHONE.width]));

describe('pages at a phone’s width', () => {
  it('the start page, the applicant’s dashboard and budget page stay 375 px wide', async () => {
    const [draft] = await t.db.query(`SELECT a.id, a.created_by FROM applications a WHERE a.status = 'draft' LIMIT 1`);
    const token = await tokenFor(t, { id: draft.created_by });
    const api = apiClient(t.url);
    for (const line of [
      { item: 'Hi-vis jackets, torches and first aid kits for the volunteers on every walkabout', category: 'equipment', amountPence: 125050, otherFundingPence: 20000, otherFundingSource: 'Holbeck parish council community chest' },
      { item: 'Sessional worker', category: 'staff', amountPence: 300000 },
    ]) {
      expect((await api.post(`/api/v1/applications/${draft.id}/budget-lines`, line, { token })).status).toBe(201);
    }
    const widths = await widthsAt375('applicant@demo.test', ['/', '/dashboard', `/applications/${draft.id}/budget`, `/applications/${draft.id}/history`]);
    expect(widths).toEqual(fits(widths));
  }, 120000);

  it('the staff lists stay 375 px wide', async () => {
    const officer = await widthsAt375('officer@demo.test', ['/staff/applications', '/staff/rounds', '/staff/organisations', '/staff/communications', '/staff/funds']);
    expect(officer).toEqual(fits(officer));
    const admin = await widthsAt375('admin@demo.test', ['/admin/users', '/staff/audit', '/admin/reference-data']);
    expect(admin).toEqual(fits(admin));
  }, 180000);
});
