import { readFileSync } from 'node:fs';
import type { StaffRole } from '../../src/auth/roles.js';
import { createUser } from '../support/factories.js';
import { signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ workers: false, smtp: false });
});
afterAll(async () => {
  await t?.close();
});

const ROLE_OF_HEADING: Record<string, StaffRole> = {
  'Grants officers': 'grants_officer',
  'Finance officers': 'finance_officer',
  Assessors: 'assessor',
  'Panel members': 'panel_member',
  Administrators: 'administrator',
  Auditors: 'auditor',
};

/** The README's "Where things are, for staff": each role's line and the top-level pages on it. */
function readmePages(): Map<StaffRole, Set<string>> {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Where things are, for staff'));
  const body = section.slice(0, section.indexOf('\n## ', 5));
  const byRole = new Map<StaffRole, Set<string>>();
  for (const item of body.split(/\n- /).slice(1)) {
    const heading = /^\*\*([^*]+)\*\*/.exec(item)?.[1];
    if (!heading) continue;
    const role = ROLE_OF_HEADING[heading];
    if (!role) throw new Error(`README names a role the test does not know: ${heading}`);
    const paths = [...item.matchAll(/`(\/[a-z/-]+)`/g)].map((m) => m[1]);
    byRole.set(role, new Set(paths));
  }
  return byRole;
}

describe('the README says truly who opens which staff page', () => {
  it('lets each role open every page on its line and refuses it every other one', async () => {
    const byRole = readmePages();
    expect([...byRole.keys()].sort()).toEqual(Object.values(ROLE_OF_HEADING).sort());
    const everyPage = new Set([...byRole.values()].flatMap((s) => [...s]));
    expect(everyPage).toContain('/staff/audit');
    const wrong: string[] = [];
    for (const [role, allowed] of byRole) {
      const cookie = await signInAs(t, await createUser(t.db, { roles: [role] }));
      for (const path of everyPage) {
        const res = await fetch(t.url + path, { headers: { cookie }, redirect: 'manual' });
        const expected = allowed.has(path) ? 200 : 403;
        if (res.status !== expected) wrong.push(`${role} ${path}: ${res.status}, README says ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives the queue dashboard a way back to the service and no font the policy blocks', async () => {
    const cookie = await signInAs(t, await createUser(t.db, { roles: ['administrator'] }));
    const res = await fetch(t.url + '/admin/queues', { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const policy = res.headers.get('content-security-policy') ?? '';
    // Every stylesheet or font the page links must come from this service.
    const external = [...html.matchAll(/<link[^>]+href="(https?:[^"]+)"/g)].map((m) => m[1]);
    expect(external).toEqual([]);
    expect(policy).not.toContain('googleapis');
    const uiConfig = JSON.parse(/<script id="__UI_CONFIG__" type="application\/json">([^<]*)<\/script>/.exec(html)![1]);
    expect(uiConfig.miscLinks).toEqual([expect.objectContaining({ text: 'Back to the service' })]);
  });
});
