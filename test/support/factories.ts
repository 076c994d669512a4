import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiTokenService } from '../../src/auth/api-token.service.js';
import type { StaffRole } from '../../src/auth/roles.js';
import { signInAs } from './sessions.js';
import type { TestApp } from './test-app.js';

export const TEST_PASSWORD = 'correct horse battery staple';
let hashOfTestPassword: Promise<string> | null = null;
const passwordHash = () => (hashOfTestPassword ??= argon2.hash(TEST_PASSWORD, { type: argon2.argon2id }));

export const uniqueEmail = (what = 'person') => `${what}-${randomBytes(4).toString('hex')}@example.test`;

export interface TestUser {
  id: string;
  email: string;
  fullName: string;
  roles: StaffRole[];
}

/** A verified person with TEST_PASSWORD (and staff roles if given), written straight to the database. */
export async function createUser(db: DataSource, options: { email?: string; roles?: StaffRole[]; fullName?: string; verified?: boolean } = {}): Promise<TestUser> {
  const email = (options.email ?? uniqueEmail(options.roles?.[0] ?? 'applicant')).toLowerCase();
  const fullName = options.fullName ?? 'Test Person';
  const roles = options.roles ?? [];
  const [row] = await db.query(
    `INSERT INTO users (email, full_name, password_hash, email_verified_at, roles, password_changed_at)
     VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
    [email, fullName, await passwordHash(), options.verified === false ? null : new Date(), roles],
  );
  return { id: row.id, email, fullName, roles };
}

/** An API bearer token for a person, as POST /api/v1/auth/token would issue. */
export async function tokenFor(testApp: TestApp, user: { id: string }): Promise<string> {
  const tokens = testApp.app.get(ApiTokenService);
  return testApp.db.transaction(async (m) => {
    const { token } = await tokens.issue(m, user.id, 'sign_in', 'test', new Date(Date.now() + 3600_000));
    return token;
  });
}

/** A district row (the demo five are not loaded in tests unless a test asks). */
export async function createDistrict(db: DataSource, name = 'Leeds', gssCode?: string): Promise<{ id: string; gssCode: string; name: string }> {
  const code = gssCode ?? `E08${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const [row] = await db.query(
    `INSERT INTO districts (gss_code, name) VALUES ($1, $2) ON CONFLICT (gss_code) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
    [code, name],
  );
  return { id: row.id, gssCode: code, name };
}

/** An organisation with `owner` as its owner, written straight to the database. */
export async function createOrganisation(
  db: DataSource,
  owner: { id: string },
  overrides: Partial<{ name: string; districtId: string | null; charityNumber: string | null }> = {},
): Promise<{ id: string; name: string; orgId: string }> {
  const name = overrides.name ?? `Test Community Group ${randomBytes(3).toString('hex')}`;
  const orgId = `360G-test-${randomBytes(6).toString('hex')}`;
  const [row] = await db.query(
    `INSERT INTO organisations (name, legal_form, charity_number, org_id, address_line1, town, postcode, district_id, contact_name, contact_email)
     VALUES ($1, 'unincorporated_association', $2, $3, '1 Test Street', 'Leeds', 'LS1 4AB', $4, 'Test Contact', 'contact@example.test') RETURNING id`,
    [name, overrides.charityNumber ?? null, orgId, overrides.districtId ?? null],
  );
  await db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [row.id, owner.id]);
  return { id: row.id, name, orgId };
}

/**
 * A signed-in browser session for a person, written straight to the session store: returns the
 * Cookie header value for page requests (pages use the session cookie, never bearer tokens).
 */
export async function sessionCookieFor(testApp: TestApp, user: { id: string }): Promise<string> {
  return signInAs(testApp, user);
}
