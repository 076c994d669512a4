import { ApplicationReader } from '../../src/applications/application-reader.js';
import { randomUUID } from 'node:crypto';
import { ApplicationTransitions } from '../../src/applications/application-transitions.service.js';
import type { Actor } from '../../src/auth/actor.js';
import { AwardsService } from '../../src/awards/awards.service.js';
import { PotLedger } from '../../src/funds/pot-ledger.service.js';
import { bidInAssessment } from './assessment-factories.js';
import { createOpenRound, type TestRound } from './funding-factories.js';
import type { TestUser } from './factories.js';
import type { ApiClient } from './http.js';
import type { TestApp } from './test-app.js';

export const PANEL_ACTOR: Actor = { userId: null, label: 'test:panel' };

export interface TestAward {
  awardId: string;
  reference: string;
  decisionId: string;
  applicationId: string;
  organisationId: string;
  potId: string;
  roundId: string;
  amountPence: number;
  owner: TestUser;
  ownerToken: string;
}

/**
 * What panels will do, until panels is merged: a bid taken through assessment to approved, the
 * decision's money committed through PotLedger.commit and a provisional award created, all in one
 * transaction; `offered` also confirms it (AwardsService.offer, as confirming a meeting does).
 */
export async function approvedAward(
  t: TestApp,
  api: ApiClient,
  options: { round?: TestRound; amountPence?: number; conditions?: string[]; offered?: boolean } = {},
): Promise<TestAward> {
  const round = options.round ?? (await createOpenRound(t.db));
  const bid = await bidInAssessment(t, api, round, 300000);
  const amountPence = options.amountPence ?? 250000;
  const decisionId = randomUUID();
  const transitions = t.app.get(ApplicationTransitions);
  const { awardId, reference } = await t.db.transaction(async (m) => {
    await transitions.move(m, bid.id, 'assessed', 'system', PANEL_ACTOR);
    await transitions.move(m, bid.id, 'at_panel', 'grants_officer', PANEL_ACTOR);
    await transitions.move(m, bid.id, 'approved', 'panel_member', PANEL_ACTOR);
    await t.app.get(PotLedger).commit(
      m,
      { potId: round.pots[0].id, amountPence, key: `decision:${decisionId}:commit:1`, sourceType: 'decision', sourceId: decisionId, applicationId: bid.id },
      PANEL_ACTOR,
    );
    const budgetLines = (await t.app.get(ApplicationReader).budgetLines(bid.id, m)).map((l) => ({ budgetLineId: l.id, item: l.item, category: l.category, amountPence: l.amountPence }));
    return t.app.get(AwardsService).createProvisional(
      m,
      { decisionId, applicationId: bid.id, roundId: round.roundId, potId: round.pots[0].id, organisationId: bid.organisationId, amountPence, conditions: options.conditions ?? [], budgetLines },
      PANEL_ACTOR,
    );
  });
  if (options.offered !== false) await offer(t, [awardId]);
  return { awardId, reference, decisionId, applicationId: bid.id, organisationId: bid.organisationId, potId: round.pots[0].id, roundId: round.roundId, amountPence, owner: bid.owner, ownerToken: bid.ownerToken };
}

/** Confirms awards as a panel meeting's confirmation does. */
export async function offer(t: TestApp, awardIds: string[]): Promise<void> {
  await t.db.transaction((m) => t.app.get(AwardsService).offer(m, awardIds, PANEL_ACTOR));
}

/** The ledger entries of a pot, oldest first. */
export async function ledgerOf(t: TestApp, potId: string): Promise<{ kind: string; amount: number; key: string; source_type: string; source_id: string }[]> {
  const rows: { kind: string; amount_pence: string; key: string; source_type: string; source_id: string }[] = await t.db.query(
    `SELECT kind, amount_pence, key, source_type, source_id FROM pot_ledger_entries WHERE pot_id = $1 ORDER BY created_at, id`,
    [potId],
  );
  return rows.map((r) => ({ kind: r.kind, amount: Number(r.amount_pence), key: r.key, source_type: r.source_type, source_id: r.source_id }));
}

/** The invariant both panels and awards hold: committed = net of the ledger = sum of the committed awards. */
export async function potFigures(t: TestApp, potId: string): Promise<{ committed: number; ledgerNet: number; awards: number }> {
  const [{ committed }] = await t.db.query(`SELECT committed_pence::int AS committed FROM pots WHERE id = $1`, [potId]);
  const [{ net }] = await t.db.query(
    `SELECT COALESCE(SUM(CASE kind WHEN 'commit' THEN amount_pence WHEN 'release' THEN -amount_pence ELSE 0 END), 0)::int AS net FROM pot_ledger_entries WHERE pot_id = $1`,
    [potId],
  );
  const [{ awards }] = await t.db.query(
    `SELECT COALESCE(SUM(amount_pence), 0)::int AS awards FROM awards WHERE pot_id = $1 AND status IN ('provisional', 'offered', 'accepted', 'active', 'monitoring', 'closed')`,
    [potId],
  );
  return { committed, ledgerNet: net, awards };
}
