import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApplicationReader } from '../applications/application-reader.js';
import { ApplicationTransitions } from '../applications/application-transitions.service.js';
import { ApplicationsService, ATTACHMENT_KINDS, type ApplicationDetail, type ApplicationSummary } from '../applications/applications.service.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { londonDate } from '../common/dates.js';
import { pageOf, type PageOf } from '../common/pagination.js';
import { OrganisationsService, type OrganisationRegistration } from '../organisations/organisations.service.js';
import { type ChecklistItemView, invalid, ScreeningChecklistsService } from './screening-checklists.service.js';
import { ScreeningMail } from './screening-mail.service.js';
import { checkScreening, type ScreeningInput } from './screening-rules.js';
import type { ChecklistAnswer, ScreeningOutcome } from './screening.entities.js';
import { REGISTER_LOOKUP, type RegisterLookup, type RegisterRecord } from './register-lookup.js';

/** The statuses a bid waits in for screening (a resubmitted bid is back in screening). */
export const QUEUE_STATUSES = ['submitted', 'screening'] as const;

export interface QueueItem extends ApplicationSummary {
  resubmitted: boolean;
}

export interface ScreeningView {
  id: string;
  applicationId: string;
  outcome: ScreeningOutcome;
  checklist: ChecklistAnswer[];
  sections: string[];
  attachmentKinds: string[];
  message: string | null;
  respondBy: string | null;
  reason: string | null;
  screenedBy: { id: string | null; label: string };
  screenedAt: Date;
}

export interface RegisterCheckView extends RegisterRecord {
  id: string;
  source: string;
  recordedBy: { id: string | null; label: string };
  recordedAt: Date;
}

/** Everything a grants officer (or the auditor) sees when screening one bid. */
export interface ScreeningRecord {
  application: ApplicationDetail;
  registration: OrganisationRegistration | null;
  checklist: ChecklistItemView[];
  screenings: ScreeningView[];
  registerChecks: RegisterCheckView[];
}

const notAwaiting = (status: string) =>
  new DomainError('conflict', 'SCREENING.NOT_AWAITING_SCREENING', 'This application is not waiting to be screened: it may have been screened by someone else. Reload it.', [], {
    applicationStatus: status,
  });

const TARGET: Record<ScreeningOutcome, 'in_assessment' | 'more_info_requested' | 'rejected'> = {
  pass: 'in_assessment',
  more_info: 'more_info_requested',
  ineligible: 'rejected',
};

interface ScreeningRow {
  id: string;
  application_id: string;
  outcome: ScreeningOutcome;
  checklist: ChecklistAnswer[];
  sections: string[];
  attachment_kinds: string[];
  message: string | null;
  respond_by: string | null;
  reason: string | null;
  screened_by: string | null;
  screened_by_label: string;
  created_at: Date;
}

interface RegisterRow {
  id: string;
  registered_number: string;
  name_shown: string;
  register_status: string;
  checked_at: Date;
  source: string;
  recorded_by: string | null;
  recorded_by_label: string;
  created_at: Date;
}

/** A screening row's columns, the date as the YYYY-MM-DD it is (node-postgres would make it a local Date). */
const SCREENING_COLUMNS = `id, application_id, outcome, checklist, sections, attachment_kinds, message, respond_by::text AS respond_by, reason, screened_by, screened_by_label, created_at`;

const toView = (r: ScreeningRow): ScreeningView => ({
  id: r.id,
  applicationId: r.application_id,
  outcome: r.outcome,
  checklist: r.checklist,
  sections: r.sections,
  attachmentKinds: r.attachment_kinds,
  message: r.message,
  respondBy: r.respond_by,
  reason: r.reason,
  screenedBy: { id: r.screened_by, label: r.screened_by_label },
  screenedAt: r.created_at,
});

/**
 * Screening submitted bids: the queue, starting, recording a register check and the outcome. Bids
 * move only through ApplicationTransitions; what is reopened for more information is stored by
 * applications (the move's `reopen`), and its one rule decides what the applicant may change.
 */
@Injectable()
export class ScreeningService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationsService,
    private readonly reader: ApplicationReader,
    private readonly transitions: ApplicationTransitions,
    private readonly checklists: ScreeningChecklistsService,
    private readonly organisations: OrganisationsService,
    private readonly mail: ScreeningMail,
    private readonly audit: AuditService,
    @Inject(REGISTER_LOOKUP) private readonly registerLookup: RegisterLookup,
  ) {}

  /** Bids waiting for screening: resubmitted first (earliest resubmission first), then the oldest submitted. A fixed number of queries. */
  async queue(user: AuthenticatedUser, page: { page: number; pageSize: number }): Promise<PageOf<QueueItem>> {
    const result = await this.applications.list(user, { statuses: [...QUEUE_STATUSES], order: 'screening', page: page.page, pageSize: page.pageSize });
    return pageOf(
      result.items.map((a) => ({ ...a, resubmitted: a.resubmittedAt !== null })),
      result.total,
      page,
    );
  }

  async record(user: AuthenticatedUser, applicationId: string): Promise<ScreeningRecord> {
    const application = await this.applications.get(user, applicationId);
    const screenings: ScreeningRow[] = await this.dataSource.query(`SELECT ${SCREENING_COLUMNS} FROM screenings WHERE application_id = $1 ORDER BY created_at DESC, id DESC`, [application.id]);
    const checks: RegisterRow[] = await this.dataSource.query(`SELECT * FROM register_checks WHERE application_id = $1 ORDER BY created_at DESC, id DESC`, [application.id]);
    return {
      application,
      registration: await this.organisations.registrationOf(application.organisation.id),
      checklist: await this.checklists.checklistFor(application.round.id),
      screenings: screenings.map(toView),
      registerChecks: checks.map((c) => ({
        id: c.id,
        registeredNumber: c.registered_number,
        nameShown: c.name_shown,
        registerStatus: c.register_status,
        checkedAt: c.checked_at,
        source: c.source,
        recordedBy: { id: c.recorded_by, label: c.recorded_by_label },
        recordedAt: c.created_at,
      })),
    };
  }

  /** Opening a bid for screening: a submitted bid moves to screening (who and when are in its history); already in screening, nothing changes. */
  async start(user: AuthenticatedUser, actor: Actor, applicationId: string): Promise<ScreeningRecord> {
    await this.applications.get(user, applicationId);
    await this.dataSource.transaction(async (m) => {
      const app = await this.reader.locked(m, applicationId);
      if (!app) throw notAwaiting('unknown');
      if (app.status === 'submitted') await this.transitions.move(m, app.id, 'screening', 'grants_officer', actor, { expectedFrom: 'submitted', reason: 'Screening started' });
      else if (app.status !== 'screening') throw notAwaiting(app.status);
      await this.checklists.freeze(m, app.roundId);
    });
    return this.record(user, applicationId);
  }

  /** Keeps what the register showed (through the RegisterLookup port); audited. */
  async recordRegisterCheck(user: AuthenticatedUser, actor: Actor, applicationId: string, recorded: RegisterRecord): Promise<RegisterCheckView> {
    const application = await this.applications.get(user, applicationId);
    const errors: FieldError[] = [];
    if (recorded.checkedAt.getTime() > Date.now() + 60_000) errors.push({ field: 'checkedAt', code: 'SCREENING.CHECKED_IN_FUTURE', message: 'The time of the check cannot be in the future' });
    if (errors.length) throw invalid(errors);
    const record = await this.registerLookup.lookUp(recorded.registeredNumber, recorded);
    return this.dataSource.transaction(async (m) => {
      const [row]: { id: string; created_at: Date }[] = await m.query(
        `INSERT INTO register_checks (application_id, registered_number, name_shown, register_status, checked_at, source, recorded_by, recorded_by_label)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at`,
        [application.id, record.registeredNumber, record.nameShown, record.registerStatus, record.checkedAt, this.registerLookup.source, actor.userId, actor.label],
      );
      await this.audit.record(m, actor, {
        action: 'screening.register_checked',
        entityType: 'application',
        entityId: application.id,
        after: { ...record, source: this.registerLookup.source },
      });
      return { id: row.id, ...record, source: this.registerLookup.source, recordedBy: { id: actor.userId, label: actor.label }, recordedAt: row.created_at };
    });
  }

  /**
   * Records the outcome of a screening, in one transaction: the bid's row is locked first, so of
   * two officers screening it at once one succeeds and the other gets 409 with nothing changed.
   */
  async screen(user: AuthenticatedUser, actor: Actor, applicationId: string, input: ScreeningInput): Promise<ScreeningView> {
    const application = await this.applications.get(user, applicationId);
    return this.dataSource.transaction(async (m) => {
      const app = await this.reader.locked(m, applicationId);
      if (!app) throw notAwaiting('unknown');
      if (app.status !== 'submitted' && app.status !== 'screening') throw notAwaiting(app.status);
      // Screening has started: the round's checklist freezes (rolled back with a screening refused below).
      await this.checklists.freeze(m, app.roundId);
      const checklist = await this.checklists.checklistFor(app.roundId, m);
      const { errors, checked } = checkScreening(input, {
        checklist,
        sectionKeys: application.sections.map((s) => s.key),
        attachmentIds: application.attachments.map((a) => a.id),
        attachmentKinds: ATTACHMENT_KINDS,
        today: londonDate(new Date()),
      });
      if (errors.length) throw invalid(errors);
      if (app.status === 'submitted') await this.transitions.move(m, app.id, 'screening', 'grants_officer', actor, { expectedFrom: 'submitted', reason: 'Screening started' });
      const reopen =
        checked.outcome === 'more_info'
          ? { sections: checked.sections, attachmentKinds: checked.attachmentKinds, message: checked.message!, respondBy: checked.respondBy! }
          : undefined;
      await this.transitions.move(m, app.id, TARGET[checked.outcome], 'grants_officer', actor, {
        expectedFrom: 'screening',
        reason: checked.reason ?? (checked.outcome === 'more_info' ? 'More information requested' : 'Passed screening'),
        reopen,
      });
      const [row]: ScreeningRow[] = await m.query(
        `INSERT INTO screenings (application_id, outcome, checklist, sections, attachment_kinds, message, respond_by, reason, screened_by, screened_by_label)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${SCREENING_COLUMNS}`,
        [app.id, checked.outcome, JSON.stringify(checked.checklist), checked.sections, checked.attachmentKinds, checked.message, checked.respondBy, checked.reason, actor.userId, actor.label],
      );
      await this.audit.record(m, actor, { action: `screening.${checked.outcome}`, entityType: 'application', entityId: app.id, after: { screeningId: row.id, ...checked } });
      const to = await this.mail.recipients(m, app.submittedBy, application.organisation.contactEmail);
      if (checked.outcome === 'more_info') await this.mail.moreInfo(m, application, row.id, checked, to);
      if (checked.outcome === 'ineligible') await this.mail.ineligible(m, application, checked.reason!, to);
      return toView(row);
    });
  }
}
