import { AwardOfferExpiryJob } from '../../src/awards/award-expiry.job.js';
import { AwardsService } from '../../src/awards/awards.service.js';
import { approvedAward, ledgerOf, offer, PANEL_ACTOR, potFigures, type TestAward } from '../support/award-factories.js';
import { createUser, tokenFor, type TestUser } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { queriesDuring } from '../support/query-log.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Awards through the door panels calls and the API: provisional awards nobody outside sees, the
 * offer (deadline, agreement version, an email to every owner, the expiry job), accepting and
 * declining by an owner (each refusal a code with nothing changed), expiry by the job (once), the
 * money given back through the ledger (entries checked), the agreement terms per fund, and lists.
 */

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let officer: TestUser;
const tokens: Record<'officer' | 'auditor' | 'finance' | 'assessor' | 'stranger', string> = {} as never;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  officer = await createUser(t.db, { roles: ['grants_officer'] });
  tokens.officer = await tokenFor(t, officer);
  tokens.auditor = await tokenFor(t, await createUser(t.db, { roles: ['auditor'] }));
  tokens.finance = await tokenFor(t, await createUser(t.db, { roles: ['finance_officer'] }));
  tokens.assessor = await tokenFor(t, await createUser(t.db, { roles: ['assessor'] }));
  tokens.stranger = await tokenFor(t, await createUser(t.db));
});

afterAll(async () => {
  await t?.close();
});

const awardRow = async (id: string) => (await t.db.query(`SELECT * FROM awards WHERE id = $1`, [id]))[0];
const accept = (a: TestAward, body: Record<string, unknown> = {}, token = a.ownerToken) =>
  api.post(`/api/v1/awards/${a.awardId}/accept`, { signatoryName: 'Ada Owner', signatoryRole: 'Chair of trustees', agreementVersion: 1, acceptTerms: true, ...body }, { token });
const decline = (a: TestAward, reason: unknown = 'We found other funding', token = a.ownerToken) => api.post(`/api/v1/awards/${a.awardId}/decline`, { reason }, { token });
/** Everything a refused answer must leave alone. */
const snapshot = async (a: TestAward) => ({
  award: await awardRow(a.awardId),
  transitions: (await t.db.query(`SELECT count(*)::int AS n FROM award_transitions WHERE award_id = $1`, [a.awardId]))[0].n,
  ledger: await ledgerOf(t, a.potId),
  audits: (await t.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1`, [a.awardId]))[0].n,
});
const addMember = async (a: TestAward, role: 'owner' | 'member') => {
  const user = await createUser(t.db, { fullName: `Second ${role}` });
  await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, $3)`, [a.organisationId, user.id, role]);
  return { user, token: await tokenFor(t, user) };
};

describe('a provisional award (what panels creates at decision time)', () => {
  it('gets its own reference in its round and is invisible to the applicant (404) but not to staff', async () => {
    const a = await approvedAward(t, api, { round, offered: false, conditions: ['Provide an up-to-date safeguarding policy before the first payment'] });
    expect(a.reference).toMatch(/^T[0-9A-F]+-AW-R\d\d-\d{4}$/);
    const again = await approvedAward(t, api, { round, offered: false });
    expect(Number(again.reference.slice(-4))).toBe(Number(a.reference.slice(-4)) + 1);
    expect((await api.get(`/api/v1/awards/${a.awardId}`, { token: a.ownerToken })).status).toBe(404);
    expect((await api.get(`/api/v1/awards?pageSize=200`, { token: a.ownerToken })).body.items).toEqual([]);
    const staff = await api.get(`/api/v1/awards/${a.awardId}`, { token: tokens.officer });
    expect(staff.status).toBe(200);
    expect(staff.body).toMatchObject({ id: a.awardId, reference: a.reference, applicationId: a.applicationId, amountPence: 250000, paidPence: 0, status: 'provisional', agreementVersion: null, acceptance: null });
    expect(staff.body.organisation).toEqual({ id: a.organisationId, name: expect.any(String), orgId: expect.stringMatching(/^360G-test-/) });
    // Accepting what was never offered is "not found" for its own owner.
    expect((await accept(a)).status).toBe(404);
  });

  it('follows the unconfirmed decision (amount, conditions) and is cancelled with it; no ledger call', async () => {
    const a = await approvedAward(t, api, { offered: false });
    const before = await ledgerOf(t, a.potId);
    const awards = t.app.get(AwardsService);
    await t.db.transaction((m) => awards.changeProvisional(m, a.awardId, { amountPence: 120000, conditions: [' Spend it on youth work ', ''], budgetLines: [] }, PANEL_ACTOR));
    expect(await awardRow(a.awardId)).toMatchObject({ amount_pence: '120000', conditions: ['Spend it on youth work'], status: 'provisional' });
    await expect(t.db.transaction((m) => awards.changeProvisional(m, a.awardId, { amountPence: 0, conditions: [], budgetLines: [] }, PANEL_ACTOR))).rejects.toMatchObject({ code: 'AWARD.INVALID_INPUT' });
    await t.db.transaction((m) => awards.cancelProvisional(m, a.awardId, PANEL_ACTOR));
    expect((await awardRow(a.awardId)).status).toBe('cancelled');
    expect(await ledgerOf(t, a.potId)).toEqual(before);
    // A cancelled award cannot be offered or changed: coded, nothing changed.
    const snap = await snapshot(a);
    await expect(offer(t, [a.awardId])).rejects.toMatchObject({ code: 'AWARD.ILLEGAL_TRANSITION' });
    await expect(t.db.transaction((m) => awards.changeProvisional(m, a.awardId, { amountPence: 100, conditions: [], budgetLines: [] }, PANEL_ACTOR))).rejects.toMatchObject({ code: 'AWARD.NOT_PROVISIONAL' });
    await expect(t.db.transaction((m) => awards.cancelProvisional(m, a.awardId, PANEL_ACTOR))).rejects.toMatchObject({ code: 'AWARD.ILLEGAL_TRANSITION' });
    expect(await snapshot(a)).toEqual(snap);
  });
});

describe('the offer (the meeting confirmed)', () => {
  it('sets the deadline OFFER_ACCEPT_DAYS away, the current agreement version, emails every owner (not other members) once, and queues the expiry job', async () => {
    const a = await approvedAward(t, api, { offered: false, conditions: ['Provide an up-to-date safeguarding policy before the first payment'] });
    const second = await addMember(a, 'owner');
    const member = await addMember(a, 'member');
    const offeredAt = Date.now();
    await offer(t, [a.awardId]);
    await offer(t, [a.awardId]); // idempotent: already offered, nothing more
    await t.settle();
    const row = await awardRow(a.awardId);
    expect(row.status).toBe('offered');
    expect(row.agreement_version).toBe(1);
    const days = (new Date(row.offer_expires_at).getTime() - offeredAt) / 86400_000;
    expect(days).toBeGreaterThan(28);
    expect(days).toBeLessThanOrEqual(29.05);
    for (const owner of [a.owner, second.user]) await t.mailbox.waitFor(owner.email.toLowerCase(), (mail) => mail.subject.includes(a.reference));
    const mails = t.mailbox.messages.filter((mail) => mail.subject.includes(a.reference));
    expect(mails.flatMap((mail) => mail.to).sort()).toEqual([a.owner.email, second.user.email].map((e) => e.toLowerCase()).sort());
    expect(mails.flatMap((mail) => mail.to)).not.toContain(member.user.email.toLowerCase());
    expect(mails[0].text).toContain('£2,500');
    expect(mails[0].text).toContain('Provide an up-to-date safeguarding policy before the first payment');
    const jobs = await t.db.query(`SELECT payload, available_at FROM outbox WHERE job_name = 'award.offer_expiry' AND payload->>'awardId' = $1`, [a.awardId]);
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0].available_at).toISOString()).toBe(new Date(row.offer_expires_at).toISOString());
    const seen = await api.get(`/api/v1/awards/${a.awardId}`, { token: member.token });
    expect(seen.body).toMatchObject({ status: 'offered', agreementVersion: 1, offerExpiresAt: new Date(row.offer_expires_at).toISOString() });
  });
});

describe('accepting', () => {
  it('refuses every wrong answer with a code and changes nothing', async () => {
    const a = await approvedAward(t, api);
    const member = await addMember(a, 'member');
    const snap = await snapshot(a);
    const cases: [string, Promise<{ status: number; body: any }>, number, string][] = [
      ['wrong agreement version', accept(a, { agreementVersion: 2 }), 409, 'AWARD.AGREEMENT_VERSION_MISMATCH'],
      ['terms not accepted', accept(a, { acceptTerms: false }), 422, 'VALIDATION.FAILED'],
      ['acceptTerms as text', accept(a, { acceptTerms: 'yes' }), 422, 'VALIDATION.FAILED'],
      ['version as text', accept(a, { agreementVersion: 'one' }), 422, 'VALIDATION.FAILED'],
      ['no signatory', accept(a, { signatoryName: '' }), 422, 'VALIDATION.FAILED'],
      ['a member who is not an owner', accept(a, {}, member.token), 403, 'AWARD.OWNERS_ONLY'],
      ['another organisation', accept(a, {}, tokens.stranger), 404, 'AWARD.NOT_FOUND'],
      ['a grants officer', accept(a, {}, tokens.officer), 403, 'AWARD.OWNERS_ONLY'],
      ['an assessor', accept(a, {}, tokens.assessor), 404, 'AWARD.NOT_FOUND'],
    ];
    for (const [what, call, status, code] of cases) {
      const res = await call;
      expect({ what, status: res.status, code: res.body.code }).toEqual({ what, status, code });
    }
    expect((await api.post(`/api/v1/awards/00000000-0000-4000-8000-000000000000/accept`, { signatoryName: 'A', signatoryRole: 'B', agreementVersion: 1, acceptTerms: true }, { token: a.ownerToken })).status).toBe(404);
    expect((await api.post(`/api/v1/awards/not-a-uuid/accept`, { signatoryName: 'A', signatoryRole: 'B', agreementVersion: 1, acceptTerms: true }, { token: a.ownerToken })).status).toBe(404);
    expect(await snapshot(a)).toEqual(snap);
  });

  it('an owner accepts (signatory, role, version kept); twice is 409; declining after is 409; the money stays committed', async () => {
    const a = await approvedAward(t, api);
    const ok = await accept(a);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'accepted', agreementVersion: 1, acceptance: { signatoryName: 'Ada Owner', signatoryRole: 'Chair of trustees', acceptedAt: expect.any(String) } });
    const snap = await snapshot(a);
    const twice = await accept(a);
    expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'AWARD.NOT_OFFERED' });
    const late = await decline(a);
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'AWARD.NOT_OFFERED' });
    expect(await snapshot(a)).toEqual(snap);
    expect((await ledgerOf(t, a.potId)).filter((e) => e.kind === 'release')).toEqual([]);
    const history = await t.db.query(`SELECT from_status, to_status, made_as FROM award_transitions WHERE award_id = $1 ORDER BY created_at, id`, [a.awardId]);
    expect(history).toEqual([
      { from_status: null, to_status: 'provisional', made_as: 'panel' },
      { from_status: 'provisional', to_status: 'offered', made_as: 'panel' },
      { from_status: 'offered', to_status: 'accepted', made_as: 'applicant' },
    ]);
    // A job for an award already accepted does nothing.
    await t.db.query(`UPDATE awards SET offer_expires_at = now() - interval '1 day' WHERE id = $1`, [a.awardId]);
    const before = await snapshot(a);
    await t.app.get(AwardOfferExpiryJob).handle({ awardId: a.awardId });
    expect(await snapshot(a)).toEqual(before);
  });

  it('after the deadline is 409 AWARD.OFFER_EXPIRED, nothing changed', async () => {
    const a = await approvedAward(t, api);
    await t.db.query(`UPDATE awards SET offer_expires_at = now() - interval '1 minute' WHERE id = $1`, [a.awardId]);
    const snap = await snapshot(a);
    const res = await accept(a);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 409, code: 'AWARD.OFFER_EXPIRED' });
    expect((await decline(a)).body.code).toBe('AWARD.OFFER_EXPIRED');
    expect(await snapshot(a)).toEqual(snap);
  });
});

describe('declining and expiry give the money back through the ledger', () => {
  it('declining (an owner, with a reason) releases exactly the award amount under award:<id>:release', async () => {
    const r = await createOpenRound(t.db);
    const a = await approvedAward(t, api, { round: r, amountPence: 333333 });
    const kept = await approvedAward(t, api, { round: r, amountPence: 100000 });
    expect(await potFigures(t, a.potId)).toEqual({ committed: 433333, ledgerNet: 433333, awards: 433333 });
    expect((await decline(a, '')).status).toBe(422);
    expect((await decline(a, 42)).status).toBe(422);
    const res = await decline(a, 'We found other funding');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'declined', decline: { reason: 'We found other funding' }, acceptance: null });
    const entries = await ledgerOf(t, a.potId);
    expect(entries.filter((e) => e.source_id === a.awardId)).toEqual([{ kind: 'release', amount: 333333, key: `award:${a.awardId}:release`, source_type: 'award', source_id: a.awardId }]);
    expect(entries.filter((e) => e.kind === 'commit').map((e) => e.amount).sort()).toEqual([100000, 333333]);
    expect(await potFigures(t, a.potId)).toEqual({ committed: 100000, ledgerNet: 100000, awards: 100000 });
    const again = await decline(a);
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'AWARD.NOT_OFFERED' });
    expect((await accept(a)).body.code).toBe('AWARD.NOT_OFFERED');
    expect(await ledgerOf(t, a.potId)).toEqual(entries);
    expect(kept.awardId).toBeDefined();
  });

  it('the expiry job: past the deadline, offered → expired and released once, however often it is delivered; early, it waits for the deadline', async () => {
    const a = await approvedAward(t, api, { amountPence: 275050 });
    const job = t.app.get(AwardOfferExpiryJob);
    const early = await snapshot(a);
    await job.handle({ awardId: a.awardId });
    expect(await snapshot(a)).toEqual(early);
    // An early delivery looks again at the deadline itself.
    const queued = await t.db.query(`SELECT available_at FROM outbox WHERE job_name = 'award.offer_expiry' AND payload->>'awardId' = $1 ORDER BY id`, [a.awardId]);
    expect(queued.map((q: { available_at: Date }) => new Date(q.available_at).toISOString())).toEqual(Array(2).fill(new Date((await awardRow(a.awardId)).offer_expires_at).toISOString()));
    await t.db.query(`UPDATE awards SET offer_expires_at = now() - interval '1 second' WHERE id = $1`, [a.awardId]);
    await Promise.all([job.handle({ awardId: a.awardId }), job.handle({ awardId: a.awardId })]);
    await job.handle({ awardId: a.awardId });
    expect((await awardRow(a.awardId)).status).toBe('expired');
    expect((await ledgerOf(t, a.potId)).filter((e) => e.kind === 'release')).toEqual([{ kind: 'release', amount: 275050, key: `award:${a.awardId}:release`, source_type: 'award', source_id: a.awardId }]);
    expect(await potFigures(t, a.potId)).toEqual({ committed: 0, ledgerNet: 0, awards: 0 });
    const transitions = await t.db.query(`SELECT to_status, made_as, actor_label FROM award_transitions WHERE award_id = $1 AND to_status = 'expired'`, [a.awardId]);
    expect(transitions).toEqual([{ to_status: 'expired', made_as: 'system', actor_label: 'system:award.offer_expiry' }]);
    // The owner still sees it, as expired; they cannot accept it.
    expect((await api.get(`/api/v1/awards/${a.awardId}`, { token: a.ownerToken })).body.status).toBe('expired');
    expect((await accept(a)).body.code).toBe('AWARD.NOT_OFFERED');
    await job.handle({ awardId: '00000000-0000-4000-8000-000000000000' });
  });
});

describe('withdrawing an offer (a grants officer)', () => {
  it('releases the money once; refused for other roles and once answered', async () => {
    const a = await approvedAward(t, api, { amountPence: 64000 });
    expect((await api.post(`/api/v1/awards/${a.awardId}/withdraw`, { reason: 'Sent in error' }, { token: a.ownerToken })).status).toBe(403);
    expect((await api.post(`/api/v1/awards/${a.awardId}/withdraw`, { reason: 'Sent in error' }, { token: tokens.auditor })).status).toBe(403);
    expect((await api.post(`/api/v1/awards/${a.awardId}/withdraw`, { reason: '' }, { token: tokens.officer })).status).toBe(422);
    const res = await api.post(`/api/v1/awards/${a.awardId}/withdraw`, { reason: 'The organisation has closed' }, { token: tokens.officer });
    expect({ status: res.status, award: res.body.status }).toEqual({ status: 200, award: 'withdrawn' });
    expect((await ledgerOf(t, a.potId)).filter((e) => e.kind === 'release')).toEqual([{ kind: 'release', amount: 64000, key: `award:${a.awardId}:release`, source_type: 'award', source_id: a.awardId }]);
    const snap = await snapshot(a);
    const again = await api.post(`/api/v1/awards/${a.awardId}/withdraw`, { reason: 'Again' }, { token: tokens.officer });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'AWARD.ILLEGAL_TRANSITION' });
    expect((await accept(a)).body.code).toBe('AWARD.NOT_OFFERED');
    expect(await snapshot(a)).toEqual(snap);
    expect((await api.get(`/api/v1/awards/${a.awardId}`, { token: a.ownerToken })).body.status).toBe('withdrawn');
    const accepted = await approvedAward(t, api);
    await accept(accepted);
    expect((await api.post(`/api/v1/awards/${accepted.awardId}/withdraw`, { reason: 'Too late' }, { token: tokens.officer })).body.code).toBe('AWARD.ILLEGAL_TRANSITION');
    expect((await api.post(`/api/v1/awards/00000000-0000-4000-8000-000000000000/withdraw`, { reason: 'Nothing' }, { token: tokens.officer })).status).toBe(404);
  });
});

describe('answers at once', () => {
  it('two owners accepting and declining together: exactly one wins, the other is 409, the ledger agrees', async () => {
    const a = await approvedAward(t, api, { amountPence: 150000 });
    const second = await addMember(a, 'owner');
    const answers = await Promise.all([
      ...Array.from({ length: 5 }, () => accept(a)),
      ...Array.from({ length: 5 }, () => decline(a, 'Changed our minds', second.token)),
    ]);
    const won = answers.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(answers.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(9).fill('AWARD.NOT_OFFERED'));
    const status = (await awardRow(a.awardId)).status;
    expect(won[0].body.status).toBe(status);
    const releases = (await ledgerOf(t, a.potId)).filter((e) => e.kind === 'release');
    expect(releases.map((e) => e.amount)).toEqual(status === 'declined' ? [150000] : []);
    const figures = await potFigures(t, a.potId);
    expect(figures.committed).toBe(figures.ledgerNet);
    expect(figures.committed).toBe(figures.awards);
  });
});

describe('grant agreement terms, versioned per fund', () => {
  it('starts with the default as version 1; a grants officer publishes version 2; offers use the version current when made', async () => {
    const r = await createOpenRound(t.db);
    const [{ fund_id: fundId }] = await t.db.query(`SELECT fund_id FROM rounds WHERE id = $1`, [r.roundId]);
    const first = await api.get(`/api/v1/funds/${fundId}/agreement`, { token: tokens.officer });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ fundId, version: 1, publishedBy: 'system:default-terms' });
    for (const part of ['Use of the grant', 'Reporting', 'Publicity', 'Repayment of unspent or misused money', 'Safeguarding', 'Data protection']) expect(first.body.text).toContain(part);
    const before = await approvedAward(t, api, { round: r });
    const text = 'Version two of the terms: use the money for the project only, report on it and repay what is unspent.';
    expect((await api.put(`/api/v1/funds/${fundId}/agreement`, { text }, { token: tokens.auditor })).status).toBe(403);
    expect((await api.put(`/api/v1/funds/${fundId}/agreement`, { text }, { token: before.ownerToken })).status).toBe(403);
    expect((await api.put(`/api/v1/funds/${fundId}/agreement`, { text: 12 }, { token: tokens.officer })).status).toBe(422);
    expect((await api.put(`/api/v1/funds/00000000-0000-4000-8000-000000000000/agreement`, { text }, { token: tokens.officer })).status).toBe(404);
    const put = await api.put(`/api/v1/funds/${fundId}/agreement`, { text }, { token: tokens.officer });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, text });
    expect((await api.get(`/api/v1/funds/${fundId}/agreement`, { token: tokens.auditor })).body.version).toBe(2);
    const after = await approvedAward(t, api, { round: r });
    expect((await api.get(`/api/v1/awards/${after.awardId}`, { token: after.ownerToken })).body.agreementVersion).toBe(2);
    expect((await api.get(`/api/v1/awards/${before.awardId}`, { token: before.ownerToken })).body.agreementVersion).toBe(1);
    expect((await accept(after, { agreementVersion: 1 })).body.code).toBe('AWARD.AGREEMENT_VERSION_MISMATCH');
    expect((await accept(before, { agreementVersion: 1 })).status).toBe(200);
    expect((await api.get(`/api/v1/funds/${fundId}/agreement`, { token: after.ownerToken })).status).toBe(403);
  });
});

describe('lists', () => {
  it('staff see every award, applicants only their organisations’ (never provisional); filters and pages; a fixed number of queries', async () => {
    const r = await createOpenRound(t.db);
    const mine = await approvedAward(t, api, { round: r });
    const provisional = await approvedAward(t, api, { round: r, offered: false });
    await t.db.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [provisional.organisationId, mine.owner.id]);
    const other = await approvedAward(t, api, { round: r });
    const staff = await api.get(`/api/v1/awards?roundId=${r.roundId}&pageSize=200`, { token: tokens.finance });
    expect(staff.body.items.map((i: any) => i.id).sort()).toEqual([mine.awardId, provisional.awardId, other.awardId].sort());
    expect(staff.body.total).toBe(3);
    const own = await api.get(`/api/v1/awards?pageSize=200`, { token: mine.ownerToken });
    expect(own.body.items.map((i: any) => i.id)).toEqual([mine.awardId]);
    expect((await api.get(`/api/v1/awards?organisationId=${other.organisationId}`, { token: mine.ownerToken })).body.items).toEqual([]);
    expect((await api.get(`/api/v1/awards/${other.awardId}`, { token: mine.ownerToken })).status).toBe(404);
    expect((await api.get(`/api/v1/awards?roundId=${r.roundId}&status=provisional`, { token: tokens.officer })).body.items.map((i: any) => i.id)).toEqual([provisional.awardId]);
    const paged = await api.get(`/api/v1/awards?roundId=${r.roundId}&pageSize=2&page=2`, { token: tokens.officer });
    expect({ n: paged.body.items.length, total: paged.body.total, page: paged.body.page }).toEqual({ n: 1, total: 3, page: 2 });
    expect((await api.get(`/api/v1/awards?status=nonsense`, { token: tokens.officer })).status).toBe(422);
    expect((await api.get(`/api/v1/awards?roundId=nope`, { token: tokens.officer })).status).toBe(422);
    expect((await api.get(`/api/v1/awards`, { token: tokens.assessor })).body.items).toEqual([]);

    const count = async (token: string, path: string) => (await queriesDuring(t.db, () => api.get(path, { token }))).filter((q) => !/^(START|COMMIT|ROLLBACK|SELECT 1)/i.test(q) && !q.includes('api_tokens') && !q.includes('users') && !/\b(outbox|email_messages)\b/.test(q)).length;
    const few = await count(tokens.officer, `/api/v1/awards?roundId=${r.roundId}&pageSize=1`);
    const many = await count(tokens.officer, `/api/v1/awards?pageSize=200`);
    // One page of awards with its total, and the organisations' names; an applicant's adds their memberships.
    expect({ few, many }).toEqual({ few: 2, many: 2 });
    expect(await count(mine.ownerToken, `/api/v1/awards?pageSize=200`)).toBe(3);
  });
});
