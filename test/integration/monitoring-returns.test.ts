import { addCalendarMonths, londonDate } from '../../src/common/dates.js';
import { AwardAcceptedJob } from '../../src/monitoring/award-accepted.job.js';
import { createUser, tokenFor, type TestUser } from '../support/factories.js';
import { createOpenRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { minimalPdf, windowsExecutable } from '../fixtures/files.js';
import { acceptedAward, budgetLinesOf, pay, returnBody, returnsOf, submitReturn, uploadEvidence } from '../support/monitoring-factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Monitoring returns through the real API: the round's schedule decides which returns an award
 * owes and when (from the project's start, or the acceptance date without one); spend is reported
 * against the approved budget lines with variance and totals; a grants officer accepts a return
 * or sends it back with a note (the owners are emailed either way); the final return shows what
 * was paid and not spent.
 */
let t: TestApp;
let api: ApiClient;
let officer: TestUser;
let officerToken: string;

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  officer = await createUser(t.db, { roles: ['grants_officer'] });
  officerToken = await tokenFor(t, officer);
});
afterAll(async () => {
  await t?.close();
});

const TWO_LINES = (lineId: string) => [
  { budgetLineId: lineId, item: 'Youth worker sessions', category: 'staff', amountPence: 200_000 },
  { budgetLineId: '9a1f1c7e-0000-4000-8000-000000000002', item: 'Venue hire', category: 'premises', amountPence: 50_000 },
];

describe('return schedules', () => {
  it('the default owes a six-month and a final twelve-month return, dated from the project’s start', async () => {
    const award = await acceptedAward(t, api);
    const [{ starts_on }] = await t.db.query(`SELECT to_char(starts_on, 'YYYY-MM-DD') AS starts_on FROM awards WHERE id = $1`, [award.awardId]);
    expect(award.returns.map(({ number, periodLabel, dueOn, final, status }) => ({ number, periodLabel, dueOn, final, status }))).toEqual([
      { number: 1, periodLabel: 'Six-month return', dueOn: addCalendarMonths(starts_on, 6), final: false, status: 'due' },
      { number: 2, periodLabel: 'Twelve-month return', dueOn: addCalendarMonths(starts_on, 12), final: true, status: 'due' },
    ]);
    // The job delivered again creates nothing more.
    await t.app.get(AwardAcceptedJob).handle({ awardId: award.awardId });
    expect(await returnsOf(t, award.awardId)).toHaveLength(2);
  });

  it('a round’s own schedule is used for awards accepted after it is set; bad schedules are refused with field errors', async () => {
    const round = await createOpenRound(t.db);
    const url = `/api/v1/rounds/${round.roundId}/return-schedule`;
    expect((await api.get(url, { token: officerToken })).body).toMatchObject({ roundId: round.roundId, custom: false, returns: [{ monthsAfterStart: 6, final: false }, { monthsAfterStart: 12, final: true }] });
    const bad = await api.put(url, { returns: [{ monthsAfterStart: 6, final: true }, { monthsAfterStart: 3, final: true }] }, { token: officerToken });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['returns.1.monthsAfterStart', 'returns']));
    const put = await api.put(url, { returns: [{ monthsAfterStart: 3, final: false }, { monthsAfterStart: 9, final: false }, { monthsAfterStart: 15, final: true }] }, { token: officerToken });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ custom: true, updatedBy: officer.email });
    expect((await api.get(`/api/v1/rounds/00000000-0000-4000-8000-000000000000/return-schedule`, { token: officerToken })).status).toBe(404);

    const award = await acceptedAward(t, api, { round });
    const [{ starts_on }] = await t.db.query(`SELECT to_char(starts_on, 'YYYY-MM-DD') AS starts_on FROM awards WHERE id = $1`, [award.awardId]);
    expect(award.returns.map((r) => [r.number, r.periodLabel, r.dueOn, r.final])).toEqual([
      [1, 'Three-month return', addCalendarMonths(starts_on, 3), false],
      [2, 'Nine-month return', addCalendarMonths(starts_on, 9), false],
      [3, 'Fifteen-month return', addCalendarMonths(starts_on, 15), true],
    ]);
  });
});

describe('writing a return', () => {
  it('shows spend per approved line to date with variance and totals; an unknown budget line is 422 and changes nothing', async () => {
    const award = await acceptedAward(t, api);
    const [line] = await budgetLinesOf(t, award.awardId);
    await t.db.query(`UPDATE awards SET budget_lines = $2 WHERE id = $1`, [award.awardId, JSON.stringify(TWO_LINES(line.budgetLineId))]);
    const lines = TWO_LINES(line.budgetLineId);
    const [first, second] = award.returns;

    const unknown = await api.post(`/api/v1/awards/${award.awardId}/returns`, returnBody([{ budgetLineId: '00000000-0000-4000-8000-00000000dead' }], [100]), { token: award.ownerToken });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('MONITORING.UNKNOWN_BUDGET_LINE');
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'spend.0.budgetLineId' })]);
    expect((await returnsOf(t, award.awardId))[0].status).toBe('due');

    const saved = await api.post(`/api/v1/awards/${award.awardId}/returns`, returnBody(lines, [80_000, 10_000], { period: 'Six-month return' }), { token: award.ownerToken });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ id: first.id, number: 1, period: 'Six-month return', status: 'draft', editable: true, final: false, underspendPence: null });
    expect(saved.body.spend.totals).toEqual({ approvedPence: 250_000, spentThisReturnPence: 90_000, spentPence: 90_000, variancePence: -160_000 });

    await api.post(`/api/v1/returns/${first.id}/submit`, undefined, { token: award.ownerToken });
    const again = await api.post(`/api/v1/awards/${award.awardId}/returns`, returnBody(lines, [150_000, 45_000], { returnId: second.id, final: true }), { token: award.ownerToken });
    expect(again.status).toBe(200);
    expect(again.body.spend.lines).toEqual([
      { budgetLineId: lines[0].budgetLineId, item: 'Youth worker sessions', category: 'staff', approvedPence: 200_000, spentThisReturnPence: 150_000, spentPence: 230_000, variancePence: 30_000 },
      { budgetLineId: lines[1].budgetLineId, item: 'Venue hire', category: 'premises', approvedPence: 50_000, spentThisReturnPence: 45_000, spentPence: 55_000, variancePence: 5_000 },
    ]);
    expect(again.body.spend.totals).toEqual({ approvedPence: 250_000, spentThisReturnPence: 195_000, spentPence: 285_000, variancePence: 35_000 });
    const read = await api.get(`/api/v1/returns/${second.id}`, { token: award.ownerToken });
    expect(read.body.spend).toEqual(again.body.spend);
  });

  it('refuses a period the award does not owe, a final flag on a return that is not final, and submitting before saving or without a narrative', async () => {
    const award = await acceptedAward(t, api);
    const lines = await budgetLinesOf(t, award.awardId);
    const post = (body: Record<string, unknown>) => api.post(`/api/v1/awards/${award.awardId}/returns`, body, { token: award.ownerToken });
    expect((await post(returnBody(lines, [1], { period: 'Forty-month return' }))).body.errors[0]).toMatchObject({ field: 'period', code: 'MONITORING.UNKNOWN_PERIOD' });
    expect((await post(returnBody(lines, [1], { period: '1', final: true }))).body.errors[0]).toMatchObject({ field: 'final', code: 'MONITORING.NOT_THE_FINAL_RETURN' });
    const submitEarly = await api.post(`/api/v1/returns/${award.returns[0].id}/submit`, undefined, { token: award.ownerToken });
    expect([submitEarly.status, submitEarly.body.code]).toEqual([409, 'MONITORING.NOT_SUBMITTABLE']);
    expect((await post(returnBody(lines, [1], { narrative: '  ' }))).status).toBe(200);
    const incomplete = await api.post(`/api/v1/returns/${award.returns[0].id}/submit`, undefined, { token: award.ownerToken });
    expect([incomplete.status, incomplete.body.code, incomplete.body.errors.map((e: { field: string }) => e.field)]).toEqual([422, 'MONITORING.INCOMPLETE', ['narrative']]);
    expect((await returnsOf(t, award.awardId))[0].status).toBe('draft');
  });
});

describe('reviewing returns', () => {
  it('the first submitted return moves a paid award to monitoring and tells the grants officers; changes asked for need a note; the owner edits and submits again; acceptance is final', async () => {
    const award = await acceptedAward(t, api);
    await pay(t, award, 100_000);
    const ret = award.returns[0];
    const submitted = await submitReturn(t, api, award, ret.id, [50_000]);
    expect(submitted).toMatchObject({ status: 'submitted', editable: false, reviewable: true });
    expect((await api.get(`/api/v1/awards/${award.awardId}`, { token: award.ownerToken })).body.status).toBe('monitoring');
    await t.mailbox.waitFor(officer.email, (m) => m.subject === `Monitoring return submitted: ${award.reference}`);
    const queue = await api.get(`/api/v1/returns?pageSize=200`, { token: officerToken });
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(ret.id);
    const ofRound = await api.get(`/api/v1/returns?roundId=${award.roundId}`, { token: officerToken });
    expect(ofRound.body).toMatchObject({ total: 1, items: [{ id: ret.id, status: 'submitted' }] });
    const otherRound = await createOpenRound(t.db);
    expect((await api.get(`/api/v1/returns?roundId=${otherRound.roundId}`, { token: officerToken })).body).toMatchObject({ total: 0, items: [] });

    const locked = await api.post(`/api/v1/awards/${award.awardId}/returns`, returnBody(await budgetLinesOf(t, award.awardId), [1], { returnId: ret.id }), { token: award.ownerToken });
    expect([locked.status, locked.body.code]).toEqual([409, 'MONITORING.RETURN_NOT_EDITABLE']);

    const noNote = await api.post(`/api/v1/returns/${ret.id}/review`, { outcome: 'changes_requested' }, { token: officerToken });
    expect([noNote.status, noNote.body.code]).toEqual([422, 'MONITORING.NOTE_REQUIRED']);
    const back = await api.post(`/api/v1/returns/${ret.id}/review`, { outcome: 'changes_requested', note: 'Please split the venue costs from the staff costs.' }, { token: officerToken });
    expect(back.body).toEqual({ id: ret.id, status: 'changes_requested' });
    const mail = await t.mailbox.waitFor(award.owner.email, (m) => m.subject === `Changes needed to your monitoring return: ${award.reference}`);
    expect(mail.text).toContain('Please split the venue costs from the staff costs.');
    expect((await api.get(`/api/v1/returns/${ret.id}`, { token: award.ownerToken })).body).toMatchObject({ status: 'changes_requested', editable: true, reviewNote: 'Please split the venue costs from the staff costs.' });

    const resubmitted = await submitReturn(t, api, award, ret.id, [60_000]);
    expect(resubmitted).toMatchObject({ status: 'submitted', spend: { totals: { spentPence: 60_000 } } });
    const accepted = await api.post(`/api/v1/returns/${ret.id}/review`, { outcome: 'accept', note: 'Thank you' }, { token: officerToken, headers: { 'idempotency-key': `accept-${ret.id}` } });
    expect(accepted.body).toEqual({ id: ret.id, status: 'accepted' });
    const replay = await api.post(`/api/v1/returns/${ret.id}/review`, { outcome: 'accept', note: 'Thank you' }, { token: officerToken, headers: { 'idempotency-key': `accept-${ret.id}` } });
    expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    await t.mailbox.waitFor(award.owner.email, (m) => m.subject === `Monitoring return accepted: ${award.reference}`);
    const twice = await api.post(`/api/v1/returns/${ret.id}/review`, { outcome: 'changes_requested', note: 'More' }, { token: officerToken });
    expect([twice.status, twice.body.code]).toEqual([409, 'MONITORING.ILLEGAL_TRANSITION']);
    const moves = await t.db.query(`SELECT from_status, to_status, made_as FROM return_transitions WHERE return_id = $1 ORDER BY created_at, id`, [ret.id]);
    expect(moves.map((x: { from_status: string; to_status: string }) => `${x.from_status}->${x.to_status}`)).toEqual(['due->draft', 'draft->submitted', 'submitted->changes_requested', 'changes_requested->submitted', 'submitted->accepted']);
  });

  it('the final return shows the underspend: paid less spent in all returns, never below nothing', async () => {
    const award = await acceptedAward(t, api);
    await pay(t, award, 200_000);
    const [first, final] = award.returns;
    await submitReturn(t, api, award, first.id, [70_000]);
    const shown = await submitReturn(t, api, award, final.id, [90_000]);
    expect(shown).toMatchObject({ final: true, underspendPence: 40_000, spend: { totals: { spentPence: 160_000 } } });
    await t.db.query(`UPDATE monitoring_returns SET spend = $2 WHERE id = $1`, [final.id, JSON.stringify([{ budgetLineId: shown.spend.lines[0].budgetLineId, spentPence: 200_000 }])]);
    expect((await api.get(`/api/v1/returns/${final.id}`, { token: officerToken })).body.underspendPence).toBe(0);
  });

  it('dates the returns from the acceptance when the bid gave no start date', async () => {
    const award = await acceptedAward(t, api, { withoutStart: true });
    const today = londonDate(new Date());
    expect(award.returns.map((r) => r.dueOn)).toEqual([addCalendarMonths(today, 6), addCalendarMonths(today, 12)]);
  });
});

describe('evidence files', () => {
  it('an owner uploads evidence while the return is editable: shown with the return, downloaded as sent, refused by type, for strangers and once submitted', async () => {
    const award = await acceptedAward(t, api);
    const other = await acceptedAward(t, api);
    const [ret] = award.returns;
    const pdf = minimalPdf();
    const uploaded = await uploadEvidence(t, award.ownerToken, ret.id, { name: 'Receipts.pdf', data: pdf, type: 'application/pdf' });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ fileName: 'Receipts.pdf', contentType: 'application/pdf', sizeBytes: pdf.length });
    const shown = await api.get(`/api/v1/returns/${ret.id}`, { token: officerToken });
    expect(shown.body.evidence).toEqual([expect.objectContaining({ id: uploaded.body.id, fileName: 'Receipts.pdf' })]);
    const download = await fetch(`${t.url}/api/v1/returns/${ret.id}/evidence/${uploaded.body.id}`, { headers: { authorization: `Bearer ${officerToken}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('attachment');
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);

    const exe = await uploadEvidence(t, award.ownerToken, ret.id, { name: 'receipts.pdf', data: windowsExecutable() });
    expect([exe.status, exe.body.code]).toEqual([415, 'ATTACHMENT.TYPE_NOT_ALLOWED']);
    const stranger = await uploadEvidence(t, other.ownerToken, ret.id, { name: 'Mine.pdf', data: pdf });
    expect([stranger.status, stranger.body.code]).toEqual([404, 'MONITORING.RETURN_NOT_FOUND']);
    expect((await fetch(`${t.url}/api/v1/returns/${ret.id}/evidence/${uploaded.body.id}`, { headers: { authorization: `Bearer ${other.ownerToken}` } })).status).toBe(404);
    const officerUpload = await uploadEvidence(t, officerToken, ret.id, { name: 'Officer.pdf', data: pdf });
    expect([officerUpload.status, officerUpload.body.code]).toEqual([403, 'MONITORING.MEMBERS_ONLY']);

    const second = await uploadEvidence(t, award.ownerToken, ret.id, { name: 'Register.pdf', data: pdf });
    expect((await api.request('DELETE', `/api/v1/returns/${ret.id}/evidence/${second.body.id}`, { token: award.ownerToken })).status).toBe(204);
    await submitReturn(t, api, award, ret.id, [1000]);
    const late = await uploadEvidence(t, award.ownerToken, ret.id, { name: 'Late.pdf', data: pdf });
    expect([late.status, late.body.code]).toEqual([409, 'MONITORING.RETURN_NOT_EDITABLE']);
    const lateDelete = await api.request('DELETE', `/api/v1/returns/${ret.id}/evidence/${uploaded.body.id}`, { token: award.ownerToken });
    expect([lateDelete.status, lateDelete.body.code]).toEqual([409, 'MONITORING.RETURN_NOT_EDITABLE']);
    const files = await t.db.query(`SELECT file_name FROM evidence_files WHERE owner_type = 'monitoring_return' AND owner_id = $1`, [ret.id]);
    expect(files).toEqual([{ file_name: 'Receipts.pdf' }]);
  });
});

