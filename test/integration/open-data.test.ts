import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { approvedAward, type TestAward } from '../support/award-factories.js';
import { createUser, tokenFor } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The 360Giving open data (issue 10): the public package validates against the 360Giving 1.4
 * schema with zero errors; identifiers are unique; amounts are the awards' pence as pounds,
 * exactly; a withheld award is absent; a withheld location has no beneficiaryLocation and no
 * postcode; nothing personal is in it; 1,200 more awards stream through the keyset pages; the CSV
 * has 360Giving's column titles; withholding is 422 on bad input and 404 on an unknown award.
 */
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const SCHEMA_DIR = '/work/shared/360giving/schema';
/** The files name the 2020-12 meta-schema by its http:// address; ajv knows it by https://. */
const schemaFile = (name: string) => ({ ...JSON.parse(readFileSync(`${SCHEMA_DIR}/${name}`, 'utf8')), $schema: 'https://json-schema.org/draft/2020-12/schema' });

let t: TestApp;
let api: ApiClient;
let officer: string;
let round: TestRound;
let shown: TestAward;
let hidden: TestAward;
let unlocated: TestAward;
let provisional: TestAward;

const PREFIX = '360G-pcc-test';

beforeAll(async () => {
  t = await startTestApp({ env: { OPEN_DATA_PREFIX: PREFIX, OPEN_DATA_ORG_ID: 'GB-GOR-PC000123', OPEN_DATA_ORG_NAME: 'Test Police and Crime Commissioner' } });
  api = apiClient(t.url);
  officer = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
  round = await createOpenRound(t.db);
  shown = await approvedAward(t, api, { round, amountPence: 250050 });
  hidden = await approvedAward(t, api, { round, amountPence: 300000 });
  unlocated = await approvedAward(t, api, { round, amountPence: 199999 });
  provisional = await approvedAward(t, api, { round, amountPence: 100000, offered: false });
  expect((await api.put(`/api/v1/awards/${hidden.awardId}/publication`, { withhold: 'award', reason: 'A refuge' }, { token: officer })).status).toBe(200);
  expect((await api.put(`/api/v1/awards/${unlocated.awardId}/publication`, { withhold: 'location', reason: 'Where it is must stay private' }, { token: officer })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const packageOf = async () => {
  const res = await fetch(`${t.url}/api/v1/open-data/360giving.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const text = await res.text();
  return { text, pkg: JSON.parse(text) as { license: string; publisher: { name: string }; grants: Record<string, any>[] } };
};

/** The package's errors against the 360Giving package schema (the grant schema resolved by its $id). */
function schemaErrors(pkg: unknown): unknown[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(schemaFile('360-giving-schema.json'));
  const validate = ajv.compile(schemaFile('360-giving-package-schema.json'));
  return validate(pkg) ? [] : (validate.errors ?? ['invalid']);
}

const grantOf = (grants: Record<string, any>[], a: TestAward) => grants.find((g) => g.id === `${PREFIX}-${a.reference}`);

it('is public and validates against the 360Giving 1.4 package schema with zero errors', async () => {
  const { pkg } = await packageOf();
  expect(schemaErrors(pkg)).toEqual([]);
  expect(pkg.license).toMatch(/^https:\/\//);
  expect(pkg.publisher).toEqual({ identifier: 'GB-GOR-PC000123', name: 'Test Police and Crime Commissioner' });
});

it('publishes awards made, not provisional or withheld ones, with unique identifiers and exact amounts', async () => {
  const { pkg, text } = await packageOf();
  const ids = pkg.grants.map((g) => g.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect(grantOf(pkg.grants, hidden)).toBeUndefined();
  expect(grantOf(pkg.grants, provisional)).toBeUndefined();
  const g = grantOf(pkg.grants, shown)!;
  expect(g.amountAwarded).toBe(2500.5);
  expect(text).toContain(`"id":"${PREFIX}-${shown.reference}"`);
  expect(text).toMatch(new RegExp(`"id":"${PREFIX}-${shown.reference}"[^\\n]*"amountAwarded":2500\\.50[},]`));
  expect(grantOf(pkg.grants, unlocated)!.amountAwarded).toBe(1999.99);
  const [org] = await t.db.query(`SELECT org_id, name, postcode FROM organisations WHERE id = $1`, [shown.organisationId]);
  expect(g.recipientOrganization[0]).toMatchObject({ id: org.org_id, name: org.name, postalCode: org.postcode });
  expect(g.fundingOrganization).toEqual([{ id: 'GB-GOR-PC000123', name: 'Test Police and Crime Commissioner' }]);
  expect(g.grantProgramme[0].code).toBe(round.roundCode);
  expect(g.currency).toBe('GBP');
  const districts = await t.db.query(`SELECT d.name, d.gss_code FROM application_districts ad JOIN districts d ON d.id = ad.district_id WHERE ad.application_id = $1 ORDER BY d.name`, [shown.applicationId]);
  expect(g.beneficiaryLocation).toEqual(districts.map((d: { name: string; gss_code: string }) => ({ name: d.name, geoCode: d.gss_code, geoCodeType: 'LAD' })));
  expect(g.beneficiaryLocation.length).toBeGreaterThan(0);
  const priorities = await t.db.query(`SELECT p.code FROM application_priorities ap JOIN priorities p ON p.id = ap.priority_id WHERE ap.application_id = $1`, [shown.applicationId]);
  expect(g.classifications.map((c: { code: string }) => c.code).sort()).toEqual(priorities.map((p: { code: string }) => p.code).sort());
});

it('leaves out the location and the postcode of an award whose location is withheld', async () => {
  const { pkg } = await packageOf();
  const g = grantOf(pkg.grants, unlocated)!;
  expect(g).toBeDefined();
  expect(g.beneficiaryLocation).toBeUndefined();
  expect(g.recipientOrganization[0].postalCode).toBeUndefined();
});

it('has nothing personal in it', async () => {
  const { text } = await packageOf();
  const csv = await (await fetch(`${t.url}/api/v1/open-data/360giving.csv`)).text();
  const orgs = await t.db.query(`SELECT contact_name, contact_email, contact_phone FROM organisations WHERE id = ANY($1)`, [[shown.organisationId, unlocated.organisationId]]);
  const people = [shown.owner.email, shown.owner.fullName, unlocated.owner.email, ...orgs.flatMap((o: Record<string, string | null>) => [o.contact_name, o.contact_email, o.contact_phone])].filter((v): v is string => !!v && v.length > 3);
  expect(people.length).toBeGreaterThan(2);
  for (const p of people) {
    expect(text.toLowerCase()).not.toContain(p.toLowerCase());
    expect(csv.toLowerCase()).not.toContain(p.toLowerCase());
  }
  expect(text).not.toMatch(/"(email|telephone|contactName)"/);
});

it('gives the same grants as CSV with 360Giving’s column titles', async () => {
  const res = await fetch(`${t.url}/api/v1/open-data/360giving.csv`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/text\/csv/);
  const lines = (await res.text()).trim().split('\r\n');
  const header = lines[0].split(',');
  expect(header.slice(0, 6)).toEqual(['Identifier', 'Title', 'Description', 'Currency', 'Amount Awarded', 'Award Date']);
  for (const c of ['Recipient Org:Identifier', 'Recipient Org:Name', 'Funding Org:Identifier', 'Funding Org:Name', 'Beneficiary Location:Geographic Code']) expect(header).toContain(c);
  const row = lines.find((l) => l.startsWith(`${PREFIX}-${shown.reference},`))!;
  expect(row).toContain(',GBP,2500.50,');
  expect(lines.some((l) => l.startsWith(`${PREFIX}-${hidden.reference},`))).toBe(false);
});

it('refuses bad withholdings (422) and unknown awards (404), and publishing again brings an award back', async () => {
  expect((await api.put(`/api/v1/awards/${shown.awardId}/publication`, { withhold: 'everything', reason: 'x' }, { token: officer })).status).toBe(422);
  expect((await api.put(`/api/v1/awards/${shown.awardId}/publication`, { withhold: 'award', reason: '' }, { token: officer })).status).toBe(422);
  expect((await api.put(`/api/v1/awards/not-a-uuid/publication`, { withhold: 'award', reason: 'x' }, { token: officer })).status).toBe(404);
  expect((await api.put(`/api/v1/awards/00000000-0000-4000-8000-000000000000/publication`, { withhold: 'award', reason: 'x' }, { token: officer })).status).toBe(404);
  expect((await api.put(`/api/v1/awards/${shown.awardId}/publication`, { withhold: 'award', reason: 'For a moment' }, { token: officer })).status).toBe(200);
  expect(grantOf((await packageOf()).pkg.grants, shown)).toBeUndefined();
  expect((await api.delete(`/api/v1/awards/${shown.awardId}/publication`, { token: officer })).status).toBe(204);
  expect(grantOf((await packageOf()).pkg.grants, shown)).toBeDefined();
  const audits = await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1 AND action LIKE 'open_data.%' ORDER BY id`, [shown.awardId]);
  expect(audits.map((a: { action: string }) => a.action)).toEqual(['open_data.withheld', 'open_data.published']);
});

it('streams 1,200 more awards through its keyset pages', async () => {
  await t.db.query(
    `INSERT INTO awards (reference, decision_id, application_id, round_id, pot_id, organisation_id, amount_pence, status, starts_on, ends_on)
     SELECT a.reference || '-S' || lpad(n::text, 4, '0'), gen_random_uuid(), a.application_id, a.round_id, a.pot_id, a.organisation_id, 1000 + n, 'offered', a.starts_on, a.ends_on
       FROM awards a, generate_series(1, 1200) n WHERE a.id = $1`,
    [shown.awardId],
  );
  const { pkg } = await packageOf();
  const bulk = pkg.grants.filter((g) => g.id.startsWith(`${PREFIX}-${shown.reference}-S`));
  expect(bulk).toHaveLength(1200);
  expect(schemaErrors(pkg)).toEqual([]);
  expect(new Set(pkg.grants.map((g) => g.id)).size).toBe(pkg.grants.length);
  expect(bulk.map((g) => g.amountAwarded).sort((a, b) => a - b)[0]).toBe(10.01);
  const csv = (await (await fetch(`${t.url}/api/v1/open-data/360giving.csv`)).text()).trim().split('\r\n');
  expect(csv.length - 1).toBe(pkg.grants.length);
}, 60_000);
