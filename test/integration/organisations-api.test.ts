/**
 * Organisations over the JSON API, through real HTTP against real PostgreSQL: registering (with
 * org-id derivation, validation and duplicate numbers), listing, reading, correcting details, and
 * who may do each (applicants only ever reach their own organisations).
 */
import { createDistrict, createOrganisation, createUser, tokenFor, type TestUser } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;
let leeds: { id: string };
let kirklees: { id: string };
let closedDistrict: { id: string };

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  leeds = await createDistrict(t.db, 'Leeds');
  kirklees = await createDistrict(t.db, 'Kirklees');
  closedDistrict = await createDistrict(t.db, 'Closed district');
  await t.db.query(`UPDATE districts SET active = false WHERE id = $1`, [closedDistrict.id]);
});
afterAll(async () => {
  await t?.close();
});

/** A valid registration for an unregistered community group. */
const body = (overrides: Record<string, unknown> = {}) => ({
  name: 'Holme Valley Youth Project',
  legalForm: 'unincorporated_association',
  addressLine1: '12 Station Road',
  town: 'Holmfirth',
  postcode: 'hd9 3ab',
  districtId: kirklees.id,
  contactName: 'Sam Jones',
  contactEmail: 'Sam@Example.org',
  contactPhone: '01632 960 001',
  ...overrides,
});

/** Unique, valid registration numbers so tests never collide with each other. */
let serial = 100000;
const charityNumber = () => String(1100000 + ++serial);
const companyNumber = () => String(++serial).padStart(8, '0');

async function applicant(): Promise<{ user: TestUser; token: string }> {
  const user = await createUser(t.db);
  return { user, token: await tokenFor(t, user) };
}

async function staff(role: 'grants_officer' | 'auditor' | 'finance_officer'): Promise<{ user: TestUser; token: string }> {
  const user = await createUser(t.db, { roles: [role] });
  return { user, token: await tokenFor(t, user) };
}

const count = async (sql: string, params: unknown[] = []) => Number((await t.db.query(sql, params))[0].count);
const organisationCount = () => count(`SELECT count(*) FROM organisations`);
const auditRows = (organisationId: string, action?: string) =>
  t.db.query(
    `SELECT action, actor_user_id, before, after FROM audit_events WHERE entity_type = 'organisation' AND entity_id = $1 ${action ? 'AND action = $2' : ''} ORDER BY id`,
    action ? [organisationId, action] : [organisationId],
  );

describe('registering an organisation', () => {
  it('registers an unregistered group with a 360G identifier, makes the caller owner and audits it', async () => {
    const { user, token } = await applicant();
    const res = await api.post('/api/v1/organisations', body(), { token });
    expect(res.status).toBe(201);
    const org = res.body;
    expect(org).toMatchObject({
      name: 'Holme Valley Youth Project',
      legalForm: 'unincorporated_association',
      legalFormLabel: 'Unincorporated association or community group',
      charityNumber: null,
      companyNumber: null,
      postcode: 'HD9 3AB',
      contactEmail: 'sam@example.org',
      district: { id: kirklees.id, name: 'Kirklees' },
      myRole: 'owner',
    });
    expect(org.orgId).toBe(`360G-scf-${org.id}`);

    const members = await t.db.query(`SELECT user_id, role FROM organisation_members WHERE organisation_id = $1`, [org.id]);
    expect(members).toEqual([{ user_id: user.id, role: 'owner' }]);

    const audit = await auditRows(org.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'organisation.registered', actor_user_id: user.id, before: null });
    expect(audit[0].after).toMatchObject({ name: 'Holme Valley Youth Project', orgId: org.orgId, postcode: 'HD9 3AB', districtId: kirklees.id });
  });

  it.each([
    ['England and Wales charity (CIO)', { legalForm: 'charitable_incorporated_organisation', charityNumber: '1187654' }, 'GB-CHC-1187654'],
    ['Scottish charity, typed in lower case', { legalForm: 'registered_charity_unincorporated', charityNumber: ' sc 012345 ' }, 'GB-SC-SC012345'],
    ['Northern Ireland charity', { legalForm: 'registered_charity_unincorporated', charityNumber: 'NIC100002' }, 'GB-NIC-100002'],
    ['company with a dropped leading zero', { legalForm: 'company_limited_by_guarantee', companyNumber: '7654321' }, 'GB-COH-07654321'],
    ['Scottish community interest company', { legalForm: 'community_interest_company', companyNumber: 'sc123456' }, 'GB-COH-SC123456'],
    ['charitable company: the charity number wins', { legalForm: 'charitable_company', charityNumber: '1176543', companyNumber: '08765432' }, 'GB-CHC-1176543'],
  ])('derives the org-id of a %s', async (_label, numbers, expected) => {
    const { token } = await applicant();
    const res = await api.post('/api/v1/organisations', body(numbers), { token });
    expect(res.status).toBe(201);
    expect(res.body.orgId).toBe(expected);
    const [row] = await t.db.query(`SELECT org_id, charity_number, company_number FROM organisations WHERE id = $1`, [res.body.id]);
    expect(row.org_id).toBe(expected);
    // Numbers are stored normalised, as the registers write them.
    if (expected.startsWith('GB-COH-')) expect(row.company_number).toBe(expected.slice('GB-COH-'.length));
    if (expected === 'GB-SC-SC012345') expect(row.charity_number).toBe('SC012345');
  });

  describe('refuses invalid details with 422, field errors and codes, and stores nothing', () => {
    it.each([
      ['an invalid charity number', { legalForm: 'charitable_incorporated_organisation', charityNumber: '12345' }, 'charityNumber', 'ORGANISATION.CHARITY_NUMBER_INVALID'],
      ['a subsidiary charity number', { legalForm: 'charitable_incorporated_organisation', charityNumber: '1123456-1' }, 'charityNumber', 'ORGANISATION.CHARITY_NUMBER_SUBSIDIARY'],
      ['a charity without its number', { legalForm: 'charitable_incorporated_organisation' }, 'charityNumber', 'ORGANISATION.CHARITY_NUMBER_REQUIRED'],
      ['an invalid company number', { legalForm: 'company_limited_by_guarantee', companyNumber: 'XX123456' }, 'companyNumber', 'ORGANISATION.COMPANY_NUMBER_INVALID'],
      ['a company without its number', { legalForm: 'community_interest_company', companyNumber: '  ' }, 'companyNumber', 'ORGANISATION.COMPANY_NUMBER_REQUIRED'],
      ['a malformed optional number', { charityNumber: 'GB-CHC-1123456' }, 'charityNumber', 'ORGANISATION.CHARITY_NUMBER_INVALID'],
      ['an invalid postcode', { postcode: 'LS1' }, 'postcode', 'ORGANISATION.POSTCODE_INVALID'],
      ['a postcode with an impossible letter', { postcode: 'QS1 4AB' }, 'postcode', 'ORGANISATION.POSTCODE_INVALID'],
      ['a blank postcode', { postcode: ' ' }, 'postcode', 'ORGANISATION.POSTCODE_REQUIRED'],
      ['a blank name', { name: '   ' }, 'name', 'ORGANISATION.NAME_REQUIRED'],
      ['an unknown district', { districtId: '00000000-0000-4000-8000-000000000000' }, 'districtId', 'ORGANISATION.DISTRICT_INVALID'],
      ['a district that is no longer active', { get districtId() { return closedDistrict.id; } }, 'districtId', 'ORGANISATION.DISTRICT_INVALID'],
      ['an invalid contact email', { contactEmail: 'not-an-email' }, 'contactEmail', 'ORGANISATION.CONTACT_EMAIL_INVALID'],
      ['an invalid phone number', { contactPhone: 'call me' }, 'contactPhone', 'ORGANISATION.CONTACT_PHONE_INVALID'],
    ])('%s', async (_label, overrides, field, code) => {
      const { token } = await applicant();
      const before = await organisationCount();
      const res = await api.post('/api/v1/organisations', body({ ...overrides }), { token });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('VALIDATION.FAILED');
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field, code }));
      expect(await organisationCount()).toBe(before);
    });

    it('reports every problem at once', async () => {
      const { token } = await applicant();
      const res = await api.post(
        '/api/v1/organisations',
        body({ legalForm: 'charitable_company', charityNumber: '0123456', companyNumber: '', postcode: 'nope', contactEmail: 'x@' }),
        { token },
      );
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`)).toEqual([
        'charityNumber:ORGANISATION.CHARITY_NUMBER_INVALID',
        'companyNumber:ORGANISATION.COMPANY_NUMBER_REQUIRED',
        'postcode:ORGANISATION.POSTCODE_INVALID',
        'contactEmail:ORGANISATION.CONTACT_EMAIL_INVALID',
      ]);
    });
  });

  describe('refuses malformed requests with a 4xx and a code, and stores nothing', () => {
    let token: string;
    let before: number;
    beforeAll(async () => {
      ({ token } = await applicant());
    });
    beforeEach(async () => {
      before = await organisationCount();
    });
    afterEach(async () => {
      expect(await organisationCount()).toBe(before);
    });

    it('malformed JSON', async () => {
      const res = await api.request('POST', '/api/v1/organisations', { token, raw: '{"name": "Broken' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('REQUEST.MALFORMED_JSON');
    });

    it('a JSON array instead of an object', async () => {
      const res = await api.request('POST', '/api/v1/organisations', { token, raw: '[1, 2]' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.code).toBeDefined();
    });

    it('wrong types', async () => {
      const res = await api.post('/api/v1/organisations', body({ name: 123, contactPhone: false, districtId: 7 }), { token });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'name', code: 'FIELD.NOT_A_STRING' }),
          expect.objectContaining({ field: 'contactPhone', code: 'FIELD.NOT_A_STRING' }),
          // class-validator 0.15 names the constraint isUuid; common/validation.ts maps isUUID.
          expect.objectContaining({ field: 'districtId', code: expect.stringMatching(/^FIELD\.(INVALID_ID|IS_UUID)$/) }),
        ]),
      );
    });

    it('an over-long name', async () => {
      const res = await api.post('/api/v1/organisations', body({ name: 'x'.repeat(161) }), { token });
      expect(res.status).toBe(422);
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field: 'name', code: 'FIELD.TOO_LONG' }));
    });

    it('unknown fields', async () => {
      const res = await api.post('/api/v1/organisations', body({ orgId: 'GB-CHC-1', role: 'owner' }), { token });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'orgId', code: 'FIELD.UNKNOWN_FIELD' }),
          expect.objectContaining({ field: 'role', code: 'FIELD.UNKNOWN_FIELD' }),
        ]),
      );
    });

    it('a legal form that does not exist, and missing fields', async () => {
      const res = await api.post('/api/v1/organisations', { legalForm: 'trust' }, { token });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'legalForm', code: 'FIELD.NOT_ALLOWED_VALUE' }),
          expect.objectContaining({ field: 'name', code: 'FIELD.REQUIRED' }),
          expect.objectContaining({ field: 'postcode', code: 'FIELD.REQUIRED' }),
        ]),
      );
    });
  });

  describe('one organisation per registered number', () => {
    it('refuses a charity number that is already registered with 409 and tells them to ask for an invitation', async () => {
      const number = charityNumber();
      const first = await applicant();
      expect((await api.post('/api/v1/organisations', body({ legalForm: 'charitable_incorporated_organisation', charityNumber: number }), { token: first.token })).status).toBe(201);
      const second = await applicant();
      const before = await organisationCount();
      const res = await api.post(
        '/api/v1/organisations',
        body({ name: 'Another name', legalForm: 'registered_charity_unincorporated', charityNumber: ` ${number} ` }),
        { token: second.token },
      );
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ORGANISATION.ALREADY_REGISTERED');
      expect(res.body.detail).toMatch(/invite/i);
      expect(await organisationCount()).toBe(before);
      expect(await count(`SELECT count(*) FROM organisation_members WHERE user_id = $1`, [second.user.id])).toBe(0);
    });

    it('refuses a company number already registered, even under another legal form', async () => {
      const number = companyNumber();
      const first = await applicant();
      expect((await api.post('/api/v1/organisations', body({ legalForm: 'community_interest_company', companyNumber: number }), { token: first.token })).status).toBe(201);
      const second = await applicant();
      const res = await api.post(
        '/api/v1/organisations',
        body({ legalForm: 'charitable_company', charityNumber: charityNumber(), companyNumber: number.replace(/^0+/, '') }),
        { token: second.token },
      );
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('ORGANISATION.ALREADY_REGISTERED');
    });

    it('registers the same number only once when requests race', async () => {
      const number = charityNumber();
      const people = await Promise.all([applicant(), applicant(), applicant(), applicant()]);
      const results = await Promise.all(
        people.map((p) => api.post('/api/v1/organisations', body({ legalForm: 'charitable_incorporated_organisation', charityNumber: number }), { token: p.token })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(await count(`SELECT count(*) FROM organisations WHERE charity_number = $1`, [number])).toBe(1);
    });
  });
});

describe('listing organisations', () => {
  let a: { user: TestUser; token: string };
  let b: { user: TestUser; token: string };
  const aNames = ['Aardvark Allotments', 'Bramley Boxing Club', 'Calder Carers'];
  let bOrg: { id: string };

  beforeAll(async () => {
    a = await applicant();
    b = await applicant();
    for (const name of aNames) {
      const res = await api.post('/api/v1/organisations', body({ name, districtId: name.startsWith('C') ? leeds.id : kirklees.id }), { token: a.token });
      expect(res.status).toBe(201);
    }
    bOrg = (await api.post('/api/v1/organisations', body({ name: 'Bramley Other Group' }), { token: b.token })).body;
  });

  it("lists only the caller's organisations, by name, paginated with a total", async () => {
    const res = await api.get('/api/v1/organisations?pageSize=2', { token: a.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(res.body.items.map((o: { name: string }) => o.name)).toEqual(aNames.slice(0, 2));
    const page2 = await api.get('/api/v1/organisations?pageSize=2&page=2', { token: a.token });
    expect(page2.body.items.map((o: { name: string }) => o.name)).toEqual(aNames.slice(2));
    const past = await api.get('/api/v1/organisations?pageSize=2&page=9', { token: a.token });
    expect(past.body).toMatchObject({ items: [], total: 3 });
  });

  it("never shows another organisation's data in an applicant's list, whatever the filter", async () => {
    for (const query of ['', '?name=Bramley', '?name=Other', `?districtId=${kirklees.id}`, '?pageSize=100']) {
      const res = await api.get(`/api/v1/organisations${query}`, { token: a.token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((o: { id: string }) => o.id)).not.toContain(bOrg.id);
      expect(res.text).not.toContain('Bramley Other Group');
    }
  });

  it('filters by part of the name and by district', async () => {
    const byName = await api.get('/api/v1/organisations?name=BOXING', { token: a.token });
    expect(byName.body.items.map((o: { name: string }) => o.name)).toEqual(['Bramley Boxing Club']);
    const byDistrict = await api.get(`/api/v1/organisations?districtId=${leeds.id}`, { token: a.token });
    expect(byDistrict.body.items.map((o: { name: string }) => o.name)).toEqual(['Calder Carers']);
    const wildcard = await api.get('/api/v1/organisations?name=%25', { token: a.token });
    expect(wildcard.body.total).toBe(0);
  });

  it('shows staff every organisation, with no role in them', async () => {
    const officer = await staff('finance_officer');
    const res = await api.get('/api/v1/organisations?name=Bramley&pageSize=100', { token: officer.token });
    expect(res.status).toBe(200);
    const names = res.body.items.map((o: { name: string }) => o.name);
    expect(names).toEqual(expect.arrayContaining(['Bramley Boxing Club', 'Bramley Other Group']));
    expect(res.body.items.every((o: { myRole: unknown }) => o.myRole === null)).toBe(true);
  });

  it.each([
    ['pageSize=0', 'pageSize', 'FIELD.TOO_SMALL'],
    ['pageSize=1000', 'pageSize', 'FIELD.TOO_LARGE'],
    ['page=abc', 'page', 'FIELD.NOT_AN_INTEGER'],
    ['districtId=leeds', 'districtId', expect.stringMatching(/^FIELD\.(INVALID_ID|IS_UUID)$/)],
    ['sort=name', 'sort', 'FIELD.UNKNOWN_FIELD'],
  ])('refuses ?%s with 422', async (query, field, code) => {
    const res = await api.get(`/api/v1/organisations?${query}`, { token: a.token });
    expect(res.status).toBe(422);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field, code }));
  });
});

describe('reading and changing one organisation', () => {
  let owner: { user: TestUser; token: string };
  let org: { id: string; orgId: string };

  beforeAll(async () => {
    owner = await applicant();
    org = (await api.post('/api/v1/organisations', body({ name: 'Ossett Lads and Dads' }), { token: owner.token })).body;
  });

  it('reads it', async () => {
    const res = await api.get(`/api/v1/organisations/${org.id}`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: org.id, name: 'Ossett Lads and Dads', myRole: 'owner' });
  });

  it('lets the owner change details, derives the org-id again and audits before and after', async () => {
    const number = charityNumber();
    const res = await api.patch(
      `/api/v1/organisations/${org.id}`,
      { legalForm: 'charitable_incorporated_organisation', charityNumber: number, contactPhone: null, town: 'Ossett' },
      { token: owner.token },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ charityNumber: number, orgId: `GB-CHC-${number}`, contactPhone: null, town: 'Ossett', name: 'Ossett Lads and Dads' });
    const [audit] = await auditRows(org.id, 'organisation.updated');
    expect(audit.actor_user_id).toBe(owner.user.id);
    expect(audit.before).toEqual({
      legalForm: 'unincorporated_association',
      charityNumber: null,
      orgId: org.orgId,
      town: 'Holmfirth',
      contactPhone: '01632 960 001',
    });
    expect(audit.after).toEqual({
      legalForm: 'charitable_incorporated_organisation',
      charityNumber: number,
      orgId: `GB-CHC-${number}`,
      town: 'Ossett',
      contactPhone: null,
    });
  });

  it('records nothing when nothing changes', async () => {
    const before = (await auditRows(org.id)).length;
    const res = await api.patch(`/api/v1/organisations/${org.id}`, { town: 'Ossett' }, { token: owner.token });
    expect(res.status).toBe(200);
    expect((await auditRows(org.id)).length).toBe(before);
  });

  it('applies the same rules to changes: 422 with codes, nothing changed', async () => {
    const before = (await t.db.query(`SELECT * FROM organisations WHERE id = $1`, [org.id]))[0];
    const cases: [Record<string, unknown>, string, string][] = [
      [{ charityNumber: null }, 'charityNumber', 'ORGANISATION.CHARITY_NUMBER_REQUIRED'],
      [{ legalForm: 'company_limited_by_guarantee' }, 'companyNumber', 'ORGANISATION.COMPANY_NUMBER_REQUIRED'],
      [{ postcode: 'SW1A 1A' }, 'postcode', 'ORGANISATION.POSTCODE_INVALID'],
      [{ name: null }, 'name', 'FIELD.NOT_A_STRING'],
      [{ name: 'y'.repeat(200) }, 'name', 'FIELD.TOO_LONG'],
      [{ id: org.id }, 'id', 'FIELD.UNKNOWN_FIELD'],
      [{ districtId: closedDistrict.id }, 'districtId', 'ORGANISATION.DISTRICT_INVALID'],
    ];
    for (const [patch, field, code] of cases) {
      const res = await api.patch(`/api/v1/organisations/${org.id}`, patch, { token: owner.token });
      expect([res.status, res.body.errors]).toEqual([422, expect.arrayContaining([expect.objectContaining({ field, code })])]);
    }
    const malformed = await api.request('PATCH', `/api/v1/organisations/${org.id}`, { token: owner.token, raw: '{"town":' });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'REQUEST.MALFORMED_JSON']);
    const after = (await t.db.query(`SELECT * FROM organisations WHERE id = $1`, [org.id]))[0];
    expect(after).toEqual(before);
  });

  it('refuses to take a number another organisation has (409)', async () => {
    const other = await applicant();
    const taken = charityNumber();
    expect((await api.post('/api/v1/organisations', body({ legalForm: 'charitable_incorporated_organisation', charityNumber: taken }), { token: other.token })).status).toBe(201);
    const res = await api.patch(`/api/v1/organisations/${org.id}`, { charityNumber: taken }, { token: owner.token });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ORGANISATION.ALREADY_REGISTERED');
  });

  it('lets a grants officer correct details, but not the auditor or a finance officer', async () => {
    const officer = await staff('grants_officer');
    const fixed = await api.patch(`/api/v1/organisations/${org.id}`, { name: 'Ossett Lads & Dads' }, { token: officer.token });
    expect(fixed.status).toBe(200);
    expect(fixed.body.myRole).toBeNull();
    const [audit] = (await auditRows(org.id, 'organisation.updated')).slice(-1);
    expect(audit).toMatchObject({ actor_user_id: officer.user.id, before: { name: 'Ossett Lads and Dads' }, after: { name: 'Ossett Lads & Dads' } });

    for (const role of ['auditor', 'finance_officer'] as const) {
      const reader = await staff(role);
      expect((await api.get(`/api/v1/organisations/${org.id}`, { token: reader.token })).status).toBe(200);
      expect((await api.get(`/api/v1/organisations/${org.id}/members`, { token: reader.token })).status).toBe(200);
      const res = await api.patch(`/api/v1/organisations/${org.id}`, { name: 'Changed by a reader' }, { token: reader.token });
      expect([res.status, res.body.code]).toEqual([403, 'ORGANISATION.OWNER_ONLY']);
      const invite = await api.post(`/api/v1/organisations/${org.id}/invites`, { email: 'someone@example.org' }, { token: reader.token });
      expect([invite.status, invite.body.code]).toEqual([403, 'ORGANISATION.OWNER_ONLY']);
    }
  });
});

describe('access', () => {
  let a: { user: TestUser; token: string };
  let b: { user: TestUser; token: string };
  let bOrg: { id: string };
  let bInviteId: string;

  beforeAll(async () => {
    a = await applicant();
    b = await applicant();
    await api.post('/api/v1/organisations', body({ name: 'A Group' }), { token: a.token });
    bOrg = (await api.post('/api/v1/organisations', body({ name: 'B Group' }), { token: b.token })).body;
    bInviteId = (await api.post(`/api/v1/organisations/${bOrg.id}/invites`, { email: 'b-colleague@example.org' }, { token: b.token })).body.id;
    expect(bInviteId).toBeDefined();
  });

  const bRoutes = (): [string, string, unknown?][] => [
    ['GET', `/api/v1/organisations/${bOrg.id}`],
    ['PATCH', `/api/v1/organisations/${bOrg.id}`, { name: 'Taken over' }],
    ['GET', `/api/v1/organisations/${bOrg.id}/members`],
    ['GET', `/api/v1/organisations/${bOrg.id}/invites`],
    ['POST', `/api/v1/organisations/${bOrg.id}/invites`, { email: 'intruder@example.org' }],
    ['DELETE', `/api/v1/organisations/${bOrg.id}/invites/${bInviteId}`],
    ['DELETE', `/api/v1/organisations/${bOrg.id}/members/${b.user.id}`],
    ['DELETE', `/api/v1/organisations/${bOrg.id}/members/${a.user.id}`],
  ];

  it("gives an applicant of A 404 ORGANISATION.NOT_FOUND on every route of B's organisation, and changes nothing", async () => {
    const snapshot = async () => ({
      org: await t.db.query(`SELECT * FROM organisations WHERE id = $1`, [bOrg.id]),
      members: await t.db.query(`SELECT * FROM organisation_members WHERE organisation_id = $1 ORDER BY user_id`, [bOrg.id]),
      invites: await t.db.query(`SELECT * FROM organisation_invites WHERE organisation_id = $1 ORDER BY id`, [bOrg.id]),
      audit: await count(`SELECT count(*) FROM audit_events WHERE entity_id = $1`, [bOrg.id]),
    });
    const before = await snapshot();
    for (const [method, path, payload] of bRoutes()) {
      const res = await api.request(method, path, { token: a.token, body: payload });
      expect(`${method} ${path} -> ${res.status} ${res.body?.code}`).toBe(`${method} ${path} -> 404 ORGANISATION.NOT_FOUND`);
      expect(res.text).not.toContain('B Group');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers an unknown or malformed organisation id exactly as it answers one that is not yours', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
      const res = await api.get(`/api/v1/organisations/${encodeURIComponent(id)}`, { token: a.token });
      expect([res.status, res.body.code]).toEqual([404, 'ORGANISATION.NOT_FOUND']);
    }
  });

  it('gives anonymous callers 401 on every organisations API route', async () => {
    const routes: [string, string, unknown?][] = [
      ['POST', '/api/v1/organisations', body()],
      ['GET', '/api/v1/organisations'],
      ...bRoutes(),
      ['GET', '/api/v1/invites/some-token'],
      ['POST', '/api/v1/invites/some-token/accept'],
    ];
    for (const [method, path, payload] of routes) {
      const res = await api.request(method, path, { body: payload });
      expect(`${method} ${path} -> ${res.status} ${res.body?.code}`).toBe(`${method} ${path} -> 401 AUTH.REQUIRED`);
    }
    const badToken = await api.get('/api/v1/organisations', { token: 'scf_not-a-real-token' });
    expect([badToken.status, badToken.body.code]).toEqual([401, 'AUTH.INVALID_TOKEN']);
  });

  it('gives a member who is not an owner 403 ORGANISATION.OWNER_ONLY for owner actions, and changes nothing', async () => {
    const owner = await applicant();
    const member = await applicant();
    const other = await applicant();
    const org = await createOrganisation(t.db, owner.user);
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member'), ($1, $3, 'member')`, [org.id, member.user.id, other.user.id]);
    const inviteId = (await api.post(`/api/v1/organisations/${org.id}/invites`, { email: 'pending@example.org' }, { token: owner.token })).body.id;

    expect((await api.get(`/api/v1/organisations/${org.id}`, { token: member.token })).body.myRole).toBe('member');
    const attempts: [string, string, unknown?][] = [
      ['PATCH', `/api/v1/organisations/${org.id}`, { name: 'Renamed by a member' }],
      ['POST', `/api/v1/organisations/${org.id}/invites`, { email: 'friend@example.org' }],
      ['DELETE', `/api/v1/organisations/${org.id}/invites/${inviteId}`],
      ['DELETE', `/api/v1/organisations/${org.id}/members/${other.user.id}`],
      ['DELETE', `/api/v1/organisations/${org.id}/members/${owner.user.id}`],
    ];
    for (const [method, path, payload] of attempts) {
      const res = await api.request(method, path, { token: member.token, body: payload });
      expect(`${method} ${path} -> ${res.status} ${res.body?.code}`).toBe(`${method} ${path} -> 403 ORGANISATION.OWNER_ONLY`);
    }
    expect(await count(`SELECT count(*) FROM organisation_members WHERE organisation_id = $1`, [org.id])).toBe(3);
    expect(await count(`SELECT count(*) FROM organisation_invites WHERE organisation_id = $1 AND revoked_at IS NULL`, [org.id])).toBe(1);
    expect((await t.db.query(`SELECT name FROM organisations WHERE id = $1`, [org.id]))[0].name).toBe(org.name);
  });
});

describe('OpenAPI', () => {
  it('documents the organisations routes and their request bodies', async () => {
    const doc = (await api.get('/api/docs-json')).body;
    for (const path of [
      '/api/v1/organisations',
      '/api/v1/organisations/{id}',
      '/api/v1/organisations/{id}/members',
      '/api/v1/organisations/{id}/members/{userId}',
      '/api/v1/organisations/{id}/invites',
      '/api/v1/organisations/{id}/invites/{inviteId}',
      '/api/v1/invites/{token}/accept',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas.RegisterOrganisationDto.properties)).toEqual(
      expect.arrayContaining(['name', 'legalForm', 'charityNumber', 'companyNumber', 'postcode', 'districtId']),
    );
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/organisations') || p.startsWith('/staff/organisations') || p.startsWith('/invites'))).toBe(false);
  });
});
