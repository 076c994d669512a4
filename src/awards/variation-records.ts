import type { EntityManager } from 'typeorm';
import { isUuid } from '../common/ids.js';
import type { VariationTerms } from './award-variation.entity.js';
import type { VariationKind, VariationStatus } from './variation-lifecycle.js';

/** A variation's row as the awards module reads it. */
export interface VariationRecord {
  id: string;
  awardId: string;
  kind: VariationKind;
  status: VariationStatus;
  reason: string;
  before: VariationTerms;
  proposed: VariationTerms;
  requestedBy: string | null;
  requestedByLabel: string;
  decidedBy: string | null;
  decidedByLabel: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface VariationRow {
  id: string;
  award_id: string;
  kind: VariationKind;
  status: VariationStatus;
  reason: string;
  before: VariationTerms;
  proposed: VariationTerms;
  requested_by: string | null;
  requested_by_label: string;
  decided_by: string | null;
  decided_by_label: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const terms = (t: VariationTerms): VariationTerms => ({
  amountPence: Number(t.amountPence),
  budgetLines: (t.budgetLines ?? []).map((l) => ({ ...l, amountPence: Number(l.amountPence) })),
  endsOn: t.endsOn ?? null,
});

export const toVariation = (r: VariationRow): VariationRecord => ({
  id: r.id,
  awardId: r.award_id,
  kind: r.kind,
  status: r.status,
  reason: r.reason,
  before: terms(r.before),
  proposed: terms(r.proposed),
  requestedBy: r.requested_by,
  requestedByLabel: r.requested_by_label,
  decidedBy: r.decided_by,
  decidedByLabel: r.decided_by_label,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** One variation's row (locked for the caller's transaction when asked); null when there is none. */
export async function variationRow(m: EntityManager, id: string, lock = false): Promise<VariationRecord | null> {
  if (!isUuid(id)) return null;
  const [row]: VariationRow[] = await m.query(`SELECT * FROM award_variations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row ? toVariation(row) : null;
}
