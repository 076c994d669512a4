import { randomUUID } from 'node:crypto';
import { approvedAward } from '../support/award-factories.js';
import { createUser, tokenFor, type TestUser } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { acceptedAward as acceptedPayable, payFirstInstalment, verifiedBankAccount } from '../support/finance-factories.js';
import { acceptedAward, payAward, type AcceptedAward } from '../support/money-factories.js';
import { queriesDuring } from '../support/query-log.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { ReconciliationJob } from '../../src/finance/reconciliation.job.js';
import { ReconciliationScheduler } from '../../src/finance/reconciliation.scheduler.js';
import { QueueService } from '../../src/queue/queue.service.js';

/**
 * Reconciliation: on real flows (offers, acceptance, payments, variations up and down, money
 * repaid, a declined offer) every figure adds up; a difference planted straight in the database
 * (a paid figure changed, a ledger entry added with SQL) is listed with its figures, on the API
 * and in the nightly email to finance officers, which goes once a day.
 */
let t: TestApp;
let api: ApiClient;
let round: TestRound;
let finance: TestUser;
let financeToken: string;
let officerToken: string;
let a: AcceptedAward;
let b: AcceptedAward;

const reconcile = (query: string) => api.get(`/api/v1/reconciliation?${query}`, { token: financeToken });

beforeAll(async () => {
  t = await startTestApp();
  api = apiClient(t.url);
  finance = await createUser(t.db, { roles: ['finance_officer'] });
  financeToken = await tokenFor(t, finance);
  officerToken = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
  round = await createOpenRound(t.db);
  a = await acceptedAward(t, api, { round, amountPence: 250000 });
  b = await acceptedAward(t, api, { round, amountPence: 300000 });
  await payAward(t, a, 100000);
  await payAward(t, b, 300000);
  // b's amount goes up, a's down, each through an approved variation.
  const up = await api.post(`/api/v1/awards/${b.awardId}/variations`, { kind: 'amount', reason: 'More sessions', amountPence: 320000, budgetLines: [{ budgetLineId: b.lineIds[0], amountPence: 200000 }, { budgetLineId: b.lineIds[1], amountPence: 120000 }] }, { token: b.ownerToken });
  expect((await api.post(`/api/v1/variations/${up.body.id}/decision`, { outcome: 'approve' }, { token: officerToken })).status).toBe(200);
  const down = await api.post(`/api/v1/awards/${a.awardId}/variations`, { kind: 'amount', reason: 'Fewer sessions', amountPence: 200000, budgetLines: [{ budgetLineId: a.lineIds[0], amountPence: 120000 }, { budgetLineId: a.lineIds[1], amountPence: 80000 }] }, { token: a.ownerToken });
  expect((await api.post(`/api/v1/variations/${down.body.id}/decision`, { outcome: 'approve' }, { token: officerToken })).status).toBe(200);
  // Some of b comes back against a clawback, some of a as an underspend.
  const clawback = await api.post(`/api/v1/awards/${b.awardId}/clawbacks`, { amountPence: 50000, reason: 'Unspent', dueOn: '2031-06-30' }, { token: officerToken });
  expect((await api.post(`/api/v1/awards/${b.awardId}/repayments`, { amountPence: 50000, receivedOn: '2031-05-01', reference: 'BACS 1', reason: 'clawback', clawbackId: clawback.body.id }, { token: financeToken })).status).toBe(201);
  expect((await api.post(`/api/v1/awards/${a.awardId}/repayments`, { amountPence: 10000, receivedOn: '2031-05-02', reference: 'BACS 2', reason: 'underspend' }, { token: financeToken })).status).toBe(201);
  // A declined offer (its money released) and an offer still open.
  const declined = await approvedAward(t, api, { round });
  expect((await api.post(`/api/v1/awards/${declined.awardId}/decline`, { reason: 'Found other funding' }, { token: declined.ownerToken })).status).toBe(200);
  await approvedAward(t, api, { round, amountPence: 70000 });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('on real flows', () => {
  it('everything adds up, for the round and for the fund, with totals of the live awards', async () => {
    const byRound = await reconcile(`roundId=${round.roundId}`);
    expect(byRound.status).toBe(200);
    expect(byRound.body.differences).toEqual([]);
    expect(byRound.body.clean).toBe(true);
    expect(byRound.body.awards).toHaveLength(4);
    expect(byRound.body.totals).toEqual({
      awards: 3,
      amountPence: 200000 + 320000 + 70000,
      paidPence: 90000 + 250000,
      outstandingPence: 200000 - 90000 - 10000 + (320000 - 250000 - 50000) + 70000,
      releasedPence: 60000,
      ledgerCommittedPence: 190000 + 270000 + 70000,
      ledgerPaidPence: 340000,
    });
    const [pot] = byRound.body.pots;
    expect(pot).toMatchObject({ committedPence: 530000, ledgerCommittedPence: 530000, awardsCommittedPence: 530000, ledgerPaidPence: 340000, ledgerMatches: true, awardsMatch: true });
    const byFund = await reconcile(`fundId=${round.fundId}`);
    expect(byFund.body).toMatchObject({ clean: true, fundId: round.fundId, roundId: null });
    expect(byFund.body.totals).toEqual(byRound.body.totals);
  });

  it('adds up with money paid through finance’s payments (bank details verified, an instalment paid)', async () => {
    const other = await createOpenRound(t.db);
    const paidAward = await acceptedPayable(t, api, { round: other, amountPence: 300000 });
    await verifiedBankAccount(t, paidAward);
    const payment = await payFirstInstalment(t, paidAward);
    expect(payment.amountPence).toBeGreaterThan(0);
    const result = (await reconcile(`roundId=${other.roundId}`)).body;
    expect(result.differences).toEqual([]);
    expect(result.awards[0]).toMatchObject({ paidPence: payment.amountPence, ledgerPaidPence: payment.amountPence, ledgerCommittedPence: 300000, paidMatches: true, committedMatches: true });
  });

  it('takes a fixed number of queries whatever the number of awards', async () => {
    const count = async (roundId: string) =>
      (await queriesDuring(t.db, () => reconcile(`roundId=${roundId}`))).filter((q) => !/outbox|email_messages|mail_/.test(q)).length;
    const small = await createOpenRound(t.db);
    await approvedAward(t, api, { round: small });
    await count(small.roundId); // the first request also notes the token's use
    const few = await count(small.roundId);
    const many = await count(round.roundId);
    expect(many).toBe(few);
  });

  it('asks for exactly one of fund and round, and is for finance and the auditor only', async () => {
    expect((await reconcile('')).status).toBe(422);
    expect((await reconcile(`roundId=${round.roundId}&fundId=${round.fundId}`)).status).toBe(422);
    expect((await reconcile(`roundId=${randomUUID()}`)).status).toBe(404);
    expect((await api.get(`/api/v1/reconciliation?roundId=${round.roundId}`, { token: officerToken })).status).toBe(403);
    const auditor = await tokenFor(t, await createUser(t.db, { roles: ['auditor'] }));
    expect((await api.get(`/api/v1/reconciliation?roundId=${round.roundId}`, { token: auditor })).status).toBe(200);
  });
});

describe('a planted difference', () => {
  it('is found, listed with its figures, and emailed to finance officers once a day', async () => {
    const job = t.app.get(ReconciliationJob);
    await job.handle();
    await t.settle();
    expect(t.mailbox.messages.filter((m) => m.subject.startsWith('Reconciliation'))).toEqual([]);

    // Paid changed behind the ledger's back, and a commit entry nobody made through the ledger.
    await t.db.query(`UPDATE awards SET paid_pence = paid_pence + 1234 WHERE id = $1`, [a.awardId]);
    const sourceId = randomUUID();
    await t.db.query(
      `INSERT INTO pot_ledger_entries (pot_id, kind, amount_pence, key, source_type, source_id, application_id, actor_label) VALUES ($1, 'commit', 5000, $2, 'planted', $3, $4, 'test:planted')`,
      [b.potId, `planted:${sourceId}`, sourceId, b.applicationId],
    );
    const found = await reconcile(`roundId=${round.roundId}`);
    expect(found.body.clean).toBe(false);
    const brief = found.body.differences.map((d: { scope: string; label: string; check: string; expectedPence: number; actualPence: number; differencePence: number }) => [d.scope, d.label, d.check, d.expectedPence, d.actualPence, d.differencePence]);
    expect(brief).toEqual(
      expect.arrayContaining([
        ['award', a.reference, 'ledger_paid', 90000 + 1234, 90000, -1234],
        ['award', b.reference, 'ledger_committed', 270000, 275000, 5000],
        ['pot', round.pots[0].name, 'pot_ledger', 530000, 535000, 5000],
      ]),
    );
    expect(brief).toHaveLength(3);
    const row = found.body.awards.find((x: { awardId: string }) => x.awardId === a.awardId);
    expect(row).toMatchObject({ paidPence: 91234, ledgerPaidPence: 90000, paidMatches: false, committedMatches: true });

    await job.handle();
    await job.handle();
    await t.settle();
    const mails = t.mailbox.messages.filter((m) => m.subject.startsWith('Reconciliation'));
    // One email a day to each finance officer (the payments test above made a few more of them).
    const recipients = mails.flatMap((m) => m.to);
    const [{ n: officers }] = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE 'finance_officer' = ANY(roles)`);
    expect(recipients.sort()).toEqual([...new Set(recipients)].sort());
    expect(recipients).toHaveLength(officers);
    expect(recipients).toContain(finance.email);
    expect(mails[0].subject).toBe('Reconciliation: 3 differences to look at');
    expect(mails[0].text).toContain(a.reference);
    expect(mails[0].text).toContain('/staff/finance/reconciliation?fundId=');
    const [run] = await t.db.query(`SELECT differences, emailed_at FROM reconciliation_runs`);
    expect(run.differences).toBe(3);
    expect(run.emailed_at).not.toBeNull();
  });
});

describe('the nightly schedule', () => {
  it('registers finance.reconciliation once, at RECONCILIATION_HOUR London time', async () => {
    const scheduler = t.app.get(ReconciliationScheduler);
    await scheduler.schedule();
    await scheduler.schedule();
    const queue = t.app.get(QueueService).queue;
    const schedulers = (await queue.getJobSchedulers()).filter((s) => s.key === 'finance-reconciliation');
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ name: 'finance.reconciliation', pattern: `0 ${t.config.reconciliationHour} * * *`, tz: 'Europe/London' });
    await queue.removeJobScheduler('finance-reconciliation');
  });
});
