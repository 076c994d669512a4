import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApplicationReader } from '../applications/application-reader.js';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { isPageFormError, pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { COMMENT_WORD_LIMIT, RECOMMENDATIONS, SCORE_LABELS, type Recommendation } from './assessment-rules.js';
import { AssignDto, RescheduleDto, type SaveAssessmentDto } from './assessment.dto.js';
import { AssignmentService } from './assignment.service.js';
import { ConflictsService } from './conflicts.service.js';
import { RankingService } from './ranking.service.js';
import { ScoringService, type AssessmentView } from './scoring.service.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (value: unknown): string => (Array.isArray(value) ? String(value[0] ?? '') : typeof value === 'string' ? value : '');
const RECOMMENDATION_LABELS: Record<Recommendation, string> = { fund: 'Fund', fund_in_part: 'Fund in part', do_not_fund: 'Do not fund' };

/** The assessor's pages (queue, conflict confirmation, scoring beside the bid) and the officers' lists. No rules here: the services decide. */
@ApiExcludeController()
@Controller()
export class AssessmentPages {
  constructor(
    private readonly scoring: ScoringService,
    private readonly conflicts: ConflictsService,
    private readonly assignment: AssignmentService,
    private readonly rankings: RankingService,
    private readonly applications: ApplicationReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get('assessments')
  @Access('assessor')
  async queue(@CurrentUser() user: AuthenticatedUser, @Query('page') pageParam: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const page = /^\d{1,5}$/.test(pageParam ?? '') && Number(pageParam) > 0 ? Number(pageParam) : 1;
    const result = await this.scoring.mine(user, { page, pageSize: 25 });
    const refs = new Map((await this.applications.refsByIds(result.items.map((i) => i.applicationId))).map((r) => [r.id, r]));
    return this.pages.render(request, reply, 'pages/assessment/queue.njk', {
      pageTitle: 'My assessments',
      items: result.items.map((i) => ({ ...i, reference: refs.get(i.applicationId)?.reference ?? '' })),
      total: result.total,
      page,
      pages: Math.ceil(result.total / 25),
    });
  }

  @Get('assessments/:id')
  @Access('assessor')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const view = await this.scoring.get(user, id);
    if (view.assessorId !== user.id) throw new DomainError('not_found', 'ASSESSMENT.NOT_FOUND', 'Assessment was not found');
    if (!view.noConflictConfirmed) return this.confirmPage(request, reply, view);
    return this.scoringPage(request, reply, user, view, this.valuesOf(view));
  }

  @Post('assessments/:id/no-conflict')
  @Access('assessor')
  async confirm(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const view = await this.scoring.get(user, id);
    const answer = one(body.conflict);
    if (answer === 'none') {
      await this.scoring.confirmNoConflict(actor, user, id);
      return reply.redirect(`/assessments/${id}`, 303);
    }
    if (answer === 'conflict' && one(body.reason).trim()) {
      const [ref] = await this.applications.refsByIds([view.applicationId]);
      await this.conflicts.declare(actor, user, { organisationId: ref.organisationId, reason: one(body.reason).trim().slice(0, 1000) });
      this.pages.flash(request, 'Your conflict of interest is recorded and the application has been given to another assessor.', 'Conflict declared');
      return reply.redirect('/assessments', 303);
    }
    const errors = answer === 'conflict' ? [{ field: 'reason', code: 'FIELD.REQUIRED', message: 'Describe your conflict of interest' }] : [{ field: 'conflict', code: 'FIELD.REQUIRED', message: 'Select whether you have a conflict of interest' }];
    return this.confirmPage(request, reply, view, new DomainError('validation', 'VALIDATION.FAILED', 'The form has errors', errors));
  }

  @Post('assessments/:id')
  @Access('assessor')
  async save(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const view = await this.scoring.get(user, id);
    const input = this.inputOf(view, body);
    try {
      await this.scoring.save(actor, user, id, input);
      if (one(body.action) === 'submit') {
        if (one(body.confirmSubmit) !== 'yes') {
          throw new DomainError('validation', 'VALIDATION.FAILED', 'Confirm', [{ field: 'confirmSubmit', code: 'FIELD.REQUIRED', message: 'Confirm that the assessment is finished before submitting it' }]);
        }
        await this.scoring.submit(actor, user, id);
        this.pages.flash(request, 'Your assessment has been submitted.', 'Assessment submitted');
        return reply.redirect('/assessments', 303);
      }
      this.pages.flash(request, 'Your draft has been saved. You can come back to it later.', 'Draft saved');
      return reply.redirect(`/assessments/${id}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.scoringPage(request, reply, user, view, this.formValues(view, body), error);
    }
  }

  @Get('staff/assessment/unassigned')
  @StaffRead('grants_officer')
  async unassigned(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/assessment/unassigned.njk', { pageTitle: 'Applications waiting for assessors', ...(await this.assignment.unassigned()) });
  }

  @Get('staff/assessment/applications/:applicationId')
  @StaffRead('grants_officer')
  async bidAssessors(@CurrentUser() user: AuthenticatedUser, @Param('applicationId') applicationId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.bidPage(request, reply, user, applicationId, {});
  }

  @Post('staff/assessment/applications/:applicationId/assignments')
  @Access('grants_officer')
  async assign(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('applicationId') applicationId: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const userId = one(body.userId);
    try {
      const dto = await pageForm(AssignDto, { userId }, { messages: { userId: 'Choose an assessor from the pool' } });
      await this.assignment.assign(actor, applicationId, dto.userId);
      this.pages.flash(request, 'The assessor has been assigned and emailed reminders will follow their due date.', 'Assessor assigned');
      return reply.redirect(`/staff/assessment/applications/${applicationId}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.bidPage(request, reply, user, applicationId, { userId }, error);
    }
  }

  @Post('staff/assessment/applications/:applicationId/assignments/:userId/remove')
  @Access('grants_officer')
  async unassign(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('applicationId') applicationId: string, @Param('userId') userId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!isUuid(userId)) throw new DomainError('not_found', 'ASSESSMENT.NOT_ASSIGNED', 'This person is not assigned to the application');
    try {
      await this.assignment.unassign(actor, applicationId, userId);
      this.pages.flash(request, 'The assessor has been taken off the application; their place is filled from the pool where it can be.', 'Assessor removed');
      return reply.redirect(`/staff/assessment/applications/${applicationId}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.bidPage(request, reply, user, applicationId, {}, error);
    }
  }

  @Post('staff/assessment/applications/:applicationId/assessments/:assessmentId/due-date')
  @Access('grants_officer')
  async reschedule(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('applicationId') applicationId: string,
    @Param('assessmentId') assessmentId: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const view = await this.assignment.bidAssessors(applicationId);
    if (!view.assessments.some((a) => a.id === assessmentId)) throw new DomainError('not_found', 'ASSESSMENT.NOT_FOUND', 'Assessment was not found');
    const parts = { day: one(body['dueOn-day']).trim(), month: one(body['dueOn-month']).trim(), year: one(body['dueOn-year']).trim() };
    try {
      const dueOn = /^\d{1,2}$/.test(parts.day) && /^\d{1,2}$/.test(parts.month) && /^\d{4}$/.test(parts.year) ? `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}` : '';
      if (!dueOn) throw new DomainError('validation', 'ASSESSMENT.BAD_DUE_DATE', 'Enter the new due date', [{ field: 'dueOn', code: 'ASSESSMENT.BAD_DUE_DATE', message: 'Enter the new due date as a day, month and year' }]);
      const dto = await pageForm(RescheduleDto, { dueOn });
      await this.assignment.reschedule(actor, assessmentId, dto.dueOn);
      this.pages.flash(request, 'The due date has been changed; reminders will follow the new date.', 'Due date changed');
      return reply.redirect(`/staff/assessment/applications/${applicationId}`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.bidPage(request, reply, user, applicationId, { failed: assessmentId, ...parts }, error);
    }
  }

  @Get('staff/assessment/flagged')
  @StaffRead('grants_officer')
  async flagged(@CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { items } = await this.scoring.flagged();
    const refs = new Map((await this.applications.refsByIds(items.map((i) => i.applicationId))).map((r) => [r.id, r]));
    return this.pages.render(request, reply, 'pages/assessment/flagged.njk', {
      pageTitle: 'Applications flagged for moderation',
      items: items.map((i) => ({ ...i, reference: refs.get(i.applicationId)?.reference ?? '' })),
      canModerate: hasRole(user, 'grants_officer'),
    });
  }

  @Post('staff/assessment/flagged/:applicationId')
  @Access('grants_officer')
  async moderate(@CurrentActor() actor: Actor, @Param('applicationId') applicationId: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const raw = one(body.scorePercent).trim();
    const reason = one(body.reason).trim();
    const errors = [];
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(raw) || Number(raw) > 100) errors.push({ field: 'scorePercent', code: 'FIELD.INVALID', message: 'Enter a score from 0 to 100' });
    if (!reason || reason.length > 2000) errors.push({ field: 'reason', code: 'FIELD.REQUIRED', message: 'Give the reason for the moderated score (up to 2000 characters)' });
    try {
      if (errors.length) throw new DomainError('validation', 'VALIDATION.FAILED', 'The form has errors', errors);
      await this.scoring.moderate(actor, applicationId, { scorePercent: Number(raw), reason });
      this.pages.flash(request, 'The moderated score is recorded and the application is assessed.', 'Application moderated');
      return reply.redirect('/staff/assessment/flagged', 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      const { form, status } = pageErrorView(error);
      const { items } = await this.scoring.flagged();
      const refs = new Map((await this.applications.refsByIds(items.map((i) => i.applicationId))).map((r) => [r.id, r]));
      return this.pages.render(
        request,
        reply,
        'pages/assessment/flagged.njk',
        { pageTitle: 'Applications flagged for moderation', items: items.map((i) => ({ ...i, reference: refs.get(i.applicationId)?.reference ?? '' })), failed: applicationId, values: { scorePercent: raw, reason }, canModerate: true, ...form },
        status,
      );
    }
  }

  @Get('staff/rounds/:id/ranking')
  @StaffRead('grants_officer')
  async ranking(@Param('id') id: string, @Query('potId') potId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const ranking = await this.rankings.ranking(id, isUuid(potId) ? potId : undefined);
    return this.pages.render(request, reply, 'pages/assessment/ranking.njk', { pageTitle: 'Ranking', ranking });
  }

  private async bidPage(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, applicationId: string, values: Record<string, string>, error?: unknown) {
    const view = await this.assignment.bidAssessors(applicationId);
    const [ref] = await this.applications.refsByIds([applicationId]);
    const { form, status } = pageErrorView(error, {}, { dueOn: `dueOn-${values.failed ?? ''}-day` });
    return this.pages.render(
      request,
      reply,
      'pages/assessment/bid.njk',
      {
        pageTitle: `Assessors of ${ref?.reference ?? 'the application'}`,
        view,
        reference: ref?.reference ?? '',
        values,
        canEdit: hasRole(user, 'grants_officer') && view.state !== 'assessed',
        candidateItems: [
          { value: '', text: 'Choose an assessor' },
          ...view.candidates.map((c) => ({ value: c.userId, text: `${c.fullName} (${c.openAssessments} open of ${c.capacity})`, selected: values.userId === c.userId })),
        ],
        backLink: view.state === 'unassigned' ? '/staff/assessment/unassigned' : `/staff/applications/${applicationId}`,
        ...form,
      },
      status,
    );
  }

  private valuesOf(view: AssessmentView): Record<string, string> {
    const values: Record<string, string> = { recommendation: view.recommendation ?? '', recommendedPounds: view.recommendedPence ? String(view.recommendedPence / 100) : '' };
    for (const s of view.scores) {
      values[`score_${s.criterionKey}`] = s.score === null ? 'na' : String(s.score);
      values[`comment_${s.criterionKey}`] = s.comment;
    }
    return values;
  }

  private formValues(view: AssessmentView, body: FormBody): Record<string, string> {
    const values: Record<string, string> = { recommendation: one(body.recommendation), recommendedPounds: one(body.recommendedPounds) };
    for (const c of view.criteria) {
      values[`score_${c.key}`] = one(body[`score_${c.key}`]);
      values[`comment_${c.key}`] = one(body[`comment_${c.key}`]);
    }
    return values;
  }

  private inputOf(view: AssessmentView, body: FormBody): SaveAssessmentDto {
    const scores = view.criteria
      .filter((c) => one(body[`score_${c.key}`]) !== '' || one(body[`comment_${c.key}`]).trim() !== '')
      .map((c) => {
        const raw = one(body[`score_${c.key}`]);
        return { criterionKey: c.key, score: raw === 'na' ? null : raw === '' ? Number.NaN : Number(raw), comment: one(body[`comment_${c.key}`]) };
      });
    const rec = one(body.recommendation);
    const pounds = one(body.recommendedPounds).replace(/[£,\s]/g, '');
    return {
      scores,
      recommendation: (RECOMMENDATIONS as readonly string[]).includes(rec) ? (rec as Recommendation) : null,
      recommendedPence: /^\d{1,9}$/.test(pounds) ? Number(pounds) * 100 : null,
    };
  }

  private async confirmPage(request: FastifyRequest, reply: FastifyReply, view: AssessmentView, error?: unknown) {
    const { form, status } = pageErrorView(error);
    const [ref] = await this.applications.refsByIds([view.applicationId]);
    return this.pages.render(request, reply, 'pages/assessment/confirm.njk', { pageTitle: 'Conflict of interest', view, reference: ref?.reference ?? '', ...form }, status);
  }

  private async scoringPage(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, view: AssessmentView, values: Record<string, string>, error?: unknown) {
    const { form, status } = pageErrorView(error);
    const bid = await this.applications.get(user, view.applicationId);
    return this.pages.render(
      request,
      reply,
      'pages/assessment/score.njk',
      {
        pageTitle: `Assess ${bid.reference ?? 'application'}`,
        view,
        bid,
        values,
        scoreItems: (key: string, allowNa: boolean) => [
          ...Object.entries(SCORE_LABELS).map(([score, label]) => ({ value: score, text: `${score}: ${label}`, checked: values[`score_${key}`] === score })),
          ...(allowNa ? [{ divider: 'or' }, { value: 'na', text: 'Not applicable', checked: values[`score_${key}`] === 'na' }] : []),
        ],
        recommendationItems: RECOMMENDATIONS.map((r) => ({ value: r, text: RECOMMENDATION_LABELS[r], checked: values.recommendation === r })),
        wordLimit: COMMENT_WORD_LIMIT,
        locked: view.status !== 'open',
        ...form,
      },
      status,
    );
  }
}
