import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { systemActor } from '../../src/auth/actor.js';
import { DomainError } from '../../src/common/errors.js';
import { PotLedger } from '../../src/funds/pot-ledger.service.js';
import { createOrganisation, createUser, tokenFor } from '../support/factories.js';
import { createOpenRound, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The pot ledger, THE money invariant: a pot's committed amount moves only through its entries, one
 * conditional update per movement, so concurrent commits never take it past its budget; a key
 * moves money once; refused movements leave nothing behind; entries cannot be changed or deleted.
 * (The same race through the panels' HTTP API is in the panels tests.)
 */

let t: TestApp;
let api: ApiClient;
let ledger: PotLedger;
let round: TestRound;
const actor = systemActor('pot-ledger-test');

beforeAll(async () => {
  t = await startTestApp({ workers: false, smtp: false });
  api = apiClient(t.url);
  ledger = t.app.get(PotLedger);
  round = await createOpenRound(t.db, { twoPots: true });
});

afterAll(async () => {
  await t?.close();
});

/** A pot of its own with this budget (a fresh pot per test keeps the figures independent). */
async function potWithBudget(budgetPence: number): Promise<string> {
  const [pot] = await t.db.query(
    `INSERT INTO pots (round_id, name, min_grant_pence, max_grant_pence, budget_pence) VALUES ($1, $2, 0, $3, $3) RETURNING id`,
    [round.roundId, `Ledger pot ${randomUUID().slice(0, 8)}`, budgetPence],
  );
  return pot.id;
}

const inTransaction = <T>(work: (m: EntityManager) => Promise<T>) => t.db.transaction(work);
const move = (potId: string, amountPence: number, key = randomUUID()) => ({ potId, amountPence, key, sourceType: 'test', sourceId: randomUUID() });

async function committedOf(potId: string): Promise<{ committed: number; net: number; entries: number }> {
  const [row] = await t.db.query(
    `SELECT p.committed_pence::int AS committed,
            COALESCE(SUM(CASE e.kind WHEN 'commit' THEN e.amount_pence WHEN 'release' THEN -e.amount_pence END), 0)::int AS net,
            count(e.id)::int AS entries
       FROM pots p LEFT JOIN pot_ledger_entries e ON e.pot_id = p.id WHERE p.id = $1 GROUP BY p.id`,
    [potId],
  );
  return row;
}

it('commits and releases move the committed amount by exactly their entries, each audited', async () => {
  const potId = await potWithBudget(1_000_00);
  const committed = await inTransaction((m) => ledger.commit(m, move(potId, 250_00), actor));
  expect(committed).toMatchObject({ kind: 'commit', amountPence: 250_00, created: true, potId });
  await inTransaction((m) => ledger.release(m, move(potId, 100_00), actor));
  expect(await committedOf(potId)).toEqual({ committed: 150_00, net: 150_00, entries: 2 });
  const audits = await t.db.query(`SELECT action, after FROM audit_events WHERE entity_type = 'pot' AND entity_id = $1 ORDER BY id`, [potId]);
  expect(audits.map((a: any) => [a.action, a.after.committedPence])).toEqual([
    ['pot.commit', 250_00],
    ['pot.release', 150_00],
  ]);
});

it('50 concurrent £3,000 commits against a £100,000 pot: exactly 33 fit, 17 are refused with the available amount', async () => {
  const potId = await potWithBudget(100_000_00);
  const results = await Promise.allSettled(Array.from({ length: 50 }, () => inTransaction((m) => ledger.commit(m, move(potId, 3_000_00), actor))));
  const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(33);
  expect(refused).toHaveLength(17);
  for (const error of refused) {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'POT.BUDGET_EXCEEDED', status: 409, extra: { availablePence: 1_000_00, budgetPence: 100_000_00 } });
  }
  expect(await committedOf(potId)).toEqual({ committed: 99_000_00, net: 99_000_00, entries: 33 });
});

it('the same key moves money once, however often and however concurrently it is sent', async () => {
  const potId = await potWithBudget(10_000_00);
  const same = move(potId, 1_000_00);
  const results = await Promise.all(Array.from({ length: 10 }, () => inTransaction((m) => ledger.commit(m, same, actor))));
  expect(new Set(results.map((r) => r.id)).size).toBe(1);
  expect(results.filter((r) => r.created)).toHaveLength(1);
  expect(await committedOf(potId)).toEqual({ committed: 1_000_00, net: 1_000_00, entries: 1 });
  // A key used for another movement is a programming error, not a second movement.
  await expect(inTransaction((m) => ledger.commit(m, { ...same, amountPence: 2_000_00 }, actor))).rejects.toThrow(/used for another movement/);
  expect(await committedOf(potId)).toEqual({ committed: 1_000_00, net: 1_000_00, entries: 1 });
});

it('a refused commit leaves no entry even when the caller catches the refusal and commits its transaction', async () => {
  const potId = await potWithBudget(500_00);
  await inTransaction(async (m) => {
    await ledger.commit(m, move(potId, 400_00), actor);
    await expect(ledger.commit(m, move(potId, 200_00), actor)).rejects.toMatchObject({ code: 'POT.BUDGET_EXCEEDED', extra: { availablePence: 100_00 } });
    await ledger.commit(m, move(potId, 100_00), actor);
  });
  expect(await committedOf(potId)).toEqual({ committed: 500_00, net: 500_00, entries: 2 });
});

it('releasing more than is committed, a movement outside a transaction and a bad amount are refused, nothing changed', async () => {
  const potId = await potWithBudget(500_00);
  await inTransaction((m) => ledger.commit(m, move(potId, 100_00), actor));
  await expect(inTransaction((m) => ledger.release(m, move(potId, 100_01), actor))).rejects.toThrow(/below zero/);
  await expect(ledger.commit(t.db.manager, move(potId, 1_00), actor)).rejects.toThrow(/transaction/);
  for (const amount of [0, -5, 1.5, Number.NaN]) {
    await expect(inTransaction((m) => ledger.commit(m, move(potId, amount), actor))).rejects.toThrow(/positive integer pence/);
  }
  await expect(inTransaction((m) => ledger.commit(m, move(randomUUID(), 1_00), actor))).rejects.toMatchObject({ code: 'POT.NOT_FOUND' });
  expect(await committedOf(potId)).toEqual({ committed: 100_00, net: 100_00, entries: 1 });
});

it('entries are append-only: the database refuses to change or delete one', async () => {
  const potId = await potWithBudget(500_00);
  const entry = await inTransaction((m) => ledger.commit(m, move(potId, 100_00), actor));
  await expect(t.db.query(`UPDATE pot_ledger_entries SET amount_pence = 1 WHERE id = $1`, [entry.id])).rejects.toThrow(/append-only/);
  await expect(t.db.query(`DELETE FROM pot_ledger_entries WHERE id = $1`, [entry.id])).rejects.toThrow(/append-only/);
  // And the pot's CHECK is the last line behind the conditional update.
  await expect(t.db.query(`UPDATE pots SET committed_pence = budget_pence + 1 WHERE id = $1`, [potId])).rejects.toThrow(/chk_pots_committed_within_budget/);
});

it('netCommitted is what a source still holds', async () => {
  const potId = await potWithBudget(10_000_00);
  const sourceId = randomUUID();
  await inTransaction(async (m) => {
    await ledger.commit(m, { potId, amountPence: 3_000_00, key: `d:${sourceId}:1`, sourceType: 'decision', sourceId }, actor);
    await ledger.release(m, { potId, amountPence: 3_000_00, key: `d:${sourceId}:1:release`, sourceType: 'decision', sourceId }, actor);
    await ledger.commit(m, { potId, amountPence: 2_500_00, key: `d:${sourceId}:2`, sourceType: 'decision', sourceId }, actor);
    await ledger.commit(m, move(potId, 1_00), actor);
    expect(await ledger.netCommitted(m, { sourceType: 'decision', sourceId })).toBe(2_500_00);
    expect(await ledger.netCommitted(m, { potId })).toBe(2_501_00);
  });
});

describe('GET /api/v1/pots/{id}/ledger', () => {
  it('gives grants officers, finance officers and auditors the money and the entries, newest first; nobody else', async () => {
    const potId = await potWithBudget(10_000_00);
    await inTransaction((m) => ledger.commit(m, { ...move(potId, 4_000_00), note: 'first' }, actor));
    await inTransaction((m) => ledger.release(m, { ...move(potId, 1_000_00), note: 'second' }, actor));
    const expected = { potId, budgetPence: 10_000_00, committedPence: 3_000_00, paidPence: 0, availablePence: 7_000_00, total: 2 };
    for (const role of ['grants_officer', 'finance_officer', 'auditor'] as const) {
      const res = await api.get(`/api/v1/pots/${potId}/ledger`, { token: await tokenFor(t, await createUser(t.db, { roles: [role] })) });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject(expected);
      expect(res.body.entries.map((e: any) => [e.kind, e.amountPence, e.note])).toEqual([
        ['release', 1_000_00, 'second'],
        ['commit', 4_000_00, 'first'],
      ]);
    }
    for (const role of ['assessor', 'panel_member', 'administrator'] as const) {
      const res = await api.get(`/api/v1/pots/${potId}/ledger`, { token: await tokenFor(t, await createUser(t.db, { roles: [role] })) });
      expect(res.status).toBe(403);
    }
    const applicant = await createUser(t.db);
    await createOrganisation(t.db, applicant);
    expect((await api.get(`/api/v1/pots/${potId}/ledger`, { token: await tokenFor(t, applicant) })).status).toBe(403);
    expect((await api.get(`/api/v1/pots/${potId}/ledger`)).status).toBe(401);
    const officer = await tokenFor(t, await createUser(t.db, { roles: ['grants_officer'] }));
    expect((await api.get(`/api/v1/pots/${randomUUID()}/ledger`, { token: officer })).body).toMatchObject({ status: 404, code: 'POT.NOT_FOUND' });
    expect((await api.get(`/api/v1/pots/not-a-pot/ledger`, { token: officer })).status).toBe(404);
    expect((await api.get(`/api/v1/pots/${potId}/ledger?pageSize=1&page=2`, { token: officer })).body.entries.map((e: any) => e.note)).toEqual(['first']);
  });
});
