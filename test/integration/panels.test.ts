import { randomUUID } from 'node:crypto';
import { createUser, sessionCookieFor, tokenFor } from '../support/factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { assessedBids, panelCast, panelWithAgenda, type PanelCast } from '../support/panel-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Panel meetings end to end through the API: creating one, the agenda and its pack, conflicts of
 * interest, decisions and their rules, confirmation (bids moved, rejection emails, minutes) and
 * what is refused after it; who sees which meeting.
 */

let t: TestApp;
let api: ApiClient;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
});

afterAll(async () => {
  await t?.close();
});

const statusOf = async (id: string): Promise<string> => (await t.db.query(`SELECT status FROM applications WHERE id = $1`, [id]))[0].status;

describe('creating a meeting and its agenda', () => {
  let cast: PanelCast;
  beforeAll(async () => {
    cast = await panelCast(t);
  });

  it('needs members who hold the panel member role, and one chair', async () => {
    const stranger = await createUser(t.db, { roles: ['assessor'] });
    const res = await api.post(
      '/api/v1/panels',
      { roundId: cast.round.roundId, title: 'Panel', meetingAt: new Date().toISOString(), memberIds: [cast.members[0].id, stranger.id], chairId: cast.members[0].id },
      { token: cast.officerToken },
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('PANEL.MEMBER_NOT_PANEL_MEMBER');
    const ok = await api.post(
      '/api/v1/panels',
      { roundId: cast.round.roundId, title: 'Panel', meetingAt: new Date().toISOString(), memberIds: [cast.members[1].id], chairId: cast.members[0].id },
      { token: cast.officerToken },
    );
    expect(ok.status).toBe(201);
    expect(ok.body.chairId).toBe(cast.members[0].id);
    expect(ok.body.members.map((m: { userId: string }) => m.userId).sort()).toEqual([cast.members[0].id, cast.members[1].id].sort());
  });

  it('refuses wrong types and unknown rounds', async () => {
    const junk = await api.post('/api/v1/panels', { roundId: 12, title: '', meetingAt: 'soon', memberIds: 'x', chairId: null }, { token: cast.officerToken });
    expect(junk.status).toBe(422);
    const unknown = await api.post(
      '/api/v1/panels',
      { roundId: randomUUID(), title: 'Panel', meetingAt: new Date().toISOString(), memberIds: [cast.members[0].id], chairId: cast.members[0].id },
      { token: cast.officerToken },
    );
    expect(unknown.status).toBe(404);
  });

  it('moves assessed bids to at_panel and refuses bids that are not assessed or of another round', async () => {
    const [bid, other] = await assessedBids(t, cast, 2);
    const panelId = await panelWithAgenda(api, cast, []);
    await t.db.query(`UPDATE applications SET status = 'in_assessment' WHERE id = $1`, [other.id]);
    const refused = await api.post(`/api/v1/panels/${panelId}/agenda`, { applicationIds: [bid.id, other.id] }, { token: cast.officerToken });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { code: string }) => e.code)).toEqual(['PANEL.BID_NOT_READY']);
    expect(await statusOf(bid.id)).toBe('assessed');
    const elsewhere = await panelCast(t);
    const [foreign] = await assessedBids(t, elsewhere, 1);
    const wrongRound = await api.post(`/api/v1/panels/${panelId}/agenda`, { applicationIds: [foreign.id] }, { token: cast.officerToken });
    expect(wrongRound.body.code).toBe('PANEL.BID_NOT_IN_ROUND');
    const added = await api.post(`/api/v1/panels/${panelId}/agenda`, { applicationIds: [bid.id] }, { token: cast.officerToken });
    expect(added.status).toBe(200);
    expect(await statusOf(bid.id)).toBe('at_panel');
    const item = added.body.pots[0].items[0];
    expect(item).toMatchObject({ rank: 1, applicationId: bid.id, reference: bid.reference, amountRequestedPence: bid.amountPence, withinBudget: true, decision: null });
    expect(JSON.stringify(added.body)).not.toMatch(/sortCode|accountNumber/i);
  });
});

describe('a bid in full for the panel', () => {
  it('members of a meeting read its agenda bids (page and API) but not their files; a conflicted member, another meeting’s member and bids off the agenda get 404', async () => {
    const cast = await panelCast(t, { members: 3 });
    const [onAgenda, offAgenda] = await assessedBids(t, cast, 2);
    const panelId = await panelWithAgenda(api, cast, [onAgenda]);
    const [reader, conflicted] = cast.members;
    expect((await api.post('/api/v1/conflicts', { organisationId: onAgenda.organisationId, reason: 'I chair its trustees' }, { token: cast.memberTokens[1] })).status).toBe(201);
    const outsider = await createUser(t.db, { roles: ['panel_member'] });
    const page = (who: { id: string }, bidId: string) => sessionCookieFor(t, who).then((cookie) => api.get(`/staff/panels/${panelId}/applications/${bidId}`, { headers: { cookie } }));
    const shown = await page(reader, onAgenda.id);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(onAgenda.reference);
    expect(shown.text).not.toMatch(/sort code|account number/i);
    expect((await api.get(`/api/v1/applications/${onAgenda.id}`, { token: cast.memberTokens[0] })).status).toBe(200);
    expect((await api.get(`/api/v1/applications/${onAgenda.id}/attachments`, { token: cast.memberTokens[0] })).status).toBe(404);
    expect((await page(conflicted, onAgenda.id)).status).toBe(404);
    expect((await api.get(`/api/v1/applications/${onAgenda.id}`, { token: cast.memberTokens[1] })).status).toBe(404);
    expect((await page(outsider, onAgenda.id)).status).toBe(404);
    expect((await api.get(`/api/v1/applications/${onAgenda.id}`, { token: await tokenFor(t, outsider) })).status).toBe(404);
    expect((await page(reader, offAgenda.id)).status).toBe(404);
    expect((await api.get(`/api/v1/applications/${offAgenda.id}`, { token: cast.memberTokens[0] })).status).toBe(404);
    // The agenda links the bid for the member, and not for the conflicted one.
    const agenda = (who: { id: string }) => sessionCookieFor(t, who).then((cookie) => api.get(`/staff/panels/${panelId}`, { headers: { cookie } }));
    expect((await agenda(reader)).text).toContain(`/staff/panels/${panelId}/applications/${onAgenda.id}`);
    expect((await agenda(conflicted)).text).not.toContain(`/staff/panels/${panelId}/applications/${onAgenda.id}`);
  });
});

describe('the funding line on the agenda', () => {
  it('is the money available plus what this meeting’s own approvals hold; money other meetings committed is not the agenda’s', async () => {
    const cast = await panelCast(t, { budgetPence: 10_000_00 });
    const [earlier, first, second] = await assessedBids(t, cast, 3, 4_000_00);
    const before = await panelWithAgenda(api, cast, [earlier], 'Earlier panel');
    expect((await api.post(`/api/v1/panels/${before}/decisions`, { applicationId: earlier.id, outcome: 'approve' }, { token: cast.officerToken })).status).toBe(201);
    const panelId = await panelWithAgenda(api, cast, [first, second]);
    const pot = async () => (await api.get(`/api/v1/panels/${panelId}/agenda`, { token: cast.officerToken })).body.pots[0];
    // £6,000 left for £8,000 of bids: the second is below the line.
    expect(await pot()).toMatchObject({ budgetPence: 10_000_00, committedPence: 4_000_00, availablePence: 6_000_00, fundingLinePence: 6_000_00 });
    expect((await pot()).items.map((i: { withinBudget: boolean }) => i.withinBudget)).toEqual([true, false]);
    // Approving the first here does not move the line: its money is this meeting's.
    expect((await api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: first.id, outcome: 'approve' }, { token: cast.officerToken })).status).toBe(201);
    expect(await pot()).toMatchObject({ committedPence: 8_000_00, availablePence: 2_000_00, fundingLinePence: 6_000_00 });
    expect((await pot()).items.map((i: { withinBudget: boolean }) => i.withinBudget)).toEqual([true, false]);
    const page = await api.get(`/staff/panels/${panelId}`, { headers: { cookie: await sessionCookieFor(t, cast.officer) } });
    expect(page.text).toContain('below the funding line');
  });
});

describe('deciding', () => {
  it('applies the outcome rules and refuses bids not on the agenda', async () => {
    const cast = await panelCast(t);
    const [bid, off] = await assessedBids(t, cast, 2, 2_000_00);
    const panelId = await panelWithAgenda(api, cast, [bid]);
    const post = (body: Record<string, unknown>) => api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: bid.id, ...body }, { token: cast.officerToken });
    expect((await post({ outcome: 'approve', amountPence: 1_000_00 })).body.code).toBe('DECISION.AMOUNT_NOT_REQUESTED');
    expect((await post({ outcome: 'approve_in_part', amountPence: 2_000_00 })).body.code).toBe('DECISION.AMOUNT_NOT_PART');
    expect((await post({ outcome: 'approve_in_part', amountPence: 1_500_00, reducedBudgetLines: [{ budgetLineId: randomUUID(), amountPence: 1 }] })).body.code).toBe('DECISION.BUDGET_LINE_UNKNOWN');
    expect((await post({ outcome: 'approve_in_part' })).body.code).toBe('DECISION.AMOUNT_REQUIRED');
    expect((await post({ outcome: 'reject' })).body.code).toBe('DECISION.FEEDBACK_REQUIRED');
    expect((await post({ outcome: 'defer' })).body.code).toBe('DECISION.REASON_REQUIRED');
    expect((await post({ outcome: 'maybe' })).status).toBe(422);
    expect((await post({ outcome: 'approve_in_part', amountPence: '100' })).status).toBe(422);
    const notOnAgenda = await api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: off.id, outcome: 'approve' }, { token: cast.officerToken });
    expect(notOnAgenda.status).toBe(422);
    expect(notOnAgenda.body.code).toBe('PANEL.NOT_ON_AGENDA');
    const unknownPanel = await api.post(`/api/v1/panels/${randomUUID()}/decisions`, { applicationId: bid.id, outcome: 'approve' }, { token: cast.officerToken });
    expect(unknownPanel.status).toBe(404);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM panel_decisions WHERE panel_id = $1`, [panelId]);
    expect(n).toBe(0);
  });

  it('a conflicted member cannot record or change the bid’s decision (403) and the minutes show them not taking part', async () => {
    const cast = await panelCast(t, { organisations: 2 });
    const [mine, theirs] = await assessedBids(t, cast, 2);
    const panelId = await panelWithAgenda(api, cast, [mine, theirs]);
    const declared = await api.post('/api/v1/conflicts', { organisationId: mine.organisationId, reason: 'I am a trustee' }, { token: cast.memberTokens[1] });
    expect(declared.status).toBe(201);
    const refused = await api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: mine.id, outcome: 'approve' }, { token: cast.memberTokens[1] });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('PANEL.CONFLICTED');
    const byOfficer = await api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: mine.id, outcome: 'approve' }, { token: cast.officerToken });
    expect(byOfficer.status).toBe(201);
    const change = await api.put(`/api/v1/panels/${panelId}/decisions/${byOfficer.body.id}`, { outcome: 'reject', feedback: 'No' }, { token: cast.memberTokens[1] });
    expect(change.status).toBe(403);
    expect(change.body.code).toBe('PANEL.CONFLICTED');
    const other = await api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: theirs.id, outcome: 'defer', reason: 'Reserve list' }, { token: cast.memberTokens[1] });
    expect(other.status).toBe(201);
    const pack = await api.get(`/api/v1/panels/${panelId}/agenda`, { token: cast.memberTokens[0] });
    const row = pack.body.pots[0].items.find((i: { applicationId: string }) => i.applicationId === mine.id);
    expect(row.notTakingPart).toEqual([{ userId: cast.members[1].id, fullName: 'Panel Member 2' }]);
    const confirmed = await api.post(`/api/v1/panels/${panelId}/confirm`, {}, { token: cast.officerToken });
    expect(confirmed.status).toBe(200);
    const minutes = await api.get(`/api/v1/panels/${panelId}/minutes`, { token: cast.memberTokens[2] });
    expect(minutes.body.final).toBe(true);
    expect(minutes.body.attendees).toHaveLength(3);
    const item = minutes.body.items.find((i: { applicationId: string }) => i.applicationId === mine.id);
    expect(item).toMatchObject({ outcome: 'approve', amountPence: mine.amountPence, notTakingPart: [{ userId: cast.members[1].id, fullName: 'Panel Member 2' }] });
    expect(minutes.body.items.find((i: { applicationId: string }) => i.applicationId === theirs.id).notTakingPart).toEqual([]);
  });
});

describe('confirming a meeting', () => {
  it('needs a decision on every bid, then moves the bids, emails the rejected with the feedback, and makes the decisions final', async () => {
    const cast = await panelCast(t);
    const [a, b, c] = await assessedBids(t, cast, 3, 2_500_00);
    const panelId = await panelWithAgenda(api, cast, [a, b, c]);
    const decide = (body: Record<string, unknown>) => api.post(`/api/v1/panels/${panelId}/decisions`, body, { token: cast.officerToken });
    expect((await decide({ applicationId: a.id, outcome: 'approve_in_part', amountPence: 2_000_00, conditions: ['Provide an up-to-date safeguarding policy before the first payment'] })).status).toBe(201);
    expect((await decide({ applicationId: b.id, outcome: 'reject', feedback: 'The bid does not show how the sessions reduce harm.' })).status).toBe(201);
    const missing = await api.post(`/api/v1/panels/${panelId}/confirm`, {}, { token: cast.officerToken });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('PANEL.DECISIONS_MISSING');
    expect(missing.body.missing).toEqual([{ applicationId: c.id, reference: c.reference }]);
    expect((await decide({ applicationId: c.id, outcome: 'defer', reason: 'Reserve list: fund if money comes back' })).status).toBe(201);

    // A member who is not the chair cannot confirm; the chair or an officer can.
    expect((await api.post(`/api/v1/panels/${panelId}/confirm`, {}, { token: cast.memberTokens[1] })).body.code).toBe('PANEL.NOT_CHAIR');
    const key = randomUUID();
    const confirmed = await api.post(`/api/v1/panels/${panelId}/confirm`, {}, { token: cast.officerToken, headers: { 'idempotency-key': key } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', approved: 1, rejected: 1, deferred: 1 });
    const replay = await api.post(`/api/v1/panels/${panelId}/confirm`, {}, { token: cast.officerToken, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(200);
    expect(replay.text).toBe(confirmed.text);
    const twice = await api.post(`/api/v1/panels/${panelId}/confirm`, {}, { token: cast.officerToken });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('PANEL.ALREADY_CONFIRMED');

    expect([await statusOf(a.id), await statusOf(b.id), await statusOf(c.id)]).toEqual(['approved', 'rejected', 'deferred']);
    const after = await decide({ applicationId: a.id, outcome: 'approve' });
    expect(after.status).toBe(409);
    expect(after.body.code).toBe('PANEL.CONFIRMED');
    const decisions = await api.get(`/api/v1/panels/${panelId}/decisions`, { token: cast.officerToken });
    expect(decisions.body.items.map((d: { status: string }) => d.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    const [{ committed }] = await t.db.query(`SELECT committed_pence::int AS committed FROM pots WHERE id = $1`, [cast.potId]);
    expect(committed).toBe(2_000_00);

    await t.settle();
    const mails = t.mailbox.messages.filter((m) => m.text.includes(b.reference));
    expect(mails.length).toBeGreaterThan(0);
    expect(mails[0].subject).toContain('Funding decision');
    expect(mails[0].text).toContain('The bid does not show how the sessions reduce harm.');
    // The applicant reads the feedback in the bid's history (their dashboard's view of it).
    const history = await api.get(`/api/v1/applications/${b.id}/history`, { token: await tokenFor(t, cast.organisations[b === a ? 0 : 1].owner) });
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).toContain('The bid does not show how the sessions reduce harm.');
    // A deferred bid goes on a later meeting of the round.
    const later = await panelWithAgenda(api, cast, [c], 'Next panel');
    expect(await statusOf(c.id)).toBe('at_panel');
    expect((await api.get(`/api/v1/panels/${later}/agenda`, { token: cast.officerToken })).body.pots[0].items[0].applicationId).toBe(c.id);
  });
});

describe('who sees a meeting', () => {
  it('panel members see only the meetings they sit on (404 otherwise); officers and the auditor see all', async () => {
    const cast = await panelCast(t, { members: 2 });
    const [bid] = await assessedBids(t, cast, 1);
    const panelId = await panelWithAgenda(api, cast, [bid]);
    const outsider = await createUser(t.db, { roles: ['panel_member'] });
    const outsiderToken = await tokenFor(t, outsider);
    const auditor = await tokenFor(t, await createUser(t.db, { roles: ['auditor'] }));
    for (const path of ['', '/agenda', '/decisions', '/minutes']) {
      expect((await api.get(`/api/v1/panels/${panelId}${path}`, { token: outsiderToken })).status).toBe(404);
      expect((await api.get(`/api/v1/panels/${panelId}${path}`, { token: cast.memberTokens[0] })).status).toBe(200);
      expect((await api.get(`/api/v1/panels/${panelId}${path}`, { token: auditor })).status).toBe(200);
    }
    expect((await api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: bid.id, outcome: 'approve' }, { token: outsiderToken })).status).toBe(404);
    const list = await api.get('/api/v1/panels?pageSize=200', { token: outsiderToken });
    expect(list.body.items.map((p: { id: string }) => p.id)).not.toContain(panelId);
    const mine = await api.get('/api/v1/panels?pageSize=200', { token: cast.memberTokens[1] });
    expect(mine.body.items.map((p: { id: string }) => p.id)).toContain(panelId);
    expect((await api.post(`/api/v1/panels/${panelId}/decisions`, { applicationId: bid.id, outcome: 'approve' }, { token: auditor })).status).toBe(403);
  });

  it('keeps a fund’s standard conditions', async () => {
    const cast = await panelCast(t);
    expect((await api.put(`/api/v1/funds/${cast.round.fundId}/standard-conditions`, { conditions: 'all of them' }, { token: cast.officerToken })).status).toBe(422);
    const ok = await api.put(
      `/api/v1/funds/${cast.round.fundId}/standard-conditions`,
      { conditions: [' Provide an up-to-date safeguarding policy before the first payment ', ' ', 'Provide an up-to-date safeguarding policy before the first payment'] },
      { token: cast.officerToken },
    );
    expect(ok.status).toBe(200);
    expect((await api.get(`/api/v1/funds/${cast.round.fundId}/standard-conditions`, { token: cast.memberTokens[0] })).body.conditions).toEqual([
      'Provide an up-to-date safeguarding policy before the first payment',
    ]);
    expect((await api.get(`/api/v1/funds/${randomUUID()}/standard-conditions`, { token: cast.officerToken })).status).toBe(404);
  });
});
