import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { isUuid } from '../common/ids.js';
import { parsePence } from '../common/money.js';
import type { FormDefinition } from '../forms/form.types.js';
import { RoundsService } from '../funds/rounds.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { ApplicationAccess } from './application-access.js';
import { APPLICATION_FILES, type ApplicationFiles } from './application-files.types.js';
import { STATUS_LABELS } from './application-lifecycle.js';
import type { ProjectDetailsInput } from './application-rules.js';
import { Application, type ApplicationStatus } from './application.entity.js';
import type { SectionStatus } from './application-section.entity.js';
import {
  BUDGET_SECTION,
  BUILT_IN_SECTIONS,
  PROJECT_SECTION,
  type ApplicationContext,
  type ApplicationDetail,
  type ApplicationFilters,
  type ApplicationSummary,
  type AttachmentView,
  type BudgetLineView,
  type SectionView,
  type TransitionView,
} from './application-views.js';
import { fullNamesOf } from './application-views.js';

/** The screening queue's order: resubmitted bids first (by resubmission), then the oldest submitted. */
const SCREENING_ORDER = `a.resubmitted_at IS NULL, a.resubmitted_at, a.submitted_at`;

/** Rows of the reader's own SQL (applications' tables), as PostgreSQL returns them (bigint as text). */
export interface BudgetLineRow {
  id: string;
  item: string;
  category: string;
  amount_pence: string;
  other_funding_pence: string | null;
  other_funding_source: string | null;
  position: number;
  version: number;
  updated_at: Date;
}
interface TransitionRow {
  id: string;
  from_status: string | null;
  to_status: string;
  actor_user_id: string | null;
  actor_label: string;
  reason: string | null;
  occurred_at: Date;
}
interface SummaryRow {
  id: string;
  reference: string | null;
  status: ApplicationStatus;
  project_title: string | null;
  amount_requested_pence: string;
  submitted_at: Date | null;
  resubmitted_at: Date | null;
  updated_at: Date;
  round_id: string;
  pot_id: string;
  organisation_id: string;
}

/** The least other domains need to know of a bid (screening, panels, attachments). */
export interface ApplicationRef {
  id: string;
  reference: string | null;
  status: ApplicationStatus;
  roundId: string;
  potId: string;
  organisationId: string;
  amountRequestedPence: number;
  submittedBy: string | null;
  projectTitle: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const refOf = (app: Application): ApplicationRef => ({
  id: app.id,
  reference: app.reference,
  status: app.status,
  roundId: app.roundId,
  potId: app.potId,
  organisationId: app.organisationId,
  amountRequestedPence: parsePence(app.amountRequestedPence),
  submittedBy: app.submittedBy,
  projectTitle: app.projectTitle,
});

/**
 * Reads bids as typed views. Queries only this module's tables; rounds, pots, organisations,
 * districts, priorities and people's names come from their own modules' services.
 */
@Injectable()
export class ApplicationReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly referenceData: ReferenceDataService,
    private readonly people: PeopleReader,
    @Inject(APPLICATION_FILES) private readonly files: ApplicationFiles,
  ) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  // ---- for other domains ----------------------------------------------------------------------

  /** A bid's identity and status, or null (no access check: the caller has decided access). */
  async find(id: string, manager?: EntityManager): Promise<ApplicationRef | null> {
    if (!isUuid(id)) return null;
    const app = await this.m(manager).findOne(Application, { where: { id } });
    return app ? refOf(app) : null;
  }

  /** The same, with the bid's row locked for the rest of the caller's transaction (so two screenings never interleave). */
  async locked(m: EntityManager, id: string): Promise<ApplicationRef | null> {
    if (!isUuid(id)) return null;
    const app = await m.findOne(Application, { where: { id }, lock: { mode: 'pessimistic_write' } });
    return app ? refOf(app) : null;
  }

  /** A bid in full by id, for other domains' jobs (no access check: the caller has decided access), or null. */
  async detailById(id: string, manager?: EntityManager): Promise<ApplicationDetail | null> {
    if (!isUuid(id)) return null;
    const app = await this.m(manager).findOne(Application, { where: { id } });
    return app ? this.detail(app, manager) : null;
  }

  /** Several bids' identities at once (one query; ids with no bid are missing), with when each was submitted. */
  async refsByIds(ids: readonly string[], manager?: EntityManager): Promise<(ApplicationRef & { submittedAt: Date | null })[]> {
    const valid = [...new Set(ids.filter((id) => isUuid(id)))];
    if (!valid.length) return [];
    const apps = await this.m(manager).find(Application, { where: { id: In(valid) } });
    return apps.map((app) => ({ ...refOf(app), submittedAt: app.submittedAt }));
  }

  // ---- who may read ---------------------------------------------------------------------------

  /** A bid the person may read (a member's, or any for staff who read all bids), in full. */
  async get(user: AuthenticatedUser, id: string): Promise<ApplicationDetail> {
    return this.detail(await this.access.readable(user, id));
  }

  /**
   * A bid of one of the person's own organisations, whatever staff roles they hold: the applicant
   * pages show only these (staff who are not members use the staff pages).
   */
  async ownBid(user: AuthenticatedUser, id: string, manager?: EntityManager): Promise<Application> {
    return this.access.ownReadable(user, id, manager);
  }

  async ownDetail(user: AuthenticatedUser, id: string): Promise<ApplicationDetail> {
    return this.detail(await this.ownBid(user, id));
  }

  // ---- views ----------------------------------------------------------------------------------

  async detail(app: Application, manager?: EntityManager): Promise<ApplicationDetail> {
    const m = this.m(manager);
    const round = await this.rounds.findRound(app.roundId, m);
    const pot = await this.rounds.potScope(app.potId, m);
    const [organisation] = await this.organisations.summariesByIds([app.organisationId], m);
    const links = await this.projectLinks(app.id, m);
    const districts = await this.referenceData.districtsByIds(links.districtIds, m);
    const priorities = await this.referenceData.prioritiesByIds(links.priorityIds, m);
    priorities.sort((a, b) => (a.outcome?.position ?? 0) - (b.outcome?.position ?? 0) || a.position - b.position || a.name.localeCompare(b.name));
    const form = await this.formOf(app, m);
    return {
      id: app.id,
      reference: app.reference,
      status: app.status,
      statusLabel: STATUS_LABELS[app.status],
      version: app.version,
      round: { id: app.roundId, code: round?.code ?? '', title: round?.title ?? '', closesAt: round?.closesAt as Date, status: round?.status ?? '' },
      pot: {
        id: app.potId,
        name: pot?.name ?? '',
        minGrantPence: pot?.minGrantPence ?? 0,
        maxGrantPence: pot?.maxGrantPence ?? 0,
        postcodeDistricts: pot?.postcodeDistricts ?? [],
      },
      organisation: {
        id: app.organisationId,
        name: organisation?.name ?? '',
        orgId: organisation?.orgId ?? '',
        contactEmail: organisation?.contactEmail ?? '',
        postcode: organisation?.postcode ?? '',
      },
      formId: app.formId,
      projectTitle: app.projectTitle,
      projectSummary: app.projectSummary,
      projectStartDate: app.projectStartDate,
      projectEndDate: app.projectEndDate,
      districts: districts.map((d) => ({ id: d.id, name: d.name, gssCode: d.gssCode })),
      priorities: priorities.map((p) => ({ id: p.id, code: p.code, name: p.name })),
      amountRequestedPence: parsePence(app.amountRequestedPence),
      sections: await this.sections(app.id, form, m),
      budgetLines: await this.budgetLines(app.id, m),
      attachments: await this.attachments(app.id, m),
      declarationName: app.declarationName,
      submittedAt: app.submittedAt,
      withdrawnAt: app.withdrawnAt,
      moreInformation:
        app.status === 'more_info_requested' && app.moreInfoMessage && app.respondBy
          ? { message: app.moreInfoMessage, respondBy: app.respondBy, sections: app.reopenedSections, attachmentKinds: app.reopenedAttachmentKinds }
          : null,
      resubmittedAt: app.resubmittedAt,
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
    };
  }

  /** The pot's districts and priorities with names, and the bid's form: what the section pages offer. */
  async context(app: ApplicationDetail | Application): Promise<ApplicationContext> {
    const potId = 'potId' in app ? app.potId : app.pot.id;
    const pot = await this.rounds.potScope(potId);
    const districts = await this.referenceData.districtsByIds(pot?.districtIds ?? []);
    const priorities = await this.referenceData.prioritiesByIds(pot?.priorityIds ?? []);
    priorities.sort((a, b) => (a.outcome?.position ?? 0) - (b.outcome?.position ?? 0) || a.position - b.position || a.name.localeCompare(b.name));
    const form = await this.rounds.getForm(app.formId);
    return {
      form: form?.definition ?? { sections: [] },
      potDistricts: districts.map((d) => ({ id: d.id, name: d.name })),
      potPriorities: priorities.map((p) => ({ id: p.id, code: p.code, name: p.name, outcome: p.outcome?.name ?? '' })),
    };
  }

  async formOf(app: Pick<Application, 'formId'>, m?: EntityManager): Promise<FormDefinition> {
    const form = await this.rounds.getForm(app.formId, m);
    return form?.definition ?? { sections: [] };
  }

  /** The districts and priorities a bid's project serves (ids, in one query). */
  async projectLinks(applicationId: string, m?: EntityManager): Promise<{ districtIds: string[]; priorityIds: string[] }> {
    const [row]: { districts: string[]; priorities: string[] }[] = await this.m(m).query(
      `SELECT ARRAY(SELECT district_id FROM application_districts WHERE application_id = $1) AS districts,
              ARRAY(SELECT priority_id FROM application_priorities WHERE application_id = $1) AS priorities`,
      [applicationId],
    );
    return { districtIds: row.districts, priorityIds: row.priorities };
  }

  /** The project details as stored, in the shape a save takes. */
  async projectInput(app: Application, m?: EntityManager): Promise<ProjectDetailsInput> {
    return {
      projectTitle: app.projectTitle,
      projectSummary: app.projectSummary,
      projectStartDate: app.projectStartDate,
      projectEndDate: app.projectEndDate,
      ...(await this.projectLinks(app.id, m)),
    };
  }

  async sections(applicationId: string, form: FormDefinition, m?: EntityManager): Promise<SectionView[]> {
    const rows: { section_key: string; answers: Record<string, unknown>; status: SectionStatus; version: number; updated_at: Date; updated_by: string | null }[] = await this.m(m).query(
      `SELECT section_key, answers, status, version, updated_at, updated_by FROM application_sections WHERE application_id = $1`,
      [applicationId],
    );
    const names = await fullNamesOf(this.people, rows.map((r) => r.updated_by).filter((id): id is string => !!id), m);
    const byKey = new Map(rows.map((r) => [r.section_key, r]));
    const view = (key: string, title: string, kind: SectionView['kind']): SectionView => {
      const row = byKey.get(key);
      return {
        key,
        title,
        kind,
        status: row?.status ?? 'not_started',
        version: row?.version ?? 1,
        answers: row?.answers ?? {},
        updatedAt: row?.updated_by ? row.updated_at : null,
        updatedBy: row?.updated_by ? { id: row.updated_by, name: names.get(row.updated_by) ?? 'Someone' } : null,
      };
    };
    return [
      view(PROJECT_SECTION, 'Project details', 'project'),
      ...form.sections.filter((s) => !BUILT_IN_SECTIONS.includes(s.key)).map((s) => view(s.key, s.title, 'form')),
      view(BUDGET_SECTION, 'Budget', 'budget'),
    ];
  }

  async budgetLines(applicationId: string, manager?: EntityManager): Promise<BudgetLineView[]> {
    const rows: BudgetLineRow[] = await this.m(manager).query(
      `SELECT id, item, category, amount_pence, other_funding_pence, other_funding_source, position, version, updated_at
         FROM budget_lines WHERE application_id = $1 ORDER BY position, created_at`,
      [applicationId],
    );
    return rows.map((r) => ({
      id: r.id,
      item: r.item,
      category: r.category,
      amountPence: parsePence(r.amount_pence),
      otherFundingPence: parsePence(r.other_funding_pence),
      otherFundingSource: r.other_funding_source,
      position: r.position,
      version: r.version,
      updatedAt: r.updated_at,
    }));
  }

  /** Attachments are uploaded through the attachments pages; the bid only lists them. */
  async attachments(applicationId: string, manager?: EntityManager): Promise<AttachmentView[]> {
    return this.files.filesOf(applicationId, manager);
  }

  async history(user: AuthenticatedUser, id: string, scope: 'readable' | 'own' = 'readable'): Promise<TransitionView[]> {
    const app = scope === 'own' ? await this.ownBid(user, id) : await this.access.readable(user, id);
    const rows: TransitionRow[] = await this.dataSource.query(
      `SELECT id, from_status, to_status, actor_user_id, actor_label, reason, occurred_at FROM application_transitions WHERE application_id = $1 ORDER BY occurred_at, id`,
      [app.id],
    );
    const names = await fullNamesOf(this.people, rows.map((r) => r.actor_user_id).filter((id): id is string => !!id));
    return rows.map((r) => ({
      id: String(r.id),
      fromStatus: r.from_status,
      toStatus: r.to_status,
      toLabel: STATUS_LABELS[r.to_status as ApplicationStatus] ?? r.to_status,
      actorLabel: r.actor_label,
      // The person's name, or "The service" for the system (history pages show names, not emails).
      actorName: (r.actor_user_id && names.get(r.actor_user_id)) ?? (r.actor_label.startsWith('system:') ? 'The service' : r.actor_label),
      reason: r.reason,
      occurredAt: r.occurred_at,
    }));
  }

  /**
   * A page of bids: the person's own organisations' (applicants, and anyone on their dashboard:
   * scope 'own'), or every bid for staff who read all (drafts only when asked for by status).
   */
  async list(user: AuthenticatedUser, filters: ApplicationFilters, scope: 'visible' | 'own' = 'visible'): Promise<Page<ApplicationSummary>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    // Who sees which bids is the application policy's to say.
    where.push((await this.access.listScope(user, { asMember: scope === 'own' })).where('a', param, { includeDrafts: !!filters.status }));
    if (filters.roundId) where.push(`a.round_id = ${param(filters.roundId)}`);
    if (filters.status) where.push(`a.status = ${param(filters.status)}`);
    if (filters.statuses) where.push(`a.status = ANY(${param(filters.statuses)}::text[])`);
    if (filters.potId) where.push(`a.pot_id = ${param(filters.potId)}`);
    if (filters.organisationId) where.push(`a.organisation_id = ${param(filters.organisationId)}`);
    if (filters.districtId) where.push(`EXISTS (SELECT 1 FROM application_districts ad WHERE ad.application_id = a.id AND ad.district_id = ${param(filters.districtId)})`);
    if (filters.priorityId) where.push(`EXISTS (SELECT 1 FROM application_priorities ap WHERE ap.application_id = a.id AND ap.priority_id = ${param(filters.priorityId)})`);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM applications a ${whereSql}`, params);
    const rows: SummaryRow[] = await this.dataSource.query(
      `SELECT a.id, a.reference, a.status, a.project_title, a.amount_requested_pence, a.submitted_at, a.resubmitted_at, a.updated_at, a.round_id, a.pot_id, a.organisation_id
         FROM applications a ${whereSql} ORDER BY ${filters.order === 'screening' ? SCREENING_ORDER : 'a.updated_at DESC'}, a.id LIMIT ${param(filters.pageSize)} OFFSET ${param((filters.page - 1) * filters.pageSize)}`,
      params,
    );
    const rounds = new Map((await this.rounds.roundsByIds(rows.map((r) => r.round_id))).map((r) => [r.id, r]));
    const pots = new Map((await this.rounds.potsByIds(rows.map((r) => r.pot_id))).map((p) => [p.id, p]));
    const orgs = new Map((await this.organisations.summariesByIds(rows.map((r) => r.organisation_id))).map((o) => [o.id, o]));
    const items: ApplicationSummary[] = rows.map((r) => {
      const round = rounds.get(r.round_id);
      const org = orgs.get(r.organisation_id);
      return {
        id: r.id,
        reference: r.reference,
        status: r.status,
        statusLabel: STATUS_LABELS[r.status as ApplicationStatus],
        projectTitle: r.project_title,
        amountRequestedPence: parsePence(r.amount_requested_pence),
        round: { id: r.round_id, code: round?.code ?? '', title: round?.title ?? '', closesAt: round?.closesAt as Date },
        pot: { id: r.pot_id, name: pots.get(r.pot_id)?.name ?? '' },
        organisation: { id: r.organisation_id, name: org?.name ?? '', orgId: org?.orgId ?? '' },
        submittedAt: r.submitted_at,
        resubmittedAt: r.resubmitted_at,
        updatedAt: r.updated_at,
      };
    });
    return { items, total, page: filters.page, pageSize: filters.pageSize };
  }
}
