import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';

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

/** Runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page and fails with readable detail on any violation. */
export async function expectNoA11yViolations(page: Page, options: A11yOptions = {}): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .disableRules(options.disableRules ?? [])
    .analyze();
  const violations = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' — ' + n.failureSummary?.split('\n').join(' ')).join('\n    ')}`,
  );
  if (violations.length) throw new Error(`Accessibility violations on ${page.url()}:\n  ${violations.join('\n  ')}`);
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
    if (this.javaScript) await expectNoA11yViolations(this.page, this.options);
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
