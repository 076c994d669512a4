import argon2 from 'argon2';
import { loadConfig } from '../../src/config/config.js';
import { createDataSource } from '../../src/database/data-source.js';
import { dropDatabase } from '../../src/database/ensure-database.js';
import { DEMO_USERS } from '../../src/demo/demo-data.js';
import { seedDemoIfEmpty } from '../../src/demo/seed.js';
import { DEMO_FORM } from '../../src/demo/demo-funding.js';
import { parseFormDefinition } from '../../src/forms/form-definition.js';
import { minimalPdf } from '../fixtures/files.js';
import { tokenFor } from '../support/factories.js';
import { apiClient } from '../support/http.js';
import { createMigratedDatabase, startTestApp, type TestApp } from '../support/test-app.js';

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
      // Assessment (demo-assessment.ts): a pool of three, a conflict, bids with one score in, flagged, assessed.
      const assessed: { state: string; submitted: string }[] = await ds.query(
        `SELECT b.state, (SELECT count(*) FROM assessments a WHERE a.application_id = b.application_id AND a.status = 'submitted') AS submitted FROM assessment_bids b ORDER BY b.arrived_at`,
      );
      // The three the demo scores, the six for the panels (assessed), then the two screening passed (assigned, nothing in yet).
      expect(assessed.map((r) => [r.state, Number(r.submitted)])).toEqual([['assessing', 1], ['flagged', 2], ...Array(7).fill(['assessed', 2]), ['assessing', 0], ['assessing', 0]]);
      // Panels (demo-panels.ts): a confirmed meeting and an open one; awards accepted, offered (two), declined, and one provisional.
      const panels = await ds.query(`SELECT title, status FROM panels ORDER BY meeting_at`);
      expect(panels.map((p: { status: string }) => p.status)).toEqual(['confirmed', 'open']);
      const awards = await ds.query(`SELECT status, amount_pence::int AS amount FROM awards ORDER BY status, amount_pence`);
      expect(awards).toEqual([
        { status: 'accepted', amount: 520000 },
        { status: 'declined', amount: 300000 },
        { status: 'offered', amount: 450000 },
        { status: 'offered', amount: 1950000 },
        { status: 'provisional', amount: 480000 },
      ]);
      // Every pot's three views of its money agree: committed, the ledger's net, the awards holding money.
      const money = await ds.query(
        `SELECT p.name, p.committed_pence::int AS committed,
                (SELECT COALESCE(SUM(CASE e.kind WHEN 'commit' THEN e.amount_pence WHEN 'release' THEN -e.amount_pence ELSE 0 END), 0) FROM pot_ledger_entries e WHERE e.pot_id = p.id)::int AS net,
                (SELECT COALESCE(SUM(w.amount_pence), 0) FROM awards w WHERE w.pot_id = p.id AND w.status IN ('provisional', 'offered', 'accepted', 'active', 'monitoring', 'closed'))::int AS awarded
           FROM pots p JOIN rounds r ON r.id = p.round_id WHERE r.code = 'R22' ORDER BY p.position`,
      );
      expect(money).toEqual([
        { name: 'Community grants', committed: 1450000, net: 1450000, awarded: 1450000 },
        { name: 'Tackling exploitation', committed: 1950000, net: 1950000, awarded: 1950000 },
      ]);
      const feedback = await ds.query(`SELECT t.reason FROM application_transitions t WHERE t.to_status = 'rejected' AND t.reason LIKE 'The panel liked the idea%'`);
      expect(feedback).toHaveLength(1);
      expect((await ds.query(`SELECT count(*)::int AS n FROM assessor_pool`))[0].n).toBe(3);
      expect((await ds.query(`SELECT count(*)::int AS n FROM conflicts_of_interest`))[0].n).toBe(1);
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
      expect(states).toEqual(expect.arrayContaining(['draft', 'submitted', 'screening', 'more_info_requested', 'in_assessment', 'assessed', 'at_panel', 'withdrawn', 'approved', 'rejected']));
      // Screened through ScreeningService: a record for each screened bid, the request for more information reopening parts.
      const screened = await ds.query(`SELECT s.outcome, a.status, a.reopened_sections, a.reopened_attachment_kinds FROM screenings s JOIN applications a ON a.id = s.application_id ORDER BY s.outcome`);
      expect(screened.map((r: { outcome: string }) => r.outcome)).toEqual(['more_info', ...Array(11).fill('pass')]);
      expect(screened[0]).toMatchObject({ status: 'more_info_requested', reopened_sections: ['_project'], reopened_attachment_kinds: ['safeguarding_policy'] });
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

describe('the demo, as a person trying it finds it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ workers: false, smtp: false });
    expect(await seedDemoIfEmpty(t.config)).toBe(true);
  }, 60000);
  afterAll(async () => {
    await t?.close();
  });

  it('holds only what the service allows: every bid made by a member of its organisation, every sent bid with its required documents', async () => {
    const strangers = await t.db.query(
      `SELECT a.project_title FROM applications a
        WHERE NOT EXISTS (SELECT 1 FROM organisation_members m WHERE m.organisation_id = a.organisation_id AND m.user_id = a.created_by)`,
    );
    expect(strangers).toEqual([]);
    // Every bid has a row for each section of its form (saving one that has none was a 404).
    const missingSections = await t.db.query(
      `SELECT a.project_title, s.key FROM applications a JOIN round_forms f ON f.id = a.form_id
         CROSS JOIN LATERAL (SELECT jsonb_array_elements(f.definition->'sections')->>'key' AS key UNION SELECT '_project' UNION SELECT '_budget') s
        WHERE NOT EXISTS (SELECT 1 FROM application_sections x WHERE x.application_id = a.id AND x.section_key = s.key)`,
    );
    expect(missingSections).toEqual([]);
    const r22WithoutPolicy = await t.db.query(
      `SELECT a.project_title FROM applications a JOIN rounds r ON r.id = a.round_id
        WHERE r.code = 'R22' AND a.status <> 'draft' AND NOT EXISTS (SELECT 1 FROM attachments x WHERE x.application_id = a.id AND x.kind = 'safeguarding_policy')`,
    );
    expect(r22WithoutPolicy).toEqual([]);
  });

  it('lets every demo draft be completed and submitted through the API by its applicant', async () => {
    const api = apiClient(t.url);
    const drafts: { id: string; created_by: string }[] = await t.db.query(`SELECT id, created_by FROM applications WHERE status = 'draft'`);
    expect(drafts.length).toBeGreaterThanOrEqual(1);
    for (const draft of drafts) {
      const token = await tokenFor(t, { id: draft.created_by });
      let detail = (await api.get(`/api/v1/applications/${draft.id}`, { token })).body;
      const project = await api.patch(`/api/v1/applications/${draft.id}`, { version: detail.version, completed: true }, { token });
      expect(project.status).toBe(200);
      const answers: Record<string, Record<string, unknown>> = {
        need: { problem: 'Residents feel unsafe on the walk home.', evidence: 'Residents or service users told us', people: 80 },
        delivery: { activities: 'Monthly walkabouts with residents and the police.', firstActivity: detail.projectStartDate, otherFundingTotal: 0 },
        safeguarding: { hasPolicy: true, dbsChecks: 'Yes, basic DBS checks' },
      };
      const upload = new FormData();
      upload.append('kind', 'safeguarding_policy');
      upload.append('file', new Blob([new Uint8Array(minimalPdf())], { type: 'application/pdf' }), 'policy.pdf');
      const uploaded = await fetch(`${t.url}/api/v1/applications/${draft.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: upload });
      expect(uploaded.status).toBe(201);
      const lines = (await api.get(`/api/v1/applications/${draft.id}/budget-lines`, { token })).body;
      if (lines.items.length === 0) {
        expect((await api.post(`/api/v1/applications/${draft.id}/budget-lines`, { item: 'Hi-vis jackets and torches', category: 'equipment', amountPence: 425000 }, { token })).status).toBe(201);
      }
      detail = (await api.get(`/api/v1/applications/${draft.id}`, { token })).body;
      for (const section of detail.sections.filter((s: { kind: string; status: string }) => s.kind !== 'project' && s.status !== 'completed')) {
        const saved = await api.put(`/api/v1/applications/${draft.id}/sections/${section.key}`, { answers: answers[section.key] ?? {}, version: section.version, completed: true }, { token });
        expect([section.key, saved.status, saved.body?.code]).toEqual([section.key, 200, undefined]);
      }
      const submitted = await api.post(`/api/v1/applications/${draft.id}/submit`, { declaration: { name: 'Demo Applicant', confirmed: true } }, { token });
      expect([submitted.status, submitted.body?.errors]).toEqual([200, undefined]);
      expect(submitted.body.status).toBe('submitted');
    }
  });
});
