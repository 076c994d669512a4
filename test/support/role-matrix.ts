import type { StaffRole } from '../../src/auth/roles.js';
import { createUser, tokenFor, type TestUser } from './factories.js';
import { listRoutes } from './routes.js';
import { csrfIn, csrfTokenFor, signInAs } from './sessions.js';
import type { TestApp } from './test-app.js';

/**
 * The machinery the role-by-route matrices share (awards, finance, monitoring, variations and
 * money back): one person per single role, calling a route as that person (API by token, pages by
 * session and CSRF token, never following redirects), the check that a matrix classifies exactly
 * its controllers' routes, and the sweep of one route by every role that compares the answer with
 * the matrix and whether anything changed. Each matrix keeps its own rows, fixtures and snapshot.
 */
export const MATRIX_ROLES = ['owner', 'member', 'stranger', 'grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor', 'anonymous'] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];
export type Row = Record<MatrixRole, number>;
/** In a row: the role's call succeeds (with the route's own success status) and changes things. */
export const OK = 0;
export const row = (...s: number[]): Row => Object.fromEntries(MATRIX_ROLES.map((role, i) => [role, s[i]])) as Row;

export interface MatrixCast {
  users: Partial<Record<MatrixRole, TestUser>>;
  tokens: Partial<Record<MatrixRole, string>>;
  cookies: Partial<Record<MatrixRole, string>>;
  csrfs: Partial<Record<MatrixRole, string>>;
}

/** One user per role (owner, member and stranger hold no staff role), each signed in with a token; anonymous has only a session cookie. */
export async function matrixCast(t: TestApp): Promise<MatrixCast> {
  const cast: MatrixCast = { users: {}, tokens: {}, cookies: {}, csrfs: {} };
  for (const role of MATRIX_ROLES) {
    if (role === 'anonymous') continue;
    const staff = !['owner', 'member', 'stranger'].includes(role);
    const user = await createUser(t.db, { roles: staff ? [role as StaffRole] : [], fullName: `Matrix ${role}` });
    cast.users[role] = user;
    cast.tokens[role] = await tokenFor(t, user);
    cast.cookies[role] = await signInAs(t, user);
    cast.csrfs[role] = await csrfTokenFor(t, cast.cookies[role]!, '/account');
  }
  const signIn = await fetch(`${t.url}/sign-in`);
  cast.cookies.anonymous = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  cast.csrfs.anonymous = csrfIn(await signIn.text());
  return cast;
}

/** Makes the matrix's owner and member the owner and member of an organisation. */
export async function joinOrganisation(t: TestApp, cast: MatrixCast, organisationId: string): Promise<void> {
  await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner'), ($1, $3, 'member')`, [organisationId, cast.users.owner!.id, cast.users.member!.id]);
}

export interface MatrixRequest {
  /** JSON for the API; form fields for a page's post. */
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Sent as multipart/form-data with this file under `file` (and the CSRF token for pages). */
  file?: { blob: Blob; name: string };
}

export interface MatrixAnswer {
  status: number;
  text: string;
}

/** Calls `url` (already filled in) as `role`, without following redirects. */
export async function callAs(t: TestApp, cast: MatrixCast, role: MatrixRole, method: string, url: string, request: MatrixRequest = {}): Promise<MatrixAnswer> {
  const api = url.startsWith('/api/');
  const { body, file } = request;
  const headers: Record<string, string> = { ...request.headers };
  let payload: string | FormData | undefined;
  if (api) {
    headers.accept = 'application/json';
    if (cast.tokens[role]) headers.authorization = `Bearer ${cast.tokens[role]}`;
    if (file) {
      payload = new FormData();
      payload.append('file', file.blob, file.name);
    } else if (body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
  } else {
    const cookie = cast.cookies[role];
    if (cookie) headers.cookie = cookie;
    if (method !== 'GET' && file) {
      payload = new FormData();
      payload.append('_csrf', cast.csrfs[role]!);
      payload.append('file', file.blob, file.name);
    } else if (method !== 'GET') {
      const form = new URLSearchParams({ _csrf: cast.csrfs[role]! });
      for (const [k, v] of Object.entries(body ?? {})) form.set(k, String(v));
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = form.toString();
    }
  }
  const response = await fetch(t.url + url, { method, headers, body: payload, redirect: 'manual' });
  return { status: response.status, text: Buffer.from(await response.arrayBuffer()).toString('latin1') };
}

/** `METHOD /path` of every route the given controllers serve, sorted (what a matrix must classify). */
export function routesOf(t: TestApp, controllers: readonly string[]): string[] {
  return listRoutes(t.app)
    .filter((r) => controllers.includes(r.controller))
    .map((r) => `${r.method} ${r.path}`)
    .sort();
}

export interface SweepOptions<F> {
  row: Row;
  /** The success status where the row says OK. */
  ok?: number;
  /** Whether this role's call is expected to change something (and so runs on a fresh fixture). */
  changes: (role: MatrixRole) => boolean;
  shared: F;
  fresh: () => Promise<F>;
  call: (role: MatrixRole, fixture: F) => Promise<MatrixAnswer>;
  /** Everything a refused request must leave alone. */
  snapshot: () => Promise<string>;
  /** Text a 404 must never show (the hidden thing's reference). */
  hidden?: string;
}

/** Calls one route as every role; returns what did not go as the matrix says (empty when all did). */
export async function sweepRoute<F>(options: SweepOptions<F>): Promise<string[]> {
  const problems: string[] = [];
  for (const role of MATRIX_ROLES) {
    const changes = options.changes(role);
    const fixture = changes ? await options.fresh() : options.shared;
    const before = await options.snapshot();
    const expected = options.row[role] === OK ? options.ok! : options.row[role];
    const answer = await options.call(role, fixture);
    if (answer.status !== expected) problems.push(`${role}: expected ${expected}, got ${answer.status} ${answer.text.slice(0, 160)}`);
    const changed = (await options.snapshot()) !== before;
    if (changed !== changes) problems.push(`${role}: ${changed ? 'changed something' : 'changed nothing, although it should have'}`);
    if (options.hidden && answer.status === 404 && answer.text.includes(options.hidden)) problems.push(`${role}: a refusal shows ${options.hidden}`);
  }
  return problems;
}
