import { AWARD_MONITORING_TEXT, AWARD_PAYMENT_PLAN_TEXT, type OfferLetterText } from './award-hub.types.js';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource, type EntityManager } from 'typeorm';
import { ApplicationReader } from '../applications/application-reader.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AwardPolicy, awardNotFound } from '../auth/policies/award.policy.js';
import { isUuid } from '../common/ids.js';
import { pageOf, type PageOf } from '../common/pagination.js';
import { RoundsService } from '../funds/rounds.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { AgreementTermsService, type AgreementTermsView } from './agreement-terms.service.js';
import { awardCan, AWARD_STATUS_LABELS, AWARD_STATUSES, type AwardCapabilities, type AwardStatus } from './award-lifecycle.js';
import type { ApprovedBudgetLine } from './award.entity.js';
import { toRecord, type AwardRecord, type AwardRow } from './award-moves.js';

export interface AwardView {
  id: string;
  reference: string;
  applicationId: string;
  roundId: string;
  potId: string;
  organisation: { id: string; name: string; orgId: string };
  amountPence: number;
  /** Paid so far, net of repayments. */
  paidPence: number;
  /** Given back to the pot after acceptance (repaid and released, or the unpaid rest at closure). */
  releasedPence: number;
  /** Still to pay: amount − paid − released. */
  outstandingPence: number;
  /** The approved budget lines (what returns report spend against). */
  budgetLines: ApprovedBudgetLine[];
  startsOn: string | null;
  endsOn: string | null;
  status: AwardStatus;
  statusLabel: string;
  /** Its organisation's members see it (the lifecycle's capability), for other modules' policies. */
  visibleToApplicant: boolean;
  /** What its status allows (the lifecycle table's capabilities), for other modules that must not compare statuses. */
  capabilities: AwardCapabilities;
  conditions: string[];
  offeredAt: Date | null;
  offerExpiresAt: Date | null;
  agreementVersion: number | null;
  acceptance: { signatoryName: string; signatoryRole: string; acceptedAt: Date } | null;
  decline: { reason: string; declinedAt: Date } | null;
  createdAt: Date;
}

export interface OfferLetter {
  award: AwardView;
  projectTitle: string;
  roundTitle: string;
  organisationPostcode: string;
  terms: AgreementTermsView | null;
  /** How the grant is paid, in words (the finance issue adds schedules). */
  paymentPlan: string[];
  /** When monitoring returns are due, in words. */
  monitoring: string[];
}

export interface AwardListQuery {
  roundId?: string;
  organisationId?: string;
  status?: AwardStatus;
  page: number;
  pageSize: number;
}

/** The statuses applicants see, for the SQL of their lists. */
const VISIBLE_STATUSES = AWARD_STATUSES.filter((s) => awardCan(s).visibleToApplicant);

/**
 * Reads awards as typed views, for the API, the pages and other modules. Lists take a fixed
 * number of queries whatever their length: the caller's memberships, one page of awards with the
 * total, and the organisations' names.
 */
@Injectable()
export class AwardReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policy: AwardPolicy,
    private readonly organisations: OrganisationsService,
    private readonly applications: ApplicationReader,
    private readonly rounds: RoundsService,
    private readonly agreements: AgreementTermsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * A port a higher module provides (finance's payment plan, monitoring's returns), looked up when
   * used: those modules read awards through this reader, so asking for them at construction would
   * be a circle. Undefined when nothing provides it.
   */
  private port<T>(token: symbol): T | undefined {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch {
      return undefined;
    }
  }

  async list(user: AuthenticatedUser, query: AwardListQuery): Promise<PageOf<AwardView>> {
    const scope = await this.policy.listScope(user);
    if (scope && scope.length === 0) return pageOf([], 0, query);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (scope) {
      add('organisation_id = ANY(?::uuid[])', scope);
      add('status = ANY(?::text[])', VISIBLE_STATUSES);
    }
    for (const [column, value] of [
      ['round_id', query.roundId],
      ['organisation_id', query.organisationId],
    ] as const) {
      if (value === undefined) continue;
      if (!isUuid(value)) return pageOf([], 0, query);
      add(`${column} = ?`, value);
    }
    if (query.status) add('status = ?', query.status);
    params.push(query.pageSize, (query.page - 1) * query.pageSize);
    const rows: (AwardRow & { total: string })[] = await this.dataSource.query(
      `SELECT *, count(*) OVER () AS total FROM awards ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    const total = rows.length ? Number(rows[0].total) : await this.countWhere(where, params.slice(0, -2));
    return pageOf(await this.views(rows.map(toRecord)), total, query);
  }

  /** One award as this person may see it: 404 when they may not (another organisation's, or provisional). */
  async get(user: AuthenticatedUser, id: string, manager?: EntityManager): Promise<AwardView> {
    return (await this.visible(user, id, manager)).view;
  }

  private async visible(user: AuthenticatedUser, id: string, manager?: EntityManager): Promise<{ record: AwardRecord; view: AwardView }> {
    const record = await this.record(id, manager);
    if (!record) throw awardNotFound();
    await this.policy.assert(user, { organisationId: record.organisationId, visibleToApplicant: awardCan(record.status).visibleToApplicant }, 'read', manager);
    return { record, view: (await this.views([record], manager))[0] };
  }

  /** Whether this person may accept or decline the award (shows the buttons; the service decides). */
  async mayRespond(user: AuthenticatedUser, award: AwardView): Promise<boolean> {
    const standing = await this.policy.standing(user, award.organisation.id);
    return standing.owner && awardCan(award.status).acceptable;
  }

  /** Everything the offer letter says, as the page and the PDF show it. */
  async letter(user: AuthenticatedUser, id: string): Promise<OfferLetter> {
    const { record, view: award } = await this.visible(user, id);
    const application = await this.applications.detailById(award.applicationId);
    const round = await this.rounds.findRound(award.roundId);
    const terms = record.agreementTermsId ? await this.agreements.byId(record.agreementTermsId) : null;
    const facts = { awardId: record.id, roundId: record.roundId, payablePence: record.amountPence - record.releasedPence, startsOn: record.startsOn };
    return {
      award,
      projectTitle: application?.projectTitle ?? 'Untitled project',
      roundTitle: round?.title ?? '',
      organisationPostcode: application?.organisation.postcode ?? '',
      terms,
      paymentPlan: (await this.port<OfferLetterText>(AWARD_PAYMENT_PLAN_TEXT)?.linesFor(facts)) ?? ['How the grant is paid will follow: we will tell you when the offer is accepted.'],
      monitoring: (await this.port<OfferLetterText>(AWARD_MONITORING_TEXT)?.linesFor(facts)) ?? ['The dates of your monitoring returns will follow: we will tell you them when the grant starts.'],
    };
  }

  /** The award's row; `lock` holds it for the rest of the caller's transaction (FOR UPDATE). */
  async record(id: string, manager?: EntityManager, options: { lock?: boolean } = {}): Promise<AwardRecord | null> {
    if (!isUuid(id)) return null;
    const [row]: AwardRow[] = await (manager ?? this.dataSource.manager).query(`SELECT * FROM awards WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toRecord(row) : null;
  }

  /**
   * One award's view for another module's own access decision (monitoring's policy) or a job: no
   * policy is asked here, so the caller must ask its own; `lock` holds the row (FOR UPDATE).
   */
  async viewById(id: string, manager?: EntityManager, options: { lock?: boolean } = {}): Promise<AwardView | null> {
    const record = await this.record(id, manager, options);
    return record ? (await this.views([record], manager))[0] : null;
  }

  /** Several awards' views (one query each for the awards and their organisations), for other modules' lists; no policy asked. */
  async byIds(ids: readonly string[], manager?: EntityManager): Promise<AwardView[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    if (!valid.length) return [];
    const rows: AwardRow[] = await (manager ?? this.dataSource.manager).query(`SELECT * FROM awards WHERE id = ANY($1::uuid[])`, [valid]);
    return this.views(rows.map(toRecord), manager);
  }

  private async countWhere(where: string[], params: unknown[]): Promise<number> {
    const [row]: { n: string }[] = await this.dataSource.query(`SELECT count(*) AS n FROM awards ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`, params);
    return Number(row.n);
  }

  /** Every award of the rounds, in any status, oldest first (two queries whatever their number): for finance's reconciliation. */
  async inRounds(roundIds: string[], manager?: EntityManager): Promise<AwardView[]> {
    const ids = [...new Set(roundIds.filter(isUuid))];
    if (!ids.length) return [];
    const rows: AwardRow[] = await (manager ?? this.dataSource.manager).query(`SELECT * FROM awards WHERE round_id = ANY($1::uuid[]) ORDER BY created_at, id`, [ids]);
    return this.views(rows.map(toRecord), manager);
  }

  /** Organisation names by id (one query), for lists that show whose award a row is. */
  async organisationNames(ids: string[], manager?: EntityManager): Promise<Map<string, string>> {
    return new Map((await this.organisations.summariesByIds([...new Set(ids)], manager)).map((o) => [o.id, o.name]));
  }

  /** Views of records already read (the caller has asked the policy). */
  async viewsOf(records: AwardRecord[], manager?: EntityManager): Promise<AwardView[]> {
    return this.views(records, manager);
  }

  private async views(records: AwardRecord[], manager?: EntityManager): Promise<AwardView[]> {
    const organisations = new Map((await this.organisations.summariesByIds(records.map((r) => r.organisationId), manager)).map((o) => [o.id, o]));
    return records.map((r) => {
      const o = organisations.get(r.organisationId);
      return {
        id: r.id,
        reference: r.reference,
        applicationId: r.applicationId,
        roundId: r.roundId,
        potId: r.potId,
        organisation: { id: r.organisationId, name: o?.name ?? '', orgId: o?.orgId ?? '' },
        amountPence: r.amountPence,
        paidPence: r.paidPence,
        releasedPence: r.releasedPence,
        outstandingPence: r.amountPence - r.paidPence - r.releasedPence,
        budgetLines: r.budgetLines,
        startsOn: r.startsOn,
        endsOn: r.endsOn,
        status: r.status,
        statusLabel: AWARD_STATUS_LABELS[r.status],
        visibleToApplicant: awardCan(r.status).visibleToApplicant,
        capabilities: awardCan(r.status),
        conditions: r.conditions,
        offeredAt: r.offeredAt,
        offerExpiresAt: r.offerExpiresAt,
        agreementVersion: r.agreementVersion,
        acceptance:
          r.status !== 'declined' && r.signatoryName && r.respondedAt ? { signatoryName: r.signatoryName, signatoryRole: r.signatoryRole ?? '', acceptedAt: r.respondedAt } : null,
        decline: r.declineReason && r.respondedAt ? { reason: r.declineReason, declinedAt: r.respondedAt } : null,
        createdAt: r.createdAt,
      };
    });
  }
}
