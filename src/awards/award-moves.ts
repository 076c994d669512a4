import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { parsePence } from '../common/money.js';
import { FundsService } from '../funds/funds.service.js';
import { formatReference, RoundsService } from '../funds/rounds.service.js';
import type { ApprovedBudgetLine } from './award.entity.js';
import { assertAwardMove, type AwardActor, type AwardStatus } from './award-lifecycle.js';

/** An award's row as the awards module reads it (pence parsed). */
export interface AwardRecord {
  id: string;
  reference: string;
  decisionId: string;
  applicationId: string;
  roundId: string;
  potId: string;
  organisationId: string;
  amountPence: number;
  conditions: string[];
  budgetLines: ApprovedBudgetLine[];
  startsOn: string | null;
  endsOn: string | null;
  paidPence: number;
  releasedPence: number;
  status: AwardStatus;
  offeredAt: Date | null;
  offerExpiresAt: Date | null;
  agreementTermsId: string | null;
  agreementVersion: number | null;
  signatoryName: string | null;
  signatoryRole: string | null;
  respondedBy: string | null;
  respondedAt: Date | null;
  declineReason: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface AwardRow {
  id: string;
  reference: string;
  decision_id: string;
  application_id: string;
  round_id: string;
  pot_id: string;
  organisation_id: string;
  amount_pence: string;
  conditions: string[];
  budget_lines: ApprovedBudgetLine[];
  starts_on: string | Date | null;
  ends_on: string | Date | null;
  paid_pence: string;
  released_pence: string;
  status: AwardStatus;
  offered_at: Date | null;
  offer_expires_at: Date | null;
  agreement_terms_id: string | null;
  agreement_version: number | null;
  signatory_name: string | null;
  signatory_role: string | null;
  responded_by: string | null;
  responded_at: Date | null;
  decline_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const toRecord = (r: AwardRow): AwardRecord => ({
  id: r.id,
  reference: r.reference,
  decisionId: r.decision_id,
  applicationId: r.application_id,
  roundId: r.round_id,
  potId: r.pot_id,
  organisationId: r.organisation_id,
  amountPence: parsePence(r.amount_pence),
  conditions: r.conditions ?? [],
  budgetLines: (r.budget_lines ?? []).map((l) => ({ ...l, amountPence: Number(l.amountPence) })),
  startsOn: dateOnly(r.starts_on),
  endsOn: dateOnly(r.ends_on),
  paidPence: parsePence(r.paid_pence),
  releasedPence: parsePence(r.released_pence),
  status: r.status,
  offeredAt: r.offered_at,
  offerExpiresAt: r.offer_expires_at,
  agreementTermsId: r.agreement_terms_id,
  agreementVersion: r.agreement_version,
  signatoryName: r.signatory_name,
  signatoryRole: r.signatory_role,
  respondedBy: r.responded_by,
  respondedAt: r.responded_at,
  declineReason: r.decline_reason,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A DATE column as YYYY-MM-DD whichever way the driver hands it over. */
const dateOnly = (v: string | Date | null): string | null => (v === null ? null : typeof v === 'string' ? v.slice(0, 10) : `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`);

export const awardMissing = () => new DomainError('not_found', 'AWARD.NOT_FOUND', 'Award was not found');

/** Columns an award move may set besides its status. */
export type AwardPatch = Partial<Record<'offered_at' | 'offer_expires_at' | 'agreement_terms_id' | 'agreement_version' | 'signatory_name' | 'signatory_role' | 'responded_by' | 'responded_at' | 'decline_reason', unknown>>;

/**
 * The one place an award's row changes status: asks the lifecycle table, updates only if the
 * status is still what the caller read (under the caller's row lock), records the move in the
 * award's history and the audit trail, all in the caller's transaction.
 */
@Injectable()
export class AwardMoves {
  constructor(
    private readonly audit: AuditService,
    private readonly rounds: RoundsService,
    private readonly funds: FundsService,
  ) {}

  /** The award's row, locked for the rest of the caller's transaction; null when there is none. */
  async locked(m: EntityManager, awardId: string): Promise<AwardRecord | null> {
    if (!isUuid(awardId)) return null;
    const [row]: AwardRow[] = await m.query(`SELECT * FROM awards WHERE id = $1 FOR UPDATE`, [awardId]);
    return row ? toRecord(row) : null;
  }

  async move(m: EntityManager, award: AwardRecord, to: AwardStatus, by: AwardActor, actor: Actor, options: { reason?: string | null; patch?: AwardPatch } = {}): Promise<AwardRecord> {
    assertAwardMove(award.status, to, by);
    const patch = Object.entries(options.patch ?? {});
    const sets = patch.map(([column], i) => `${column} = $${i + 4}`);
    const result: [AwardRow[], number] | AwardRow[] = await m.query(
      `UPDATE awards SET status = $3, version = version + 1, updated_at = now()${sets.length ? ', ' + sets.join(', ') : ''} WHERE id = $1 AND status = $2 RETURNING *`,
      [award.id, award.status, to, ...patch.map(([, value]) => value)],
    );
    // node-postgres through TypeORM answers an UPDATE ... RETURNING with [rows, count].
    const rows = (Array.isArray(result[0]) ? result[0] : result) as AwardRow[];
    if (!rows.length) throw new DomainError('conflict', 'AWARD.CHANGED', 'The award was changed by someone else: reload it', [], { awardId: award.id });
    await this.history(m, award.id, award.status, to, by, actor, options.reason ?? null);
    await this.audit.record(m, actor, {
      action: `award.${to}`,
      entityType: 'award',
      entityId: award.id,
      before: { status: award.status },
      after: { status: to, ...Object.fromEntries(patch) },
      reason: options.reason ?? null,
    });
    return toRecord(rows[0]);
  }

  async history(m: EntityManager, awardId: string, from: AwardStatus | null, to: AwardStatus, by: AwardActor, actor: Actor, reason: string | null): Promise<void> {
    await m.query(`INSERT INTO award_transitions (award_id, from_status, to_status, made_as, actor_user_id, actor_label, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      awardId,
      from,
      to,
      by,
      actor.userId,
      actor.label,
      reason,
    ]);
  }

  /** The round's next award reference, e.g. SCF-AW-R17-0001 (a counter per round, in the caller's transaction). */
  async nextReference(m: EntityManager, roundId: string): Promise<string> {
    const round = await this.rounds.findRound(roundId, m);
    if (!round) throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
    const fund = await this.funds.getFund(round.fundId, m);
    const [row]: { n: number }[] = await m.query(
      `INSERT INTO award_reference_counters (round_id, last_number) VALUES ($1, 1)
       ON CONFLICT (round_id) DO UPDATE SET last_number = award_reference_counters.last_number + 1 RETURNING last_number AS n`,
      [roundId],
    );
    return formatReference(`${fund.referencePrefix}-AW`, round.code, Number(row.n));
  }
}
