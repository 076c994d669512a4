import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { formatPence, parsePence } from '../common/money.js';
import type { FormDefinition, FormSection } from '../funds/round-form.entity.js';
import { RoundsService, type PotWithLinks } from '../funds/rounds.service.js';
import { isUuid } from '../common/ids.js';
import type { Round } from '../funds/round.entity.js';
import { MailService } from '../mail/mail.service.js';
import { postcodeDistrict } from '../organisations/org-identifiers.js';
import { affectedRows, ApplicationAccess } from './application-access.js';
import { assertTransition, STATUS_LABELS, type TransitionActor } from './application-lifecycle.js';
import { checkProjectDetails, checkSectionAnswers, todayInLondon, validationError, type ProjectDetailsInput } from './application-rules.js';
import type { Application, ApplicationStatus } from './application.entity.js';
import type { SectionStatus } from './application-section.entity.js';
import { ATTACHMENT_KINDS } from './attachment.entity.js';

/**
 * Built-in task-list sections (form sections come from the round's form). Form keys start with a
 * lower-case letter, so these underscore keys can never collide with a form section's.
 */
export const PROJECT_SECTION = '_project';
export const BUDGET_SECTION = '_budget';
const BUILT_IN_SECTIONS = [PROJECT_SECTION, BUDGET_SECTION];

export interface SectionView {
  key: string;
  title: string;
  kind: 'project' | 'form' | 'budget';
  status: SectionStatus;
  version: number;
  answers: Record<string, unknown>;
  updatedAt: Date | null;
  updatedBy: { id: string; name: string } | null;
}

export interface BudgetLineView {
  id: string;
  item: string;
  category: string;
  amountPence: number;
  otherFundingPence: number;
  otherFundingSource: string | null;
  position: number;
  version: number;
  updatedAt: Date;
}

export interface AttachmentView {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  createdAt: Date;
}

export interface ApplicationDetail {
  id: string;
  reference: string | null;
  status: ApplicationStatus;
  statusLabel: string;
  version: number;
  round: { id: string; code: string; title: string; closesAt: Date; status: string };
  pot: { id: string; name: string; minGrantPence: number; maxGrantPence: number; postcodeDistricts: string[] };
  organisation: { id: string; name: string; orgId: string; contactEmail: string; postcode: string };
  formId: string;
  projectTitle: string | null;
  projectSummary: string | null;
  projectStartDate: string | null;
  projectEndDate: string | null;
  districts: { id: string; name: string; gssCode: string }[];
  priorities: { id: string; code: string; name: string }[];
  amountRequestedPence: number;
  sections: SectionView[];
  budgetLines: BudgetLineView[];
  attachments: AttachmentView[];
  declarationName: string | null;
  submittedAt: Date | null;
  withdrawnAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ApplicationSummary {
  id: string;
  reference: string | null;
  status: ApplicationStatus;
  statusLabel: string;
  projectTitle: string | null;
  amountRequestedPence: number;
  round: { id: string; code: string; title: string; closesAt: Date };
  pot: { id: string; name: string };
  organisation: { id: string; name: string; orgId: string };
  submittedAt: Date | null;
  updatedAt: Date;
}

export interface ApplicationFilters {
  roundId?: string;
  status?: ApplicationStatus;
  potId?: string;
  districtId?: string;
  priorityId?: string;
  organisationId?: string;
  page: number;
  pageSize: number;
}

export interface TransitionView {
  id: string;
  fromStatus: string | null;
  toStatus: string;
  toLabel: string;
  actorLabel: string;
  /** The person's name, or "The service" for the system (history pages show names, not emails). */
  actorName: string;
  reason: string | null;
  occurredAt: Date;
}

export interface ProjectDetailsChange extends ProjectDetailsInput {
  version: number;
  completed?: boolean;
}

export interface SectionSave {
  answers: Record<string, unknown>;
  version: number;
  completed?: boolean;
}

/** What a page needs around a bid: pot's districts and priorities with names, the form. */
export interface ApplicationContext {
  form: FormDefinition;
  potDistricts: { id: string; name: string }[];
  potPriorities: { id: string; code: string; name: string; outcome: string }[];
}

const notEditable = (status: ApplicationStatus) =>
  new DomainError('conflict', 'APPLICATION.NOT_EDITABLE', `This application is ${STATUS_LABELS[status].toLowerCase()} and can no longer be changed`, [], {
    applicationStatus: status,
  });

/**
 * The online application: drafts, the task list's sections, project details, submission,
 * withdrawal and history. Every change runs in one transaction with its audit event.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly access: ApplicationAccess,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  // ---- starting a bid -------------------------------------------------------------------------

  async create(user: AuthenticatedUser, actor: Actor, input: { roundId: string; potId: string; organisationId: string }): Promise<ApplicationDetail> {
    const id = await this.dataSource.transaction(async (m) => {
      await this.access.assertMayStart(m, user, input.organisationId);
      const round = await this.rounds.findRound(input.roundId, m);
      if (!round || round.status === 'draft') throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
      const [{ now }] = await m.query(`SELECT now() AS now`);
      if (!this.rounds.isAcceptingApplications(round, new Date(now))) {
        throw new DomainError('conflict', 'ROUND.NOT_OPEN', `${round.title} is not taking applications`);
      }
      const pot = isUuid(input.potId) ? await this.rounds.getPot(input.potId, m).catch(() => null) : null;
      if (!pot || pot.roundId !== round.id) {
        throw validationError([{ field: 'potId', code: 'APPLICATION.POT_NOT_IN_ROUND', message: 'Choose a pot of this round' }]);
      }
      const form = await this.rounds.getCurrentForm(round.id, m);
      if (!form) throw new DomainError('conflict', 'ROUND.NO_FORM', `${round.title} has no application form yet`);
      const [row] = await m.query(
        `INSERT INTO applications (round_id, pot_id, organisation_id, form_id, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [round.id, pot.id, input.organisationId, form.id, user.id],
      );
      const keys = [PROJECT_SECTION, ...form.definition.sections.map((s) => s.key).filter((k) => !BUILT_IN_SECTIONS.includes(k)), BUDGET_SECTION];
      for (const key of keys) {
        await m.query(`INSERT INTO application_sections (application_id, section_key) VALUES ($1, $2)`, [row.id, key]);
      }
      await m.query(
        `INSERT INTO application_transitions (application_id, from_status, to_status, actor_user_id, actor_label, reason) VALUES ($1, NULL, 'draft', $2, $3, 'Application started')`,
        [row.id, actor.userId, actor.label],
      );
      await this.audit.record(m, actor, {
        action: 'application.created',
        entityType: 'application',
        entityId: row.id,
        after: { status: 'draft', roundId: round.id, potId: pot.id, organisationId: input.organisationId, formId: form.id },
      });
      return row.id as string;
    });
    return this.get(user, id);
  }

  // ---- reading --------------------------------------------------------------------------------

  async get(user: AuthenticatedUser, id: string): Promise<ApplicationDetail> {
    const app = await this.access.readable(user, id);
    return this.detail(app);
  }

  async detail(app: Application, manager?: EntityManager): Promise<ApplicationDetail> {
    const m = manager ?? this.dataSource.manager;
    const [meta] = await m.query(
      `SELECT r.code AS round_code, r.title AS round_title, r.closes_at, r.status AS round_status,
              p.name AS pot_name, p.min_grant_pence, p.max_grant_pence, p.postcode_districts,
              o.name AS org_name, o.org_id, o.contact_email, o.postcode
         FROM applications a JOIN rounds r ON r.id = a.round_id JOIN pots p ON p.id = a.pot_id JOIN organisations o ON o.id = a.organisation_id
        WHERE a.id = $1`,
      [app.id],
    );
    const districts = await m.query(
      `SELECT d.id, d.name, d.gss_code AS "gssCode" FROM application_districts ad JOIN districts d ON d.id = ad.district_id WHERE ad.application_id = $1 ORDER BY d.name`,
      [app.id],
    );
    const priorities = await m.query(
      `SELECT p.id, p.code, p.name FROM application_priorities ap JOIN priorities p ON p.id = ap.priority_id JOIN outcomes o ON o.id = p.outcome_id
        WHERE ap.application_id = $1 ORDER BY o.position, p.position, p.name`,
      [app.id],
    );
    const form = await this.formOf(app, m);
    return {
      id: app.id,
      reference: app.reference,
      status: app.status,
      statusLabel: STATUS_LABELS[app.status],
      version: app.version,
      round: { id: app.roundId, code: meta.round_code, title: meta.round_title, closesAt: meta.closes_at, status: meta.round_status },
      pot: {
        id: app.potId,
        name: meta.pot_name,
        minGrantPence: parsePence(meta.min_grant_pence),
        maxGrantPence: parsePence(meta.max_grant_pence),
        postcodeDistricts: meta.postcode_districts ?? [],
      },
      organisation: { id: app.organisationId, name: meta.org_name, orgId: meta.org_id, contactEmail: meta.contact_email, postcode: meta.postcode },
      formId: app.formId,
      projectTitle: app.projectTitle,
      projectSummary: app.projectSummary,
      projectStartDate: app.projectStartDate,
      projectEndDate: app.projectEndDate,
      districts,
      priorities,
      amountRequestedPence: parsePence(app.amountRequestedPence),
      sections: await this.sections(app.id, form, m),
      budgetLines: await this.budgetLines(app.id, m),
      attachments: await this.attachments(app.id, m),
      declarationName: app.declarationName,
      submittedAt: app.submittedAt,
      withdrawnAt: app.withdrawnAt,
      createdAt: app.createdAt,
      updatedAt: app.updatedAt,
    };
  }

  /** The pot's districts and priorities with names, and the bid's form: what the section pages offer. */
  async context(app: ApplicationDetail | Application): Promise<ApplicationContext> {
    const potId = 'potId' in app ? app.potId : app.pot.id;
    const pot = await this.rounds.getPot(potId);
    const potDistricts = pot.districtIds.length
      ? await this.dataSource.query(`SELECT id, name FROM districts WHERE id = ANY($1) ORDER BY name`, [pot.districtIds])
      : [];
    const potPriorities = pot.priorityIds.length
      ? await this.dataSource.query(
          `SELECT p.id, p.code, p.name, o.name AS outcome FROM priorities p JOIN outcomes o ON o.id = p.outcome_id WHERE p.id = ANY($1) ORDER BY o.position, p.position, p.name`,
          [pot.priorityIds],
        )
      : [];
    const formId = 'formId' in app ? app.formId : '';
    const form = await this.rounds.getForm(formId);
    return { form: form?.definition ?? { sections: [] }, potDistricts, potPriorities };
  }

  private async formOf(app: Pick<Application, 'formId'>, m: EntityManager): Promise<FormDefinition> {
    const form = await this.rounds.getForm(app.formId, m);
    return form?.definition ?? { sections: [] };
  }

  private async sections(applicationId: string, form: FormDefinition, m: EntityManager): Promise<SectionView[]> {
    const rows: { section_key: string; answers: Record<string, unknown>; status: SectionStatus; version: number; updated_at: Date; updated_by: string | null; updated_by_name: string | null }[] =
      await m.query(
        `SELECT s.section_key, s.answers, s.status, s.version, s.updated_at, s.updated_by, u.full_name AS updated_by_name
           FROM application_sections s LEFT JOIN users u ON u.id = s.updated_by WHERE s.application_id = $1`,
        [applicationId],
      );
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
        updatedBy: row?.updated_by ? { id: row.updated_by, name: row.updated_by_name ?? 'Someone' } : null,
      };
    };
    return [
      view(PROJECT_SECTION, 'Project details', 'project'),
      ...form.sections.filter((s) => !BUILT_IN_SECTIONS.includes(s.key)).map((s) => view(s.key, s.title, 'form')),
      view(BUDGET_SECTION, 'Budget', 'budget'),
    ];
  }

  async budgetLines(applicationId: string, manager?: EntityManager): Promise<BudgetLineView[]> {
    const rows = await (manager ?? this.dataSource.manager).query(
      `SELECT id, item, category, amount_pence, other_funding_pence, other_funding_source, position, version, updated_at
         FROM budget_lines WHERE application_id = $1 ORDER BY position, created_at`,
      [applicationId],
    );
    return rows.map((r: Record<string, any>) => ({
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
    return (manager ?? this.dataSource.manager).query(
      `SELECT id, kind, file_name AS "fileName", content_type AS "contentType", size_bytes AS "sizeBytes", created_at AS "createdAt"
         FROM attachments WHERE application_id = $1 ORDER BY created_at`,
      [applicationId],
    );
  }

  async list(user: AuthenticatedUser, filters: ApplicationFilters): Promise<{ items: ApplicationSummary[]; total: number; page: number; pageSize: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    where.push((await this.access.listScope(user)).where('a', param, { includeDrafts: !!filters.status }));
    if (filters.roundId) where.push(`a.round_id = ${param(filters.roundId)}`);
    if (filters.status) where.push(`a.status = ${param(filters.status)}`);
    if (filters.potId) where.push(`a.pot_id = ${param(filters.potId)}`);
    if (filters.organisationId) where.push(`a.organisation_id = ${param(filters.organisationId)}`);
    if (filters.districtId) where.push(`EXISTS (SELECT 1 FROM application_districts ad WHERE ad.application_id = a.id AND ad.district_id = ${param(filters.districtId)})`);
    if (filters.priorityId) where.push(`EXISTS (SELECT 1 FROM application_priorities ap WHERE ap.application_id = a.id AND ap.priority_id = ${param(filters.priorityId)})`);
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const from = `FROM applications a JOIN rounds r ON r.id = a.round_id JOIN pots p ON p.id = a.pot_id JOIN organisations o ON o.id = a.organisation_id ${whereSql}`;
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total ${from}`, params);
    const rows = await this.dataSource.query(
      `SELECT a.id, a.reference, a.status, a.project_title, a.amount_requested_pence, a.submitted_at, a.updated_at,
              r.id AS round_id, r.code AS round_code, r.title AS round_title, r.closes_at,
              p.id AS pot_id, p.name AS pot_name, o.id AS org_uuid, o.name AS org_name, o.org_id
         ${from} ORDER BY a.updated_at DESC, a.id LIMIT ${param(filters.pageSize)} OFFSET ${param((filters.page - 1) * filters.pageSize)}`,
      params,
    );
    const items: ApplicationSummary[] = rows.map((r: Record<string, any>) => ({
      id: r.id,
      reference: r.reference,
      status: r.status,
      statusLabel: STATUS_LABELS[r.status as ApplicationStatus],
      projectTitle: r.project_title,
      amountRequestedPence: parsePence(r.amount_requested_pence),
      round: { id: r.round_id, code: r.round_code, title: r.round_title, closesAt: r.closes_at },
      pot: { id: r.pot_id, name: r.pot_name },
      organisation: { id: r.org_uuid, name: r.org_name, orgId: r.org_id },
      submittedAt: r.submitted_at,
      updatedAt: r.updated_at,
    }));
    return { items, total, page: filters.page, pageSize: filters.pageSize };
  }

  async history(user: AuthenticatedUser, id: string): Promise<TransitionView[]> {
    const app = await this.access.readable(user, id);
    const rows = await this.dataSource.query(
      `SELECT t.id, t.from_status, t.to_status, t.actor_label, u.full_name AS actor_name, t.reason, t.occurred_at
         FROM application_transitions t LEFT JOIN users u ON u.id = t.actor_user_id WHERE t.application_id = $1 ORDER BY t.occurred_at, t.id`,
      [app.id],
    );
    return rows.map((r: Record<string, any>) => ({
      id: String(r.id),
      fromStatus: r.from_status,
      toStatus: r.to_status,
      toLabel: STATUS_LABELS[r.to_status as ApplicationStatus] ?? r.to_status,
      actorLabel: r.actor_label,
      actorName: r.actor_name ?? (String(r.actor_label).startsWith('system:') ? 'The service' : r.actor_label),
      reason: r.reason,
      occurredAt: r.occurred_at,
    }));
  }

  // ---- editing --------------------------------------------------------------------------------

  /** Project details (a built-in section): checked against the pot, versioned by the application. */
  async updateProject(user: AuthenticatedUser, actor: Actor, id: string, change: ProjectDetailsChange): Promise<ApplicationDetail> {
    const app = await this.dataSource.transaction(async (m) => {
      const app = await this.access.editable(m, user, id);
      if (app.status !== 'draft') throw notEditable(app.status);
      if (app.version !== change.version) throw await this.projectConflict(app, m);
      const current = await this.projectInput(app, m);
      const next: ProjectDetailsInput = {
        projectTitle: change.projectTitle !== undefined ? change.projectTitle?.trim() || null : current.projectTitle,
        projectSummary: change.projectSummary !== undefined ? change.projectSummary?.trim() || null : current.projectSummary,
        projectStartDate: change.projectStartDate !== undefined ? change.projectStartDate || null : current.projectStartDate,
        projectEndDate: change.projectEndDate !== undefined ? change.projectEndDate || null : current.projectEndDate,
        districtIds: change.districtIds !== undefined ? [...new Set(change.districtIds)] : current.districtIds,
        priorityIds: change.priorityIds !== undefined ? [...new Set(change.priorityIds)] : current.priorityIds,
      };
      const pot = await this.rounds.getPot(app.potId, m);
      const errors = checkProjectDetails(next, pot, {
        today: todayInLondon(),
        requireAll: change.completed === true,
        organisationPostcodeDistrict: await this.orgPostcodeDistrict(app.organisationId, m),
      });
      if (errors.length) throw validationError(errors);
      const affected = await affectedRows(
        m,
        `UPDATE applications SET project_title = $3, project_summary = $4, project_start_date = $5, project_end_date = $6,
                version = version + 1, updated_at = now()
          WHERE id = $1 AND version = $2 RETURNING version`,
        [app.id, change.version, next.projectTitle, next.projectSummary, next.projectStartDate, next.projectEndDate],
      );
      if (affected !== 1) throw await this.projectConflict(app, m);
      await m.query(`DELETE FROM application_districts WHERE application_id = $1`, [app.id]);
      for (const districtId of next.districtIds ?? []) {
        await m.query(`INSERT INTO application_districts (application_id, district_id) VALUES ($1, $2)`, [app.id, districtId]);
      }
      await m.query(`DELETE FROM application_priorities WHERE application_id = $1`, [app.id]);
      for (const priorityId of next.priorityIds ?? []) {
        await m.query(`INSERT INTO application_priorities (application_id, priority_id) VALUES ($1, $2)`, [app.id, priorityId]);
      }
      await this.setSectionStatus(m, app.id, PROJECT_SECTION, change.completed === true ? 'completed' : 'in_progress', user.id);
      await this.audit.record(m, actor, {
        action: 'application.project_updated',
        entityType: 'application',
        entityId: app.id,
        before: { ...current },
        after: { ...next },
      });
      return app;
    });
    return this.get(user, app.id);
  }

  private async projectInput(app: Application, m: EntityManager): Promise<ProjectDetailsInput> {
    const districts: { district_id: string }[] = await m.query(`SELECT district_id FROM application_districts WHERE application_id = $1`, [app.id]);
    const priorities: { priority_id: string }[] = await m.query(`SELECT priority_id FROM application_priorities WHERE application_id = $1`, [app.id]);
    return {
      projectTitle: app.projectTitle,
      projectSummary: app.projectSummary,
      projectStartDate: app.projectStartDate,
      projectEndDate: app.projectEndDate,
      districtIds: districts.map((d) => d.district_id),
      priorityIds: priorities.map((p) => p.priority_id),
    };
  }

  private async projectConflict(app: Application, m: EntityManager): Promise<DomainError> {
    const [section] = await m.query(
      `SELECT s.updated_at, s.updated_by, u.full_name FROM application_sections s LEFT JOIN users u ON u.id = s.updated_by
        WHERE s.application_id = $1 AND s.section_key = $2`,
      [app.id, PROJECT_SECTION],
    );
    return new DomainError(
      'conflict',
      'APPLICATION.EDIT_CONFLICT',
      `Someone else changed the project details${section?.full_name ? ` (${section.full_name})` : ''} since you opened them. Check their answers before saving again.`,
      [],
      {
        current: {
          section: PROJECT_SECTION,
          version: app.version,
          answers: await this.projectInput(app, m),
          updatedBy: section?.updated_by ? { id: section.updated_by, name: section.full_name } : null,
          updatedAt: section?.updated_by ? section.updated_at : null,
        },
      },
    );
  }

  private async orgPostcodeDistrict(organisationId: string, m: EntityManager): Promise<string | null> {
    const [org] = await m.query(`SELECT postcode FROM organisations WHERE id = $1`, [organisationId]);
    try {
      return org?.postcode ? postcodeDistrict(org.postcode) : null;
    } catch {
      return null;
    }
  }

  private async setSectionStatus(m: EntityManager, applicationId: string, key: string, status: SectionStatus, userId: string): Promise<void> {
    await m.query(
      `INSERT INTO application_sections (application_id, section_key, status, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (application_id, section_key) DO UPDATE SET status = EXCLUDED.status, updated_by = EXCLUDED.updated_by, updated_at = now(), version = application_sections.version + 1`,
      [applicationId, key, status, userId],
    );
  }

  /**
   * Saves one form section (or marks the budget complete) with optimistic locking: the UPDATE only
   * matches the version the person loaded; anything else is a 409 carrying the current answers.
   */
  async saveSection(user: AuthenticatedUser, actor: Actor, id: string, key: string, save: SectionSave): Promise<SectionView> {
    const app = await this.dataSource.transaction(async (m) => {
      const app = await this.access.editable(m, user, id);
      const form = await this.formOf(app, m);
      let status: SectionStatus;
      let answers: Record<string, unknown>;
      if (key === BUDGET_SECTION) {
        if (Object.keys(save.answers).length) {
          throw validationError([{ field: 'answers', code: 'FIELD.UNKNOWN_QUESTION', message: 'The budget section has no answers: add budget lines instead' }]);
        }
        if (app.status !== 'draft') throw notEditable(app.status);
        if (save.completed) {
          const errors = await this.budgetProblems(app, m);
          if (errors.length) throw validationError(errors);
        }
        answers = {};
        status = save.completed ? 'completed' : 'in_progress';
      } else {
        const section = form.sections.find((s) => s.key === key && !BUILT_IN_SECTIONS.includes(s.key));
        if (!section) throw new DomainError('not_found', 'APPLICATION.SECTION_NOT_FOUND', 'This application has no such section');
        if (app.status !== 'draft') throw notEditable(app.status);
        const errors = checkSectionAnswers(section, save.answers, save.completed === true);
        if (errors.length) throw validationError(errors);
        answers = Object.fromEntries(Object.entries(save.answers).filter(([, v]) => v !== null && v !== ''));
        status = save.completed ? 'completed' : 'in_progress';
      }
      const [before] = await m.query(`SELECT answers, status FROM application_sections WHERE application_id = $1 AND section_key = $2`, [app.id, key]);
      const affected = await affectedRows(
        m,
        `UPDATE application_sections SET answers = $4, status = $5, updated_by = $6, updated_at = now(), version = version + 1
          WHERE application_id = $1 AND section_key = $2 AND version = $3`,
        [app.id, key, save.version, JSON.stringify(answers), status, user.id],
      );
      if (affected !== 1) throw await this.sectionConflict(m, app.id, key);
      await m.query(`UPDATE applications SET updated_at = now() WHERE id = $1`, [app.id]);
      await this.audit.record(m, actor, {
        action: 'application.section_saved',
        entityType: 'application',
        entityId: app.id,
        before: before ? { section: key, status: before.status, answers: before.answers } : null,
        after: { section: key, status, answers },
      });
      return app;
    });
    const detail = await this.detail(app);
    return detail.sections.find((s) => s.key === key)!;
  }

  private async sectionConflict(m: EntityManager, applicationId: string, key: string): Promise<DomainError> {
    const [row] = await m.query(
      `SELECT s.answers, s.status, s.version, s.updated_at, s.updated_by, u.full_name FROM application_sections s LEFT JOIN users u ON u.id = s.updated_by
        WHERE s.application_id = $1 AND s.section_key = $2`,
      [applicationId, key],
    );
    if (!row) throw new DomainError('not_found', 'APPLICATION.SECTION_NOT_FOUND', 'This application has no such section');
    const who = row.full_name ?? 'Someone else';
    return new DomainError(
      'conflict',
      'APPLICATION.EDIT_CONFLICT',
      `${who} saved this section since you opened it. Check their answers before saving again.`,
      [],
      {
        current: {
          section: key,
          version: row.version,
          status: row.status,
          answers: row.answers,
          updatedBy: row.updated_by ? { id: row.updated_by, name: row.full_name } : null,
          updatedAt: row.updated_at,
        },
      },
    );
  }

  /** Why the budget cannot be complete: no lines, or a total outside the pot's bounds. */
  private async budgetProblems(app: Application, m: EntityManager): Promise<FieldError[]> {
    const [{ lines, total }] = await m.query(
      `SELECT count(*)::int AS lines, COALESCE(sum(amount_pence), 0)::bigint AS total FROM budget_lines WHERE application_id = $1`,
      [app.id],
    );
    if (lines === 0) return [{ field: 'budget', code: 'APPLICATION.BUDGET_EMPTY', message: 'Add at least one budget line' }];
    const pot = await this.rounds.getPot(app.potId, m);
    const min = parsePence(pot.minGrantPence);
    const max = parsePence(pot.maxGrantPence);
    const sum = parsePence(total);
    if (sum < min || sum > max) {
      return [
        {
          field: 'budget',
          code: 'APPLICATION.BUDGET_OUTSIDE_POT_LIMITS',
          message: `The total you ask for (${formatPence(sum)}) must be between ${formatPence(min)} and ${formatPence(max)}`,
        },
      ];
    }
    return [];
  }

  // ---- submitting and withdrawing -------------------------------------------------------------

  /**
   * Submits a draft: before the round's closing time (the database's clock, inside the transaction),
   * complete, within the pot's bounds; issues the round's next reference and queues the emails.
   */
  async submit(user: AuthenticatedUser, actor: Actor, id: string, declaration: { name: string; confirmed: boolean }): Promise<ApplicationDetail> {
    const app = await this.dataSource.transaction(async (m) => {
      const app = await this.access.editable(m, user, id);
      assertTransition(app.status, 'submitted', 'applicant');
      const [round] = await m.query(`SELECT status, title, now() >= closes_at AS passed, closes_at FROM rounds WHERE id = $1`, [app.roundId]);
      if (round.passed) {
        throw new DomainError('conflict', 'APPLICATION.DEADLINE_PASSED', `The deadline for ${round.title} has passed: applications are no longer accepted. Your draft has been kept.`, [], {
          closesAt: round.closes_at,
        });
      }
      if (round.status !== 'open') throw new DomainError('conflict', 'ROUND.NOT_OPEN', `${round.title} is not taking applications`);
      const missing = await this.missingItems(app, m);
      if (missing.length) {
        throw new DomainError('validation', 'APPLICATION.INCOMPLETE', 'The application is not finished: complete every item listed', missing);
      }
      const budget = await this.budgetProblems(app, m);
      if (budget.length) throw new DomainError('validation', budget[0].code, budget[0].message, budget);
      if (!declaration.confirmed) {
        throw validationError([{ field: 'declaration.confirmed', code: 'FIELD.REQUIRED', message: 'Confirm the declaration' }]);
      }
      const reference = await this.rounds.nextReference(m, app.roundId);
      await this.transition(m, app, 'submitted', 'applicant', actor, null);
      await m.query(
        `UPDATE applications SET reference = $2, submitted_at = now(), submitted_by = $3, declaration_name = $4, declaration_accepted_at = now() WHERE id = $1`,
        [app.id, reference, user.id, declaration.name.trim()],
      );
      await this.audit.record(m, actor, {
        action: 'application.reference_issued',
        entityType: 'application',
        entityId: app.id,
        after: { reference, declarationName: declaration.name.trim(), amountRequestedPence: parsePence(app.amountRequestedPence) },
      });
      const detail = await this.detail({ ...app, reference } as Application, m);
      const data = {
        name: user.fullName,
        reference,
        projectTitle: detail.projectTitle,
        roundTitle: detail.round.title,
        organisationName: detail.organisation.name,
        amount: formatPence(detail.amountRequestedPence),
        applicationPath: `/applications/${app.id}`,
      };
      const recipients = [...new Set([user.email.toLowerCase(), detail.organisation.contactEmail.toLowerCase()])];
      for (const to of recipients) {
        await this.mail.queue(m, { to, template: 'application-submitted', data, userId: to === user.email.toLowerCase() ? user.id : null, organisationId: app.organisationId });
      }
      return app;
    });
    return this.get(user, app.id);
  }

  /** Everything a bid still needs before it can be submitted, one field error per item. */
  async missingItems(app: Application, m: EntityManager): Promise<FieldError[]> {
    const missing: FieldError[] = [];
    const form = await this.formOf(app, m);
    const sections = await this.sections(app.id, form, m);
    const status = (key: string) => sections.find((s) => s.key === key)?.status ?? 'not_started';
    const notCompleted = (key: string, title: string) => {
      if (status(key) !== 'completed') {
        missing.push({ field: `sections.${key}`, code: 'APPLICATION.SECTION_NOT_COMPLETED', message: `Complete the “${title}” section` });
      }
    };
    const pot: PotWithLinks = await this.rounds.getPot(app.potId, m);
    const project = checkProjectDetails(await this.projectInput(app, m), pot, {
      today: todayInLondon(),
      requireAll: true,
      organisationPostcodeDistrict: await this.orgPostcodeDistrict(app.organisationId, m),
    });
    missing.push(...project.map((e) => ({ ...e, field: `project.${e.field}` })));
    notCompleted(PROJECT_SECTION, 'Project details');
    const attachmentKinds: string[] = (await this.attachments(app.id, m)).map((a) => a.kind);
    for (const section of form.sections.filter((s: FormSection) => !BUILT_IN_SECTIONS.includes(s.key))) {
      const answers = sections.find((s) => s.key === section.key)?.answers ?? {};
      missing.push(...checkSectionAnswers(section, answers, true, `sections.${section.key}`));
      for (const q of section.questions.filter((q) => q.type === 'file' && q.required)) {
        const satisfied = (ATTACHMENT_KINDS as readonly string[]).includes(q.key) ? attachmentKinds.includes(q.key) : attachmentKinds.length > 0;
        if (!satisfied) missing.push({ field: `attachments.${q.key}`, code: 'APPLICATION.ATTACHMENT_MISSING', message: `Upload a file for “${q.label}” on the attachments page` });
      }
      notCompleted(section.key, section.title);
    }
    const [{ lines }] = await m.query(`SELECT count(*)::int AS lines FROM budget_lines WHERE application_id = $1`, [app.id]);
    if (lines === 0) missing.push({ field: 'budget', code: 'APPLICATION.BUDGET_EMPTY', message: 'Add at least one budget line' });
    notCompleted(BUDGET_SECTION, 'Budget');
    return missing;
  }

  async withdraw(user: AuthenticatedUser, actor: Actor, id: string, reason: string): Promise<ApplicationDetail> {
    const app = await this.dataSource.transaction(async (m) => {
      const app = await this.access.editable(m, user, id);
      const wasSubmitted = app.status !== 'draft';
      await this.transition(m, app, 'withdrawn', 'applicant', actor, reason.trim());
      await m.query(`UPDATE applications SET withdrawn_at = now() WHERE id = $1`, [app.id]);
      if (wasSubmitted) {
        const detail = await this.detail(app, m);
        const data = {
          name: user.fullName,
          reference: detail.reference,
          projectTitle: detail.projectTitle,
          roundTitle: detail.round.title,
          organisationName: detail.organisation.name,
          reason: reason.trim(),
        };
        for (const to of [...new Set([user.email.toLowerCase(), detail.organisation.contactEmail.toLowerCase()])]) {
          await this.mail.queue(m, { to, template: 'application-withdrawn', data, organisationId: app.organisationId });
        }
      }
      return app;
    });
    return this.get(user, app.id);
  }

  /**
   * Moves a bid to another status: asks the lifecycle table, guards against a concurrent change
   * (the UPDATE matches the status it was read in), and records the history row and audit event
   * in the caller's transaction. Other domains (screening, panels) call this too.
   */
  async transition(m: EntityManager, app: Pick<Application, 'id' | 'status'>, to: ApplicationStatus, by: TransitionActor, actor: Actor, reason: string | null): Promise<void> {
    assertTransition(app.status, to, by);
    const affected = await affectedRows(
        m,
      `UPDATE applications SET status = $3, version = version + 1, updated_at = now() WHERE id = $1 AND status = $2`,
      [app.id, app.status, to],
    );
    if (affected !== 1) {
      throw new DomainError('conflict', 'APPLICATION.STATE_CHANGED', 'The application changed while you were working on it: reload it and try again');
    }
    await m.query(
      `INSERT INTO application_transitions (application_id, from_status, to_status, actor_user_id, actor_label, reason) VALUES ($1, $2, $3, $4, $5, $6)`,
      [app.id, app.status, to, actor.userId, actor.label, reason],
    );
    await this.audit.record(m, actor, {
      action: `application.${to}`,
      entityType: 'application',
      entityId: app.id,
      before: { status: app.status },
      after: { status: to, by },
      reason,
    });
  }

  /** A round's pots in order, with their bounds in pence (for choosing one). */
  async potsOf(roundId: string): Promise<{ id: string; name: string; minGrantPence: number; maxGrantPence: number }[]> {
    return (await this.rounds.listPots(roundId)).map((p) => ({ id: p.id, name: p.name, minGrantPence: parsePence(p.minGrantPence), maxGrantPence: parsePence(p.maxGrantPence) }));
  }

  /** Rounds that have bids for staff to see (not drafts), newest first. */
  async roundsForStaff(): Promise<Pick<Round, 'id' | 'code' | 'title'>[]> {
    return this.dataSource.query(`SELECT id, code, title FROM rounds WHERE status <> 'draft' ORDER BY opens_at DESC`);
  }
}
