import { assessmentRound, bidInAssessment } from '../support/assessment-factories.js';
import { approvedAward } from '../support/award-factories.js';
import { acceptedAward, FAILS_MODULUS, VALID_BANK } from '../support/finance-factories.js';
import { acceptedAward as acceptedAwardWithLines, payAward } from '../support/money-factories.js';
import { acceptedAward as acceptedAwardWithReturns, budgetLinesOf, pay, returnBody, uploadEvidence } from '../support/monitoring-factories.js';
import { assessedBids, panelCast } from '../support/panel-factories.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { randomBytes } from 'node:crypto';
import { minimalPdf } from '../fixtures/files.js';
import { createDistrict, createOrganisation, createUser, tokenFor, uniqueEmail, type TestUser } from '../support/factories.js';
import { COMPLETE_NEED_ANSWERS, createOpenRound, daysFromNow, testFormDefinition, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiResponse, type RequestOptions } from '../support/http.js';
import { listRoutes } from '../support/routes.js';
import { linkIn } from '../support/smtp-sink.js';
import { londonDaysFromNow, submittedBid } from '../support/screening-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The OpenAPI document is what integrators generate clients from, so it must say what the service
 * really answers. This file checks that the document at /api/docs-json is valid OpenAPI, that no
 * field is left as a shapeless `object` (what a nullable string became when its type was only
 * inferred from `string | null`), and then calls every documented operation with real data, as
 * someone allowed to, and validates each answer (status, content type and body) and each accepted
 * request body against what the document says. An operation nobody called, or an answer the
 * document does not describe, fails the test.
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
type Operation = {
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  requestBody?: { content: Record<string, { schema?: unknown }> };
};

interface Recorded {
  method: string;
  path: string;
  status: number;
  contentType: string;
  text: string;
  body: unknown;
  requestBody?: unknown;
}

/**
 * Operations that are documented but not called here, each with the reason. Keep it short: an
 * operation belongs here only if calling it for real is impossible in a test.
 */
const NOT_CALLED: Record<string, string> = {};

let t: TestApp;
let doc: Doc;
const calls: Recorded[] = [];

beforeAll(async () => {
  t = await startTestApp();
  const res = await fetch(t.url + '/api/docs-json');
  doc = (await res.json()) as Doc;
});

afterAll(async () => {
  await t?.close();
});

// ---------- the document ----------

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

const operations = () =>
  Object.entries(doc.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${template}`, method: method.toUpperCase(), template, op })),
  );

const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

function templateRegex(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

/** The documented operation a concrete request went to (the most literal template wins). */
function operationFor(method: string, path: string) {
  const matches = operations().filter((o) => o.method === method && templateRegex(o.template).test(path));
  matches.sort((a, b) => b.template.replace(/\{[^}]+\}/g, '').length - a.template.replace(/\{[^}]+\}/g, '').length);
  return matches[0];
}

let ajv: Ajv2020;
const validators = new Map<string, ValidateFunction>();
function validatorAt(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) {
    if (!ajv) {
      ajv = new Ajv2020({ allErrors: true, strict: false });
      addFormats(ajv);
      ajv.addFormat('binary', true);
      ajv.addSchema(doc as object, 'openapi.json');
    }
    v = ajv.compile({ $ref: 'openapi.json' + ref });
    validators.set(ref, v);
  }
  return v;
}

/** What is wrong with one recorded call, measured against the document (empty when nothing). */
function problemsWith(call: Recorded): string[] {
  const where = `${call.method} ${call.path} → ${call.status}`;
  const found = operationFor(call.method, call.path);
  if (!found) return [`${where}: the route is not in the document`];
  const { op, template, method } = found;
  const status = String(call.status);
  const statusKey = op.responses[status] ? status : op.responses[`${status[0]}XX`] ? `${status[0]}XX` : op.responses.default ? 'default' : null;
  if (!statusKey) return [`${where}: status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`];
  const response = op.responses[statusKey];
  const problems: string[] = [];
  const type = call.contentType.split(';')[0].trim();
  if (!response.content) {
    if (call.text.length > 0) problems.push(`${where}: answers a body (${type}) but the document describes none`);
  } else if (!response.content[type]) {
    problems.push(`${where}: answers ${type || 'no content type'}, the document says ${Object.keys(response.content).join(' or ')}`);
  } else if (type.endsWith('json')) {
    if (!response.content[type].schema) problems.push(`${where}: ${type} without a schema`);
    else {
      const validate = validatorAt(pointer('paths', template, method.toLowerCase(), 'responses', statusKey, 'content', type, 'schema'));
      if (!validate(call.body)) problems.push(`${where}: the body does not match the documented schema: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
    }
  }
  if (call.status < 300 && call.requestBody !== undefined) {
    const content = op.requestBody?.content['application/json'];
    if (!content?.schema) problems.push(`${where}: accepted a JSON body the document does not describe`);
    else {
      const validate = validatorAt(pointer('paths', template, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema'));
      if (!validate(call.requestBody)) problems.push(`${where}: the accepted request body does not match the documented schema: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
    }
  }
  return problems;
}

// ---------- a client that records every answer ----------

const base = () => apiClient(t.url);
async function call(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const res = await base().request(method, path, options);
  calls.push({ method, path: path.split('?')[0], status: res.status, contentType: res.headers.get('content-type') ?? '', text: res.text, body: res.body, requestBody: options.body });
  return res;
}
const api = {
  get: (path: string, token?: string) => call('GET', path, { token }),
  post: (path: string, body: unknown, token?: string, headers?: Record<string, string>) => call('POST', path, { body, token, headers }),
  put: (path: string, body: unknown, token?: string) => call('PUT', path, { body, token }),
  patch: (path: string, body: unknown, token?: string) => call('PATCH', path, { body, token }),
  delete: (path: string, token?: string) => call('DELETE', path, { token }),
};

/** The call must succeed with this status; the answer is recorded either way. */
async function expectStatus(promise: Promise<ApiResponse>, status: number): Promise<any> {
  const res = await promise;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
  return res.body;
}

async function mailLink(email: string, fragment: string, subject: RegExp): Promise<string> {
  await t.settle();
  const mail = await t.mailbox.waitFor(email, (m) => subject.test(m.subject ?? ''));
  return linkIn(mail, fragment);
}
const tokenIn = (link: string) => new URL(link).searchParams.get('token')!;

// ---------- the journey: every documented operation, called for real ----------

interface Cast {
  admin: TestUser & { token: string };
  officer: TestUser & { token: string };
  applicant: TestUser & { token: string };
}

async function castOf(): Promise<Cast> {
  const person = async (roles: TestUser['roles'] = []) => {
    const user = await createUser(t.db, { roles });
    return { ...user, token: await tokenFor(t, user) };
  };
  return { admin: await person(['administrator']), officer: await person(['grants_officer']), applicant: await person() };
}

async function accountsJourney(cast: Cast) {
  const email = uniqueEmail('newcomer');
  const password = 'a long enough passphrase 42';
  await expectStatus(api.post('/api/v1/auth/register', { email, fullName: 'Nia Newcomer', password }), 202);
  await expectStatus(api.post('/api/v1/auth/verify-email/resend', { email }), 202);
  const verifyLink = await mailLink(email, '/verify-email?token=', /Confirm your email/);
  await expectStatus(api.post('/api/v1/auth/verify-email', { token: tokenIn(verifyLink) }), 200);
  const signedIn = await expectStatus(api.post('/api/v1/auth/token', { email, password }), 201);
  await expectStatus(api.post('/api/v1/auth/password-reset', { email }), 202);
  const resetLink = await mailLink(email, '/reset-password?token=', /Reset your password/);
  await expectStatus(api.post('/api/v1/auth/password-reset/complete', { token: tokenIn(resetLink), password: 'another long passphrase 43' }), 200);
  // Errors are problem documents too.
  await expectStatus(api.post('/api/v1/auth/token', { email, password: 'not the password at all' }), 401);
  await expectStatus(api.post('/api/v1/auth/register', { email: 'not an email', fullName: '', password: 'short' }), 422);
  expect(signedIn.token).toEqual(expect.any(String));

  await expectStatus(api.get('/api/v1/me', cast.applicant.token), 200);
  await expectStatus(api.get('/api/v1/me'), 401);
  const created = await expectStatus(api.post('/api/v1/me/tokens', { name: 'Reporting script', expiresInDays: 30 }, cast.applicant.token), 201);
  await expectStatus(api.get('/api/v1/me/tokens', cast.applicant.token), 200);
  await expectStatus(api.delete(`/api/v1/me/tokens/${created.id}`, cast.applicant.token), 200);

  // Staff administration, and accepting a staff invitation.
  await expectStatus(api.get('/api/v1/admin/users?pageSize=5', cast.admin.token), 200);
  const staffEmail = uniqueEmail('staff');
  const invited = await expectStatus(api.post('/api/v1/admin/users', { email: staffEmail, fullName: 'Sam Patel', roles: ['assessor'] }, cast.admin.token), 201);
  const inviteLink = await mailLink(staffEmail, '/accept-invite?token=', /invited/);
  await expectStatus(api.post('/api/v1/auth/accept-invite', { token: tokenIn(inviteLink), password: 'staff member passphrase 44' }), 200);
  const userId = invited.user.id;
  await expectStatus(api.get(`/api/v1/admin/users/${userId}`, cast.admin.token), 200);
  await expectStatus(api.put(`/api/v1/admin/users/${userId}/roles`, { roles: ['assessor', 'panel_member'] }, cast.admin.token), 200);
  await expectStatus(api.post(`/api/v1/admin/users/${userId}/disable`, { reason: 'Left the team' }, cast.admin.token), 200);
  await expectStatus(api.post(`/api/v1/admin/users/${userId}/enable`, undefined, cast.admin.token), 200);
  await expectStatus(api.get(`/api/v1/admin/users/00000000-0000-4000-8000-000000000000`, cast.admin.token), 404);
}

async function referenceDataJourney(cast: Cast) {
  const hex = randomBytes(3).toString('hex');
  const token = cast.admin.token;
  const outcome = await expectStatus(api.post('/api/v1/outcomes', { code: `reduce-reoffending-${hex}`, name: 'Reduce reoffending' }, token), 201);
  await expectStatus(api.patch(`/api/v1/outcomes/${outcome.id}`, { name: 'Reduce reoffending and harm' }, token), 200);
  await expectStatus(api.get('/api/v1/outcomes'), 200);
  const priority = await expectStatus(api.post('/api/v1/priorities', { code: `knife-crime-${hex}`, name: 'Knife crime', outcomeId: outcome.id }, token), 201);
  await expectStatus(api.patch(`/api/v1/priorities/${priority.id}`, { name: 'Knife crime and serious violence' }, token), 200);
  await expectStatus(api.get(`/api/v1/priorities/${priority.id}`), 200);
  await expectStatus(api.get('/api/v1/priorities?includeInactive=true'), 200);
  const gssCode = `E08${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const district = await expectStatus(api.post('/api/v1/districts', { gssCode, name: `Calderdale ${hex}` }, token), 201);
  await expectStatus(api.patch(`/api/v1/districts/${district.id}`, { name: `Calderdale and Ryburn ${hex}` }, token), 200);
  await expectStatus(api.get(`/api/v1/districts/${district.id}`), 200);
  await expectStatus(api.get('/api/v1/districts'), 200);
  await expectStatus(api.post('/api/v1/districts', { gssCode: 'nope', name: '' }, token), 422);
  return { priorityId: priority.id as string, districtId: district.id as string };
}

async function fundsJourney(cast: Cast, refs: { priorityId: string; districtId: string }) {
  const token = cast.officer.token;
  const prefix = `F${randomBytes(2).toString('hex').toUpperCase()}`;
  // A fund and a round with their optional texts left empty (null), and then filled in.
  const fund = await expectStatus(
    api.post('/api/v1/funds', { name: 'Safer Streets Fund', funderName: 'Police and Crime Commissioner', fundingSource: 'Proceeds of Crime Act', referencePrefix: prefix, funderOrgId: null, description: null }, token),
    201,
  );
  await expectStatus(api.patch(`/api/v1/funds/${fund.id}`, { description: 'Small grants for safer streets', funderOrgId: 'GB-GOR-PC000123' }, token), 200);
  await expectStatus(api.get(`/api/v1/funds/${fund.id}`, token), 200);
  await expectStatus(api.get('/api/v1/funds', token), 200);
  const opensAt = new Date(Date.now() + 2 * 86400_000).toISOString();
  const closesAt = new Date(Date.now() + 40 * 86400_000).toISOString();
  const round = await expectStatus(
    api.post(`/api/v1/funds/${fund.id}/rounds`, { code: 'R1', title: 'Safer Streets round 1', description: null, criteria: null, exclusions: null, opensAt, closesAt, totalBudgetPence: 5_000_000 }, token),
    201,
  );
  await expectStatus(api.get(`/api/v1/funds/${fund.id}/rounds`, token), 200);
  const changed = await expectStatus(api.patch(`/api/v1/rounds/${round.id}`, { version: round.version, description: 'For safer streets', criteria: 'Community groups', exclusions: null }, token), 200);
  await expectStatus(api.patch(`/api/v1/rounds/${round.id}`, { version: round.version, title: 'Stale' }, token), 409);
  const pot = await expectStatus(
    api.post(`/api/v1/rounds/${round.id}/pots`, { name: 'Main pot', description: null, minGrantPence: 100_000, maxGrantPence: 500_000, budgetPence: 2_000_000, districtIds: [refs.districtId], priorityIds: [refs.priorityId] }, token),
    201,
  );
  const spare = await expectStatus(
    api.post(`/api/v1/rounds/${round.id}/pots`, { name: 'Spare pot', minGrantPence: 100_000, maxGrantPence: 200_000, budgetPence: 200_000, districtIds: [refs.districtId], priorityIds: [refs.priorityId] }, token),
    201,
  );
  await expectStatus(api.patch(`/api/v1/pots/${pot.id}`, { description: 'Most of the money' }, token), 200);
  await expectStatus(api.get(`/api/v1/pots/${pot.id}`, token), 200);
  await expectStatus(api.get(`/api/v1/pots/${pot.id}/ledger`, token), 200);
  await expectStatus(api.delete(`/api/v1/pots/${spare.id}`, token), 204);
  await expectStatus(api.get(`/api/v1/rounds/${round.id}/pots`, token), 200);
  await expectStatus(
    api.put(`/api/v1/rounds/${round.id}/eligibility-questions`, { questions: [{ question: 'Are you based in the area?', hint: null, passingAnswer: true, failureMessage: 'The fund only supports local groups.' }] }, token),
    200,
  );
  await expectStatus(api.get(`/api/v1/rounds/${round.id}/eligibility-questions`, token), 200);
  await expectStatus(api.put(`/api/v1/rounds/${round.id}/form`, testFormDefinition(), token), 200);
  await expectStatus(api.get(`/api/v1/rounds/${round.id}/form`, token), 200);
  await expectStatus(api.get(`/api/v1/rounds/${round.id}/forms`, token), 200);
  await expectStatus(api.get(`/api/v1/rounds/${round.id}/forms/1`, token), 200);
  await expectStatus(api.post(`/api/v1/rounds/${round.id}/transitions`, { to: 'scheduled', reason: 'Ready' }, token), 200);
  await expectStatus(api.post(`/api/v1/rounds/${round.id}/open`, { reason: 'Opening early' }, token), 200);
  await expectStatus(api.get(`/api/v1/rounds/${round.id}`), 200);
  await expectStatus(api.get('/api/v1/rounds'), 200);
  await expectStatus(api.post(`/api/v1/rounds/${round.id}/close`, { reason: 'Closing for the test' }, token), 200);
  await expectStatus(api.get(`/api/v1/rounds/${round.id}/history`, token), 200);
  await expectStatus(api.get(`/api/v1/rounds/not-a-round`), 404);
  expect(changed.version).toBeGreaterThan(round.version);
}

async function organisationsJourney(cast: Cast) {
  const district = await createDistrict(t.db, `Kirklees ${randomBytes(2).toString('hex')}`);
  const owner = cast.applicant.token;
  const org = await expectStatus(
    api.post(
      '/api/v1/organisations',
      { name: 'Holme Valley Youth Project', legalForm: 'unincorporated_association', charityNumber: null, companyNumber: null, addressLine1: '12 Station Road', addressLine2: null, town: 'Holmfirth', postcode: 'HD9 3AB', districtId: district.id, contactName: 'Sam Jones', contactEmail: 'sam@example.org', contactPhone: null },
      owner,
    ),
    201,
  );
  await expectStatus(api.get('/api/v1/organisations', owner), 200);
  await expectStatus(api.get(`/api/v1/organisations/${org.id}`, owner), 200);
  await expectStatus(api.patch(`/api/v1/organisations/${org.id}`, { addressLine2: 'Unit 4', contactPhone: '01632 960 001' }, owner), 200);
  await expectStatus(api.get(`/api/v1/organisations/${org.id}/members`, owner), 200);

  const colleague = await createUser(t.db);
  const colleagueToken = await tokenFor(t, colleague);
  const invite = await expectStatus(api.post(`/api/v1/organisations/${org.id}/invites`, { email: colleague.email }, owner), 201);
  await expectStatus(api.get(`/api/v1/organisations/${org.id}/invites`, owner), 200);
  const link = await mailLink(colleague.email, '/invites/', /.*/);
  const inviteToken = decodeURIComponent(link.split('/invites/')[1]);
  await expectStatus(api.get(`/api/v1/invites/${encodeURIComponent(inviteToken)}`, colleagueToken), 200);
  await expectStatus(api.post(`/api/v1/invites/${encodeURIComponent(inviteToken)}/accept`, undefined, colleagueToken), 200);
  await expectStatus(api.delete(`/api/v1/organisations/${org.id}/members/${colleague.id}`, owner), 204);
  const second = await expectStatus(api.post(`/api/v1/organisations/${org.id}/invites`, { email: uniqueEmail('maybe') }, owner), 201);
  await expectStatus(api.delete(`/api/v1/organisations/${org.id}/invites/${second.id}`, owner), 204);
  expect(invite.status).toBe('pending');
}

async function applicationsJourney(cast: Cast, round: TestRound) {
  const owner = cast.applicant.token;
  const org = await createOrganisation(t.db, cast.applicant);
  await expectStatus(
    api.post(`/api/v1/rounds/${round.roundId}/eligibility-check`, { answers: round.eligibility.map((q) => ({ questionId: q.id, answer: !q.passingAnswer })) }),
    200,
  );
  const draft = await expectStatus(api.post('/api/v1/applications', { roundId: round.roundId, potId: round.pots[0].id, organisationId: org.id }, owner), 201);
  const id = draft.id as string;
  await expectStatus(api.get(`/api/v1/applications/${id}`, owner), 200);
  // Project details emptied (null) and then filled in.
  const emptied = await expectStatus(api.patch(`/api/v1/applications/${id}`, { version: draft.version, projectTitle: null, projectSummary: null, projectStartDate: null, projectEndDate: null }, owner), 200);
  const project = await expectStatus(
    api.patch(
      `/api/v1/applications/${id}`,
      {
        version: emptied.version,
        projectTitle: 'Safe evenings for young people',
        projectSummary: 'Weekly youth sessions in the community centre.',
        projectStartDate: daysFromNow(30),
        projectEndDate: daysFromNow(300),
        districtIds: [round.districts[0].id],
        priorityIds: [round.priorities[1].id],
        completed: true,
      },
      owner,
    ),
    200,
  );
  await expectStatus(api.patch(`/api/v1/applications/${id}`, { version: draft.version, projectTitle: 'Stale' }, owner), 409);
  const section = (key: string) => project.sections.find((s: { key: string }) => s.key === key);
  await expectStatus(api.put(`/api/v1/applications/${id}/sections/need`, { answers: COMPLETE_NEED_ANSWERS, version: section('need').version, completed: true }, owner), 200);
  await expectStatus(api.put(`/api/v1/applications/${id}/sections/need`, { answers: {}, version: section('need').version }, owner), 409);
  await expectStatus(api.put(`/api/v1/applications/${id}/sections/documents`, { answers: {}, version: section('documents').version, completed: true }, owner), 200);

  const line = await expectStatus(api.post(`/api/v1/applications/${id}/budget-lines`, { item: 'Youth worker sessions', category: 'staff', amountPence: 250_050, otherFundingPence: 0, otherFundingSource: null }, owner), 201);
  const spare = await expectStatus(api.post(`/api/v1/applications/${id}/budget-lines`, { item: 'Room hire', category: 'other', amountPence: 10_000 }, owner), 201);
  await expectStatus(api.patch(`/api/v1/applications/${id}/budget-lines/${line.id}`, { version: line.version, otherFundingPence: 5_000, otherFundingSource: 'Parish council' }, owner), 200);
  await expectStatus(api.get(`/api/v1/applications/${id}/budget-lines/${line.id}`, owner), 200);
  // Removing a line answers the budget section's new version, as adding and changing one do: no re-read needed.
  const removed = await expectStatus(api.delete(`/api/v1/applications/${id}/budget-lines/${spare.id}?version=${spare.version}`, owner), 200);
  expect(removed.section).toEqual({ key: '_budget', status: 'in_progress', version: spare.section.version + 2 });
  await expectStatus(api.get(`/api/v1/applications/${id}/budget-lines`, owner), 200);
  await expectStatus(api.post(`/api/v1/applications/${id}/budget-lines`, { item: '', category: 'nonsense', amountPence: -1 }, owner), 422);

  const uploadRes = await fetch(`${t.url}/api/v1/applications/${id}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner}` },
    body: (() => {
      const form = new FormData();
      form.append('kind', 'constitution');
      form.append('file', new Blob([new Uint8Array(minimalPdf())], { type: 'application/pdf' }), 'Constitution.pdf');
      return form;
    })(),
  });
  const uploadText = await uploadRes.text();
  calls.push({ method: 'POST', path: `/api/v1/applications/${id}/attachments`, status: uploadRes.status, contentType: uploadRes.headers.get('content-type') ?? '', text: uploadText, body: JSON.parse(uploadText) });
  expect(uploadRes.status).toBe(201);
  const attachment = JSON.parse(uploadText);
  await expectStatus(api.get(`/api/v1/applications/${id}/attachments`, owner), 200);
  await expectStatus(api.get(`/api/v1/applications/${id}/attachments/${attachment.id}`, owner), 200);
  await expectStatus(api.get(`/api/v1/applications/${id}/attachments/${attachment.id}/content`, owner), 200);
  const extra = await fetch(`${t.url}/api/v1/applications/${id}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner}` },
    body: (() => {
      const form = new FormData();
      form.append('kind', 'other');
      form.append('file', new Blob([new Uint8Array(minimalPdf())], { type: 'application/pdf' }), 'Other.pdf');
      return form;
    })(),
  });
  const extraBody = JSON.parse(await extra.text());
  await expectStatus(api.delete(`/api/v1/applications/${id}/attachments/${extraBody.id}`, owner), 204);

  const fresh = await expectStatus(api.get(`/api/v1/applications/${id}`, owner), 200);
  expect(fresh.sections.find((s: { key: string }) => s.key === '_budget').version).toBe(removed.section.version);
  await expectStatus(api.put(`/api/v1/applications/${id}/sections/_budget`, { answers: {}, version: removed.section.version, completed: true }, owner), 200);
  await expectStatus(api.post(`/api/v1/applications/${id}/submit`, { declaration: { name: cast.applicant.fullName, confirmed: true } }, owner), 200);
  await expectStatus(api.get('/api/v1/applications', owner), 200);
  await expectStatus(api.get(`/api/v1/applications?roundId=${round.roundId}`, cast.officer.token), 200);
  await expectStatus(api.get(`/api/v1/rounds/${round.roundId}/applications.csv`, cast.officer.token), 200);
  await expectStatus(api.post(`/api/v1/applications/${id}/withdraw`, { reason: 'We found other funding' }, owner), 200);
  await expectStatus(api.get(`/api/v1/applications/${id}/history`, owner), 200);
  await expectStatus(api.get(`/api/v1/applications/${id}`, cast.admin.token), 404);
  return id;
}

async function screeningJourney(cast: Cast, round: TestRound) {
  const officer = cast.officer.token;
  const org = await createOrganisation(t.db, cast.applicant, { charityNumber: '1100001' });
  const id = await submittedBid(t, apiClient(t.url), cast.applicant.token, round, org.id);
  const checklist = await expectStatus(api.get(`/api/v1/rounds/${round.roundId}/screening-checklist`, officer), 200);
  await expectStatus(api.put(`/api/v1/rounds/${round.roundId}/screening-checklist`, { items: checklist.items.map((i: any) => ({ key: i.key, label: i.label })) }, officer), 200);
  await expectStatus(api.get('/api/v1/screening/queue?pageSize=5', officer), 200);
  await expectStatus(api.post(`/api/v1/applications/${id}/screening/start`, undefined, officer), 200);
  await expectStatus(api.post(`/api/v1/applications/${id}/register-checks`, { registeredNumber: '1100001', nameShown: org.name, status: 'Registered', checkedAt: new Date(Date.now() - 60_000).toISOString() }, officer), 201);
  await expectStatus(api.post(`/api/v1/applications/${id}/screening`, { outcome: 'pass', checklist: [] }, officer), 422);
  await expectStatus(
    api.post(`/api/v1/applications/${id}/screening`, { outcome: 'more_info', checklist: [{ key: 'latest_accounts', result: 'fail', note: 'Old' }], sections: ['need'], attachmentKinds: ['accounts'], message: 'Send your latest accounts.', respondBy: londonDaysFromNow(7) }, officer),
    201,
  );
  await expectStatus(api.get(`/api/v1/applications/${id}`, cast.applicant.token), 200);
  await expectStatus(api.post(`/api/v1/applications/${id}/resubmit`, undefined, cast.applicant.token), 200);
  await expectStatus(api.get(`/api/v1/applications/${id}/screening`, officer), 200);
  await expectStatus(api.post(`/api/v1/applications/${id}/screening`, { outcome: 'pass', checklist: checklist.items.map((i: any) => ({ key: i.key, result: 'pass', note: '' })) }, officer), 201);
  await expectStatus(api.post(`/api/v1/applications/${id}/screening`, { outcome: 'pass', checklist: [] }, officer), 409);
}

/** Assessment: criteria, pool, scoring to a flag, moderation, ranking, manual assignment, conflicts. */
async function assessmentJourney() {
  const a = await assessmentRound(t, apiClient(t.url), { poolSize: 3, assessorsPerBid: 2, moderationThreshold: 20 });
  const officer = a.officerToken;
  const tokenOf = (userId: string) => a.assessorTokens[a.assessors.findIndex((x) => x.id === userId)];
  const criteria = await expectStatus(api.get(`/api/v1/rounds/${a.round.roundId}/criteria`, officer), 200);
  await expectStatus(api.put(`/api/v1/rounds/${a.round.roundId}/criteria`, { criteria: criteria.criteria, assessorsPerBid: 2, moderationThreshold: 20, dueDays: 14 }, officer), 200);
  const pool = await expectStatus(api.get(`/api/v1/rounds/${a.round.roundId}/assessors`, officer), 200);
  await expectStatus(api.put(`/api/v1/rounds/${a.round.roundId}/assessors`, { assessors: pool.assessors.map((p: { userId: string; capacity: number }) => ({ userId: p.userId, capacity: p.capacity })) }, officer), 200);
  const bid = await bidInAssessment(t, apiClient(t.url), a.round);
  const rows: { id: string; assessor_id: string }[] = await t.db.query(`SELECT id, assessor_id FROM assessments WHERE application_id = $1 ORDER BY assigned_at, id`, [bid.id]);
  for (const [i, row] of rows.entries()) {
    const token = tokenOf(row.assessor_id);
    await expectStatus(api.get('/api/v1/me/assessments', token), 200);
    await expectStatus(api.post(`/api/v1/assessments/${row.id}/no-conflict`, undefined, token), 200);
    const score = i === 0 ? 5 : 1;
    const body = { scores: criteria.criteria.map((c: { key: string }) => ({ criterionKey: c.key, score, comment: 'Seen' })), recommendation: 'fund_in_part', recommendedPence: 10_000 };
    await expectStatus(api.put(`/api/v1/assessments/${row.id}`, body, token), 200);
    await expectStatus(api.get(`/api/v1/assessments/${row.id}`, token), 200);
    await expectStatus(api.post(`/api/v1/assessments/${row.id}/submit`, undefined, token), 200);
  }
  await expectStatus(api.get('/api/v1/flagged-applications', officer), 200);
  await expectStatus(api.post(`/api/v1/applications/${bid.id}/moderation`, { scorePercent: 61.5, reason: 'Agreed' }, officer), 200);
  await expectStatus(api.get(`/api/v1/rounds/${a.round.roundId}/ranking?potId=${a.round.pots[0].id}`, officer), 200);
  await expectStatus(api.get(`/api/v1/rounds/${a.round.roundId}/ranking.csv`, officer), 200);
  const second = await bidInAssessment(t, apiClient(t.url), a.round);
  const taken: { assessor_id: string }[] = await t.db.query(`SELECT assessor_id FROM assessments WHERE application_id = $1`, [second.id]);
  const spare = a.assessors.find((x) => !taken.some((r) => r.assessor_id === x.id))!;
  await expectStatus(api.post(`/api/v1/applications/${second.id}/assignments`, { userId: spare.id }, officer), 201);
  const [moved] = await t.db.query(`SELECT id FROM assessments WHERE application_id = $1 AND assessor_id = $2 AND status = 'open'`, [second.id, spare.id]);
  await expectStatus(api.put(`/api/v1/assessments/${moved.id}/due-date`, { dueOn: londonDaysFromNow(21) }, officer), 200);
  await expectStatus(api.put(`/api/v1/assessments/${moved.id}/due-date`, { dueOn: '2020-01-01' }, officer), 422);
  await expectStatus(api.delete(`/api/v1/applications/${second.id}/assignments/${spare.id}`, officer), 204);
  await expectStatus(api.post('/api/v1/conflicts', { organisationId: second.organisationId, reason: 'A trustee' }, tokenOf(spare.id)), 201);
  await expectStatus(api.get('/api/v1/conflicts', tokenOf(spare.id)), 200);
  await expectStatus(api.get('/api/v1/unassigned-applications', officer), 200);
}

/** Awards: an approval offered (what panels does), the fund's agreement terms, the offer letter, accepting and declining. */
async function awardsJourney(cast: Cast) {
  const officer = cast.officer.token;
  const accepted = await approvedAward(t, apiClient(t.url), { conditions: ['Provide an up-to-date safeguarding policy before the first payment'] });
  const [{ fund_id: fundId }] = await t.db.query(`SELECT fund_id FROM rounds WHERE id = $1`, [accepted.roundId]);
  await expectStatus(api.get(`/api/v1/funds/${fundId}/agreement`, officer), 200);
  await expectStatus(api.get(`/api/v1/awards?roundId=${accepted.roundId}&status=offered`, officer), 200);
  await expectStatus(api.get(`/api/v1/awards`, accepted.ownerToken), 200);
  await expectStatus(api.get(`/api/v1/awards/${accepted.awardId}`, accepted.ownerToken), 200);
  await expectStatus(api.get(`/api/v1/awards/${accepted.awardId}/offer-letter.pdf`, accepted.ownerToken), 200);
  await expectStatus(api.post(`/api/v1/awards/${accepted.awardId}/accept`, { signatoryName: 'Ada Owner', signatoryRole: 'Chair', agreementVersion: 2, acceptTerms: true }, accepted.ownerToken), 409);
  await expectStatus(api.post(`/api/v1/awards/${accepted.awardId}/accept`, { signatoryName: 'Ada Owner', signatoryRole: 'Chair', agreementVersion: 1, acceptTerms: true }, accepted.ownerToken), 200);
  await expectStatus(api.put(`/api/v1/funds/${fundId}/agreement`, { text: 'Version two: use the grant for the project and repay what is not spent.' }, officer), 200);
  const declined = await approvedAward(t, apiClient(t.url));
  await expectStatus(api.post(`/api/v1/awards/${declined.awardId}/decline`, { reason: '' }, declined.ownerToken), 422);
  await expectStatus(api.post(`/api/v1/awards/${declined.awardId}/decline`, { reason: 'We found other funding' }, declined.ownerToken), 200);
  await expectStatus(api.get(`/api/v1/awards/${declined.awardId}`, accepted.ownerToken), 404);
  const withdrawn = await approvedAward(t, apiClient(t.url));
  await expectStatus(api.post(`/api/v1/awards/${withdrawn.awardId}/withdraw`, { reason: 'Sent in error' }, officer), 200);
  await expectStatus(api.post(`/api/v1/awards/${withdrawn.awardId}/withdraw`, { reason: 'Again' }, officer), 409);
}

/** Finance: bank details (entered, refused, verified), the round's plan and the fund's approval rule, schedules, conditions, payments and approvals, payments due. */
async function financeJourney(cast: Cast) {
  const [payer, checker] = [await createUser(t.db, { roles: ['finance_officer'] }), await createUser(t.db, { roles: ['finance_officer'] })];
  const [fin, fin2] = [await tokenFor(t, payer), await tokenFor(t, checker)];
  const award = await acceptedAward(t, apiClient(t.url), { amountPence: 250000 });
  const [{ fund_id: fundId }] = await t.db.query(`SELECT fund_id FROM rounds WHERE id = $1`, [award.roundId]);
  await expectStatus(api.get(`/api/v1/rounds/${award.roundId}/payment-plan`, cast.officer.token), 200);
  await expectStatus(api.put(`/api/v1/rounds/${award.roundId}/payment-plan`, { steps: [{ percent: 60, after: 'acceptance' }] }, fin), 422);
  await expectStatus(api.put(`/api/v1/rounds/${award.roundId}/payment-plan`, { steps: [{ percent: 60, after: 'acceptance' }, { percent: 40, monthsAfterStart: 6, condition: { kind: 'return_accepted', returnNumber: 1 } }] }, fin), 200);
  await expectStatus(api.get(`/api/v1/funds/${fundId}/payment-approval`, fin), 200);
  await expectStatus(api.put(`/api/v1/funds/${fundId}/payment-approval`, { approvalThresholdPence: 50000, approveEveryPayment: false }, fin), 200);
  await expectStatus(api.put(`/api/v1/awards/${award.awardId}/bank-account`, FAILS_MODULUS, award.ownerToken), 422);
  await expectStatus(api.put(`/api/v1/awards/${award.awardId}/bank-account`, VALID_BANK, award.ownerToken), 200);
  await expectStatus(api.get(`/api/v1/awards/${award.awardId}/bank-account`, award.ownerToken), 200);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/bank-account/verify`, { method: 'bank_statement', note: 'Statement seen' }, fin2), 200);
  const made = await expectStatus(api.get(`/api/v1/awards/${award.awardId}/payment-schedule`, award.ownerToken), 200);
  await expectStatus(api.put(`/api/v1/awards/${award.awardId}/payment-schedule`, { instalments: [{ dueOn: '2027-05-01', amountPence: 1 }] }, fin), 422);
  const schedule = await expectStatus(
    api.put(
      `/api/v1/awards/${award.awardId}/payment-schedule`,
      { instalments: [{ id: made.instalments[0].id, dueOn: '2027-05-01', amountPence: 150000 }, { dueOn: '2027-11-01', amountPence: 100000, condition: { kind: 'offer_condition', text: 'Safeguarding policy seen' } }] },
      fin,
    ),
    200,
  );
  const [first, second] = schedule.instalments;
  const key = { 'idempotency-key': randomBytes(8).toString('hex') };
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/payments`, { instalmentId: second.id, amountPence: 1000, paidOn: '2027-05-01', reference: 'BACS-2' }, fin, { 'idempotency-key': 'cond-1' }), 409);
  await expectStatus(api.post(`/api/v1/instalments/${second.id}/condition-met`, { note: 'Seen' }, cast.officer.token), 200);
  const big = await expectStatus(api.post(`/api/v1/awards/${award.awardId}/payments`, { instalmentId: first.id, amountPence: 150000, paidOn: '2027-05-01', reference: 'BACS-1' }, fin, key), 201);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/payments`, { instalmentId: first.id, amountPence: 150000, paidOn: '2027-05-01', reference: 'BACS-1' }, fin, key), 201);
  await expectStatus(api.post(`/api/v1/payments/${big.id}/approve`, { note: 'Invoice checked' }, fin2), 200);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/payments`, { amountPence: 1000, paidOn: '2027-05-02', reference: 'BACS-3' }, fin, { 'idempotency-key': 'small-1' }), 201);
  const waiting = await expectStatus(api.post(`/api/v1/awards/${award.awardId}/payments`, { instalmentId: second.id, amountPence: 99000, paidOn: '2027-11-01', reference: 'BACS-4' }, fin, { 'idempotency-key': 'wait-1' }), 201);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/payments`, { amountPence: 5000, paidOn: '2027-11-01', reference: 'BACS-5' }, fin, { 'idempotency-key': 'over-1' }), 409);
  await expectStatus(api.post(`/api/v1/payments/${waiting.id}/reject`, { note: 'Wrong amount' }, fin2), 200);
  await expectStatus(api.get(`/api/v1/awards/${award.awardId}/payments`, award.ownerToken), 200);
  await expectStatus(api.get(`/api/v1/payments/due?roundId=${award.roundId}&status=due`, fin), 200);
  await expectStatus(api.get(`/api/v1/payments/due.csv?roundId=${award.roundId}`, fin), 200);
  await expectStatus(api.get(`/api/v1/payments/due.xlsx?fundId=${fundId}`, fin), 200);
}

/** Reporting: past awards imported (checked, imported, a large file in the background), other funding streams, the Resources and Funding section (JSON and Word). */
async function reportingJourney(cast: Cast) {
  const officer = cast.officer.token;
  const round = await createOpenRound(t.db);
  const code = round.priorities[0].code;
  const row = (org: string) => `R1,${org},,,LS1 4AB,,A project,${code},"£1,250.50",03/11/2017,`;
  const upload = async (query: string, body: string) => {
    const form = new FormData();
    form.append('file', new Blob([body], { type: 'text/csv' }), 'awards.csv');
    const res = await fetch(`${t.url}/api/v1/imports/awards?${query}`, { method: 'POST', headers: { authorization: `Bearer ${officer}` }, body: form });
    const text = await res.text();
    calls.push({ method: 'POST', path: '/api/v1/imports/awards', status: res.status, contentType: res.headers.get('content-type') ?? '', text, body: JSON.parse(text) });
    return { status: res.status, body: JSON.parse(text) as { batchId?: string } };
  };
  const header = 'round,organisation,charity_number,company_number,postcode,district,project,priorities,amount_awarded,decision_date,amount_paid';
  expect((await upload(`fundId=${round.fundId}&dryRun=true`, `${header}\n${row('OpenAPI Group')}\n`)).status).toBe(200);
  expect((await upload(`fundId=${round.fundId}`, `${header}\n${row('OpenAPI Group')}\nR1,Bad,,,,,P,${code},£6,12,2017-01-01,\n`)).status).toBe(200);
  expect((await upload(`fundId=${round.fundId}&dryRun=false`, `${header}\n${row('OpenAPI Group')}\n`)).status).toBe(200);
  const large = await upload(`fundId=${round.fundId}`, `${header}\n${Array.from({ length: 501 }, (_, i) => row(`OpenAPI Large ${i}`)).join('\n')}\n`);
  expect(large.status).toBe(202);
  await t.settle();
  await expectStatus(api.get(`/api/v1/imports/${large.body.batchId}`, officer), 200);
  await expectStatus(api.get(`/api/v1/imports/00000000-0000-4000-8000-000000000000`, officer), 404);
  const stream = await expectStatus(api.post('/api/v1/funding-streams', { description: '£200,000 from the Ministry of Justice', amountPence: 20000000, financialYear: '2014/15', priorityCodes: [code], source: 'Ministry of Justice' }, officer), 201);
  await expectStatus(api.post('/api/v1/funding-streams', { description: 'A post', financialYear: '2014/16', priorityCodes: [code] }, officer), 422);
  await expectStatus(api.get('/api/v1/funding-streams?financialYear=2014/15', officer), 200);
  await expectStatus(api.get(`/api/v1/funding-streams/${stream.id}`, officer), 200);
  await expectStatus(api.put(`/api/v1/funding-streams/${stream.id}`, { description: 'A safeguarding post', amountPence: null, financialYear: '2014/15', priorityCodes: [code], source: null }, officer), 200);
  await expectStatus(api.put(`/api/v1/reports/priorities/${code}/wording`, { tackling: 'human trafficking' }, officer), 200);
  const section = await expectStatus(api.get(`/api/v1/reports/priorities/${code}?fundId=${round.fundId}`, officer), 200);
  expect(section.sentence).toContain('£627,751');
  await expectStatus(api.get(`/api/v1/reports/priorities/${code}?fundId=${round.fundId}&financialYear=2017/18`, officer), 200);
  await expectStatus(api.get(`/api/v1/reports/priorities/${code}/section.docx?fundId=${round.fundId}`, officer), 200);
  await expectStatus(api.delete(`/api/v1/funding-streams/${stream.id}`, officer), 204);
}

/** Open data: the public 360Giving files (JSON and CSV), and withholding an award from them (422 on a bad scope) and publishing it again. */
async function openDataJourney(cast: Cast) {
  const officer = cast.officer.token;
  const award = await approvedAward(t, apiClient(t.url));
  await expectStatus(api.put(`/api/v1/awards/${award.awardId}/publication`, { withhold: 'location', reason: 'A refuge' }, officer), 200);
  await expectStatus(api.put(`/api/v1/awards/${award.awardId}/publication`, { withhold: 'all', reason: 'A refuge' }, officer), 422);
  const pkg = await expectStatus(api.get('/api/v1/open-data/360giving.json'), 200);
  expect(pkg.grants.length).toBeGreaterThan(0);
  await expectStatus(api.get('/api/v1/open-data/360giving.csv'), 200);
  await expectStatus(api.delete(`/api/v1/awards/${award.awardId}/publication`, officer), 204);
}

/** The funding report (issue 10): grouped JSON, CSV, XLSX, a bad grouping, and its reconciliation with the pot ledger. */
async function fundingReportJourney(cast: Cast) {
  const officer = cast.officer.token;
  const round = await createOpenRound(t.db);
  await approvedAward(t, apiClient(t.url), { round, amountPence: 150000 });
  const report = await expectStatus(api.get(`/api/v1/reports/funding?fundId=${round.fundId}&groupBy=priority,district,financialYear&from=2017/18`, officer), 200);
  expect(report.rows.length).toBeGreaterThan(0);
  await expectStatus(api.get(`/api/v1/reports/funding?fundId=${round.fundId}&groupBy=colour`, officer), 422);
  await expectStatus(api.get(`/api/v1/reports/funding.csv?fundId=${round.fundId}&groupBy=pot`, officer), 200);
  await expectStatus(api.get(`/api/v1/reports/funding.xlsx?fundId=${round.fundId}&groupBy=round,organisationType`, officer), 200);
  const rec = await expectStatus(api.get(`/api/v1/reports/funding/reconciliation?fundId=${round.fundId}`, officer), 200);
  expect(rec.reconciled).toBe(true);
}

/** Panels: a meeting, its agenda, decisions (recorded, changed, refused over budget), confirmation, minutes, standard conditions. */
async function panelsJourney() {
  const cast = await panelCast(t, { budgetPence: 5_000_00 });
  const [a, b] = await assessedBids(t, cast, 2, 3_000_00);
  const officer = cast.officerToken;
  const panel = await expectStatus(
    api.post('/api/v1/panels', { roundId: cast.round.roundId, title: 'OpenAPI panel', meetingAt: new Date().toISOString(), memberIds: cast.members.map((m) => m.id), chairId: cast.members[0].id }, officer),
    201,
  );
  await expectStatus(api.get('/api/v1/panels', officer), 200);
  await expectStatus(api.get(`/api/v1/panels/${panel.id}`, cast.memberTokens[0]), 200);
  await expectStatus(api.post(`/api/v1/panels/${panel.id}/agenda`, { applicationIds: [a.id, b.id] }, officer), 200);
  await expectStatus(api.get(`/api/v1/panels/${panel.id}/agenda`, cast.memberTokens[0]), 200);
  await expectStatus(api.put(`/api/v1/funds/${cast.round.fundId}/standard-conditions`, { conditions: ['Provide an up-to-date safeguarding policy before the first payment'] }, officer), 200);
  await expectStatus(api.get(`/api/v1/funds/${cast.round.fundId}/standard-conditions`, officer), 200);
  const decision = await expectStatus(api.post(`/api/v1/panels/${panel.id}/decisions`, { applicationId: a.id, outcome: 'approve', conditions: ['Provide an up-to-date safeguarding policy before the first payment'] }, officer, { 'idempotency-key': 'openapi-1' }), 201);
  await expectStatus(api.post(`/api/v1/panels/${panel.id}/decisions`, { applicationId: b.id, outcome: 'approve' }, officer), 409);
  await expectStatus(api.post(`/api/v1/panels/${panel.id}/decisions`, { applicationId: b.id, outcome: 'reject', feedback: 'Not shown' }, officer), 201);
  await expectStatus(api.put(`/api/v1/panels/${panel.id}/decisions/${decision.id}`, { outcome: 'approve_in_part', amountPence: 2_500_00 }, officer), 200);
  await expectStatus(api.get(`/api/v1/panels/${panel.id}/decisions`, officer), 200);
  await expectStatus(api.get(`/api/v1/panels/${panel.id}/decisions/${decision.id}`, officer), 200);
  await expectStatus(api.get(`/api/v1/panels/${panel.id}/minutes`, officer), 200);
  await expectStatus(api.post(`/api/v1/panels/${panel.id}/confirm`, undefined, officer), 200);
  await expectStatus(api.post(`/api/v1/panels/${panel.id}/confirm`, undefined, officer), 409);
}

/** Monitoring: a round's return schedule, an accepted award's returns written, submitted, sent back, accepted, and the award closed. */
async function monitoringJourney(cast: Cast) {
  const officer = cast.officer.token;
  const round = await createOpenRound(t.db);
  await expectStatus(api.get(`/api/v1/rounds/${round.roundId}/return-schedule`, officer), 200);
  await expectStatus(api.put(`/api/v1/rounds/${round.roundId}/return-schedule`, { returns: [{ monthsAfterStart: 6, final: true }, { monthsAfterStart: 3, final: false }] }, officer), 422);
  await expectStatus(api.put(`/api/v1/rounds/${round.roundId}/return-schedule`, { returns: [{ monthsAfterStart: 6, final: false }, { monthsAfterStart: 12, final: true }] }, officer), 200);
  const award = await acceptedAwardWithReturns(t, apiClient(t.url), { round });
  await pay(t, award, 200_000);
  const owner = award.ownerToken;
  const lines = await budgetLinesOf(t, award.awardId);
  const [first, final] = award.returns;
  await expectStatus(api.get(`/api/v1/awards/${award.awardId}/returns`, owner), 200);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/returns`, returnBody([{ budgetLineId: 'not-a-line' }], [100], { returnId: first.id }), owner), 422);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/returns`, returnBody(lines, [90_000], { period: 'Six-month return' }), owner), 200);
  await expectStatus(api.get(`/api/v1/returns/${first.id}`, owner), 200);
  for (const name of ['Receipts.pdf', 'Spare.pdf']) {
    const uploaded = await uploadEvidence(t, owner, first.id, { name, data: minimalPdf(), type: 'application/pdf' });
    calls.push({ method: 'POST', path: `/api/v1/returns/${first.id}/evidence`, status: uploaded.status, contentType: uploaded.contentType, text: uploaded.text, body: uploaded.body });
    expect(uploaded.status).toBe(201);
    if (name === 'Spare.pdf') await expectStatus(api.delete(`/api/v1/returns/${first.id}/evidence/${uploaded.body.id}`, owner), 204);
    else await expectStatus(api.get(`/api/v1/returns/${first.id}/evidence/${uploaded.body.id}`, officer), 200);
  }
  await expectStatus(api.post(`/api/v1/returns/${first.id}/submit`, undefined, owner), 200);
  await expectStatus(api.get(`/api/v1/returns?status=submitted&roundId=${round.roundId}`, officer), 200);
  await expectStatus(api.post(`/api/v1/returns/${first.id}/review`, { outcome: 'changes_requested', note: 'Add the venue costs' }, officer), 200);
  await expectStatus(api.post(`/api/v1/returns/${first.id}/submit`, undefined, owner), 200);
  await expectStatus(api.post(`/api/v1/returns/${first.id}/review`, { outcome: 'accept' }, officer, { 'idempotency-key': `openapi-return-${first.id}` }), 200);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/close`, {}, officer), 409);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/returns`, returnBody(lines, [100_000], { returnId: final.id, final: true }), owner), 200);
  await expectStatus(api.post(`/api/v1/returns/${final.id}/submit`, undefined, owner), 200);
  await expectStatus(api.post(`/api/v1/returns/${final.id}/review`, { outcome: 'accept', note: 'Thank you' }, officer), 200);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/close`, { note: 'Monitoring complete' }, officer, { 'idempotency-key': `openapi-close-${award.awardId}` }), 200);
}

/** Variations, clawbacks, repayments and reconciliation (issue 9): an accepted, paid award changed, clawed back, repaid, reconciled. */
async function moneyBackJourney(cast: Cast) {
  const officer = cast.officer.token;
  const finance = await createUser(t.db, { roles: ['finance_officer'] });
  const financeToken = await tokenFor(t, finance);
  const award = await acceptedAwardWithLines(t, apiClient(t.url), { amountPence: 250000 });
  await payAward(t, award, 100000);
  const lines = [
    { budgetLineId: award.lineIds[0], amountPence: 100000 },
    { budgetLineId: award.lineIds[1], amountPence: 150000 },
  ];
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/variations`, { kind: 'budget', reason: 'Venue', budgetLines: [lines[0]] }, award.ownerToken), 422);
  const moved = await expectStatus(api.post(`/api/v1/awards/${award.awardId}/variations`, { kind: 'budget', reason: 'Venue costs more', budgetLines: lines }, award.ownerToken), 201);
  await expectStatus(api.get(`/api/v1/awards/${award.awardId}/variations`, award.ownerToken), 200);
  await expectStatus(api.get(`/api/v1/variations/${moved.id}`, award.ownerToken), 200);
  await expectStatus(api.get(`/api/v1/variations?status=requested`, officer), 200);
  await expectStatus(api.post(`/api/v1/variations/${moved.id}/decision`, { outcome: 'approve' }, officer, { 'idempotency-key': 'openapi-variation-1' }), 200);
  const later = await expectStatus(api.post(`/api/v1/awards/${award.awardId}/variations`, { kind: 'end_date', reason: 'More time', endsOn: '2031-09-30' }, award.ownerToken), 201);
  await expectStatus(api.post(`/api/v1/awards/${award.awardId}/variations`, { kind: 'end_date', reason: 'Even more', endsOn: '2031-12-31' }, award.ownerToken), 409);
  await expectStatus(api.post(`/api/v1/variations/${later.id}/withdraw`, { note: 'Not needed' }, award.ownerToken), 200);
  const clawback = await expectStatus(api.post(`/api/v1/awards/${award.awardId}/clawbacks`, { amountPence: 40000, reason: 'Sessions not run', dueOn: '2031-06-30' }, officer), 201);
  await expectStatus(api.get(`/api/v1/awards/${award.awardId}/clawbacks`, award.ownerToken), 200);
  await expectStatus(
    api.post(`/api/v1/awards/${award.awardId}/repayments`, { amountPence: 10000, receivedOn: '2031-05-01', reference: 'BACS 1', reason: 'clawback', clawbackId: clawback.id }, financeToken, { 'idempotency-key': 'openapi-repayment-1' }),
    201,
  );
  await expectStatus(api.get(`/api/v1/awards/${award.awardId}/repayments`, award.ownerToken), 200);
  await expectStatus(api.post(`/api/v1/clawbacks/${clawback.id}/cancel`, { reason: 'Agreed to stop' }, officer), 200);
  await expectStatus(api.get(`/api/v1/reconciliation?roundId=${award.roundId}`, financeToken), 200);
}

async function staffJourney(cast: Cast, applicationId: string) {
  await expectStatus(api.get(`/api/v1/audit?entity=application&id=${applicationId}`, cast.officer.token), 200);
  await t.settle();
  const list = await expectStatus(api.get('/api/v1/communications?pageSize=5', cast.officer.token), 200);
  const first = list.items[0];
  await expectStatus(api.get(`/api/v1/communications/${first.id}`, cast.officer.token), 200);
  await expectStatus(api.post(`/api/v1/communications/${first.id}/resend`, undefined, cast.officer.token), 409);
  // Only a failed email can be sent again.
  await t.db.query(`UPDATE email_messages SET status = 'failed' WHERE id = $1`, [first.id]);
  await expectStatus(api.post(`/api/v1/communications/${first.id}/resend`, undefined, cast.officer.token), 202);
  await expectStatus(api.get('/health/live'), 200);
  await expectStatus(api.get('/health/ready'), 200);
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await new Validator().validate(structuredClone(doc) as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('gives every field a real type: no property is a shapeless object', () => {
    const shapeless: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
      const schema = node as Record<string, unknown>;
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (types.includes('object') && !schema.properties && schema.additionalProperties === undefined && !schema.allOf && !schema.anyOf && !schema.oneOf) shapeless.push(path);
      for (const [key, value] of Object.entries(schema)) if (key !== 'example' && key !== 'examples') walk(value, `${path}.${key}`);
    };
    walk(doc.components, 'components');
    walk(doc.paths, 'paths');
    expect(shapeless).toEqual([]);
  });

  it('documents every API route the service serves', () => {
    const served = listRoutes(t.app)
      .filter((r) => r.path.startsWith('/api/v1') || r.path.startsWith('/health'))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    const documented = new Set(operations().map((o) => o.key));
    expect(served.filter((key) => !documented.has(key))).toEqual([]);
  });

  it('documents errors as problem+json with one shared schema', () => {
    const missing = operations()
      .filter(({ op }) => !op.responses.default?.content?.['application/problem+json'])
      .map((o) => o.key);
    expect(missing).toEqual([]);
    expect(doc.components.schemas.Problem).toBeDefined();
  });
});

describe('real answers match the document', () => {
  beforeAll(async () => {
    const cast = await castOf();
    const refs = await referenceDataJourney(cast);
    await accountsJourney(cast);
    await fundsJourney(cast, refs);
    await organisationsJourney(cast);
    const round = await createOpenRound(t.db);
    const applicationId = await applicationsJourney(cast, round);
    await screeningJourney(cast, round);
    await staffJourney(cast, applicationId);
    await assessmentJourney();
    await awardsJourney(cast);
    await financeJourney(cast);
    await panelsJourney();
    await monitoringJourney(cast);
    await reportingJourney(cast);
    await openDataJourney(cast);
    await fundingReportJourney(cast);
    await moneyBackJourney(cast);
  }, 180_000);

  it('every answer and every accepted request body validates against the documented schema', () => {
    expect(calls.length).toBeGreaterThan(80);
    expect(calls.flatMap(problemsWith)).toEqual([]);
  });

  it('calls every documented operation successfully (or says why not)', () => {
    const succeeded = new Set(calls.filter((c) => c.status < 300).map((c) => operationFor(c.method, c.path)?.key));
    const notCalled = operations()
      .map((o) => o.key)
      .filter((key) => !succeeded.has(key) && !NOT_CALLED[key]);
    expect(notCalled).toEqual([]);
  });

  it('checks error answers too', () => {
    const errors = calls.filter((c) => c.status >= 400).map((c) => c.status);
    expect(new Set(errors)).toEqual(new Set([401, 404, 409, 422]));
  });
});
