import type { Browser } from 'playwright-core';
import { CheckedPage, expectNoA11yViolations, launchBrowser } from '../support/browser.js';

/** The accessibility check the browser tests rely on finds violations, and re-checks a changed page. */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const page = (body: string) => `<!DOCTYPE html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>${body}</main></body></html>`;

describe('the axe check', () => {
  it('fails on a WCAG violation and passes a clean page', async () => {
    const p = await browser.newPage();
    await p.setContent(page('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'));
    await expect(expectNoA11yViolations(p)).rejects.toThrow(/image-alt/);
    await expect(expectNoA11yViolations(p, { disableRules: ['image-alt'] })).resolves.toBeUndefined();
    await p.setContent(page('<p>Nothing wrong here.</p>'));
    await expect(expectNoA11yViolations(p)).resolves.toBeUndefined();
    await p.close();
  });

  it('checks a page shown again unchanged once, and a changed one again', async () => {
    const checked = await CheckedPage.open(browser);
    const form = (csrf: string, id: string, extra = '') =>
      page(`<form><input type="hidden" name="_csrf" value="${csrf}"><a href="/applications/${id}">Bid</a>${extra}</form>`);
    await checked.page.setContent(form('token-one', '11111111-1111-4111-8111-111111111111'));
    await checked.check();
    // The same page for another session and another bid: the same markup, already checked.
    await checked.page.setContent(form('token-two', '22222222-2222-4222-8222-222222222222'));
    await checked.check();
    // One more element is a different page: checked, and its violation found.
    await checked.page.setContent(form('token-two', '22222222-2222-4222-8222-222222222222', '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'));
    await expect(checked.check()).rejects.toThrow(/image-alt/);
    expect(checked.visited).toHaveLength(2);
    await checked.page.context().close();
  });
});
