import { load } from 'cheerio';
/**
 * A browser without a browser: drives the HTML pages over real HTTP with a cookie jar, the way a
 * person's browser would without JavaScript. Forms are posted urlencoded with the CSRF token
 * read from the page that shows the form. Pages are read with an HTML parser (cheerio), never
 * regexes; this is the one HTML form client and CSRF reader for the tests (sessions.ts builds
 * its signed-in browsers on it).
 *
 *   const browser = new FormClient(t.url);
 *   await browser.signIn(user.email, TEST_PASSWORD);
 *   const page = await browser.get('/account');
 *   const res = await browser.submit('/account/tokens', { name: 'CI', expiresInDays: '30' }, { form: '/account/tokens/new' });
 *   expect(res.status).toBe(303);
 *   const next = await browser.follow(res);
 */
export interface PageResponse {
  status: number;
  headers: Headers;
  html: string;
  /** The Location header of a redirect, relative to the site ("/account"). */
  location: string | null;
  url: string;
}

export type FormFields = Record<string, string | string[] | undefined>;

export interface SubmitOptions {
  /** The page showing the form, fetched first for its CSRF token (default: the path posted to, without its query). */
  form?: string;
  /** Send this CSRF token instead of scraping one; false sends none. */
  csrf?: string | false;
  headers?: Record<string, string>;
}

interface Cookie {
  value: string;
  expires: number | null;
}

/** The page parsed as a browser would (cheerio), for reading forms and text without regexes. */
export const parseHtml = (html: string) => load(html);

/** The value of the first _csrf input on a page (the one CSRF scraper for every test). */
export function csrfTokenIn(html: string): string {
  const token = parseHtml(html)('input[name="_csrf"]').first().attr('value');
  if (!token) throw new Error(`No _csrf token in the page:\n${html.slice(0, 500)}`);
  return token;
}

/** Text with HTML entities decoded ("&amp;" to "&"). */
export function decodeEntities(text: string): string {
  return load(`<p>${text}</p>`)('p').text();
}

/** Text of the page without tags or scripts, whitespace collapsed (for "contains this sentence" checks). */
export function textOf(html: string): string {
  const $ = parseHtml(html);
  $('script, style, template').remove();
  // Block boundaries as spaces, as a reader sees them, not run together.
  $('*').each((_, element) => {
    $(element).prepend(' ').append(' ');
  });
  return $.root().text().replace(/\s+/g, ' ').trim();
}

/** The text of the GOV.UK error summary's links, or [] when the page has none. */
export function errorSummaryOf(html: string): string[] {
  const $ = parseHtml(html);
  return $('.govuk-error-summary a')
    .toArray()
    .map((a) => $(a).text().replace(/\s+/g, ' ').trim());
}

export interface FormClientOptions {
  /** Send exactly this Cookie header on every request and ignore Set-Cookie (a client for one given session). */
  cookie?: string;
}

export class FormClient {
  private readonly jar = new Map<string, Cookie>();

  constructor(
    readonly baseUrl: string,
    private readonly options: FormClientOptions = {},
  ) {}

  /** A cookie's current value (e.g. the session id, "scf.sid"). */
  cookie(name: string): string | undefined {
    const cookie = this.jar.get(name);
    if (!cookie) return undefined;
    if (cookie.expires !== null && cookie.expires <= Date.now()) {
      this.jar.delete(name);
      return undefined;
    }
    return cookie.value;
  }

  setCookie(name: string, value: string): void {
    this.jar.set(name, { value, expires: null });
  }

  clearCookies(): void {
    this.jar.clear();
  }

  private cookieHeader(): string {
    return [...this.jar.keys()]
      .map((name) => [name, this.cookie(name)] as const)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  private store(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let expires: number | null = null;
      for (const attribute of attributes) {
        const [key, val] = attribute.split('=');
        if (key.toLowerCase() === 'max-age') expires = Date.now() + Number(val) * 1000;
        else if (key.toLowerCase() === 'expires' && expires === null) expires = Date.parse(val);
      }
      if (!value || (expires !== null && expires <= Date.now())) this.jar.delete(name);
      else this.jar.set(name, { value, expires });
    }
  }

  /** Any request, with the cookies; redirects are not followed. */
  async request(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<PageResponse> {
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    const cookies = this.options.cookie ?? this.cookieHeader();
    if (cookies) headers.cookie = cookies;
    const response = await fetch(this.baseUrl + path, { method, headers, body: init.body, redirect: 'manual' });
    if (this.options.cookie === undefined) this.store(response.headers);
    const location = response.headers.get('location');
    return {
      status: response.status,
      headers: response.headers,
      html: await response.text(),
      location: location ? location.replace(this.baseUrl, '') : null,
      url: path,
    };
  }

  get(path: string): Promise<PageResponse> {
    return this.request('GET', path);
  }

  /** Follows one redirect (GET), as a browser does after a 303. */
  follow(response: PageResponse): Promise<PageResponse> {
    if (!response.location) throw new Error(`Response from ${response.url} (${response.status}) is not a redirect`);
    return this.get(response.location);
  }

  /** POSTs fields urlencoded, exactly as given (no CSRF token unless one is in the fields). */
  post(path: string, fields: FormFields, headers: Record<string, string> = {}): Promise<PageResponse> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.request('POST', path, {
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  /** Fills in and sends a form: GETs the form's page for its CSRF token, then POSTs. */
  async submit(path: string, fields: FormFields, options: SubmitOptions = {}): Promise<PageResponse> {
    let csrf: string | undefined;
    if (options.csrf === undefined) {
      const page = await this.get(options.form ?? path.split('?')[0]);
      if (page.status >= 300) throw new Error(`The form page ${options.form ?? path} answered ${page.status}${page.location ? ` (to ${page.location})` : ''}`);
      csrf = csrfTokenIn(page.html);
    } else if (options.csrf !== false) {
      csrf = options.csrf;
    }
    return this.post(path, { ...fields, ...(csrf ? { _csrf: csrf } : {}) }, options.headers);
  }

  /** Signs in through the sign-in page; throws unless it redirects. */
  async signIn(email: string, password: string): Promise<PageResponse> {
    const response = await this.submit('/sign-in', { email, password });
    if (response.status !== 303) throw new Error(`Sign-in as ${email} answered ${response.status}: ${errorSummaryOf(response.html).join('; ')}`);
    return response;
  }

  async signOut(): Promise<PageResponse> {
    const page = await this.get('/account');
    return this.post('/sign-out', { _csrf: csrfTokenIn(page.html) });
  }
}
