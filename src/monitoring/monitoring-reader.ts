import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { MonitoringPolicy, monitoringNotFound, readsAllReturns } from '../auth/policies/monitoring.policy.js';
import { isUuid } from '../common/ids.js';
import { pageOf, type PageOf } from '../common/pagination.js';
import type { EvidenceFileView } from '../attachments/evidence-files.service.js';
import { AwardReader, type AwardView } from '../awards/award-reader.js';
import { MonitoringReturn, type OutputLine } from './monitoring.entity.js';
import type { FinalReturnFigures, ReturnSummary } from './monitoring.types.js';
import { returnCan, RETURN_STATUS_LABELS, type ReturnStatus } from './return-lifecycle.js';
import { ReturnEvidenceService } from './return-evidence.service.js';
import { spendTable, underspend, type SpendTable } from './spend-table.js';

export type { FinalReturnFigures, ReturnSummary } from './monitoring.types.js';

/** A return as the API and pages show it. */
export interface ReturnView {
  id: string;
  awardId: string;
  award: { reference: string; status: string; statusLabel: string; roundId: string; organisation: { id: string; name: string }; amountPence: number; paidPence: number };
  number: number;
  periodLabel: string;
  monthsAfterStart: number;
  dueOn: string;
  final: boolean;
  status: ReturnStatus;
  statusLabel: string;
  /** The organisation may change it now (the lifecycle's capability). */
  editable: boolean;
  submittable: boolean;
  reviewable: boolean;
  spend: SpendTable;
  outputs: OutputLine[];
  narrative: string;
  outcomes: string;
  caseStudy: string;
  submittedAt: Date | null;
  reviewedAt: Date | null;
  reviewNote: string | null;
  /** Files uploaded with the return (receipts, photos, registers). */
  evidence: { id: string; fileName: string; contentType: string; sizeBytes: number; uploadedAt: Date }[];
  /** The final return only: paid − total spent to date, never negative (null on other returns). */
  underspendPence: number | null;
  version: number;
  updatedAt: Date;
}

export interface ReturnQueueQuery {
  status?: ReturnStatus;
  roundId?: string;
  page: number;
  pageSize: number;
}

const summary = (r: MonitoringReturn): ReturnSummary => ({
  id: r.id,
  awardId: r.awardId,
  number: r.number,
  periodLabel: r.periodLabel,
  dueOn: r.dueOn,
  final: r.final,
  status: r.status,
  submittedAt: r.submittedAt,
  reviewedAt: r.reviewedAt,
});

/**
 * Reads returns as typed views, for the API, the pages and other modules (finance, the lead's
 * closure checks). The policy is asked here for everything a person reads.
 */
@Injectable()
export class MonitoringReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly awards: AwardReader,
    private readonly policy: MonitoringPolicy,
    private readonly evidence: ReturnEvidenceService,
  ) {}

  /** Every return of these awards, by award then number (no policy: for other modules' own decisions). */
  async returnsOf(awardIds: readonly string[], m: EntityManager = this.dataSource.manager): Promise<ReturnSummary[]> {
    const ids = [...new Set(awardIds.filter(isUuid))];
    if (!ids.length) return [];
    const rows = await m.find(MonitoringReturn, { where: { awardId: In(ids) }, order: { awardId: 'ASC', number: 'ASC' } });
    return rows.map(summary);
  }

  /** The award's final return with its spend and underspend; null when the award owes none (yet). */
  async finalReturn(awardId: string, m: EntityManager = this.dataSource.manager): Promise<FinalReturnFigures | null> {
    if (!isUuid(awardId)) return null;
    const rows = await m.find(MonitoringReturn, { where: { awardId }, order: { number: 'ASC' } });
    const final = rows.find((r) => r.final);
    const award = await this.awards.viewById(awardId, m);
    if (!final || !award) return null;
    const table = spendTable(award.budgetLines, rows, final.number);
    return { returnId: final.id, status: final.status, totalSpentPence: table.totals.spentPence, underspendPence: underspend(award.paidPence, table.totals.spentPence) };
  }

  /** The award and its returns, as this person may see them (404 AWARD.NOT_FOUND otherwise). */
  async forAward(user: AuthenticatedUser, awardId: string): Promise<{ award: AwardView; returns: ReturnView[] }> {
    const award = await this.awards.viewById(awardId);
    if (!award) throw monitoringNotFound('award');
    await this.policy.assert(user, { organisationId: award.organisation.id, awardVisible: award.visibleToApplicant, editable: true }, 'read', 'award');
    const rows = await this.dataSource.manager.find(MonitoringReturn, { where: { awardId }, order: { number: 'ASC' } });
    const files = await this.evidence.of(rows.map((r) => r.id));
    return { award, returns: rows.map((r) => this.view(r, award, rows, files.get(r.id))) };
  }

  /** One return as this person may see it (404 MONITORING.RETURN_NOT_FOUND otherwise), with what they may do with it. */
  async get(user: AuthenticatedUser, returnId: string): Promise<{ ret: ReturnView; award: AwardView; mayWrite: boolean; mayReview: boolean }> {
    const row = isUuid(returnId) ? await this.dataSource.manager.findOne(MonitoringReturn, { where: { id: returnId } }) : null;
    const award = row ? await this.awards.viewById(row.awardId) : null;
    if (!row || !award) throw monitoringNotFound('return');
    const facts = { organisationId: award.organisation.id, awardVisible: award.visibleToApplicant, editable: returnCan(row.status).editable };
    await this.policy.assert(user, facts, 'read', 'return');
    const rows = await this.dataSource.manager.find(MonitoringReturn, { where: { awardId: row.awardId }, order: { number: 'ASC' } });
    const files = await this.evidence.of([row.id]);
    return {
      ret: this.view(row, award, rows, files.get(row.id)),
      award,
      mayWrite: await this.policy.allows(user, facts, 'write'),
      mayReview: returnCan(row.status).reviewable && (await this.policy.allows(user, facts, 'review')),
    };
  }

  /**
   * The staff queue across rounds: returns in a status (submitted by default, oldest first), for
   * staff who read every award; filter by round. A fixed number of queries whatever the length.
   */
  async queue(user: AuthenticatedUser, query: ReturnQueueQuery): Promise<PageOf<ReturnView>> {
    if (!readsAllReturns(user)) return pageOf([], 0, query);
    const status = query.status ?? 'submitted';
    const order = { submittedAt: 'ASC', dueOn: 'ASC', id: 'ASC' } as const;
    let pageRows: MonitoringReturn[];
    let total: number;
    let awards: Map<string, AwardView>;
    if (!query.roundId) {
      [pageRows, total] = await this.dataSource.manager.findAndCount(MonitoringReturn, { where: { status }, order, skip: (query.page - 1) * query.pageSize, take: query.pageSize });
      awards = new Map((await this.awards.byIds(pageRows.map((r) => r.awardId))).map((a) => [a.id, a]));
    } else {
      // The round is the award's: the returns in the status are read, then kept to the round's awards.
      const rows = await this.dataSource.manager.find(MonitoringReturn, { where: { status }, order });
      awards = new Map((await this.awards.byIds(rows.map((r) => r.awardId))).map((a) => [a.id, a]));
      const inScope = rows.filter((r) => awards.get(r.awardId)?.roundId === query.roundId);
      total = inScope.length;
      pageRows = inScope.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
    }
    if (!pageRows.length) return pageOf([], total, query);
    const siblings = await this.dataSource.manager.find(MonitoringReturn, { where: { awardId: In([...new Set(pageRows.map((r) => r.awardId))]) } });
    const files = await this.evidence.of(pageRows.map((r) => r.id));
    return pageOf(
      pageRows.map((r) => this.view(r, awards.get(r.awardId)!, siblings.filter((s) => s.awardId === r.awardId), files.get(r.id))),
      total,
      query,
    );
  }

  view(r: MonitoringReturn, award: AwardView, all: readonly MonitoringReturn[], files: readonly EvidenceFileView[] = []): ReturnView {
    const table = spendTable(award.budgetLines, all, r.number);
    const can = returnCan(r.status);
    return {
      id: r.id,
      awardId: r.awardId,
      award: {
        reference: award.reference,
        status: award.status,
        statusLabel: award.statusLabel,
        roundId: award.roundId,
        organisation: { id: award.organisation.id, name: award.organisation.name },
        amountPence: award.amountPence,
        paidPence: award.paidPence,
      },
      number: r.number,
      periodLabel: r.periodLabel,
      monthsAfterStart: r.monthsAfterStart,
      dueOn: r.dueOn,
      final: r.final,
      status: r.status,
      statusLabel: RETURN_STATUS_LABELS[r.status],
      editable: can.editable,
      submittable: can.submittable,
      reviewable: can.reviewable,
      spend: table,
      outputs: r.outputs,
      narrative: r.narrative,
      outcomes: r.outcomes,
      caseStudy: r.caseStudy,
      submittedAt: r.submittedAt,
      reviewedAt: r.reviewedAt,
      reviewNote: r.reviewNote,
      evidence: files.map((f) => ({ id: f.id, fileName: f.fileName, contentType: f.contentType, sizeBytes: f.sizeBytes, uploadedAt: f.uploadedAt })),
      underspendPence: r.final ? underspend(award.paidPence, table.totals.spentPence) : null,
      version: r.version,
      updatedAt: r.updatedAt,
    };
  }
}
