import argon2 from 'argon2';
import type { AppConfig } from '../config/config.js';
import { createDataSource } from '../database/data-source.js';
import { randomUUID } from 'node:crypto';
import { deriveOrgId } from '../organisations/org-identifiers.js';
import { seedDemoFunding } from './demo-funding.js';
import { DEMO_DISTRICTS, DEMO_ORGANISATIONS, DEMO_USERS } from './demo-data.js';

/** Loads the demo data into an empty database (development only; never when NODE_ENV=production). */
export async function seedDemoIfEmpty(config: AppConfig): Promise<boolean> {
  if (config.nodeEnv === 'production') return false;
  const ds = createDataSource(config.databaseUrl);
  await ds.initialize();
  try {
    const [{ count }] = await ds.query(`SELECT count(*)::int AS count FROM users`);
    if (count > 0) return false;
    const hash = await argon2.hash(config.demoPassword, { type: argon2.argon2id });
    await ds.transaction(async (m) => {
      for (const d of DEMO_DISTRICTS) {
        await m.query(`INSERT INTO districts (gss_code, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [d.gssCode, d.name]);
      }
      for (const u of DEMO_USERS) {
        await m.query(
          `INSERT INTO users (email, full_name, password_hash, email_verified_at, roles, password_changed_at) VALUES ($1, $2, $3, now(), $4, now())`,
          [u.email, u.fullName, hash, u.roles],
        );
      }
      for (const o of DEMO_ORGANISATIONS) {
        const id = randomUUID();
        const orgId = deriveOrgId(o, { unregisteredPrefix: config.orgIdPrefix, fallbackId: id });
        await m.query(
          `INSERT INTO organisations (id, name, legal_form, charity_number, company_number, org_id, address_line1, town, postcode, district_id, contact_name, contact_email)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT id FROM districts WHERE gss_code = $10), $11, $12)`,
          [id, o.name, o.legalForm, o.charityNumber, o.companyNumber, orgId, o.addressLine1, o.town, o.postcode, o.districtGss, o.contactName, o.contactEmail],
        );
        for (const [index, email] of o.members.entries()) {
          await m.query(
            `INSERT INTO organisation_members (organisation_id, user_id, role) SELECT $1, id, $3 FROM users WHERE email = $2`,
            [id, email, index === 0 ? 'owner' : 'member'],
          );
        }
      }
      await seedDemoFunding(m);
      await m.query(
        `INSERT INTO audit_events (actor_label, action, entity_type, entity_id, after) VALUES ('system:demo', 'demo.seeded', 'system', 'demo', $1)`,
        [JSON.stringify({ users: DEMO_USERS.length, districts: DEMO_DISTRICTS.length, organisations: DEMO_ORGANISATIONS.length })],
      );
    });
    return true;
  } finally {
    await ds.destroy();
  }
}
