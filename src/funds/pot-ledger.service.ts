import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatPence, parsePence, type Pence } from '../common/money.js';
import type { PageQuery } from '../common/pagination.js';
import type { LedgerEntryKind } from './pot-ledger-entry.entity.js';

/** One movement asked of the ledger. */
export interface LedgerMove {
  potId: string;
  /** Positive integer pence. */
  amountPence: Pence;
  /** Unique per movement (e.g. `decision:<id>:commit:<version>`): the same key again changes nothing and returns the first entry. */
  key: string;
  /** What caused it ('decision', 'award', 'payment', ...) and that row's id. */
  sourceType: string;
  sourceId: string;
  applicationId?: string | null;
  note?: string | null;
}

export interface LedgerEntryView {
  id: string;
  potId: string;
  kind: LedgerEntryKind;
  amountPence: Pence;
  key: string;
  sourceType: string;
  sourceId: string;
  applicationId: string | null;
  note: string | null;
  actorLabel: string;
  createdAt: string;
  /** False when the key had been used already: this is the earlier entry and nothing moved now. */
  created: boolean;
}

export interface PotMoney {
  potId: string;
  budgetPence: Pence;
  committedPence: Pence;
  paidPence: Pence;
  availablePence: Pence;
}

/** What the ledger holds for one application (or one pot): commits − releases, payments − repayments. */
export interface LedgerSums {
  netCommittedPence: Pence;
  netPaidPence: Pence;
}

export interface PotStatement extends PotMoney {
  entries: Omit<LedgerEntryView, 'created'>[];
  total: number;
  page: number;
  pageSize: number;
}

export interface LedgerFilter {
  potId?: string;
  applicationId?: string;
  sourceType?: string;
  sourceId?: string;
}

interface EntryRow {
  id: string;
  pot_id: string;
  kind: LedgerEntryKind;
  amount_pence: string;
  key: string;
  source_type: string;
  source_id: string;
  application_id: string | null;
  note: string | null;
  actor_label: string;
  created_at: Date;
}

const ENTRY_COLUMNS = 'id, pot_id, kind, amount_pence, key, source_type, source_id, application_id, note, actor_label, created_at';

const entryView = (r: EntryRow) => ({
  id: r.id,
  potId: r.pot_id,
  kind: r.kind,
  amountPence: parsePence(r.amount_pence),
  key: r.key,
  sourceType: r.source_type,
  sourceId: r.source_id,
  applicationId: r.application_id,
  note: r.note,
  actorLabel: r.actor_label,
  createdAt: r.created_at.toISOString(),
});

const potNotFound = () => new DomainError('not_found', 'POT.NOT_FOUND', 'Pot was not found');

/**
 * THE money invariant: a pot's money moves only through here. Each movement is an append-only
 * entry with a unique key, and a commit is ONE conditional UPDATE (`committed + x <= budget`) in the
 * caller's transaction, so however many approvals arrive at once none can take a pot past its
 * budget (the pots CHECK is the last line). Reports read their figures from these entries.
 */
@Injectable()
export class PotLedger {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Commits money to an approval; `409 POT.BUDGET_EXCEEDED` (with the pot's available amount) and nothing changed when it does not fit. */
  async commit(m: EntityManager, move: LedgerMove, actor: Actor): Promise<LedgerEntryView> {
    return this.move(m, 'commit', move, actor);
  }

  /** Gives committed money back (a declined, reduced, changed, withdrawn or expired offer). */
  async release(m: EntityManager, move: LedgerMove, actor: Actor): Promise<LedgerEntryView> {
    return this.move(m, 'release', move, actor);
  }

  /**
   * Records money paid out against a commitment (an award's instalment). Payments do not move the
   * pot's committed amount: paid money stays committed; the award keeps paid within its amount.
   */
  async pay(m: EntityManager, move: LedgerMove, actor: Actor): Promise<LedgerEntryView> {
    return this.move(m, 'payment', move, actor);
  }

  /** Records money that came back (an underspend or clawback repaid); release it too when it goes back to the pot. */
  async repay(m: EntityManager, move: LedgerMove, actor: Actor): Promise<LedgerEntryView> {
    return this.move(m, 'repayment', move, actor);
  }

  /** Payments minus repayments for the entries matching the filter (what an award has been paid, as the ledger sees it). */
  async netPaid(m: EntityManager, filter: LedgerFilter): Promise<Pence> {
    const { where, params } = whereOf(filter);
    const [row]: { net: string }[] = await m.query(
      `SELECT COALESCE(SUM(CASE kind WHEN 'payment' THEN amount_pence WHEN 'repayment' THEN -amount_pence ELSE 0 END), 0)::text AS net
         FROM pot_ledger_entries WHERE ${where}`,
      params,
    );
    return parsePence(row.net);
  }

  /** Commits minus releases for the entries matching the filter (what a decision or award still holds). */
  async netCommitted(m: EntityManager, filter: LedgerFilter): Promise<Pence> {
    const { where, params } = whereOf(filter);
    const [row]: { net: string }[] = await m.query(
      `SELECT COALESCE(SUM(CASE kind WHEN 'commit' THEN amount_pence WHEN 'release' THEN -amount_pence ELSE 0 END), 0)::text AS net
         FROM pot_ledger_entries WHERE ${where}`,
      params,
    );
    return parsePence(row.net);
  }

  /** Net committed and net paid per application, for many applications in one query (reconciliation); applications with no entries are 0. */
  async applicationSums(applicationIds: readonly string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, LedgerSums>> {
    return this.sumsBy('application_id', applicationIds, m);
  }

  /** Net committed and net paid per pot, from the entries alone, for many pots in one query (reconciliation against the pots' committed). */
  async potSums(potIds: readonly string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, LedgerSums>> {
    return this.sumsBy('pot_id', potIds, m);
  }

  /** Budget, committed, paid and available for several pots at once (one query), for rankings and agendas. */
  async money(potIds: readonly string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, PotMoney>> {
    const ids = potIds.filter(isUuid);
    const out = new Map<string, PotMoney>();
    if (ids.length === 0) return out;
    const rows: { id: string; budget_pence: string; committed_pence: string; paid_pence: string }[] = await m.query(
      `SELECT p.id, p.budget_pence, p.committed_pence,
              COALESCE((SELECT SUM(CASE e.kind WHEN 'payment' THEN e.amount_pence WHEN 'repayment' THEN -e.amount_pence ELSE 0 END)
                          FROM pot_ledger_entries e WHERE e.pot_id = p.id), 0)::text AS paid_pence
         FROM pots p WHERE p.id = ANY($1::uuid[])`,
      [ids],
    );
    for (const r of rows) {
      const budgetPence = parsePence(r.budget_pence);
      const committedPence = parsePence(r.committed_pence);
      out.set(r.id, { potId: r.id, budgetPence, committedPence, paidPence: parsePence(r.paid_pence), availablePence: budgetPence - committedPence });
    }
    return out;
  }

  /** The pot's money and its entries, newest first (GET /api/v1/pots/{id}/ledger). Three queries whatever the length. */
  async statement(potId: string, query: Pick<PageQuery, 'page' | 'pageSize'> = { page: 1, pageSize: 50 }): Promise<PotStatement> {
    if (!isUuid(potId)) throw potNotFound();
    const money = (await this.money([potId])).get(potId);
    if (!money) throw potNotFound();
    const [{ total }]: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM pot_ledger_entries WHERE pot_id = $1`, [potId]);
    const rows: EntryRow[] = await this.dataSource.query(
      `SELECT ${ENTRY_COLUMNS} FROM pot_ledger_entries WHERE pot_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
      [potId, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return { ...money, entries: rows.map(entryView), total, page: query.page, pageSize: query.pageSize };
  }

  private async sumsBy(column: 'application_id' | 'pot_id', ids: readonly string[], m: EntityManager): Promise<Map<string, LedgerSums>> {
    const valid = [...new Set(ids.filter(isUuid))];
    const out = new Map<string, LedgerSums>(valid.map((id) => [id, { netCommittedPence: 0, netPaidPence: 0 }]));
    if (valid.length === 0) return out;
    const rows: { id: string; committed: string; paid: string }[] = await m.query(
      `SELECT ${column} AS id,
              COALESCE(SUM(CASE kind WHEN 'commit' THEN amount_pence WHEN 'release' THEN -amount_pence ELSE 0 END), 0)::text AS committed,
              COALESCE(SUM(CASE kind WHEN 'payment' THEN amount_pence WHEN 'repayment' THEN -amount_pence ELSE 0 END), 0)::text AS paid
         FROM pot_ledger_entries WHERE ${column} = ANY($1::uuid[]) GROUP BY ${column}`,
      [valid],
    );
    for (const r of rows) out.set(r.id, { netCommittedPence: parsePence(r.committed), netPaidPence: parsePence(r.paid) });
    return out;
  }

  private async move(m: EntityManager, kind: LedgerEntryKind, move: LedgerMove, actor: Actor): Promise<LedgerEntryView> {
    if (!m.queryRunner?.isTransactionActive) throw new Error(`PotLedger.${kind} needs the use case transaction`);
    if (!Number.isSafeInteger(move.amountPence) || move.amountPence <= 0) throw new Error(`PotLedger.${kind}: amount must be positive integer pence, not ${move.amountPence}`);
    if (!isUuid(move.potId)) throw potNotFound();
    // The entry first: a second movement under the same key waits here for the first's transaction,
    // then inserts nothing and returns the earlier entry without moving money again.
    await m.query('SAVEPOINT pot_ledger_move');
    const inserted: EntryRow[] = await m.query(
      `INSERT INTO pot_ledger_entries (pot_id, kind, amount_pence, key, source_type, source_id, application_id, note, actor_user_id, actor_label)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 WHERE EXISTS (SELECT 1 FROM pots WHERE id = $1)
       ON CONFLICT ON CONSTRAINT uq_pot_ledger_entries_key DO NOTHING
       RETURNING ${ENTRY_COLUMNS}`,
      [move.potId, kind, move.amountPence, move.key, move.sourceType, move.sourceId, move.applicationId ?? null, move.note ?? null, actor.userId, actor.label],
    );
    if (inserted.length === 0) {
      await m.query('RELEASE SAVEPOINT pot_ledger_move');
      const [earlier]: EntryRow[] = await m.query(`SELECT ${ENTRY_COLUMNS} FROM pot_ledger_entries WHERE key = $1`, [move.key]);
      if (!earlier) throw potNotFound();
      if (earlier.kind !== kind || earlier.pot_id !== move.potId || parsePence(earlier.amount_pence) !== move.amountPence) {
        throw new Error(`PotLedger: key ${move.key} was used for another movement`);
      }
      return { ...entryView(earlier), created: false };
    }
    if (kind === 'payment' || kind === 'repayment') {
      // Paid money stays committed: only the entry records it (the award keeps paid within its amount).
      await m.query('RELEASE SAVEPOINT pot_ledger_move');
      const entry = entryView(inserted[0]);
      await this.audit.record(m, actor, {
        action: `pot.${kind}`,
        entityType: 'pot',
        entityId: move.potId,
        after: { entryId: entry.id, amountPence: move.amountPence, source: `${move.sourceType}:${move.sourceId}`, key: move.key },
        reason: move.note ?? null,
      });
      return { ...entry, created: true };
    }
    // node-postgres through TypeORM answers an UPDATE ... RETURNING with [rows, affected].
    const [moved]: [{ budget_pence: string; committed_pence: string }[], number] =
      kind === 'commit'
        ? await m.query(
            `UPDATE pots SET committed_pence = committed_pence + $2, updated_at = now()
              WHERE id = $1 AND committed_pence + $2 <= budget_pence RETURNING budget_pence, committed_pence`,
            [move.potId, move.amountPence],
          )
        : await m.query(
            `UPDATE pots SET committed_pence = committed_pence - $2, updated_at = now()
              WHERE id = $1 AND committed_pence >= $2 RETURNING budget_pence, committed_pence`,
            [move.potId, move.amountPence],
          );
    if (moved.length === 0) {
      // Take the entry back too, so a caller that catches the refusal keeps a true ledger.
      await m.query('ROLLBACK TO SAVEPOINT pot_ledger_move');
      const [pot]: { budget_pence: string; committed_pence: string }[] = await m.query(`SELECT budget_pence, committed_pence FROM pots WHERE id = $1`, [move.potId]);
      const budgetPence = parsePence(pot.budget_pence);
      const committedPence = parsePence(pot.committed_pence);
      if (kind === 'release') throw new Error(`PotLedger: releasing ${move.amountPence} from pot ${move.potId} would take committed below zero (${committedPence})`);
      const availablePence = budgetPence - committedPence;
      throw new DomainError(
        'conflict',
        'POT.BUDGET_EXCEEDED',
        `This would take the pot past its budget: ${formatPence(availablePence)} is available and ${formatPence(move.amountPence)} was asked for`,
        [],
        { availablePence, budgetPence, committedPence, requestedPence: move.amountPence },
      );
    }
    await m.query('RELEASE SAVEPOINT pot_ledger_move');
    const entry = entryView(inserted[0]);
    await this.audit.record(m, actor, {
      action: `pot.${kind}`,
      entityType: 'pot',
      entityId: move.potId,
      before: { committedPence: parsePence(moved[0].committed_pence) + (kind === 'commit' ? -move.amountPence : move.amountPence) },
      after: { committedPence: parsePence(moved[0].committed_pence), entryId: entry.id, amountPence: move.amountPence, source: `${move.sourceType}:${move.sourceId}`, key: move.key },
      reason: move.note ?? null,
    });
    return { ...entry, created: true };
  }
}

function whereOf(filter: LedgerFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    clauses.push(`${column} = $${params.length}`);
  };
  add('pot_id', filter.potId);
  add('application_id', filter.applicationId);
  add('source_type', filter.sourceType);
  add('source_id', filter.sourceId);
  if (clauses.length === 0) throw new Error('PotLedger.netCommitted needs a filter');
  return { where: clauses.join(' AND '), params };
}
