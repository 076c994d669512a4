import { randomBytes } from 'node:crypto';
import { Clock } from '../../src/common/clock.js';
import { RoundsService } from '../../src/funds/rounds.service.js';
import { createDistrict, createUser, tokenFor } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let api: ApiClient;
let officer: string;
let auditor: string;
let applicant: string;
let leeds: { id: string };
let bradford: { id: string };
let inactiveDistrict: { id: string };
let priorityId: string;
let secondPriorityId: string;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const fieldCodes = (body: { errors?: { field: string; code: string }[] }) => (body.errors ?? []).map((e) => `${e.field}:${e.code}`);

const FORM = {
  sections: [
    {
      key: 'project',
      title: 'Your project',
      questions: [
        { key: 'need', type: 'text', label: 'What need will the project meet?', required: true, wordLimit: 300 },
        { key: 'area', type: 'choice', label: 'Where will it run?', required: true, options: ['Urban', 'Rural', 'Both'] },
      ],
    },
  ],
};

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  officer = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
  auditor = await tokenFor(t, await createUser(t.db, { roles: ['auditor'] }));
  applicant = await tokenFor(t, await createUser(t.db));
  leeds = await createDistrict(t.db, 'Leeds', 'E08000035');
  bradford = await createDistrict(t.db, 'Bradford', 'E08000032');
  inactiveDistrict = await createDistrict(t.db, 'Old district', 'E07000001');
  await t.db.query(`UPDATE districts SET active = false WHERE id = $1`, [inactiveDistrict.id]);
  const [outcome] = await t.db.query(`INSERT INTO outcomes (code, name) VALUES ('safeguard', 'Safeguard vulnerable people') RETURNING id`);
  [{ id: priorityId }] = await t.db.query(`INSERT INTO priorities (code, name, outcome_id) VALUES ('hts', 'Human Trafficking and Modern Slavery', $1) RETURNING id`, [outcome.id]);
  [{ id: secondPriorityId }] = await t.db.query(`INSERT INTO priorities (code, name, outcome_id) VALUES ('asb', 'Anti-social Behaviour', $1) RETURNING id`, [outcome.id]);
});
afterAll(async () => {
  await t?.close();
});

async function createFund(prefix = 'F' + randomBytes(3).toString('hex').toUpperCase()) {
  const res = await api.post(
    '/api/v1/funds',
    { name: 'Safer Communities Fund', funderName: 'Police and Crime Commissioner for West Yorkshire', fundingSource: 'Proceeds of Crime Act', referencePrefix: prefix },
    { token: officer },
  );
  expect(res.status).toBe(201);
  return res.body;
}

async function createRound(fundId: string, overrides: Record<string, unknown> = {}) {
  const res = await api.post(
    `/api/v1/funds/${fundId}/rounds`,
    {
      code: 'R17',
      title: 'Round 17',
      description: 'Small grants for safer communities',
      criteria: 'Voluntary and community groups in West Yorkshire',
      exclusions: 'General appeals; projects longer than 12 months',
      opensAt: iso(Date.now() - HOUR),
      closesAt: iso(Date.now() + 30 * 24 * HOUR),
      totalBudgetPence: 50_000_000,
      ...overrides,
    },
    { token: officer },
  );
  expect(res.status).toBe(201);
  return res.body;
}

const potBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Main pot',
  minGrantPence: 100_000,
  maxGrantPence: 600_000,
  budgetPence: 20_000_000,
  districtIds: [leeds.id, bradford.id],
  priorityIds: [priorityId],
  ...overrides,
});

/** A round with a pot and a form, ready to open. */
async function readyRound(overrides: Record<string, unknown> = {}) {
  const fund = await createFund();
  const round = await createRound(fund.id, overrides);
  const pot = await api.post(`/api/v1/rounds/${round.id}/pots`, potBody(), { token: officer });
  expect(pot.status).toBe(201);
  expect((await api.put(`/api/v1/rounds/${round.id}/form`, FORM, { token: officer })).status).toBe(200);
  return { fund, round, pot: pot.body };
}

describe('funds', () => {
  it('a grants officer sets up a fund; the prefix is unique', async () => {
    const fund = await createFund('SCF');
    expect(fund).toMatchObject({ name: 'Safer Communities Fund', fundingSource: 'Proceeds of Crime Act', referencePrefix: 'SCF' });
    const dup = await api.post('/api/v1/funds', { name: 'x', funderName: 'y', fundingSource: 'z', referencePrefix: 'SCF' }, { token: officer });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('FUND.PREFIX_TAKEN');
    const bad = await api.post('/api/v1/funds', { name: '', funderName: 'y', fundingSource: 'z', referencePrefix: 'scf-1' }, { token: officer });
    expect(bad.status).toBe(422);
    expect(fieldCodes(bad.body)).toEqual(expect.arrayContaining(['name:FIELD.REQUIRED', 'referencePrefix:FIELD.INVALID_FORMAT']));
    const patched = await api.patch(`/api/v1/funds/${fund.id}`, { description: 'Grants from money recovered from criminals' }, { token: officer });
    expect(patched.status).toBe(200);
    expect(patched.body.description).toBe('Grants from money recovered from criminals');
    expect((await api.get('/api/v1/funds', { token: auditor })).body.items.map((f: { id: string }) => f.id)).toContain(fund.id);
  });

  it('answers 404 for an unknown fund', async () => {
    expect((await api.get('/api/v1/funds/00000000-0000-4000-8000-000000000000', { token: officer })).body.code).toBe('FUND.NOT_FOUND');
    expect((await api.post('/api/v1/funds/nope/rounds', { code: 'R1' }, { token: officer })).status).toBe(422);
  });
});

describe('rounds', () => {
  let fundId: string;
  beforeAll(async () => {
    fundId = (await createFund()).id;
  });

  it('creates a draft round; dates without an offset are London time', async () => {
    const round = await createRound(fundId, { code: 'R1', opensAt: '2037-07-01T09:00', closesAt: '2037-12-01T17:00' });
    expect(round).toMatchObject({ status: 'draft', code: 'R1', totalBudgetPence: 50_000_000, acceptingApplications: false, currentForm: null });
    expect(round.opensAt).toBe('2037-07-01T08:00:00.000Z'); // BST
    expect(round.closesAt).toBe('2037-12-01T17:00:00.000Z'); // GMT
    const jobs = await t.db.query(`SELECT job_name, job_key, available_at FROM outbox WHERE payload->>'roundId' = $1 ORDER BY job_name`, [round.id]);
    expect(jobs.map((j: { job_name: string; job_key: string }) => [j.job_name, j.job_key])).toEqual([
      ['round.close', `round-close-${round.id}-${Date.parse('2037-12-01T17:00:00Z')}`],
      ['round.open', `round-open-${round.id}-${Date.parse('2037-07-01T08:00:00Z')}`],
    ]);
    const audit = await t.db.query(`SELECT action FROM audit_events WHERE entity_id = $1`, [round.id]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['round.created']);
  });

  it('refuses a duplicate round code in the same fund with 409, but not in another fund', async () => {
    await createRound(fundId, { code: 'R2' });
    const dup = await api.post(`/api/v1/funds/${fundId}/rounds`, { code: 'R2', title: 'x', opensAt: iso(Date.now()), closesAt: iso(Date.now() + HOUR), totalBudgetPence: 1 }, { token: officer });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'ROUND.CODE_TAKEN', errors: [{ field: 'code' }] });
    const other = await createFund();
    await createRound(other.id, { code: 'R2' });
  });

  it('refuses a closing date before the opening date, impossible dates and past closing dates', async () => {
    const post = (body: Record<string, unknown>) =>
      api.post(`/api/v1/funds/${fundId}/rounds`, { code: 'R9', title: 'x', totalBudgetPence: 1, opensAt: '2037-03-01T09:00', closesAt: '2037-04-01T09:00', ...body }, { token: officer });
    expect(fieldCodes((await post({ closesAt: '2037-02-01T09:00' })).body)).toEqual(['closesAt:ROUND.CLOSES_BEFORE_OPENS']);
    expect(fieldCodes((await post({ opensAt: '2037-02-30T09:00', closesAt: 'next week' })).body)).toEqual(['opensAt:ROUND.INVALID_DATE', 'closesAt:ROUND.INVALID_DATE']);
    expect(fieldCodes((await post({ opensAt: '2020-01-01T09:00', closesAt: '2020-02-01T09:00' })).body)).toEqual(['closesAt:ROUND.CLOSES_IN_PAST']);
    expect(fieldCodes((await post({ opensAt: 20370301 })).body)).toContain('opensAt:FIELD.NOT_A_STRING');
  });

  it('takes money only as whole, non-negative pence', async () => {
    for (const [value, code] of [
      [1000.5, 'FIELD.NOT_AN_INTEGER'],
      ['1000', 'FIELD.NOT_AN_INTEGER'],
      [-1, 'FIELD.TOO_SMALL'],
      [1e20, 'FIELD.TOO_LARGE'],
      [null, 'FIELD.NOT_AN_INTEGER'],
    ] as const) {
      const res = await api.post(`/api/v1/funds/${fundId}/rounds`, { code: 'R8', title: 'x', opensAt: '2037-03-01T09:00', closesAt: '2037-04-01T09:00', totalBudgetPence: value }, { token: officer });
      expect(res.status).toBe(422);
      expect(fieldCodes(res.body)).toContain(`totalBudgetPence:${code}`);
    }
    expect(Number((await t.db.query(`SELECT count(*) AS n FROM rounds WHERE code = 'R8'`))[0].n)).toBe(0);
  });

  it('changes anything while a draft, with optimistic locking on the version', async () => {
    const round = await createRound(fundId, { code: 'R3' });
    const res = await api.patch(`/api/v1/rounds/${round.id}`, { title: 'Round three', totalBudgetPence: 60_000_000, version: round.version }, { token: officer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Round three', totalBudgetPence: 60_000_000, version: round.version + 1 });
    const stale = await api.patch(`/api/v1/rounds/${round.id}`, { title: 'Stale', version: round.version }, { token: officer });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'ROUND.VERSION_CONFLICT', currentVersion: round.version + 1 });
    const later = await api.patch(`/api/v1/rounds/${round.id}`, { closesAt: iso(Date.now() + 60 * 24 * HOUR) }, { token: officer });
    expect(later.status).toBe(200);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'round.close' AND payload->>'roundId' = $1`, [round.id]);
    expect(n).toBe(2);
  });
});

describe('pots', () => {
  let roundId: string;
  beforeAll(async () => {
    const fund = await createFund();
    roundId = (await createRound(fund.id, { totalBudgetPence: 30_000_000 })).id;
  });

  it('adds a pot with districts, priorities, wards and postcode districts', async () => {
    const res = await api.post(`/api/v1/rounds/${roundId}/pots`, potBody({ wards: ['Burmantofts and Richmond Hill'], postcodeDistricts: ['ls9', ' BD3 ', 'LS9'] }), { token: officer });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Main pot',
      minGrantPence: 100_000,
      maxGrantPence: 600_000,
      budgetPence: 20_000_000,
      wards: ['Burmantofts and Richmond Hill'],
      postcodeDistricts: ['LS9', 'BD3'],
      priorities: [{ id: priorityId, name: 'Human Trafficking and Modern Slavery' }],
    });
    expect(res.body.districts.map((d: { name: string }) => d.name).sort()).toEqual(['Bradford', 'Leeds']);
    const pots = await api.get(`/api/v1/rounds/${roundId}/pots`, { token: officer });
    expect(pots.body.items).toHaveLength(1);
    expect(Number((await t.db.query(`SELECT count(*) AS n FROM audit_events WHERE entity_type = 'pot' AND entity_id = $1`, [res.body.id]))[0].n)).toBe(1);
  });

  it('refuses min over max, max over budget and budgets over the round total', async () => {
    const minOverMax = await api.post(`/api/v1/rounds/${roundId}/pots`, potBody({ name: 'B', minGrantPence: 700_000, maxGrantPence: 600_000, budgetPence: 1_000_000 }), { token: officer });
    expect(minOverMax.status).toBe(422);
    expect(fieldCodes(minOverMax.body)).toEqual(['minGrantPence:POT.MIN_OVER_MAX']);
    const maxOverBudget = await api.post(`/api/v1/rounds/${roundId}/pots`, potBody({ name: 'B', maxGrantPence: 2_000_000, budgetPence: 1_000_000 }), { token: officer });
    expect(fieldCodes(maxOverBudget.body)).toEqual(['maxGrantPence:POT.MAX_OVER_BUDGET']);
    // 20m already in the first pot; the round has 30m.
    const over = await api.post(`/api/v1/rounds/${roundId}/pots`, potBody({ name: 'B', budgetPence: 10_000_001 }), { token: officer });
    expect(fieldCodes(over.body)).toEqual(['budgetPence:POT.BUDGETS_OVER_ROUND_TOTAL']);
    const fits = await api.post(`/api/v1/rounds/${roundId}/pots`, potBody({ name: 'Large grants', minGrantPence: 1_500_000, maxGrantPence: 2_000_000, budgetPence: 10_000_000 }), { token: officer });
    expect(fits.status).toBe(201);
    const shrink = await api.patch(`/api/v1/rounds/${roundId}`, { totalBudgetPence: 29_999_999 }, { token: officer });
    expect(fieldCodes(shrink.body)).toEqual(['totalBudgetPence:ROUND.TOTAL_BELOW_POTS']);
    await api.delete(`/api/v1/pots/${fits.body.id}`, { token: officer });
  });

  it('refuses unknown or inactive districts and priorities, bad postcode districts, duplicate names and wrong types', async () => {
    const res = await api.post(
      `/api/v1/rounds/${roundId}/pots`,
      potBody({ name: 'main POT', budgetPence: 1_000_000, districtIds: [leeds.id, inactiveDistrict.id], priorityIds: ['00000000-0000-4000-8000-000000000000'], postcodeDistricts: ['LS9', 'LS 9 9ZZ'] }),
      { token: officer },
    );
    expect(res.status).toBe(422);
    // In the pot form's order: name, ..., districts, wards, postcode districts, priorities.
    expect(fieldCodes(res.body)).toEqual(['name:POT.NAME_TAKEN', 'districtIds:POT.UNKNOWN_DISTRICT', 'postcodeDistricts:POT.POSTCODE_DISTRICT_INVALID', 'priorityIds:POT.UNKNOWN_PRIORITY']);
    const types = await api.post(`/api/v1/rounds/${roundId}/pots`, potBody({ name: 'C', minGrantPence: '100', budgetPence: 12.5, districtIds: [], priorityIds: 'x' }), { token: officer });
    expect(types.status).toBe(422);
    expect(fieldCodes(types.body)).toEqual(
      expect.arrayContaining(['minGrantPence:FIELD.NOT_AN_INTEGER', 'budgetPence:FIELD.NOT_AN_INTEGER', 'districtIds:FIELD.TOO_FEW', 'priorityIds:FIELD.NOT_AN_ARRAY']),
    );
    expect((await api.get(`/api/v1/rounds/${roundId}/pots`, { token: officer })).body.items).toHaveLength(1);
  });

  it('changes and removes pots while the round is a draft; unknown pots are 404', async () => {
    const [pot] = (await api.get(`/api/v1/rounds/${roundId}/pots`, { token: officer })).body.items;
    const res = await api.patch(`/api/v1/pots/${pot.id}`, { maxGrantPence: 800_000, priorityIds: [priorityId, secondPriorityId] }, { token: officer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ maxGrantPence: 800_000, minGrantPence: 100_000 });
    expect(res.body.priorityIds.sort()).toEqual([priorityId, secondPriorityId].sort());
    const bad = await api.patch(`/api/v1/pots/${pot.id}`, { minGrantPence: 900_000 }, { token: officer });
    expect(fieldCodes(bad.body)).toEqual(['minGrantPence:POT.MIN_OVER_MAX']);
    expect((await api.patch('/api/v1/pots/00000000-0000-4000-8000-000000000000', { name: 'x' }, { token: officer })).body.code).toBe('POT.NOT_FOUND');
    expect((await api.delete('/api/v1/pots/not-a-uuid', { token: officer })).status).toBe(404);
    const extra = await api.post(`/api/v1/rounds/${roundId}/pots`, potBody({ name: 'Spare', budgetPence: 1_000_000 }), { token: officer });
    expect((await api.delete(`/api/v1/pots/${extra.body.id}`, { token: officer })).status).toBe(204);
    expect((await api.get(`/api/v1/pots/${extra.body.id}`, { token: officer })).status).toBe(404);
  });
});

describe('every error at once, in form order (issue 13, item 14)', () => {
  let fundId: string;
  let roundId: string;
  beforeAll(async () => {
    fundId = (await createFund()).id;
    roundId = (await createRound(fundId, { code: 'E1', totalBudgetPence: 30_000_000 })).id;
    expect((await api.post(`/api/v1/rounds/${roundId}/pots`, potBody({ budgetPence: 20_000_000 }), { token: officer })).status).toBe(201);
  });

  it('reports type errors and date rules of a new round together', async () => {
    const res = await api.post(
      `/api/v1/funds/${fundId}/rounds`,
      { code: 'bad code', title: '', opensAt: 'junk', closesAt: '2020-01-01T09:00', totalBudgetPence: -1 },
      { token: officer },
    );
    expect(res.status).toBe(422);
    expect(fieldCodes(res.body)).toEqual(['code:FIELD.INVALID_FORMAT', 'title:FIELD.REQUIRED', 'opensAt:ROUND.INVALID_DATE', 'closesAt:ROUND.CLOSES_IN_PAST', 'totalBudgetPence:FIELD.TOO_SMALL']);
    const order = await api.post(`/api/v1/funds/${fundId}/rounds`, { totalBudgetPence: 'x', closesAt: '2037-01-01T09:00', opensAt: '2037-02-01T09:00', title: 'T', code: 'E2' }, { token: officer });
    expect(fieldCodes(order.body)).toEqual(['closesAt:ROUND.CLOSES_BEFORE_OPENS', 'totalBudgetPence:FIELD.NOT_AN_INTEGER', 'totalBudgetPence:FIELD.TOO_SMALL', 'totalBudgetPence:FIELD.TOO_LARGE']);
  });

  it('reports type errors and the rules that need the database of a round change together', async () => {
    const res = await api.patch(`/api/v1/rounds/${roundId}`, { totalBudgetPence: 1, closesAt: 'whenever', title: '', extra: true }, { token: officer });
    expect(res.status).toBe(422);
    expect(fieldCodes(res.body)).toEqual(['title:FIELD.REQUIRED', 'closesAt:ROUND.INVALID_DATE', 'totalBudgetPence:ROUND.TOTAL_BELOW_POTS', 'extra:FIELD.UNKNOWN_FIELD']);
    expect((await api.get(`/api/v1/rounds/${roundId}`, { token: officer })).body.totalBudgetPence).toBe(30_000_000);
  });

  it('reports type errors and business rules of a pot together, in the pot form order', async () => {
    const res = await api.post(
      `/api/v1/rounds/${roundId}/pots`,
      { name: '', minGrantPence: 700_000, maxGrantPence: 600_000, budgetPence: 'lots', districtIds: ['00000000-0000-4000-8000-000000000000'], priorityIds: [], postcodeDistricts: ['nowhere'] },
      { token: officer },
    );
    expect(res.status).toBe(422);
    expect(fieldCodes(res.body)).toEqual([
      'name:FIELD.REQUIRED',
      'minGrantPence:POT.MIN_OVER_MAX',
      'budgetPence:FIELD.NOT_AN_INTEGER',
      'budgetPence:FIELD.TOO_SMALL',
      'budgetPence:FIELD.TOO_LARGE',
      'districtIds:POT.UNKNOWN_DISTRICT',
      'postcodeDistricts:POT.POSTCODE_DISTRICT_INVALID',
      'priorityIds:FIELD.TOO_FEW',
    ]);
    const [pot] = (await api.get(`/api/v1/rounds/${roundId}/pots`, { token: officer })).body.items;
    const patch = await api.patch(`/api/v1/pots/${pot.id}`, { name: null, maxGrantPence: 25_000_000, budgetPence: 40_000_000 }, { token: officer });
    expect(fieldCodes(patch.body)).toEqual(['name:FIELD.REQUIRED', 'budgetPence:POT.BUDGETS_OVER_ROUND_TOTAL']);
  });

  it('still documents the bodies it checks itself', async () => {
    const doc = (await api.get('/api/docs-json')).body;
    const bodyRef = (path: string, method: string) => doc.paths[path][method].requestBody?.content?.['application/json']?.schema?.$ref;
    expect(bodyRef('/api/v1/funds/{id}/rounds', 'post')).toBe('#/components/schemas/CreateRoundDto');
    expect(bodyRef('/api/v1/rounds/{id}', 'patch')).toBe('#/components/schemas/UpdateRoundDto');
    expect(bodyRef('/api/v1/rounds/{id}/pots', 'post')).toBe('#/components/schemas/CreatePotDto');
    expect(bodyRef('/api/v1/pots/{id}', 'patch')).toBe('#/components/schemas/UpdatePotDto');
  });
});

describe('eligibility questions and the form', () => {
  let roundId: string;
  beforeAll(async () => {
    roundId = (await createRound((await createFund()).id)).id;
  });

  it('replaces the eligibility questions in order', async () => {
    const questions = [
      { question: 'Is your group based in West Yorkshire?', passingAnswer: true, failureMessage: 'The fund only supports groups in West Yorkshire.' },
      { question: 'Is this a general appeal?', hint: 'Money for running costs', passingAnswer: false, failureMessage: 'The fund does not support general appeals.' },
    ];
    const res = await api.put(`/api/v1/rounds/${roundId}/eligibility-questions`, { questions }, { token: officer });
    expect(res.status).toBe(200);
    expect(res.body.items.map((q: { question: string; position: number }) => [q.position, q.question])).toEqual([
      [0, 'Is your group based in West Yorkshire?'],
      [1, 'Is this a general appeal?'],
    ]);
    const again = await api.put(`/api/v1/rounds/${roundId}/eligibility-questions`, { questions: questions.slice(1) }, { token: officer });
    expect(again.body.total).toBe(1);
    const bad = await api.put(`/api/v1/rounds/${roundId}/eligibility-questions`, { questions: [{ question: '', passingAnswer: 'yes', failureMessage: 'x', extra: 1 }] }, { token: officer });
    expect(bad.status).toBe(422);
    expect(fieldCodes(bad.body)).toEqual(expect.arrayContaining(['questions.0.question:FIELD.REQUIRED', 'questions.0.passingAnswer:FIELD.NOT_A_BOOLEAN', 'questions.0.extra:FIELD.UNKNOWN_FIELD']));
    expect((await api.get(`/api/v1/rounds/${roundId}/eligibility-questions`, { token: officer })).body.total).toBe(1);
  });

  it('saves the form as data and refuses a malformed one with field paths', async () => {
    const res = await api.put(`/api/v1/rounds/${roundId}/form`, FORM, { token: officer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: 1, frozenAt: null, definition: FORM });
    const edited = await api.put(`/api/v1/rounds/${roundId}/form`, { sections: [{ ...FORM.sections[0], title: 'About the project' }] }, { token: officer });
    expect(edited.body).toMatchObject({ id: res.body.id, version: 1 });
    const bad = await api.put(
      `/api/v1/rounds/${roundId}/form`,
      { sections: [{ key: 'Project', title: 'x', questions: [{ key: 'a', type: 'choice', label: 'A' }, { key: 'a', type: 'essay', label: 'B' }] }] },
      { token: officer },
    );
    expect(bad.status).toBe(422);
    expect(fieldCodes(bad.body)).toEqual(['sections.0.key:FORM.KEY_INVALID', 'sections.0.questions.0.options:FORM.OPTIONS_REQUIRED', 'sections.0.questions.1.key:FORM.KEY_DUPLICATE', 'sections.0.questions.1.type:FORM.TYPE_UNKNOWN']);
    expect(fieldCodes((await api.put(`/api/v1/rounds/${roundId}/form`, { sections: 'none' }, { token: officer })).body)).toEqual(['sections:FORM.NO_SECTIONS']);
    expect((await api.get(`/api/v1/rounds/${roundId}/form`, { token: officer })).body.definition.sections[0].title).toBe('About the project');
  });
});

describe('lifecycle', () => {
  it('will not open a round without a pot and a form', async () => {
    const round = await createRound((await createFund()).id);
    const res = await api.post(`/api/v1/rounds/${round.id}/open`, undefined, { token: officer });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('ROUND.NOT_READY');
    expect(fieldCodes(res.body)).toEqual(['pots:ROUND.NO_POTS', 'form:ROUND.NO_FORM']);
    expect((await api.get(`/api/v1/rounds/${round.id}`, { token: officer })).body.status).toBe('draft');
  });

  it('opens by hand, freezes the form, and locks set-up; illegal moves are 409 with a code', async () => {
    const { round, pot } = await readyRound();
    const opened = await api.post(`/api/v1/rounds/${round.id}/open`, { reason: 'Launch event' }, { token: officer });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ status: 'open', acceptingApplications: true });
    expect(opened.body.currentForm.frozenAt).not.toBeNull();
    const [audit] = await t.db.query(`SELECT before, after, reason, actor_label FROM audit_events WHERE entity_id = $1 AND action = 'round.opened'`, [round.id]);
    expect(audit).toMatchObject({ before: { status: 'draft' }, after: { status: 'open' }, reason: 'Launch event' });

    const again = await api.post(`/api/v1/rounds/${round.id}/open`, {}, { token: officer });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ROUND.ILLEGAL_TRANSITION', from: 'open', to: 'open' });
    expect((await api.post(`/api/v1/rounds/${round.id}/transitions`, { to: 'draft' }, { token: officer })).body.code).toBe('ROUND.ILLEGAL_TRANSITION');
    expect((await api.patch(`/api/v1/pots/${pot.id}`, { name: 'Renamed' }, { token: officer })).body.code).toBe('ROUND.NOT_EDITABLE');
    expect((await api.post(`/api/v1/rounds/${round.id}/pots`, potBody({ name: 'Late', budgetPence: 1_000_000 }), { token: officer })).body.code).toBe('ROUND.NOT_EDITABLE');
    expect((await api.put(`/api/v1/rounds/${round.id}/eligibility-questions`, { questions: [] }, { token: officer })).body.code).toBe('ROUND.NOT_EDITABLE');
    const locked = await api.patch(`/api/v1/rounds/${round.id}`, { totalBudgetPence: 1, code: 'R99' }, { token: officer });
    expect(locked.status).toBe(409);
    expect(fieldCodes(locked.body)).toEqual(['code:ROUND.FIELD_LOCKED', 'totalBudgetPence:ROUND.FIELD_LOCKED']);

    // Texts and a later closing date can still change; an earlier one cannot.
    const closesAt = Date.parse(opened.body.closesAt);
    const extended = await api.patch(`/api/v1/rounds/${round.id}`, { description: 'Extended by a week', closesAt: iso(closesAt + 7 * 24 * HOUR) }, { token: officer });
    expect(extended.status).toBe(200);
    const shortened = await api.patch(`/api/v1/rounds/${round.id}`, { closesAt: iso(closesAt) }, { token: officer });
    expect(fieldCodes(shortened.body)).toEqual(['closesAt:ROUND.CLOSING_DATE_NOT_EXTENDED']);

    const closed = await api.post(`/api/v1/rounds/${round.id}/close`, undefined, { token: officer });
    expect(closed.body).toMatchObject({ status: 'closed', acceptingApplications: false });
    expect(Date.parse(closed.body.closesAt)).toBeLessThanOrEqual(Date.now());
    expect((await api.post(`/api/v1/rounds/${round.id}/open`, {}, { token: officer })).body.code).toBe('ROUND.ILLEGAL_TRANSITION');
    expect((await api.post(`/api/v1/rounds/${round.id}/transitions`, { to: 'archived' }, { token: officer })).body.code).toBe('ROUND.ILLEGAL_TRANSITION');
    for (const to of ['assessing', 'decided', 'archived']) {
      const res = await api.post(`/api/v1/rounds/${round.id}/transitions`, { to, reason: 'Next step' }, { token: officer });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(to);
    }
    expect((await api.patch(`/api/v1/rounds/${round.id}`, { title: 'Too late' }, { token: officer })).body.code).toBe('ROUND.FIELD_LOCKED');
    const history = await api.get(`/api/v1/rounds/${round.id}/history`, { token: auditor });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['round.created', 'round.opened', 'round.updated', 'round.closed', 'round.assessment_started', 'round.decided', 'round.archived']),
    );
    expect((await api.post(`/api/v1/rounds/${round.id}/transitions`, { to: 'finished' }, { token: officer })).body.errors[0]).toMatchObject({ field: 'to', code: 'FIELD.NOT_ALLOWED_VALUE' });
  });

  it('versions the form once the round is open; version 1 stays as it was', async () => {
    const { round } = await readyRound();
    await api.post(`/api/v1/rounds/${round.id}/open`, {}, { token: officer });
    const v1 = (await api.get(`/api/v1/rounds/${round.id}/form`)).body;
    expect(v1.version).toBe(1);
    const changed = { sections: [...FORM.sections, { key: 'budget', title: 'Budget', questions: [{ key: 'match', type: 'money', label: 'Other funding', required: false }] }] };
    const v2 = await api.put(`/api/v1/rounds/${round.id}/form`, changed, { token: officer });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, definition: changed });
    expect(v2.body.frozenAt).not.toBeNull();
    expect(v2.body.id).not.toBe(v1.id);
    const v3 = await api.put(`/api/v1/rounds/${round.id}/form`, FORM, { token: officer });
    expect(v3.body.version).toBe(3);

    const current = await api.get(`/api/v1/rounds/${round.id}/form`);
    expect(current.body.version).toBe(3);
    const first = await api.get(`/api/v1/rounds/${round.id}/forms/1`, { token: officer });
    expect(first.body).toMatchObject({ id: v1.id, version: 1, definition: FORM, current: false });
    expect((await api.get(`/api/v1/rounds/${round.id}/forms`, { token: auditor })).body.items.map((f: { version: number }) => f.version)).toEqual([3, 2, 1]);
    expect((await api.get(`/api/v1/rounds/${round.id}/forms/9`, { token: officer })).status).toBe(404);
    // RoundsService (what applications use) agrees.
    expect((await t.app.get(RoundsService).getCurrentForm(round.id))!.version).toBe(3);
  });

  it('schedules a ready round only while its opening date is ahead; a scheduled round can go back to draft', async () => {
    const past = await readyRound();
    const refused = await api.post(`/api/v1/rounds/${past.round.id}/transitions`, { to: 'scheduled' }, { token: officer });
    expect(refused.status).toBe(409);
    expect(fieldCodes(refused.body)).toEqual(['opensAt:ROUND.OPENS_IN_PAST']);

    const { round } = await readyRound({ opensAt: iso(Date.now() + 24 * HOUR) });
    const scheduled = await api.post(`/api/v1/rounds/${round.id}/transitions`, { to: 'scheduled' }, { token: officer });
    expect(scheduled.body.status).toBe('scheduled');
    expect((await api.patch(`/api/v1/rounds/${round.id}`, { totalBudgetPence: 1 }, { token: officer })).body.code).toBe('ROUND.FIELD_LOCKED');
    expect((await api.put(`/api/v1/rounds/${round.id}/form`, FORM, { token: officer })).body.code).toBe('ROUND.NOT_EDITABLE');
    const back = await api.post(`/api/v1/rounds/${round.id}/transitions`, { to: 'draft', reason: 'Change the budget' }, { token: officer });
    expect(back.body.status).toBe('draft');
  });
});

describe('reference numbers', () => {
  it('issues FUND-ROUND-0001 upwards, unique under concurrent submissions', async () => {
    const fund = await createFund('RFX');
    const round = await createRound(fund.id, { code: 'R17' });
    const rounds = t.app.get(RoundsService);
    const refs = await Promise.all(Array.from({ length: 12 }, () => t.db.transaction((m) => rounds.nextReference(m, round.id))));
    expect(new Set(refs).size).toBe(12);
    expect(refs.sort()[0]).toBe('RFX-R17-0001');
    expect(refs.sort()[11]).toBe('RFX-R17-0012');
    // A rolled-back submission gives its number back.
    await expect(
      t.db.transaction(async (m) => {
        await rounds.nextReference(m, round.id);
        throw new Error('submission failed');
      }),
    ).rejects.toThrow('submission failed');
    expect(await t.db.transaction((m) => rounds.nextReference(m, round.id))).toBe('RFX-R17-0013');
    // Once references exist, the fund's prefix is fixed.
    expect((await api.patch(`/api/v1/funds/${fund.id}`, { referencePrefix: 'NEW' }, { token: officer })).body.code).toBe('FUND.PREFIX_IN_USE');
  });

  it('knows when a round accepts applications', async () => {
    const rounds = t.app.get(RoundsService);
    const closesAt = new Date('2030-01-01T12:00:00Z');
    expect(rounds.isAcceptingApplications({ status: 'open', closesAt }, new Date('2030-01-01T11:59:59Z'))).toBe(true);
    expect(rounds.isAcceptingApplications({ status: 'open', closesAt }, new Date('2030-01-01T12:00:00Z'))).toBe(false);
    expect(rounds.isAcceptingApplications({ status: 'scheduled', closesAt }, new Date('2029-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('the one clock', () => {
  it('decides what lists show and what a typed date means, and a test can move it', async () => {
    const { round } = await readyRound({ closesAt: iso(Date.now() + 2 * HOUR) });
    expect((await api.post(`/api/v1/rounds/${round.id}/open`, {}, { token: officer })).status).toBe(200);
    const clock = t.app.get(Clock);
    const realNow = clock.now.bind(clock);
    try {
      clock.now = () => new Date(realNow().getTime() + 3 * HOUR);
      // Still open (the close job has not run), but past its closing time by the clock: not taking bids.
      expect((await api.get(`/api/v1/rounds/${round.id}`)).body).toMatchObject({ status: 'open', acceptingApplications: false });
      const soon = await api.patch(`/api/v1/rounds/${round.id}`, { closesAt: iso(realNow().getTime() + 2.5 * HOUR) }, { token: officer });
      expect(fieldCodes(soon.body)).toEqual(['closesAt:ROUND.CLOSES_IN_PAST']);
    } finally {
      clock.now = realNow;
    }
    expect((await api.get(`/api/v1/rounds/${round.id}`)).body.acceptingApplications).toBe(true);
  });
});

describe('who may see and change rounds', () => {
  let draft: { id: string };
  let open: { id: string; fundId: string };
  let openPot: { id: string };
  beforeAll(async () => {
    const a = await readyRound();
    draft = a.round;
    const b = await readyRound();
    await api.post(`/api/v1/rounds/${b.round.id}/open`, {}, { token: officer });
    open = b.round;
    openPot = b.pot;
  });

  it('lists only open and upcoming rounds publicly, never drafts', async () => {
    const upcoming = await readyRound({ opensAt: iso(Date.now() + 48 * HOUR) });
    await api.post(`/api/v1/rounds/${upcoming.round.id}/transitions`, { to: 'scheduled' }, { token: officer });
    const list = await api.get('/api/v1/rounds');
    expect(list.status).toBe(200);
    const ids = list.body.items.map((r: { id: string }) => r.id);
    expect(ids).toContain(open.id);
    expect(ids).toContain(upcoming.round.id);
    expect(ids).not.toContain(draft.id);
    expect(list.body.items.every((r: { status: string }) => ['open', 'scheduled'].includes(r.status))).toBe(true);
    expect(list.body.items.find((r: { id: string }) => r.id === open.id).pots[0]).toMatchObject({ minGrantPence: 100_000, maxGrantPence: 600_000 });
    const onlyOpen = await api.get('/api/v1/rounds?status=open');
    expect(onlyOpen.body.items.map((r: { status: string }) => r.status)).toEqual(onlyOpen.body.items.map(() => 'open'));
    expect((await api.get('/api/v1/rounds?status=draft')).body.total).toBe(0);
    expect((await api.get('/api/v1/rounds?status=draft', { token: applicant })).body.total).toBe(0);
    expect((await api.get('/api/v1/rounds?status=draft', { token: auditor })).body.items.map((r: { id: string }) => r.id)).toContain(draft.id);
    expect((await api.get('/api/v1/rounds?status=nonsense')).status).toBe(422);
  });

  it('hides a draft round, its pots, form and questions from the public (404) but not from staff', async () => {
    for (const path of [`/api/v1/rounds/${draft.id}`, `/api/v1/rounds/${draft.id}/pots`, `/api/v1/rounds/${draft.id}/form`, `/api/v1/rounds/${draft.id}/eligibility-questions`]) {
      expect((await api.get(path)).status).toBe(404);
      expect((await api.get(path, { token: applicant })).status).toBe(404);
      expect((await api.get(path, { token: auditor })).status).toBe(200);
    }
    expect((await api.get(`/api/v1/rounds/${open.id}`)).status).toBe(200);
    expect((await api.get(`/api/v1/pots/${openPot.id}`)).status).toBe(200);
  });

  it('refuses anonymous callers (401) and applicants (403) on every change', async () => {
    const changes: [string, string, unknown][] = [
      ['POST', '/api/v1/funds', {}],
      ['PATCH', `/api/v1/funds/${open.fundId}`, { name: 'x' }],
      ['POST', `/api/v1/funds/${open.fundId}/rounds`, {}],
      ['PATCH', `/api/v1/rounds/${draft.id}`, { title: 'x' }],
      ['POST', `/api/v1/rounds/${draft.id}/pots`, potBody()],
      ['PUT', `/api/v1/rounds/${draft.id}/form`, FORM],
      ['PUT', `/api/v1/rounds/${draft.id}/eligibility-questions`, { questions: [] }],
      ['POST', `/api/v1/rounds/${draft.id}/open`, {}],
      ['POST', `/api/v1/rounds/${open.id}/close`, {}],
      ['POST', `/api/v1/rounds/${open.id}/transitions`, { to: 'closed' }],
      ['PATCH', `/api/v1/pots/${openPot.id}`, { name: 'x' }],
      ['DELETE', `/api/v1/pots/${openPot.id}`, undefined],
    ];
    for (const [method, path, body] of changes) {
      expect((await api.request(method, path, { body })).status).toBe(401);
      const res = await api.request(method, path, { body, token: applicant });
      expect([method, path, res.status, res.body.code]).toEqual([method, path, 403, 'ACCESS.FORBIDDEN']);
      const audited = await api.request(method, path, { body, token: auditor });
      expect([method, path, audited.status]).toEqual([method, path, 403]);
    }
    expect((await api.get(`/api/v1/rounds/${open.id}`)).body.status).toBe('open');
    expect((await api.get(`/api/v1/rounds/${draft.id}`, { token: officer })).body.status).toBe('draft');
  });

  it('lets the auditor read staff lists, and refuses them to applicants', async () => {
    expect((await api.get('/api/v1/funds', { token: auditor })).status).toBe(200);
    expect((await api.get(`/api/v1/funds/${open.fundId}/rounds`, { token: auditor })).body.total).toBe(1);
    expect((await api.get('/api/v1/funds', { token: applicant })).status).toBe(403);
    expect((await api.get(`/api/v1/rounds/${open.id}/history`, { token: applicant })).status).toBe(403);
    expect((await api.get(`/api/v1/rounds/${open.id}/forms`)).status).toBe(401);
  });

  it('refuses malformed JSON and oversized fields without a 500', async () => {
    const malformed = await api.request('PATCH', `/api/v1/rounds/${draft.id}`, { token: officer, raw: '{"title": "x"' });
    expect(malformed.status).toBe(400);
    const long = await api.patch(`/api/v1/rounds/${draft.id}`, { title: 'x'.repeat(201), criteria: 'y'.repeat(10001) }, { token: officer });
    expect(fieldCodes(long.body)).toEqual(['title:FIELD.TOO_LONG', 'criteria:FIELD.TOO_LONG']);
    expect((await api.patch('/api/v1/rounds/00000000-0000-4000-8000-000000000000', { title: 'x' }, { token: officer })).status).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('documents the funds, rounds, pots, form and reference-data routes with their DTOs', async () => {
    const doc = (await api.get('/api/docs-json')).body;
    for (const path of ['/api/v1/funds', '/api/v1/funds/{id}/rounds', '/api/v1/rounds', '/api/v1/rounds/{id}', '/api/v1/rounds/{id}/pots', '/api/v1/pots/{id}', '/api/v1/rounds/{id}/form', '/api/v1/rounds/{id}/eligibility-questions', '/api/v1/rounds/{id}/open', '/api/v1/rounds/{id}/close', '/api/v1/priorities', '/api/v1/districts']) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.components.schemas.CreatePotDto.properties.minGrantPence).toMatchObject({ type: 'integer', minimum: 0 });
    expect(doc.components.schemas.CreatePotDto.required).toEqual(expect.arrayContaining(['name', 'minGrantPence', 'maxGrantPence', 'budgetPence', 'districtIds', 'priorityIds']));
    expect(doc.components.schemas.PutFormDto.properties.sections).toBeDefined();
    expect(doc.components.schemas.FormQuestionDoc.properties.type.enum).toEqual(['text', 'number', 'money', 'date', 'choice', 'yes_no', 'file']);
  });
});
