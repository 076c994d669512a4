import argon2 from 'argon2';
import { loadConfig } from '../../src/config/config.js';
import { createDataSource } from '../../src/database/data-source.js';
import { dropDatabase } from '../../src/database/ensure-database.js';
import { DEMO_USERS } from '../../src/demo/demo-data.js';
import { seedDemoIfEmpty } from '../../src/demo/seed.js';
import { DEMO_FORM } from '../../src/demo/demo-funding.js';
import { parseFormDefinition } from '../../src/funds/form-definition.js';
import { createMigratedDatabase } from '../support/test-app.js';

let url: string;
const config = (env: Record<string, string> = {}) => loadConfig({ DATABASE_URL: url, SESSION_SECRET: 'x'.repeat(40), ...env });

beforeAll(async () => {
  url = await createMigratedDatabase('demo');
});
afterAll(async () => {
  await dropDatabase(url);
});

describe('demo data', () => {
  it('has a form that passes the real form rules', () => {
    expect(() => parseFormDefinition(DEMO_FORM)).not.toThrow();
  });

  it('is not loaded in production', async () => {
    expect(await seedDemoIfEmpty(config({ NODE_ENV: 'production' }))).toBe(false);
  });

  it('loads one user per role, the five districts and organisations into an empty database, once', async () => {
    expect(await seedDemoIfEmpty(config())).toBe(true);
    expect(await seedDemoIfEmpty(config())).toBe(false);
    const ds = createDataSource(url);
    await ds.initialize();
    try {
      const users: { email: string; roles: string[]; password_hash: string }[] = await ds.query(`SELECT email, roles, password_hash FROM users ORDER BY email`);
      expect(users.map((u) => u.email).sort()).toEqual(DEMO_USERS.map((u) => u.email).sort());
      const roles = new Set(users.flatMap((u) => u.roles));
      for (const role of ['grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor']) expect(roles).toContain(role);
      expect(await argon2.verify(users[0].password_hash, 'safer-communities-demo')).toBe(true);
      const districts = await ds.query(`SELECT gss_code FROM districts ORDER BY gss_code`);
      expect(districts.map((d: { gss_code: string }) => d.gss_code)).toEqual(['E08000032', 'E08000033', 'E08000034', 'E08000035', 'E08000036']);
      const orgs: { org_id: string; owner: string | null }[] = await ds.query(
        `SELECT o.org_id, (SELECT u.email FROM organisation_members m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = o.id AND m.role = 'owner') AS owner FROM organisations o ORDER BY o.name`,
      );
      expect(orgs.length).toBeGreaterThanOrEqual(4);
      expect(orgs.map((o) => o.org_id)).toEqual(expect.arrayContaining(['GB-CHC-1180001', 'GB-COH-09876543']));
      expect(orgs.some((o) => o.org_id.startsWith('360G-scf-'))).toBe(true);
      const owners = orgs.map((o) => o.owner);
      expect(owners).toContain('applicant@demo.test');
      expect(owners).toContain('applicant2@demo.test');

      // The fund, rounds from 2014/15 to 2017/18, one open round, priorities and bids in several states.
      const rounds: { code: string; status: string; opens_at: Date; closes_at: Date }[] = await ds.query(`SELECT code, status, opens_at, closes_at FROM rounds ORDER BY opens_at`);
      expect(rounds.map((r) => r.code)).toEqual(['R8', 'R11', 'R15', 'R17', 'R22']);
      const open = rounds.filter((r) => r.status === 'open');
      expect(open).toHaveLength(1);
      expect(new Date(open[0].opens_at).getTime()).toBeLessThan(Date.now());
      expect(new Date(open[0].closes_at).getTime()).toBeGreaterThan(Date.now() + 7 * 86400000);
      const [{ pending_close }] = await ds.query(`SELECT count(*)::int AS pending_close FROM outbox WHERE job_name = 'round.close' AND dispatched_at IS NULL`);
      expect(pending_close).toBe(1);
      const htms = await ds.query(
        `SELECT a.reference FROM applications a JOIN application_priorities ap ON ap.application_id = a.id JOIN priorities p ON p.id = ap.priority_id
          JOIN rounds r ON r.id = a.round_id WHERE p.code = 'human-trafficking-modern-slavery' AND r.code = 'R15' AND a.status = 'approved'`,
      );
      expect(htms.length).toBeGreaterThanOrEqual(2);
      const states = (await ds.query(`SELECT DISTINCT status FROM applications`)).map((r: { status: string }) => r.status);
      expect(states).toEqual(expect.arrayContaining(['draft', 'submitted', 'screening', 'withdrawn', 'approved', 'rejected']));
      // References are unique and budget lines add up to the amount asked.
      const [{ mismatched }] = await ds.query(
        `SELECT count(*)::int AS mismatched FROM applications a WHERE a.amount_requested_pence <> (SELECT COALESCE(sum(amount_pence), 0) FROM budget_lines b WHERE b.application_id = a.id)`,
      );
      expect(mismatched).toBe(0);
    } finally {
      await ds.destroy();
    }
  });
});
