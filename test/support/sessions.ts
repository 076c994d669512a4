/**
 * Browser sessions for page tests, without going through the sign-in page: a row in `sessions`
 * exactly as @fastify/session and PgSessionStore write it, and the signed `scf.sid` cookie
 * (the session id, ".", and its HMAC-SHA256 under SESSION_SECRET, as @fastify/cookie's Signer
 * makes it).
 *
 *   const cookie = await signInAs(t, user);             // "scf.sid=..." for a Cookie header
 *   const csrf = await csrfTokenFor(t, cookie);          // the _csrf of a page for that session
 *   const browser = await browserAs(t, user);            // both, with get() and post(form)
 *   const res = await browser.post('/organisations/new', { name: 'Holme Valley Youth Project' });
 */
import { createHmac, randomBytes } from 'node:crypto';
import { csrfTokenIn, FormClient, type FormFields, type PageResponse } from './form-client.js';
import type { TestApp } from './test-app.js';

/** The one CSRF reader (form-client.ts), under the name older tests import. */
export { csrfTokenIn as csrfIn } from './form-client.js';

export const SESSION_COOKIE = 'scf.sid';

export interface SignInOptions {
  /** When they signed in (ms since the epoch); default now. Older than SESSION_ABSOLUTE_HOURS is signed out. */
  signedInAt?: number;
  /** Anything else to keep in the session (e.g. returnTo, journeys). */
  data?: Record<string, unknown>;
}

/** Creates a signed-in session for `user` and returns the Cookie header value ("scf.sid=..."). */
export async function signInAs(t: TestApp, user: { id: string }, options: SignInOptions = {}): Promise<string> {
  const sid = randomBytes(24).toString('base64url');
  const maxAge = t.config.sessionIdleSeconds * 1000;
  const expires = new Date(Date.now() + maxAge);
  const data = {
    cookie: { originalMaxAge: maxAge, expires: expires.toISOString(), secure: false, httpOnly: true, path: '/', sameSite: 'lax', domain: null },
    ...options.data,
    userId: user.id,
    signedInAt: options.signedInAt ?? Date.now(),
  };
  await t.db.query(`INSERT INTO sessions (sid, user_id, data, expires_at) VALUES ($1, $2, $3, $4)`, [sid, user.id, JSON.stringify(data), expires]);
  return cookieFor(t, sid);
}

/** The Cookie header value for a session id, signed as the app signs it. */
export function cookieFor(t: TestApp, sid: string): string {
  // As @fastify/cookie's Signer: value + '.' + base64(HMAC-SHA256(secret, value)) without '=' padding.
  const signed = `${sid}.${createHmac('sha256', t.config.sessionSecret).update(sid).digest('base64').replace(/=/g, '')}`;
  return `${SESSION_COOKIE}=${encodeURIComponent(signed)}`;
}

/**
 * A CSRF token for a session: GETs a page with the cookie (every page of a signed-in person has
 * one, in the sign-out form) and reads its `_csrf` input.
 */
export async function csrfTokenFor(t: TestApp, cookie: string, path = '/organisations'): Promise<string> {
  const page = await new FormClient(t.url, { cookie }).get(path);
  if (page.status >= 300) throw new Error(`GET ${path} for a CSRF token answered ${page.status}`);
  return csrfTokenIn(page.html);
}

export interface Browser {
  cookie: string;
  csrf: string;
  get(path: string): Promise<PageResponse>;
  /** POSTs a urlencoded form with this session's _csrf (unless the form sets its own). */
  post(path: string, form?: FormFields): Promise<PageResponse>;
}

/**
 * A browser for one session cookie (from signInAs), on the one form client: it always sends that
 * cookie (ignoring Set-Cookie) and adds the session's CSRF token to every form.
 */
export function browserWith(t: TestApp, cookie: string, csrf: string): Browser {
  const client = new FormClient(t.url, { cookie });
  return {
    cookie,
    csrf,
    get: (path) => client.get(path),
    post: (path, form = {}) => client.post(path, { _csrf: csrf, ...form }),
  };
}

/** Signs `user` in and returns a browser for them, with the session's CSRF token. */
export async function browserAs(t: TestApp, user: { id: string }, options: SignInOptions & { csrfPath?: string } = {}): Promise<Browser> {
  const cookie = await signInAs(t, user, options);
  return browserWith(t, cookie, await csrfTokenFor(t, cookie, options.csrfPath));
}
