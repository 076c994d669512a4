import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { ATTACHMENT_KINDS } from '../attachments/attachment.types.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { formatPence, parsePence } from '../common/money.js';
import type { FormSection } from '../forms/form.types.js';
import { isOpenForApplications } from '../funds/round-lifecycle.js';
import { RoundsService } from '../funds/rounds.service.js';
import { MailService } from '../mail/mail.service.js';
import { postcodeDistrict } from '../organisations/org-identifiers.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { ApplicationAccess } from './application-access.js';
import { applicationCan, assertTransition } from './application-lifecycle.js';
import { ApplicationReader } from './application-reader.js';
import { checkProjectDetails, checkSectionAnswers, todayInLondon, validationError } from './application-rules.js';
import { ApplicationTransitions } from './application-transitions.service.js';
import type { Application } from './application.entity.js';
import { BUDGET_SECTION, BUILT_IN_SECTIONS, PROJECT_SECTION } from './application-views.js';
import { budgetProblems } from './budget-rules.js';
import { transactionTime } from './transaction-clock.js';

/**
 * Sending a bid to the funder and taking it back: submit (before the deadline by the one clock,
 * complete, within the pot's bounds; issues the reference) and withdraw. Both move the bid through
 * ApplicationTransitions and queue their emails in the same transaction.
 */
@Injectable()
export class ApplicationSubmissionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly reader: ApplicationReader,
    private readonly transitions: ApplicationTransitions,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
  ) {}

  async submit(user: AuthenticatedUser, actor: Actor, id: string, declaration: { name: string; confirmed: boolean }): Promise<Application> {
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.editable(m, user, id);
      assertTransition(app.status, 'submitted', 'applicant');
      const round = await this.rounds.getRound(app.roundId, m);
      // The database's transaction time: exact to the second at the deadline.
      const now = await transactionTime(m);
      if (!isOpenForApplications(round, now)) {
        if (now.getTime() >= new Date(round.closesAt).getTime()) {
          throw new DomainError('conflict', 'APPLICATION.DEADLINE_PASSED', `The deadline for ${round.title} has passed: applications are no longer accepted. Your draft has been kept.`, [], {
            closesAt: round.closesAt,
          });
        }
        throw new DomainError('conflict', 'ROUND.NOT_OPEN', `${round.title} is not taking applications`);
      }
      const missing = await this.missingItems(app, m);
      if (missing.length) throw new DomainError('validation', 'APPLICATION.INCOMPLETE', 'The application is not finished: complete every item listed', missing);
      const budget = await this.budgetErrors(app, m);
      if (budget.length) throw new DomainError('validation', budget[0].code, budget[0].message, budget);
      const name = declaration.name?.trim() ?? '';
      const declarationErrors: FieldError[] = [];
      if (!name) declarationErrors.push({ field: 'declaration.name', code: 'FIELD.REQUIRED', message: 'Enter your full name' });
      if (!declaration.confirmed) declarationErrors.push({ field: 'declaration.confirmed', code: 'FIELD.REQUIRED', message: 'Confirm the declaration' });
      if (declarationErrors.length) throw validationError(declarationErrors);
      const reference = await this.rounds.nextReference(m, app.roundId);
      await this.transitions.move(m, app.id, 'submitted', 'applicant', actor, { expectedFrom: app.status });
      await m.query(`UPDATE applications SET reference = $2, submitted_at = now(), submitted_by = $3, declaration_name = $4, declaration_accepted_at = now() WHERE id = $1`, [
        app.id,
        reference,
        user.id,
        name,
      ]);
      await this.audit.record(m, actor, {
        action: 'application.reference_issued',
        entityType: 'application',
        entityId: app.id,
        after: { reference, declarationName: name, amountRequestedPence: parsePence(app.amountRequestedPence) },
      });
      const [organisation] = await this.organisations.summariesByIds([app.organisationId], m);
      const data = {
        name: user.fullName,
        reference,
        projectTitle: app.projectTitle,
        roundTitle: round.title,
        organisationName: organisation?.name ?? '',
        amount: formatPence(parsePence(app.amountRequestedPence)),
        applicationPath: `/applications/${app.id}`,
      };
      for (const to of recipients(user.email, organisation?.contactEmail)) {
        await this.mail.queue(m, { to, template: 'application-submitted', data, userId: to === user.email.toLowerCase() ? user.id : null, organisationId: app.organisationId });
      }
      return app;
    });
  }

  async withdraw(user: AuthenticatedUser, actor: Actor, id: string, reason: string): Promise<Application> {
    const why = reason?.trim() ?? '';
    if (!why) throw validationError([{ field: 'reason', code: 'FIELD.REQUIRED', message: 'Tell us why you are withdrawing the application' }]);
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.editable(m, user, id);
      const wasSubmitted = applicationCan(app.status).submitted;
      await this.transitions.move(m, app.id, 'withdrawn', 'applicant', actor, { reason: why, expectedFrom: app.status });
      await m.query(`UPDATE applications SET withdrawn_at = now() WHERE id = $1`, [app.id]);
      if (wasSubmitted) {
        const round = await this.rounds.getRound(app.roundId, m);
        const [organisation] = await this.organisations.summariesByIds([app.organisationId], m);
        const data = {
          name: user.fullName,
          reference: app.reference,
          projectTitle: app.projectTitle,
          roundTitle: round.title,
          organisationName: organisation?.name ?? '',
          reason: why,
        };
        for (const to of recipients(user.email, organisation?.contactEmail)) {
          await this.mail.queue(m, { to, template: 'application-withdrawn', data, organisationId: app.organisationId });
        }
      }
      return app;
    });
  }

  /**
   * Sends a bid back to screening after more information was asked for: the reopened parts close
   * (ApplicationTransitions clears them) and the bid goes to the top of the screening queue.
   */
  async resubmit(user: AuthenticatedUser, actor: Actor, id: string): Promise<Application> {
    return this.dataSource.transaction(async (m) => {
      const app = await this.access.editable(m, user, id);
      if (!applicationCan(app.status).partsReopened) {
        throw new DomainError('conflict', 'APPLICATION.NOT_AWAITING_INFORMATION', 'Only an application we asked for more information about can be resubmitted', [], { applicationStatus: app.status });
      }
      const { application } = await this.transitions.move(m, app.id, 'screening', 'applicant', actor, { expectedFrom: app.status, reason: 'Resubmitted with more information' });
      return application;
    });
  }

  /** Everything a bid still needs before it can be submitted, one field error per item. */
  async missingItems(app: Application, m: EntityManager): Promise<FieldError[]> {
    const missing: FieldError[] = [];
    const form = await this.reader.formOf(app, m);
    const sections = await this.reader.sections(app.id, form, m);
    const status = (key: string) => sections.find((s) => s.key === key)?.status ?? 'not_started';
    const notCompleted = (key: string, title: string) => {
      if (status(key) !== 'completed') missing.push({ field: `sections.${key}`, code: 'APPLICATION.SECTION_NOT_COMPLETED', message: `Complete the “${title}” section` });
    };
    const pot = await this.rounds.potScope(app.potId, m);
    const [organisation] = await this.organisations.summariesByIds([app.organisationId], m);
    const project = checkProjectDetails(await this.reader.projectInput(app, m), pot ?? { districtIds: [], priorityIds: [], postcodeDistricts: [] }, {
      today: todayInLondon(),
      requireAll: true,
      organisationPostcodeDistrict: safePostcodeDistrict(organisation?.postcode),
    });
    missing.push(...project.map((e) => ({ ...e, field: `project.${e.field}` })));
    notCompleted(PROJECT_SECTION, 'Project details');
    const attachmentKinds = (await this.reader.attachments(app.id, m)).map((a) => a.kind);
    for (const section of form.sections.filter((s: FormSection) => !BUILT_IN_SECTIONS.includes(s.key))) {
      const answers = sections.find((s) => s.key === section.key)?.answers ?? {};
      missing.push(...checkSectionAnswers(section, answers, true, `sections.${section.key}`));
      for (const q of section.questions.filter((q) => q.type === 'file' && q.required)) {
        const satisfied = (ATTACHMENT_KINDS as readonly string[]).includes(q.key) ? attachmentKinds.includes(q.key) : attachmentKinds.length > 0;
        if (!satisfied) missing.push({ field: `attachments.${q.key}`, code: 'APPLICATION.ATTACHMENT_MISSING', message: `Upload a file for “${q.label}” on the attachments page` });
      }
      notCompleted(section.key, section.title);
    }
    const [{ lines }]: { lines: number }[] = await m.query(`SELECT count(*)::int AS lines FROM budget_lines WHERE application_id = $1`, [app.id]);
    if (lines === 0) missing.push(...budgetProblems(0, 0, { minGrantPence: 0, maxGrantPence: 0 }));
    notCompleted(BUDGET_SECTION, 'Budget');
    return missing;
  }

  private async budgetErrors(app: Application, m: EntityManager): Promise<FieldError[]> {
    const [{ lines, total }]: { lines: number; total: string }[] = await m.query(`SELECT count(*)::int AS lines, COALESCE(sum(amount_pence), 0)::bigint AS total FROM budget_lines WHERE application_id = $1`, [app.id]);
    const pot = await this.rounds.potScope(app.potId, m);
    return budgetProblems(lines, parsePence(total), pot ?? { minGrantPence: 0, maxGrantPence: 0 });
  }
}

/** The person and the organisation's contact, once each. */
const recipients = (userEmail: string, contactEmail: string | undefined) => [...new Set([userEmail.toLowerCase(), ...(contactEmail ? [contactEmail.toLowerCase()] : [])])];

function safePostcodeDistrict(postcode: string | undefined): string | null {
  try {
    return postcode ? postcodeDistrict(postcode) : null;
  } catch {
    return null;
  }
}
