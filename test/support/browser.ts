import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sessionCookieFor, TEST_PASSWORD } from './factories.js';
import type { TestApp } from './test-app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Headless Debian Chromium, as the machine allows (no sandbox as root, no background networking). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface A11yOptions {
  /** Rules to skip, each with a reason in the caller. */
  disableRules?: string[];
}

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let axeSource: string | undefined;
const axe = () => (axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));

/**
 * Runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page and fails with readable detail on any
 * violation. axe is put into the page once per document and run directly: the same rules as
 * @axe-core/playwright's AxeBuilder with these tags, without the blank page it opens for every
 * run (about 2.5 s a page here, against 0.3 s). The service's pages have no iframes.
 */
export async function expectNoA11yViolations(page: Page, options: A11yOptions = {}): Promise<void> {
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axe());
  const rules = Object.fromEntries((options.disableRules ?? []).map((id) => [id, { enabled: false }]));
  // The function runs in the page (no DOM types here): the page's axe and document.
  const result: AxeResults = await page.evaluate(
    ([tags, rules]) => {
      const { axe, document } = globalThis as any;
      return axe.run(document, { runOnly: { type: 'tag', values: tags }, rules, resultTypes: ['violations'] });
    },
    [WCAG_TAGS, rules] as const,
  );
  const violations = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' — ' + n.failureSummary?.split('\n').join(' ')).join('\n    ')}`,
  );
  if (violations.length) throw new Error(`Accessibility violations on ${page.url()}:\n  ${violations.join('\n  ')}`);
}

/**
 * Documents already checked in this test file, by their markup with session-specific values (the
 * CSRF token, ids) masked: axe gives the same answer for the same markup and styles, so a page
 * shown again unchanged (the task list after each section, the same list for a second person) is
 * checked once. A page that differs in anything else (an error summary, a status tag, a row) is
 * checked again.
 */
const checkedDocuments = new Set<string>();

async function documentKey(page: Page, options: A11yOptions): Promise<string> {
  const html = await page.evaluate<string>('document.documentElement.outerHTML');
  const masked = html
    .replace(/(name="_csrf"[^>]*value=")[^"]*"/g, '$1"')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>');
  const viewport = page.viewportSize();
  return createHash('sha256')
    .update(JSON.stringify([viewport?.width, viewport?.height, options.disableRules ?? []]))
    .update(masked)
    .digest('hex');
}

/**
 * A page that checks accessibility on every page it lands on (after each navigation the test asks
 * for with `visit` or `submit`) and keeps the list of URLs it checked.
 */
export class CheckedPage {
  readonly visited: string[] = [];

  constructor(
    readonly page: Page,
    private readonly options: A11yOptions = {},
  ) {}

  static async open(browser: Browser | BrowserContext, options: A11yOptions & { javaScript?: boolean } = {}): Promise<CheckedPage> {
    const context = 'newContext' in browser ? await browser.newContext({ javaScriptEnabled: options.javaScript ?? true }) : browser;
    const page = await context.newPage();
    const checked = new CheckedPage(page, options);
    checked.javaScript = options.javaScript ?? true;
    return checked;
  }

  /** axe runs in the page, so it needs JavaScript: a no-JavaScript context records the page unchecked. */
  javaScript = true;

  async check(): Promise<void> {
    if (this.javaScript) {
      const key = await documentKey(this.page, this.options);
      if (!checkedDocuments.has(key)) {
        await expectNoA11yViolations(this.page, this.options);
        checkedDocuments.add(key);
      }
    }
    this.visited.push(new URL(this.page.url()).pathname);
  }

  async visit(url: string): Promise<void> {
    await this.page.goto(url);
    await this.check();
  }

  /**
   * Clicks `target`, waits for the new document it leads to (even at the same URL, as when a form
   * is shown again with errors) to load, and checks it.
   */
  async follow(target: Locator): Promise<void> {
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (frame) => frame === this.page.mainFrame() });
    await Promise.all([navigated, target.click()]);
    await this.page.waitForLoadState('load');
    await this.check();
  }

  /** Clicks a button or link by its accessible name (the first on the page) and checks the page it leads to. */
  async click(name: string | RegExp): Promise<void> {
    await this.follow(this.page.getByRole('button', { name }).or(this.page.getByRole('link', { name })).first());
  }

  /** Presses a button in the main content by its exact name (never a same-named header link). */
  async press(name: string): Promise<void> {
    await this.follow(this.page.locator('main').getByRole('button', { name, exact: true }));
  }

  /** Saves a screenshot under test-results/ for a person to look at. */
  async screenshot(name: string): Promise<void> {
    mkdirSync('test-results', { recursive: true });
    await this.page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
  }
}

/** A checked page in a fresh browser context already signed in as `user` (their session cookie set; the sign-in page not visited). */
export async function pageSignedInAs(browser: Browser, t: TestApp, user: { id: string }): Promise<CheckedPage> {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'scf.sid', value: (await sessionCookieFor(t, user)).split('=')[1], url: t.url }]);
  return CheckedPage.open(context);
}

/** A checked page in a fresh browser context that signs `user` in through the sign-in page, as a person does. */
export async function signInThroughPage(browser: Browser, t: TestApp, user: { email: string }): Promise<CheckedPage> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await CheckedPage.open(context);
  await page.visit(`${t.url}/sign-in`);
  await page.page.fill('[name="email"]', user.email);
  await page.page.fill('[name="password"]', TEST_PASSWORD);
  await page.press('Sign in');
  return page;
}
