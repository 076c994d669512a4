import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import type { ApplicationAction } from '../auth/policies/application.policy.js';
import type { FieldError } from '../common/errors.js';
import { parsePence } from '../common/money.js';
import type { ProjectDetailsInput } from './application-rules.js';
import { RoundsService } from '../funds/rounds.service.js';
import { ApplicationAccess } from './application-access.js';
import { ApplicationDraftsService } from './application-drafts.service.js';
import { ApplicationReader } from './application-reader.js';
import { ApplicationSectionsService } from './application-sections.service.js';
import { ApplicationSubmissionService } from './application-submission.service.js';
import type { Application } from './application.entity.js';
import type {
  ApplicationContext,
  ApplicationDetail,
  ApplicationFilters,
  OpenedBid,
  ApplicationSummary,
  ProjectDetailsChange,
  SectionSave,
  SectionSaved,
  TransitionView,
} from './application-views.js';
import { ProjectDetailsService } from './project-details.service.js';
import { answerSummaries } from './answer-summaries.js';

export * from './application-views.js';
/** The kinds of file a bid carries (other domains name them, e.g. screening asking for one again). */
export { ATTACHMENT_KINDS, type AttachmentKind } from '../attachments/attachment.types.js';

/**
 * The online application's front door for the API and pages: each use case lives in its own
 * service (drafts, sections, project details, submission, the reader); this joins them up and
 * answers with the views a caller shows.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly drafts: ApplicationDraftsService,
    private readonly reader: ApplicationReader,
    private readonly sections: ApplicationSectionsService,
    private readonly project: ProjectDetailsService,
    private readonly submission: ApplicationSubmissionService,
    private readonly rounds: RoundsService,
    private readonly access: ApplicationAccess,
  ) {}

  /**
   * The bid once the application policy lets this person do `action` to it (404, 403 or 409
   * otherwise), for modules that act on a bid's parts (attachments). `lock` holds the bid's row
   * for the rest of the caller's transaction.
   */
  async openBid(user: AuthenticatedUser, id: string, action: ApplicationAction, options: { manager?: EntityManager; lock?: boolean } = {}): Promise<OpenedBid> {
    const { app, standing } = await this.access.open(user, id, action, options);
    return {
      id: app.id,
      organisationId: app.organisationId,
      status: app.status,
      projectTitle: app.projectTitle,
      reference: app.reference,
      reopenedSections: app.reopenedSections,
      reopenedAttachmentKinds: app.reopenedAttachmentKinds,
      standing,
    };
  }

  async create(user: AuthenticatedUser, actor: Actor, input: { roundId: string; potId: string; organisationId: string }): Promise<ApplicationDetail> {
    return this.reader.get(user, await this.drafts.create(user, actor, input));
  }

  get(user: AuthenticatedUser, id: string): Promise<ApplicationDetail> {
    return this.reader.get(user, id);
  }

  detail(app: Application, manager?: EntityManager): Promise<ApplicationDetail> {
    return this.reader.detail(app, manager);
  }

  context(app: ApplicationDetail | Application): Promise<ApplicationContext> {
    return this.reader.context(app);
  }

  list(user: AuthenticatedUser, filters: ApplicationFilters, scope: 'visible' | 'own' = 'visible'): Promise<{ items: ApplicationSummary[]; total: number; page: number; pageSize: number }> {
    return this.reader.list(user, filters, scope);
  }

  history(user: AuthenticatedUser, id: string, scope: 'readable' | 'own' = 'readable'): Promise<TransitionView[]> {
    return this.reader.history(user, id, scope);
  }

  /** The older PATCH of project details: answers with the whole bid. */
  async updateProject(user: AuthenticatedUser, actor: Actor, id: string, change: ProjectDetailsChange): Promise<ApplicationDetail> {
    await this.project.update(user, actor, id, change);
    return this.reader.get(user, id);
  }

  /** The project rules' errors for answers a page could only partly read (nothing is saved). */
  projectProblems(user: AuthenticatedUser, id: string, next: ProjectDetailsInput, completed: boolean): Promise<FieldError[]> {
    return this.project.problems(user, id, next, completed);
  }

  saveSection(user: AuthenticatedUser, actor: Actor, id: string, key: string, save: SectionSave): Promise<SectionSaved> {
    return this.sections.save(user, actor, id, key, save);
  }

  async submit(user: AuthenticatedUser, actor: Actor, id: string, declaration: { name: string; confirmed: boolean }): Promise<ApplicationDetail> {
    const app = await this.submission.submit(user, actor, id, declaration);
    return this.reader.get(user, app.id);
  }

  async withdraw(user: AuthenticatedUser, actor: Actor, id: string, reason: string): Promise<ApplicationDetail> {
    const app = await this.submission.withdraw(user, actor, id, reason);
    return this.reader.get(user, app.id);
  }

  async resubmit(user: AuthenticatedUser, actor: Actor, id: string): Promise<ApplicationDetail> {
    const app = await this.submission.resubmit(user, actor, id);
    return this.reader.get(user, app.id);
  }

  /** A bid's answers as summary lists, as staff read them (screening shows them beside its checklist). */
  async answerSummaries(app: ApplicationDetail) {
    return answerSummaries(app, (await this.reader.context(app)).form.sections, false);
  }

  /** A round's pots in order, with their bounds in pence (for choosing one). */
  async potsOf(roundId: string): Promise<{ id: string; name: string; minGrantPence: number; maxGrantPence: number }[]> {
    return (await this.rounds.listPots(roundId)).map((p) => ({ id: p.id, name: p.name, minGrantPence: parsePence(p.minGrantPence), maxGrantPence: parsePence(p.maxGrantPence) }));
  }

  /** Rounds that have bids for staff to see (the public ones), newest first. */
  async roundsForStaff(): Promise<{ id: string; code: string; title: string }[]> {
    return (await this.rounds.publicRounds()).map((r) => ({ id: r.id, code: r.code, title: r.title }));
  }
}
