import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { RoundsService } from '../funds/rounds.service.js';
import { postcodeDistrict } from '../organisations/org-identifiers.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { ApplicationAccess } from './application-access.js';
import { ApplicationReader } from './application-reader.js';
import { checkProjectDetails, todayInLondon, validationError, type ProjectDetailsInput } from './application-rules.js';
import type { Application } from './application.entity.js';
import type { SectionStatus } from './application-section.entity.js';
import { assertSectionChangeable, PROJECT_SECTION, type ProjectDetailsChange, type SectionSave, type SectionSaved } from './application-views.js';
import { fullNamesOf } from './application-views.js';

/** Which version a save was made against: the bid's (PATCH) or the `_project` section's (PUT). */
type Lock = { by: 'application' | 'section'; version: number };

const PROJECT_KEYS = ['projectTitle', 'projectSummary', 'projectStartDate', 'projectEndDate', 'districtIds', 'priorityIds'] as const;

/**
 * The project details, a built-in section: title, summary, dates, districts and priorities,
 * checked against the pot. Saved through `PUT .../sections/_project` (answers replace the section,
 * locked by the section's version) or the older `PATCH .../{id}` (a partial change, locked by the
 * application's version). Both write both versions, so neither can overwrite the other unseen.
 */
@Injectable()
export class ProjectDetailsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly reader: ApplicationReader,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly people: PeopleReader,
    private readonly audit: AuditService,
  ) {}

  /** PUT: the answers are the whole section (a missing answer is cleared). */
  async saveSection(user: AuthenticatedUser, actor: Actor, id: string, save: SectionSave): Promise<SectionSaved> {
    const unknown = Object.keys(save.answers).filter((k) => !(PROJECT_KEYS as readonly string[]).includes(k));
    if (unknown.length) {
      throw validationError(unknown.map((k) => ({ field: `answers.${k}`, code: 'FIELD.UNKNOWN_QUESTION', message: `“${k}” is not a question in this section` })));
    }
    const a = save.answers as ProjectDetailsInput;
    const next: ProjectDetailsInput = {
      projectTitle: a.projectTitle?.trim() || null,
      projectSummary: a.projectSummary?.trim() || null,
      projectStartDate: a.projectStartDate || null,
      projectEndDate: a.projectEndDate || null,
      districtIds: [...new Set(a.districtIds ?? [])],
      priorityIds: [...new Set(a.priorityIds ?? [])],
    };
    return this.dataSource.transaction((m) => this.save(m, user, actor, id, () => Promise.resolve(next), save.completed === true, { by: 'section', version: save.version }));
  }

  /** PATCH: only the fields given change. */
  async update(user: AuthenticatedUser, actor: Actor, id: string, change: ProjectDetailsChange): Promise<SectionSaved> {
    return this.dataSource.transaction((m) =>
      this.save(
        m,
        user,
        actor,
        id,
        async (app) => {
          const needsCurrent = change.districtIds === undefined || change.priorityIds === undefined;
          const current = needsCurrent ? await this.reader.projectLinks(app.id, m) : { districtIds: [], priorityIds: [] };
          return {
            projectTitle: change.projectTitle !== undefined ? change.projectTitle?.trim() || null : app.projectTitle,
            projectSummary: change.projectSummary !== undefined ? change.projectSummary?.trim() || null : app.projectSummary,
            projectStartDate: change.projectStartDate !== undefined ? change.projectStartDate || null : app.projectStartDate,
            projectEndDate: change.projectEndDate !== undefined ? change.projectEndDate || null : app.projectEndDate,
            districtIds: change.districtIds !== undefined ? [...new Set(change.districtIds)] : current.districtIds,
            priorityIds: change.priorityIds !== undefined ? [...new Set(change.priorityIds)] : current.priorityIds,
          };
        },
        change.completed === true,
        { by: 'application', version: change.version },
      ),
    );
  }

  /**
   * The rule errors of project answers, without saving: a page whose own inputs could not be read
   * shows these beside its own, so a person sees every error at once.
   */
  async problems(user: AuthenticatedUser, id: string, next: ProjectDetailsInput, completed: boolean): Promise<FieldError[]> {
    const app = await this.reader.ownBid(user, id);
    const pot = await this.rounds.potScope(app.potId);
    if (!pot) return [];
    const needsPostcode = pot.postcodeDistricts.length > 0 && (next.districtIds ?? []).length > 0;
    return checkProjectDetails(next, pot, {
      today: todayInLondon(),
      requireAll: completed,
      organisationPostcodeDistrict: needsPostcode ? await this.organisationPostcodeDistrict(app.organisationId, this.dataSource.manager) : null,
    });
  }

  private async save(
    m: EntityManager,
    user: AuthenticatedUser,
    actor: Actor,
    id: string,
    nextOf: (app: Application) => Promise<ProjectDetailsInput>,
    completed: boolean,
    lock: Lock,
  ): Promise<SectionSaved> {
    const app = await this.access.editable(m, user, id);
    assertSectionChangeable(app, PROJECT_SECTION);
    if (lock.by === 'application' && app.version !== lock.version) throw await this.conflict(app, m, lock);
    const next = await nextOf(app);
    const pot = await this.rounds.potScope(app.potId, m);
    if (!pot) throw new DomainError('not_found', 'POT.NOT_FOUND', 'Pot was not found');
    // The organisation's postcode matters only to a pot limited to postcode districts.
    const needsPostcode = pot.postcodeDistricts.length > 0 && (next.districtIds ?? []).length > 0;
    const errors = checkProjectDetails(next, pot, {
      today: todayInLondon(),
      requireAll: completed,
      organisationPostcodeDistrict: needsPostcode ? await this.organisationPostcodeDistrict(app.organisationId, m) : null,
    });
    if (errors.length) throw validationError(errors);
    const status: SectionStatus = completed ? 'completed' : 'in_progress';
    const saved = await this.write(m, app, next, status, user.id, lock);
    if (!saved) throw await this.conflict(app, m, lock);
    await this.audit.record(m, actor, {
      action: 'application.project_updated',
      entityType: 'application',
      entityId: app.id,
      before: {
        projectTitle: app.projectTitle,
        projectSummary: app.projectSummary,
        projectStartDate: app.projectStartDate,
        projectEndDate: app.projectEndDate,
        districtIds: saved.before_districts,
        priorityIds: saved.before_priorities,
      },
      after: { ...next },
    });
    return {
      key: PROJECT_SECTION,
      title: 'Project details',
      kind: 'project',
      status,
      version: saved.section_version,
      answers: { ...next },
      updatedAt: saved.updated_at,
      updatedBy: { id: user.id, name: user.fullName },
      applicationVersion: saved.app_version,
    };
  }

  /**
   * One statement writes the details, the districts and priorities (only those that changed), and
   * the section's status, at the version the person loaded; no row when that version has moved on.
   */
  private async write(m: EntityManager, app: Application, next: ProjectDetailsInput, status: SectionStatus, userId: string, lock: Lock) {
    const versionCheck =
      lock.by === 'application'
        ? `version = $2`
        : `EXISTS (SELECT 1 FROM application_sections WHERE application_id = $1 AND section_key = '${PROJECT_SECTION}' AND version = $2)`;
    const [row]: { app_version: number; section_version: number; updated_at: Date; before_districts: string[]; before_priorities: string[] }[] = await m.query(
      `WITH before AS (
         SELECT ARRAY(SELECT district_id FROM application_districts WHERE application_id = $1) AS districts,
                ARRAY(SELECT priority_id FROM application_priorities WHERE application_id = $1) AS priorities
       ), app AS (
         UPDATE applications SET project_title = $3, project_summary = $4, project_start_date = $5, project_end_date = $6,
                version = version + 1, updated_at = now()
          WHERE id = $1 AND ${versionCheck}
         RETURNING version
       ), section AS (
         INSERT INTO application_sections AS s (application_id, section_key, status, updated_by, updated_at)
         SELECT $1, '${PROJECT_SECTION}', $9, $10, now() FROM app
         ON CONFLICT (application_id, section_key) DO UPDATE SET status = EXCLUDED.status, updated_by = EXCLUDED.updated_by, updated_at = now(), version = s.version + 1
         RETURNING s.version, s.updated_at
       ), drop_districts AS (
         DELETE FROM application_districts WHERE application_id = $1 AND EXISTS (SELECT 1 FROM app) AND NOT (district_id = ANY($7::uuid[]))
       ), add_districts AS (
         INSERT INTO application_districts (application_id, district_id) SELECT $1, d FROM unnest($7::uuid[]) d WHERE EXISTS (SELECT 1 FROM app) ON CONFLICT DO NOTHING
       ), drop_priorities AS (
         DELETE FROM application_priorities WHERE application_id = $1 AND EXISTS (SELECT 1 FROM app) AND NOT (priority_id = ANY($8::uuid[]))
       ), add_priorities AS (
         INSERT INTO application_priorities (application_id, priority_id) SELECT $1, p FROM unnest($8::uuid[]) p WHERE EXISTS (SELECT 1 FROM app) ON CONFLICT DO NOTHING
       )
       SELECT app.version AS app_version, section.version AS section_version, section.updated_at,
              before.districts AS before_districts, before.priorities AS before_priorities
         FROM app CROSS JOIN section CROSS JOIN before`,
      [app.id, lock.version, next.projectTitle, next.projectSummary, next.projectStartDate, next.projectEndDate, next.districtIds ?? [], next.priorityIds ?? [], status, userId],
    );
    return row ?? null;
  }

  private async organisationPostcodeDistrict(organisationId: string, m: EntityManager): Promise<string | null> {
    const [org] = await this.organisations.summariesByIds([organisationId], m);
    try {
      return org?.postcode ? postcodeDistrict(org.postcode) : null;
    } catch {
      return null;
    }
  }

  private async conflict(app: Application, m: EntityManager, lock: Lock): Promise<DomainError> {
    const [fresh]: { version: number; project_title: string | null; project_summary: string | null; project_start_date: string | null; project_end_date: string | null }[] =
      await m.query(`SELECT version, project_title, project_summary, project_start_date::text AS project_start_date, project_end_date::text AS project_end_date FROM applications WHERE id = $1`, [app.id]);
    const [section]: ({ version: number; updated_at: Date; updated_by: string | null } | undefined)[] = await m.query(`SELECT version, updated_at, updated_by FROM application_sections WHERE application_id = $1 AND section_key = $2`, [app.id, PROJECT_SECTION]);
    const name = section?.updated_by ? (await fullNamesOf(this.people, [section.updated_by], m)).get(section.updated_by) : undefined;
    const links = await this.reader.projectLinks(app.id, m);
    return new DomainError(
      'conflict',
      'APPLICATION.EDIT_CONFLICT',
      `Someone else changed the project details${name ? ` (${name})` : ''} since you opened them. Check their answers before saving again.`,
      [],
      {
        current: {
          section: PROJECT_SECTION,
          version: lock.by === 'application' ? fresh.version : (section?.version ?? 1),
          applicationVersion: fresh.version,
          answers: {
            projectTitle: fresh.project_title,
            projectSummary: fresh.project_summary,
            projectStartDate: fresh.project_start_date,
            projectEndDate: fresh.project_end_date,
            ...links,
          },
          updatedBy: section?.updated_by ? { id: section.updated_by, name: name ?? null } : null,
          updatedAt: section?.updated_by ? section.updated_at : null,
        },
      },
    );
  }
}
