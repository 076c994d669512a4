import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_TAG_CLASSES } from '../applications/application-lifecycle.js';
import { ApplicationsService, ATTACHMENT_KINDS } from '../applications/applications.service.js';
import { ATTACHMENT_KIND_LABELS } from '../attachments/attachments.service.js';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { isPageFormError, pageErrorView } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { ScreeningChecklistsService } from './screening-checklists.service.js';
import { CHECKLIST_RESULTS, SCREENING_OUTCOMES, type ChecklistResult, type ScreeningOutcome } from './screening.entities.js';
import type { ScreeningInput } from './screening-rules.js';
import { ScreeningService } from './screening.service.js';

type FormBody = Record<string, string | string[] | undefined>;
const PAGE_SIZE = 25;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).toString();
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []).map(String);
const pad = (n: string, size: number) => n.trim().padStart(size, '0');

/** A page's date boxes as YYYY-MM-DD ('' when all empty, 'invalid' when partly filled). */
function dateFrom(body: FormBody, name: string): string {
  const [d, m, y] = ['day', 'month', 'year'].map((p) => one(body[`${name}-${p}`]).trim());
  if (!d && !m && !y) return '';
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) return 'invalid';
  return `${y}-${pad(m, 2)}-${pad(d, 2)}`;
}

const RESULT_LABELS: Record<ChecklistResult, string> = { pass: 'Pass', fail: 'Fail', not_applicable: 'Not applicable' };
const OUTCOME_LABELS: Record<ScreeningOutcome, string> = { pass: 'Pass: send to assessment', more_info: 'Ask for more information', ineligible: 'Ineligible: reject with a reason' };

/**
 * Grants officers' screening pages (the auditor reads them, never changes anything): the queue,
 * one bid's screening beside its answers, and a round's checklist. They call ScreeningService,
 * the same door as the API; the rules are there.
 */
@ApiExcludeController()
@Controller('staff')
export class ScreeningPages {
  constructor(
    private readonly screening: ScreeningService,
    private readonly checklists: ScreeningChecklistsService,
    private readonly applications: ApplicationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('screening')
  @StaffRead('grants_officer')
  async queue(@CurrentUser() user: AuthenticatedUser, @Query('page') page: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const pageNumber = /^\d{1,5}$/.test(page ?? '') && Number(page) > 0 ? Number(page) : 1;
    const result = await this.screening.queue(user, { page: pageNumber, pageSize: PAGE_SIZE });
    return this.pages.render(request, reply, 'screening/queue.njk', {
      pageTitle: 'Screening',
      items: result.items.map((a) => ({ ...a, tagClass: STATUS_TAG_CLASSES[a.status] })),
      total: result.total,
      page: pageNumber,
      pages: Math.ceil(result.total / PAGE_SIZE),
      baseUrl: '/staff/screening?',
    });
  }

  @Get('screening/:id')
  @StaffRead('grants_officer')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.render(request, reply, user, id, {});
  }

  @Post('screening/:id/start')
  @Access('grants_officer')
  async start(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.screening.start(user, actor, id);
    return reply.redirect(`/staff/screening/${id}`, 303);
  }

  @Post('screening/:id')
  @Access('grants_officer')
  async screen(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const record = await this.screening.record(user, id);
    const answered = record.checklist.filter((item) => one(body[`result-${item.key}`]));
    const outcome = one(body.outcome);
    const input: ScreeningInput = {
      outcome: outcome as ScreeningOutcome,
      checklist: answered.map((item) => ({
        key: item.key,
        result: one(body[`result-${item.key}`]) as ChecklistResult,
        note: one(body[`note-${item.key}`]),
        attachmentIds: many(body[`files-${item.key}`]),
      })),
      sections: many(body.sections),
      attachmentKinds: many(body.attachmentKinds),
      message: one(body.message),
      respondBy: dateFrom(body, 'respondBy'),
      reason: one(body.reason),
    };
    try {
      if (!(SCREENING_OUTCOMES as readonly string[]).includes(outcome)) {
        throw new DomainError('validation', 'SCREENING.UNKNOWN_OUTCOME', 'Choose an outcome', [{ field: 'outcome', code: 'SCREENING.UNKNOWN_OUTCOME', message: 'Choose an outcome' }]);
      }
      await this.screening.screen(user, actor, id, input);
      const done = { pass: 'passed to assessment', more_info: 'sent back for more information', ineligible: 'rejected as ineligible' }[input.outcome];
      this.pages.flash(request, `${record.application.reference ?? 'The application'} was ${done}.`, 'Screening recorded');
      return reply.redirect('/staff/screening', 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      // The rules name fields by position in what was sent: the page names them by checklist key.
      const pageField = (field: string) => {
        const m = /^checklist\.(\d+)\.(\w+)$/.exec(field);
        if (m) return `${m[2] === 'note' ? 'note' : 'result'}-${answered[Number(m[1])]?.key}`;
        const missing = /^checklist\.([a-z0-9_]+)$/.exec(field);
        return missing ? `result-${missing[1]}` : field;
      };
      const renamed = new DomainError(error.kind, error.code, error.message, error.errors.map((e) => ({ ...e, field: pageField(e.field) })));
      return this.render(request, reply, user, id, body, renamed);
    }
  }

  @Post('screening/:id/register-check')
  @Access('grants_officer')
  async registerCheck(
    @CurrentUser() user: AuthenticatedUser,
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const fields = { registeredNumber: one(body.registeredNumber).trim(), nameShown: one(body.nameShown).trim(), registerStatus: one(body.registerStatus).trim() };
    try {
      const errors = Object.entries(fields)
        .filter(([, v]) => !v || v.length > 200)
        .map(([field, v]) => ({ field, code: v ? 'FIELD.TOO_LONG' : 'FIELD.REQUIRED', message: v ? 'Enter 200 characters or fewer' : 'Enter what the register showed' }));
      if (errors.length) throw new DomainError('validation', 'VALIDATION.FAILED', 'The register check has errors', errors);
      await this.screening.recordRegisterCheck(user, actor, id, { ...fields, checkedAt: new Date() });
      this.pages.flash(request, 'What the register showed has been recorded.', 'Register check recorded');
      return reply.redirect(`/staff/screening/${id}#register`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.render(request, reply, user, id, body, error);
    }
  }

  @Get('rounds/:roundId/screening-checklist')
  @StaffRead('grants_officer')
  async checklist(@CurrentUser() user: AuthenticatedUser, @Param('roundId') roundId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { items, frozen } = await this.checklists.get(roundId);
    return this.renderChecklist(request, reply, user, roundId, frozen ? items : [...items, ...Array.from({ length: 3 }, () => ({ key: '', label: '' }))], frozen);
  }

  @Post('rounds/:roundId/screening-checklist')
  @Access('grants_officer')
  async saveChecklist(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('roundId') roundId: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const keys = many(body.key);
    const labels = many(body.label);
    const rows = keys.map((key, i) => ({ key: key.trim(), label: (labels[i] ?? '').trim() }));
    try {
      await this.checklists.replace(actor, roundId, rows.filter((r) => r.key || r.label));
      this.pages.flash(request, 'The screening checklist has been saved.', 'Checklist saved');
      return reply.redirect(`/staff/rounds/${roundId}/screening-checklist`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      const frozen = await this.checklists.isFrozen(roundId);
      return this.renderChecklist(request, reply, user, roundId, frozen ? (await this.checklists.get(roundId)).items : rows, frozen, error);
    }
  }

  private async renderChecklist(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, roundId: string, rows: { key: string; label: string }[], frozen: boolean, error?: unknown) {
    const { form, status } = pageErrorView(error, {}, { items: 'items-0-key' });
    return this.pages.render(
      request,
      reply,
      'screening/checklist.njk',
      { pageTitle: 'Screening checklist', roundId, rows, frozen, canEdit: hasRole(user, 'grants_officer') && !frozen, ...form, backLink: `/staff/rounds/${roundId}` },
      status,
    );
  }

  private async render(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, body: FormBody, error?: unknown) {
    const record = await this.screening.record(user, id);
    const app = record.application;
    const { form, status } = pageErrorView(error, {}, { respondBy: 'respondBy-day' });
    const awaiting = app.status === 'submitted' || app.status === 'screening';
    const checked = (name: string, value: string) => many(body[name]).includes(value);
    const items = record.checklist.map((item) => ({
      ...item,
      result: one(body[`result-${item.key}`]),
      note: one(body[`note-${item.key}`]),
      resultItems: CHECKLIST_RESULTS.map((r) => ({ value: r, text: RESULT_LABELS[r], checked: one(body[`result-${item.key}`]) === r })),
      fileItems: app.attachments.map((a) => ({ value: a.id, text: a.fileName, checked: checked(`files-${item.key}`, a.id) })),
    }));
    return this.pages.render(
      request,
      reply,
      'screening/show.njk',
      {
        pageTitle: `Screening ${app.reference ?? ''}`.trim(),
        app,
        record,
        items,
        summaries: (await this.applications.answerSummaries(app)).filter((s) => s.title !== 'Attachments'),
        statusTagClass: STATUS_TAG_CLASSES[app.status],
        canScreen: hasRole(user, 'grants_officer') && awaiting,
        needsStart: hasRole(user, 'grants_officer') && app.status === 'submitted',
        outcomeItems: SCREENING_OUTCOMES.map((o) => ({ value: o, text: OUTCOME_LABELS[o], checked: one(body.outcome) === o })),
        sectionItems: app.sections.map((s) => ({ value: s.key, text: s.title, checked: checked('sections', s.key) })),
        kindItems: ATTACHMENT_KINDS.map((k) => ({ value: k, text: ATTACHMENT_KIND_LABELS[k], checked: checked('attachmentKinds', k) })),
        values: {
          message: one(body.message),
          reason: one(body.reason),
          respondBy: { day: one(body['respondBy-day']), month: one(body['respondBy-month']), year: one(body['respondBy-year']) },
          registeredNumber: one(body.registeredNumber) || record.registration?.charityNumber || record.registration?.companyNumber || '',
          nameShown: one(body.nameShown),
          registerStatus: one(body.registerStatus),
        },
        resultLabels: RESULT_LABELS,
        kindLabels: ATTACHMENT_KIND_LABELS,
        ...form,
        backLink: '/staff/screening',
      },
      status,
    );
  }
}
