/**
 * A browser without a browser: drives the HTML pages over real HTTP with a cookie jar, the way a
 * person's browser would without JavaScript. Forms are posted urlencoded with the CSRF token
 * scraped from the page that shows the form.
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

/** The value of the first hidden _csrf input on a page. */
export function csrfTokenIn(html: string): string {
  const match = /<input[^>]*name="_csrf"[^>]*value="([^"]*)"/.exec(html) ?? /<input[^>]*value="([^"]*)"[^>]*name="_csrf"/.exec(html);
  if (!match || !match[1]) throw new Error('No _csrf token in the page');
  return decodeEntities(match[1]);
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Text of the page without tags, whitespace collapsed (for "contains this sentence" checks). */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text of the GOV.UK error summary's links, or [] when the page has none. */
export function errorSummaryOf(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html);
  if (!summary) return [];
  return [...summary[0].matchAll(/<a href="[^"]*">([\s\S]*?)<\/a>/g)].map((m) => textOf(m[1]));
}

export class FormClient {
  private readonly jar = new Map<string, Cookie>();

  constructor(readonly baseUrl: string) {}

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
    const cookies = this.cookieHeader();
    if (cookies) headers.cookie = cookies;
    const response = await fetch(this.baseUrl + path, { method, headers, body: init.body, redirect: 'manual' });
    this.store(response.headers);
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
