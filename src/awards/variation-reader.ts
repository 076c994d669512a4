import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { VariationPolicy, variationNotFound } from '../auth/policies/variation.policy.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { pageOf, type PageOf } from '../common/pagination.js';
import { PotLedger, type PotMoney } from '../funds/pot-ledger.service.js';
import { awardNotFound } from '../auth/policies/award.policy.js';
import { awardCan } from './award-lifecycle.js';
import { AwardReader, type AwardView } from './award-reader.js';
import type { VariationTerms } from './award-variation.entity.js';
import { toVariation, variationRow, type VariationRecord, type VariationRow } from './variation-records.js';
import { VARIATION_KIND_LABELS, VARIATION_STATUS_LABELS, VARIATION_STATUSES, variationCan, type VariationKind, type VariationStatus } from './variation-lifecycle.js';

/** One budget line before and after the variation. */
export interface VariationLineChange {
  budgetLineId: string;
  item: string;
  category: string;
  beforePence: number;
  afterPence: number;
  changePence: number;
}

export interface VariationView {
  id: string;
  awardId: string;
  awardReference: string;
  organisationName: string;
  kind: VariationKind;
  kindLabel: string;
  status: VariationStatus;
  statusLabel: string;
  reason: string;
  before: VariationTerms;
  proposed: VariationTerms;
  /** proposed − before amount: what approving commits (positive) or releases (negative). */
  differencePence: number;
  lines: VariationLineChange[];
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
  decidable: boolean;
  withdrawable: boolean;
}

export interface VariationListQuery {
  status?: VariationStatus;
  page: number;
  pageSize: number;
}

function lineChanges(v: VariationRecord): VariationLineChange[] {
  const after = new Map(v.proposed.budgetLines.map((l) => [l.budgetLineId, l.amountPence]));
  return v.before.budgetLines.map((l) => {
    const afterPence = after.get(l.budgetLineId) ?? l.amountPence;
    return { budgetLineId: l.budgetLineId, item: l.item, category: l.category, beforePence: l.amountPence, afterPence, changePence: afterPence - l.amountPence };
  });
}

/** A variation as the API and pages show it (pure: the caller read the award's reference and organisation name). */
export const viewOf = (v: VariationRecord, award: { reference: string; organisationName: string }): VariationView => ({
  id: v.id,
  awardId: v.awardId,
  awardReference: award.reference,
  organisationName: award.organisationName,
  kind: v.kind,
  kindLabel: VARIATION_KIND_LABELS[v.kind],
  status: v.status,
  statusLabel: VARIATION_STATUS_LABELS[v.status],
  reason: v.reason,
  before: v.before,
  proposed: v.proposed,
  differencePence: v.proposed.amountPence - v.before.amountPence,
  lines: lineChanges(v),
  requestedBy: v.requestedByLabel,
  requestedAt: v.createdAt,
  decidedBy: v.decidedByLabel,
  decidedAt: v.decidedAt,
  decisionNote: v.decisionNote,
  decidable: variationCan(v.status).decidable,
  withdrawable: variationCan(v.status).withdrawable,
});

/** Reads variations as typed views, each asking the variation policy. Lists take a fixed number of queries. */
@Injectable()
export class VariationReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: VariationPolicy,
    private readonly awards: AwardReader,
    private readonly ledger: PotLedger,
  ) {}

  /** The award's variations, newest first (404 for anyone who may not read the award). */
  async forAward(user: AuthenticatedUser, awardId: string): Promise<{ award: AwardView; items: VariationView[] }> {
    const award = await this.readableAward(user, awardId, 'award');
    const rows: VariationRow[] = await this.dataSource.query(`SELECT * FROM award_variations WHERE award_id = $1 ORDER BY created_at DESC, id DESC`, [awardId]);
    const names = { reference: award.reference, organisationName: award.organisation.name };
    return { award, items: rows.map((r) => viewOf(toVariation(r), names)) };
  }

  /** One variation with its award (404 VARIATION.NOT_FOUND for anyone who may not read the award). */
  async get(user: AuthenticatedUser, id: string): Promise<{ variation: VariationView; award: AwardView }> {
    const record = await variationRow(this.dataSource.manager, id);
    if (!record) throw variationNotFound();
    const award = await this.readableAward(user, record.awardId, 'variation');
    return { variation: viewOf(record, { reference: award.reference, organisationName: award.organisation.name }), award };
  }

  /** What a grants officer sees to decide: the variation, the award and the pot's money now. */
  async forDecision(user: AuthenticatedUser, id: string): Promise<{ variation: VariationView; award: AwardView; pot: PotMoney | null }> {
    const { variation, award } = await this.get(user, id);
    const pot = (await this.ledger.money([award.potId])).get(award.potId) ?? null;
    return { variation, award, pot };
  }

  /** Every award's variations for staff who read awards (those waiting for a decision first by default), oldest first. */
  async list(user: AuthenticatedUser, query: VariationListQuery): Promise<PageOf<VariationView>> {
    if (!this.policy.readsAll(user)) throw new DomainError('forbidden', 'VARIATION.STAFF_ONLY', 'Only staff who read awards see every variation');
    const status = query.status && (VARIATION_STATUSES as readonly string[]).includes(query.status) ? query.status : null;
    const rows: (VariationRow & { total: string; reference: string; organisation_id: string })[] = await this.dataSource.query(
      `SELECT v.*, a.reference, a.organisation_id, count(*) OVER () AS total FROM award_variations v JOIN awards a ON a.id = v.award_id
        WHERE ($1::text IS NULL OR v.status = $1) ORDER BY v.created_at, v.id LIMIT $2 OFFSET $3`,
      [status, query.pageSize, (query.page - 1) * query.pageSize],
    );
    const names = await this.awards.organisationNames(rows.map((r) => r.organisation_id));
    const items = rows.map((r) => viewOf(toVariation(r), { reference: r.reference, organisationName: names.get(r.organisation_id) ?? '' }));
    return pageOf(items, rows.length ? Number(rows[0].total) : 0, query);
  }

  private async readableAward(user: AuthenticatedUser, awardId: string, hidden: 'award' | 'variation'): Promise<AwardView> {
    const record = isUuid(awardId) ? await this.awards.record(awardId) : null;
    if (!record) throw hidden === 'award' ? awardNotFound() : variationNotFound();
    await this.policy.assert(user, { organisationId: record.organisationId, visibleToApplicant: awardCan(record.status).visibleToApplicant }, 'read', hidden);
    return (await this.awards.viewsOf([record]))[0];
  }
}
