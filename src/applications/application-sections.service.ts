import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { parsePence } from '../common/money.js';
import { RoundsService } from '../funds/rounds.service.js';
import { ApplicationAccess } from './application-access.js';
import { ApplicationReader } from './application-reader.js';
import { checkSectionAnswers, validationError } from './application-rules.js';
import type { Application } from './application.entity.js';
import type { SectionStatus } from './application-section.entity.js';
import {
  assertSectionChangeable,
  BUDGET_SECTION,
  BUILT_IN_SECTIONS,
  PROJECT_SECTION,
  sectionNotFound,
  type SectionSave,
  type SectionSaved,
} from './application-views.js';
import { fullNamesOf } from './application-views.js';
import { budgetProblems } from './budget-rules.js';
import { ProjectDetailsService } from './project-details.service.js';

/**
 * Saving one task-list section: a form section's answers, the budget's "completed", or (as
 * `_project`) the project details. One shape for all of them (answers, the version loaded,
 * completed) and one answer (the section with its new version and the application's version).
 *
 * A save runs in one transaction: the bid's lock, what the rules need, one statement that writes
 * (version-checked: anything else is a 409 carrying the current answers), and the audit event.
 */
@Injectable()
export class ApplicationSectionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly reader: ApplicationReader,
    private readonly rounds: RoundsService,
    private readonly people: PeopleReader,
    private readonly project: ProjectDetailsService,
    private readonly audit: AuditService,
  ) {}

  async save(user: AuthenticatedUser, actor: Actor, id: string, key: string, save: SectionSave): Promise<SectionSaved> {
    if (key === PROJECT_SECTION) return this.project.saveSection(user, actor, id, save);
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.editable(m, user, id);
      let title: string;
      let kind: SectionSaved['kind'];
      let answers: Record<string, unknown>;
      if (key === BUDGET_SECTION) {
        if (Object.keys(save.answers).length) {
          throw validationError([{ field: 'answers', code: 'FIELD.UNKNOWN_QUESTION', message: 'The budget section has no answers: add budget lines instead' }]);
        }
        assertSectionChangeable(app, BUDGET_SECTION);
        if (save.completed) {
          const errors = await this.budgetErrors(app, m);
          if (errors.length) throw validationError(errors);
        }
        [title, kind, answers] = ['Budget', 'budget', {}];
      } else {
        const form = await this.reader.formOf(app, m);
        const section = form.sections.find((s) => s.key === key && !BUILT_IN_SECTIONS.includes(s.key));
        if (!section) throw sectionNotFound();
        assertSectionChangeable(app, key);
        const errors = checkSectionAnswers(section, save.answers, save.completed === true);
        if (errors.length) throw validationError(errors);
        [title, kind] = [section.title, 'form'];
        answers = Object.fromEntries(Object.entries(save.answers).filter(([, v]) => v !== null && v !== ''));
      }
      const status: SectionStatus = save.completed ? 'completed' : 'in_progress';
      const saved = await this.write(m, app, key, save.version, answers, status, user.id);
      if (!saved) throw await this.conflict(m, app.id, key);
      await this.audit.record(m, actor, {
        action: 'application.section_saved',
        entityType: 'application',
        entityId: app.id,
        before: saved.before_status ? { section: key, status: saved.before_status, answers: saved.before_answers } : null,
        after: { section: key, status, answers },
      });
      return {
        key,
        title,
        kind,
        status,
        version: saved.version,
        answers,
        updatedAt: saved.updated_at,
        updatedBy: { id: user.id, name: user.fullName },
        applicationVersion: saved.app_version,
      };
    });
  }

  /**
   * One statement: the section's answers (only at the version the person loaded; a section row
   * that was never created counts as version 1) and the bid's updated_at, returning what was there before.
   */
  private async write(m: EntityManager, app: Application, key: string, version: number, answers: Record<string, unknown>, status: SectionStatus, userId: string) {
    const [row]: { version: number; updated_at: Date; app_version: number; before_answers: Record<string, unknown> | null; before_status: SectionStatus | null }[] = await m.query(
      `WITH before AS (
         SELECT answers, status FROM application_sections WHERE application_id = $1 AND section_key = $2
       ), saved AS (
         INSERT INTO application_sections AS s (application_id, section_key, answers, status, updated_by, updated_at, version)
         SELECT $1, $2, $4, $5, $6, now(), 2 WHERE $3 = 1
         ON CONFLICT (application_id, section_key) DO UPDATE SET answers = EXCLUDED.answers, status = EXCLUDED.status, updated_by = EXCLUDED.updated_by,
                updated_at = now(), version = s.version + 1
          WHERE s.version = $3
         RETURNING s.version, s.updated_at
       ), upd AS (
         UPDATE application_sections SET answers = $4, status = $5, updated_by = $6, updated_at = now(), version = version + 1
          WHERE application_id = $1 AND section_key = $2 AND version = $3 AND $3 <> 1
         RETURNING version, updated_at
       ), done AS (
         SELECT version, updated_at FROM saved UNION ALL SELECT version, updated_at FROM upd
       ), touched AS (
         UPDATE applications SET updated_at = now() WHERE id = $1 AND EXISTS (SELECT 1 FROM done) RETURNING version
       )
       SELECT done.version, done.updated_at, touched.version AS app_version, before.answers AS before_answers, before.status AS before_status
         FROM done CROSS JOIN touched LEFT JOIN before ON true`,
      [app.id, key, version, JSON.stringify(answers), status, userId],
    );
    return row ?? null;
  }

  private async budgetErrors(app: Application, m: EntityManager) {
    const [{ lines, total }]: { lines: number; total: string }[] = await m.query(
      `SELECT count(*)::int AS lines, COALESCE(sum(amount_pence), 0)::bigint AS total FROM budget_lines WHERE application_id = $1`,
      [app.id],
    );
    if (lines === 0) return budgetProblems(0, 0, { minGrantPence: 0, maxGrantPence: 0 });
    const pot = await this.rounds.potScope(app.potId, m);
    return budgetProblems(lines, parsePence(total), pot ?? { minGrantPence: 0, maxGrantPence: 0 });
  }

  /** The 409 of a save that lost a race: who saved, when, and their answers. */
  async conflict(m: EntityManager, applicationId: string, key: string): Promise<DomainError> {
    const [row]: { answers: Record<string, unknown>; status: string; version: number; updated_at: Date; updated_by: string | null }[] = await m.query(`SELECT answers, status, version, updated_at, updated_by FROM application_sections WHERE application_id = $1 AND section_key = $2`, [applicationId, key]);
    if (!row) throw sectionNotFound();
    const name = row.updated_by ? (await fullNamesOf(this.people, [row.updated_by], m)).get(row.updated_by) : undefined;
    return new DomainError('conflict', 'APPLICATION.EDIT_CONFLICT', `${name ?? 'Someone else'} saved this section since you opened it. Check their answers before saving again.`, [], {
      current: {
        section: key,
        version: row.version,
        status: row.status,
        answers: row.answers,
        updatedBy: row.updated_by ? { id: row.updated_by, name: name ?? null } : null,
        updatedAt: row.updated_at,
      },
    });
  }
}
