import { penceAsPounds } from '../common/money.js';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { formatDateTime } from '../common/dates.js';
import { formatPence, poundsToPence } from '../common/money.js';
import type { FormSection } from '../funds/round-form.entity.js';
import { formErrorsOf, PageRenderer } from '../web/page-renderer.js';
import { ApplicationAccess } from './application-access.js';
import { isWithdrawable, STATUS_LABELS, STATUS_TAG_CLASSES } from './application-lifecycle.js';
import { PROJECT_SUMMARY_WORD_LIMIT, validationError } from './application-rules.js';
import { ApplicationsService, BUDGET_SECTION, PROJECT_SECTION, type ApplicationDetail, type SectionView } from './applications.service.js';
import { BudgetLinesService } from './budget-lines.service.js';
import { BUDGET_CATEGORIES } from './budget-line.entity.js';
import { EligibilityService, evaluate } from './eligibility.service.js';
import {
  answerField,
  answersFromBody,
  COMPLETED_MISSING,
  completedFrom,
  dateFrom,
  dateParts,
  displayAnswer,
  many,
  one,
  valuesOfAnswers,
  valuesOfBody,
  type FormBody,
} from './page-forms.js';
import { answerSummaries, CATEGORY_LABELS } from './answer-summaries.js';
import '../auth/session-data.js';


const journeyKey = (roundId: string) => `eligibility:${roundId}`;
const base = (id: string) => `/applications/${id}`;

/** Errors a person can put right on the page they are on. */
const isFormError = (error: unknown): error is DomainError => error instanceof DomainError && (error.kind === 'validation' || error.code === 'APPLICATION.EDIT_CONFLICT');

/** Where each kind of missing item is put right. */
function hrefFor(id: string, field: string): string {
  if (field.startsWith('project.') || field === `sections.${PROJECT_SECTION}`) return `${base(id)}/project`;
  if (field === 'budget' || field === `sections.${BUDGET_SECTION}`) return `${base(id)}/budget`;
  if (field.startsWith('attachments.')) return `${base(id)}/attachments`;
  const key = field.split('.')[1];
  return `${base(id)}/sections/${key}`;
}

function statusTag(status: SectionView['status']): Record<string, unknown> {
  if (status === 'completed') return { text: 'Completed' };
  if (status === 'in_progress') return { tag: { text: 'In progress', classes: 'govuk-tag--light-blue' } };
  return { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } };
}

/**
 * The applicant's pages: eligibility (public), starting a bid, the task list and its sections,
 * the budget, check answers and submit, confirmation, withdrawal, history and the dashboard.
 */
/** The budget-line page's fields, top to bottom. */
const BUDGET_LINE_FIELDS = ['item', 'category', 'amount', 'otherFunding', 'otherFundingSource'];

@ApiExcludeController()
@Controller()
export class ApplicationPages {
  constructor(
    private readonly applications: ApplicationsService,
    private readonly budget: BudgetLinesService,
    private readonly eligibility: EligibilityService,
    private readonly access: ApplicationAccess,
    private readonly pages: PageRenderer,
  ) {}

  // ---- eligibility ----------------------------------------------------------------------------

  @Get('rounds/:roundId/eligibility')
  @Access('public')
  async eligibilityStart(@Param('roundId') roundId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions } = await this.eligibility.questionsOf(roundId);
    return this.pages.render(request, reply, 'pages/eligibility/start.njk', {
      pageTitle: `Check if your group can apply to ${round.title}`,
      round,
      questions,
      backLink: `/rounds/${round.id}`,
    });
  }

  @Get('rounds/:roundId/eligibility/not-eligible')
  @Access('public')
  async notEligible(@Param('roundId') roundId: string, @Query('q') q: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions } = await this.eligibility.questionsOf(roundId);
    const question = questions.find((x) => x.id === q);
    if (!question) return reply.redirect(`/rounds/${round.id}/eligibility`, 303);
    return this.pages.render(request, reply, 'pages/eligibility/not-eligible.njk', {
      pageTitle: `Your group cannot apply to ${round.title}`,
      round,
      question,
      backLink: `/rounds/${round.id}/eligibility/${questions.indexOf(question) + 1}`,
    });
  }

  @Get('rounds/:roundId/eligibility/result')
  @Access('public')
  async eligibilityResult(@Param('roundId') roundId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions } = await this.eligibility.questionsOf(roundId);
    const answers = this.journeyAnswers(request, round.id);
    const result = evaluate(questions, new Map(Object.entries(answers)));
    if (!result.eligible) {
      const firstFailure = result.failures[0];
      return reply.redirect(
        firstFailure ? `/rounds/${round.id}/eligibility/not-eligible?q=${firstFailure.questionId}` : `/rounds/${round.id}/eligibility/1`,
        303,
      );
    }
    return this.pages.render(request, reply, 'pages/eligibility/eligible.njk', {
      pageTitle: `Your group can apply to ${round.title}`,
      round,
      backLink: questions.length ? `/rounds/${round.id}/eligibility/${questions.length}` : `/rounds/${round.id}`,
    });
  }

  @Get('rounds/:roundId/eligibility/:n')
  @Access('public')
  async eligibilityQuestion(@Param('roundId') roundId: string, @Param('n') n: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions } = await this.eligibility.questionsOf(roundId);
    const index = Number(n) - 1;
    if (!/^\d{1,3}$/.test(n) || index < 0 || index >= questions.length) throw new DomainError('not_found', 'PAGE.NOT_FOUND', 'Page not found');
    const answer = this.journeyAnswers(request, round.id)[questions[index].id];
    return this.renderQuestion(request, reply, round, questions, index, answer === undefined ? '' : answer ? 'yes' : 'no');
  }

  @Post('rounds/:roundId/eligibility/:n')
  @Access('public')
  async answerEligibility(@Param('roundId') roundId: string, @Param('n') n: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, questions } = await this.eligibility.questionsOf(roundId);
    const index = Number(n) - 1;
    if (!/^\d{1,3}$/.test(n) || index < 0 || index >= questions.length) throw new DomainError('not_found', 'PAGE.NOT_FOUND', 'Page not found');
    const question = questions[index];
    const raw = one(body.answer);
    if (raw !== 'yes' && raw !== 'no') {
      const error = validationError([{ field: 'answer', code: 'FIELD.REQUIRED', message: 'Select yes or no' }]);
      return this.renderQuestion(request, reply, round, questions, index, '', error);
    }
    const answer = raw === 'yes';
    const journeys = { ...(request.session.journeys ?? {}) };
    journeys[journeyKey(round.id)] = { ...(journeys[journeyKey(round.id)] ?? {}), [question.id]: answer };
    request.session.journeys = journeys;
    if (answer !== question.passingAnswer) return reply.redirect(`/rounds/${round.id}/eligibility/not-eligible?q=${question.id}`, 303);
    if (index + 1 < questions.length) return reply.redirect(`/rounds/${round.id}/eligibility/${index + 2}`, 303);
    return reply.redirect(`/rounds/${round.id}/eligibility/result`, 303);
  }

  private journeyAnswers(request: FastifyRequest, roundId: string): Record<string, boolean> {
    return (request.session?.journeys?.[journeyKey(roundId)] as Record<string, boolean> | undefined) ?? {};
  }

  private renderQuestion(
    request: FastifyRequest,
    reply: FastifyReply,
    round: { id: string; title: string },
    questions: { id: string; question: string; hint: string | null }[],
    index: number,
    value: string,
    error?: DomainError,
  ) {
    return this.pages.render(
      request,
      reply,
      'pages/eligibility/question.njk',
      {
        pageTitle: questions[index].question,
        round,
        question: questions[index],
        number: index + 1,
        total: questions.length,
        value,
        ...(error ? formErrorsOf(error) : {}),
        backLink: index === 0 ? `/rounds/${round.id}/eligibility` : `/rounds/${round.id}/eligibility/${index}`,
      },
      error ? 422 : 200,
    );
  }

  // ---- starting a bid -------------------------------------------------------------------------

  @Get('rounds/:roundId/apply')
  @Access('user')
  async applyForm(@CurrentUser() user: AuthenticatedUser, @Param('roundId') roundId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderApply(request, reply, user, roundId, {});
  }

  @Post('rounds/:roundId/apply')
  @Access('user')
  async apply(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('roundId') roundId: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const values = { organisationId: one(body.organisationId), potId: one(body.potId) };
    const errors: FieldError[] = [];
    if (!values.organisationId) errors.push({ field: 'organisationId', code: 'FIELD.REQUIRED', message: 'Select the organisation applying' });
    if (!values.potId) errors.push({ field: 'potId', code: 'FIELD.REQUIRED', message: 'Select the pot you are applying to' });
    try {
      if (errors.length) throw validationError(errors);
      const created = await this.applications.create(user, actor, { roundId, ...values });
      this.pages.flash(request, 'Work through each section. Your answers are saved each time you select "Save and continue", so you can come back at any time.', 'Application started');
      return reply.redirect(base(created.id), 303);
    } catch (error) {
      if (error instanceof DomainError && (error.kind === 'validation' || error.kind === 'conflict')) {
        return this.renderApply(request, reply, user, roundId, values, error);
      }
      throw error;
    }
  }

  private async renderApply(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, roundId: string, values: Record<string, string>, error?: DomainError) {
    const { round } = await this.eligibility.questionsOf(roundId);
    const pots = await this.applications.potsOf(round.id);
    const organisations = await this.access.organisationsOf(user.id);
    return this.pages.render(
      request,
      reply,
      'pages/applications/start.njk',
      {
        pageTitle: `Start an application to ${round.title}`,
        round,
        pots: pots.map((p) => ({ ...p, range: `${formatPence(p.minGrantPence)} to ${formatPence(p.maxGrantPence)}` })),
        organisations,
        values: {
          organisationId: values.organisationId ?? (organisations.length === 1 ? organisations[0].id : ''),
          potId: values.potId ?? (pots.length === 1 ? pots[0].id : ''),
        },
        ...(error ? formErrorsOf(error) : {}),
        backLink: `/rounds/${round.id}`,
      },
      error ? (error.kind === 'conflict' ? 409 : 422) : 200,
    );
  }

  // ---- dashboard and task list ----------------------------------------------------------------

  @Get('dashboard')
  @Access('user')
  async dashboard(@CurrentUser() user: AuthenticatedUser, @Query('page') page: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const pageNumber = /^\d{1,5}$/.test(page ?? '') && Number(page) > 0 ? Number(page) : 1;
    // The dashboard is always the person's own organisations' bids, whatever staff roles they hold.
    const list = await this.applications.list({ ...user, roles: [] }, { page: pageNumber, pageSize: 25 });
    return this.pages.render(request, reply, 'pages/dashboard.njk', {
      pageTitle: 'Your applications',
      applications: list.items.map((a) => ({ ...a, tagClass: STATUS_TAG_CLASSES[a.status] })),
      total: list.total,
      page: pageNumber,
      pages: Math.ceil(list.total / 25),
      organisations: await this.access.organisationsOf(user.id),
    });
  }

  @Get('applications/:id')
  @Access('user')
  async taskList(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    const items = app.sections.map((s) => ({
      title: { text: s.title },
      href: s.kind === 'project' ? `${base(app.id)}/project` : s.kind === 'budget' ? `${base(app.id)}/budget` : `${base(app.id)}/sections/${s.key}`,
      status: statusTag(s.status),
    }));
    const completed = app.sections.filter((s) => s.status === 'completed').length;
    return this.pages.render(request, reply, 'pages/applications/task-list.njk', {
      pageTitle: app.projectTitle ?? 'Your application',
      app,
      items,
      // One count from one source: the rows of the task list are the sections, and nothing else.
      completed,
      totalSections: items.length,
      attachmentCount: app.attachments.length,
      allCompleted: completed === app.sections.length,
      statusTagClass: STATUS_TAG_CLASSES[app.status],
      canWithdraw: isWithdrawable(app.status),
      backLink: '/dashboard',
    });
  }

  /** A bid of the person's own organisation (staff who are not members use the staff pages). */
  private async memberView(user: AuthenticatedUser, id: string): Promise<ApplicationDetail> {
    const app = await this.access.readable({ ...user, roles: [] }, id);
    return this.applications.detail(app);
  }

  private requireDraft(app: ApplicationDetail, reply: FastifyReply): boolean {
    if (app.status === 'draft') return true;
    void reply.redirect(`${base(app.id)}/check-answers`, 303);
    return false;
  }

  // ---- project details ------------------------------------------------------------------------

  @Get('applications/:id/project')
  @Access('user')
  async projectForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const section = app.sections.find((s) => s.key === PROJECT_SECTION)!;
    return this.renderProject(request, reply, app, {
      projectTitle: app.projectTitle ?? '',
      projectSummary: app.projectSummary ?? '',
      projectStartDate: dateParts(app.projectStartDate),
      projectEndDate: dateParts(app.projectEndDate),
      districtIds: app.districts.map((d) => d.id),
      priorityIds: app.priorities.map((p) => p.id),
      completed: section.status === 'completed' ? 'yes' : '',
      version: String(app.version),
    });
  }

  @Post('applications/:id/project')
  @Access('user')
  async saveProject(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const values = {
      projectTitle: one(body.projectTitle),
      projectSummary: one(body.projectSummary).replace(/\r\n/g, '\n'),
      projectStartDate: { day: one(body['projectStartDate-day']), month: one(body['projectStartDate-month']), year: one(body['projectStartDate-year']) },
      projectEndDate: { day: one(body['projectEndDate-day']), month: one(body['projectEndDate-month']), year: one(body['projectEndDate-year']) },
      districtIds: many(body.districtIds),
      priorityIds: many(body.priorityIds),
      completed: one(body.completed),
      version: one(body.version),
    };
    try {
      const errors: FieldError[] = [];
      const start = dateFrom(body, 'projectStartDate');
      const end = dateFrom(body, 'projectEndDate');
      if (start === null) errors.push({ field: 'projectStartDate', code: 'FIELD.INVALID_DATE', message: 'The start date must be a real date, like 1 4 2030' });
      if (end === null) errors.push({ field: 'projectEndDate', code: 'FIELD.INVALID_DATE', message: 'The end date must be a real date, like 31 3 2031' });
      if (values.projectTitle.length > 200) errors.push({ field: 'projectTitle', code: 'FIELD.TOO_LONG', message: 'The project title must be 200 characters or fewer' });
      if (values.projectSummary.length > 5000) errors.push({ field: 'projectSummary', code: 'FIELD.TOO_LONG', message: 'The summary is too long' });
      const completed = completedFrom(body);
      if (completed === null) errors.push(COMPLETED_MISSING);
      if (errors.length) throw validationError(errors);
      await this.applications.updateProject(user, actor, app.id, {
        version: Number(values.version) || 0,
        projectTitle: values.projectTitle,
        projectSummary: values.projectSummary,
        projectStartDate: start || null,
        projectEndDate: end || null,
        districtIds: values.districtIds,
        priorityIds: values.priorityIds,
        completed: completed === true,
      });
      return reply.redirect(base(app.id), 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      const conflict = this.conflictOf(error, (answers) => ({
        rows: [
          { key: { text: 'Project title' }, value: { text: String(answers.projectTitle ?? '') } },
          { key: { text: 'Summary' }, value: { text: String(answers.projectSummary ?? '') } },
          { key: { text: 'Start date' }, value: { text: displayAnswer({ type: 'date' } as never, answers.projectStartDate) } },
          { key: { text: 'End date' }, value: { text: displayAnswer({ type: 'date' } as never, answers.projectEndDate) } },
        ],
      }));
      if (conflict) values.version = String(conflict.version);
      return this.renderProject(request, reply, app, values, error, conflict);
    }
  }

  private async renderProject(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, values: Record<string, unknown>, error?: DomainError, conflict?: unknown) {
    const context = await this.applications.context(app);
    return this.pages.render(
      request,
      reply,
      'pages/applications/project.njk',
      {
        pageTitle: 'Project details',
        app,
        values,
        context,
        wordLimit: PROJECT_SUMMARY_WORD_LIMIT,
        conflict,
        ...(error ? formErrorsOf(error) : {}),
        backLink: base(app.id),
      },
      error ? (error.kind === 'conflict' ? 409 : 422) : 200,
    );
  }

  /** On an edit conflict: who saved, when, their answers; the page then offers to save over them. */
  private conflictOf(error: DomainError, rows: (answers: Record<string, unknown>) => { rows: unknown[] }) {
    if (error.code !== 'APPLICATION.EDIT_CONFLICT') return undefined;
    const current = error.extra.current as { version: number; answers: Record<string, unknown>; updatedBy: { name: string } | null; updatedAt: string | null };
    return {
      version: current.version,
      who: current.updatedBy?.name ?? 'Someone else',
      when: current.updatedAt ? formatDateTime(current.updatedAt) : '',
      ...rows(current.answers ?? {}),
    };
  }

  // ---- form sections --------------------------------------------------------------------------

  @Get('applications/:id/sections/:key')
  @Access('user')
  async sectionForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('key') key: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const { section, view } = await this.formSection(app, key);
    return this.renderSection(request, reply, app, section, {
      answers: valuesOfAnswers(section, view.answers),
      completed: view.status === 'completed' ? 'yes' : '',
      version: String(view.version),
    });
  }

  @Post('applications/:id/sections/:key')
  @Access('user')
  async saveSectionPage(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('key') key: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const { section } = await this.formSection(app, key);
    const values = { answers: valuesOfBody(section, body), completed: one(body.completed), version: one(body.version) };
    try {
      const { answers, errors } = answersFromBody(section, body);
      const completed = completedFrom(body);
      if (completed === null) errors.push(COMPLETED_MISSING);
      if (errors.length) throw validationError(errors);
      await this.applications.saveSection(user, actor, app.id, key, { answers, version: Number(values.version) || 0, completed: completed === true });
      return reply.redirect(base(app.id), 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      const conflict = this.conflictOf(error, (answers) => ({
        rows: section.questions
          .filter((q) => q.type !== 'file')
          .map((q) => ({ key: { text: q.label }, value: { text: displayAnswer(q, answers[q.key]) || 'Not answered' } })),
      }));
      if (conflict) values.version = String(conflict.version);
      return this.renderSection(request, reply, app, section, values, error, conflict);
    }
  }

  private async formSection(app: ApplicationDetail, key: string): Promise<{ section: FormSection; view: SectionView }> {
    const context = await this.applications.context(app);
    const section = context.form.sections.find((s) => s.key === key);
    const view = app.sections.find((s) => s.key === key && s.kind === 'form');
    if (!section || !view) throw new DomainError('not_found', 'APPLICATION.SECTION_NOT_FOUND', 'This application has no such section');
    return { section, view };
  }

  private renderSection(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, section: FormSection, values: Record<string, unknown>, error?: DomainError, conflict?: unknown) {
    return this.pages.render(
      request,
      reply,
      'pages/applications/section.njk',
      {
        pageTitle: section.title,
        app,
        section,
        values,
        conflict,
        answerField,
        ...(error ? formErrorsOf(error) : {}),
        backLink: base(app.id),
      },
      error ? (error.kind === 'conflict' ? 409 : 422) : 200,
    );
  }

  // ---- budget ---------------------------------------------------------------------------------

  @Get('applications/:id/budget')
  @Access('user')
  async budgetPage(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const section = app.sections.find((s) => s.key === BUDGET_SECTION)!;
    return this.renderBudget(request, reply, app, { completed: section.status === 'completed' ? 'yes' : '', version: String(section.version) });
  }

  @Post('applications/:id/budget')
  @Access('user')
  async completeBudget(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const values = { completed: one(body.completed), version: one(body.version) };
    try {
      const completed = completedFrom(body);
      if (completed === null) throw validationError([COMPLETED_MISSING]);
      await this.applications.saveSection(user, actor, app.id, BUDGET_SECTION, { answers: {}, version: Number(values.version) || 0, completed });
      return reply.redirect(base(app.id), 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      if (error.code === 'APPLICATION.EDIT_CONFLICT') values.version = String((error.extra.current as { version: number }).version);
      const fresh = await this.applications.detail(await this.access.readable({ ...user, roles: [] }, id));
      return this.renderBudget(request, reply, fresh, values, error);
    }
  }

  private renderBudget(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, values: Record<string, unknown>, error?: DomainError) {
    const formErrors = error ? formErrorsOf(error) : null;
    if (formErrors) formErrors.errorList = formErrors.errorList.map((e) => (e.href === '#budget' ? { ...e, href: '#budget-lines' } : e));
    return this.pages.render(
      request,
      reply,
      'pages/applications/budget.njk',
      {
        pageTitle: 'Budget',
        app,
        values,
        categoryLabels: CATEGORY_LABELS,
        otherFundingTotal: app.budgetLines.reduce((sum, l) => sum + l.otherFundingPence, 0),
        ...(formErrors ?? {}),
        backLink: base(app.id),
      },
      error ? (error.kind === 'conflict' ? 409 : 422) : 200,
    );
  }

  @Get('applications/:id/budget/add')
  @Access('user')
  async addLineForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    return this.renderLine(request, reply, app, null, {});
  }

  @Post('applications/:id/budget/add')
  @Access('user')
  async addLine(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const values = this.lineValues(body);
    try {
      await this.budget.add(user, actor, app.id, this.lineInput(values));
      return reply.redirect(`${base(app.id)}/budget`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      return this.renderLine(request, reply, app, null, values, error);
    }
  }

  @Get('applications/:id/budget/:lineId/edit')
  @Access('user')
  async editLineForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('lineId') lineId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const line = app.budgetLines.find((l) => l.id === lineId);
    if (!line) throw new DomainError('not_found', 'BUDGET_LINE.NOT_FOUND', 'Budget line was not found');
    return this.renderLine(request, reply, app, line.id, {
      item: line.item,
      category: line.category,
      amount: penceAsPounds(line.amountPence),
      otherFunding: line.otherFundingPence ? penceAsPounds(line.otherFundingPence) : '',
      otherFundingSource: line.otherFundingSource ?? '',
      version: String(line.version),
    });
  }

  @Post('applications/:id/budget/:lineId/edit')
  @Access('user')
  async editLine(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('lineId') lineId: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const values = this.lineValues(body);
    try {
      await this.budget.update(user, actor, app.id, lineId, { ...this.lineInput(values), version: Number(values.version) || 0 });
      return reply.redirect(`${base(app.id)}/budget`, 303);
    } catch (error) {
      if (!isFormError(error)) throw error;
      let conflict;
      if (error.code === 'APPLICATION.EDIT_CONFLICT') {
        const current = error.extra.current as { version: number; item: string; category: string; amountPence: number; otherFundingPence: number; updatedBy: { name: string } | null; updatedAt: string };
        values.version = String(current.version);
        conflict = {
          who: current.updatedBy?.name ?? 'Someone else',
          when: formatDateTime(current.updatedAt),
          rows: [
            { key: { text: 'Item' }, value: { text: current.item } },
            { key: { text: 'Category' }, value: { text: CATEGORY_LABELS[current.category] ?? current.category } },
            { key: { text: 'Amount' }, value: { text: formatPence(current.amountPence) } },
            { key: { text: 'Other funding' }, value: { text: formatPence(current.otherFundingPence) } },
          ],
        };
      }
      return this.renderLine(request, reply, app, lineId, values, error, conflict);
    }
  }

  private lineValues(body: FormBody) {
    return {
      item: one(body.item),
      category: one(body.category),
      amount: one(body.amount),
      otherFunding: one(body.otherFunding),
      otherFundingSource: one(body.otherFundingSource),
      version: one(body.version),
    };
  }

  /** Pounds as typed into pence; what cannot be read becomes a field error. */
  private lineInput(values: ReturnType<ApplicationPages['lineValues']>) {
    // In the page's order (item, category, amount, other funding), so the error summary is too.
    const errors: FieldError[] = [];
    if (!values.item.trim()) errors.push({ field: 'item', code: 'FIELD.REQUIRED', message: 'Enter what the money is for' });
    if (!values.category) errors.push({ field: 'category', code: 'FIELD.REQUIRED', message: 'Select a category' });
    const amount = values.amount.trim() ? poundsToPence(values.amount) : null;
    if (!values.amount.trim()) errors.push({ field: 'amount', code: 'FIELD.REQUIRED', message: 'Enter the amount you are asking for' });
    else if (amount === null) errors.push({ field: 'amount', code: 'FIELD.NOT_AN_AMOUNT', message: 'Enter the amount in pounds, like 1250 or 1250.50' });
    else if (amount === 0) errors.push({ field: 'amount', code: 'FIELD.TOO_SMALL', message: 'The amount must be more than £0' });
    const other = values.otherFunding.trim() ? poundsToPence(values.otherFunding) : 0;
    if (other === null) errors.push({ field: 'otherFunding', code: 'FIELD.NOT_AN_AMOUNT', message: 'Enter other funding in pounds, like 500 or 500.00' });
    if (errors.length) throw validationError(errors);
    return { item: values.item, category: values.category, amountPence: amount!, otherFundingPence: other ?? 0, otherFundingSource: values.otherFundingSource || null };
  }

  private renderLine(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, lineId: string | null, values: Record<string, unknown>, error?: DomainError, conflict?: unknown) {
    const formErrors = error ? formErrorsOf(error) : null;
    // The service names money fields in pence; the page's inputs are in pounds.
    const rename: Record<string, string> = { amountPence: 'amount', otherFundingPence: 'otherFunding' };
    if (formErrors) {
      formErrors.errorList = formErrors.errorList.map((e) => ({ ...e, href: e.href.replace(/^#(amountPence|otherFundingPence)$/, (_m, f: string) => `#${rename[f]}`) }));
      for (const [from, to] of Object.entries(rename)) if (formErrors.errors[from]) formErrors.errors[to] = formErrors.errors[from];
      // The summary lists the problems in the order of the fields on the page, whoever found them.
      const at = (href: string) => {
        const i = BUDGET_LINE_FIELDS.indexOf(href.replace(/^#/, ''));
        return i < 0 ? BUDGET_LINE_FIELDS.length : i;
      };
      formErrors.errorList = [...formErrors.errorList].sort((a, b) => at(a.href) - at(b.href));
    }
    return this.pages.render(
      request,
      reply,
      'pages/applications/budget-line.njk',
      {
        pageTitle: lineId ? 'Change a budget line' : 'Add a budget line',
        app,
        lineId,
        values,
        conflict,
        categories: BUDGET_CATEGORIES.map((c) => ({ value: c, text: CATEGORY_LABELS[c] })),
        ...(formErrors ?? {}),
        backLink: `${base(app.id)}/budget`,
      },
      error ? (error.kind === 'conflict' ? 409 : 422) : 200,
    );
  }

  @Get('applications/:id/budget/:lineId/remove')
  @Access('user')
  async removeLineForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('lineId') lineId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    const line = app.budgetLines.find((l) => l.id === lineId);
    if (!line) throw new DomainError('not_found', 'BUDGET_LINE.NOT_FOUND', 'Budget line was not found');
    return this.pages.render(request, reply, 'pages/applications/budget-line-remove.njk', {
      pageTitle: `Are you sure you want to remove ${line.item}?`,
      app,
      line,
      backLink: `${base(app.id)}/budget`,
    });
  }

  @Post('applications/:id/budget/:lineId/remove')
  @Access('user')
  async removeLine(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('lineId') lineId: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.memberView(user, id);
    if (!this.requireDraft(app, reply)) return reply;
    try {
      await this.budget.remove(user, actor, app.id, lineId, Number(one(body.version)) || 0);
      this.pages.flash(request, 'The budget line was removed.');
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'APPLICATION.EDIT_CONFLICT')) throw error;
      this.pages.flash(request, 'Someone changed that line after you opened it, so it was not removed. Check it and try again.', 'The line was not removed', 'info');
    }
    return reply.redirect(`${base(app.id)}/budget`, 303);
  }

  // ---- check answers, submit, confirmation ----------------------------------------------------

  @Get('applications/:id/check-answers')
  @Access('user')
  async checkAnswers(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    return this.renderCheckAnswers(request, reply, app, { name: user.fullName, confirmed: '' });
  }

  @Post('applications/:id/check-answers')
  @Access('user')
  async submitPage(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.memberView(user, id);
    const values = { name: one(body.name), confirmed: one(body.confirmed) };
    try {
      const errors: FieldError[] = [];
      if (!values.name.trim()) errors.push({ field: 'name', code: 'FIELD.REQUIRED', message: 'Enter your full name' });
      if (values.name.length > 120) errors.push({ field: 'name', code: 'FIELD.TOO_LONG', message: 'Your name must be 120 characters or fewer' });
      if (values.confirmed !== 'yes') errors.push({ field: 'confirmed', code: 'FIELD.REQUIRED', message: 'Confirm that the information you have given is true and complete' });
      if (errors.length) throw validationError(errors);
      await this.applications.submit(user, actor, app.id, { name: values.name, confirmed: true });
      return reply.redirect(`${base(app.id)}/confirmation`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || !['validation', 'conflict'].includes(error.kind)) throw error;
      if (error.code === 'APPLICATION.ILLEGAL_TRANSITION') return reply.redirect(base(app.id), 303);
      const formErrors = formErrorsOf(error);
      if (error.code === 'APPLICATION.INCOMPLETE' || error.code === 'APPLICATION.BUDGET_OUTSIDE_POT_LIMITS') {
        formErrors.errorList = error.errors.map((e) => ({ text: e.message, href: hrefFor(app.id, e.field) }));
      } else if (error.kind === 'conflict') {
        formErrors.errorList = [{ text: error.message, href: '#main-content' }];
      }
      return this.renderCheckAnswers(request, reply, app, values, formErrors, error.kind === 'conflict' ? 409 : 422);
    }
  }

  private async renderCheckAnswers(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, values: Record<string, string>, formErrors?: ReturnType<typeof formErrorsOf>, status = 200) {
    const context = await this.applications.context(app);
    return this.pages.render(
      request,
      reply,
      'pages/applications/check-answers.njk',
      {
        pageTitle: app.status === 'draft' ? 'Check your answers before sending your application' : 'Your application',
        app,
        summaries: answerSummaries(app, context.form.sections, app.status === 'draft'),
        values,
        isDraft: app.status === 'draft',
        statusTagClass: STATUS_TAG_CLASSES[app.status],
        canWithdraw: isWithdrawable(app.status),
        ...(formErrors ?? {}),
        backLink: app.status === 'draft' ? base(app.id) : '/dashboard',
      },
      status,
    );
  }

  @Get('applications/:id/confirmation')
  @Access('user')
  async confirmation(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    if (!app.reference) return reply.redirect(base(app.id), 303);
    return this.pages.render(request, reply, 'pages/applications/confirmation.njk', { pageTitle: 'Application submitted', app });
  }

  // ---- withdraw and history -------------------------------------------------------------------

  @Get('applications/:id/withdraw')
  @Access('user')
  async withdrawForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    return this.renderWithdraw(request, reply, app, { reason: '' });
  }

  @Post('applications/:id/withdraw')
  @Access('user')
  async withdrawPage(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const app = await this.memberView(user, id);
    const values = { reason: one(body.reason) };
    try {
      const errors: FieldError[] = [];
      if (!values.reason.trim()) errors.push({ field: 'reason', code: 'FIELD.REQUIRED', message: 'Tell us why you are withdrawing the application' });
      if (values.reason.length > 1000) errors.push({ field: 'reason', code: 'FIELD.TOO_LONG', message: 'The reason must be 1000 characters or fewer' });
      if (errors.length) throw validationError(errors);
      await this.applications.withdraw(user, actor, app.id, values.reason);
      this.pages.flash(request, `${app.projectTitle ?? 'The application'}${app.reference ? ` (${app.reference})` : ''} has been withdrawn.`, 'Application withdrawn');
      return reply.redirect('/dashboard', 303);
    } catch (error) {
      if (!(error instanceof DomainError) || !['validation', 'conflict'].includes(error.kind)) throw error;
      return this.renderWithdraw(request, reply, app, values, error);
    }
  }

  private renderWithdraw(request: FastifyRequest, reply: FastifyReply, app: ApplicationDetail, values: Record<string, string>, error?: DomainError) {
    return this.pages.render(
      request,
      reply,
      'pages/applications/withdraw.njk',
      {
        pageTitle: 'Withdraw your application',
        app,
        values,
        canWithdraw: isWithdrawable(app.status),
        statusLabel: STATUS_LABELS[app.status],
        ...(error ? formErrorsOf(error) : {}),
        backLink: base(app.id),
      },
      error ? (error.kind === 'conflict' ? 409 : 422) : 200,
    );
  }

  @Get('applications/:id/history')
  @Access('user')
  async historyPage(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const app = await this.memberView(user, id);
    const history = await this.applications.history({ ...user, roles: [] }, app.id);
    return this.pages.render(request, reply, 'pages/applications/history.njk', {
      pageTitle: 'History of your application',
      app,
      history,
      backLink: base(app.id),
    });
  }
}
