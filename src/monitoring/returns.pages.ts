import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { readsAllReturns } from '../auth/policies/monitoring.policy.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { penceAsPounds, poundsToPence } from '../common/money.js';
import { isPageFormError, pageErrorView, pageForm } from '../web/page-form.js';
import { formErrorsOf, PageRenderer, type FormErrors } from '../web/page-renderer.js';
import { MonitoringReader, type ReturnView } from './monitoring-reader.js';
import { SaveReturnDto } from './monitoring.dto.js';
import { ReturnEvidenceService } from './return-evidence.service.js';
import { RETURN_TAG_CLASSES } from './return-lifecycle.js';
import { ReturnsService } from './returns.service.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).toString();

/** Upload errors a person can put right on the evidence page. */
const SHOWN_ON_PAGE = new Set<DomainError['kind']>(['validation', 'payload_too_large', 'unsupported_media_type', 'conflict', 'bad_request']);

/** How many output rows the form offers beyond those already written. */
const SPARE_OUTPUT_ROWS = 3;

/** The return's form values: pounds per budget line, the outputs' rows, the texts. */
function formValues(ret: ReturnView): Record<string, string> {
  const values: Record<string, string> = { narrative: ret.narrative, outcomes: ret.outcomes, caseStudy: ret.caseStudy };
  for (const line of ret.spend.lines) values[`spend-${line.budgetLineId}`] = line.spentThisReturnPence ? penceAsPounds(line.spentThisReturnPence) : '';
  ret.outputs.forEach((o, i) => {
    values[`output-${i}-label`] = o.label;
    values[`output-${i}-promised`] = String(o.promised);
    values[`output-${i}-actual`] = String(o.actual);
  });
  return values;
}

/** A whole number typed in a box, or null. */
const count = (text: string): number | null => (/^\d{1,8}$/.test(text.trim()) ? Number(text.trim()) : null);

/** Reads the form into the API's body, with the page's own errors (pounds, counts) in its fields' names. */
function readForm(ret: ReturnView, body: FormBody, rows: number): { input: Record<string, unknown>; values: Record<string, string>; parseErrors: FieldError[] } {
  const values: Record<string, string> = {};
  const parseErrors: FieldError[] = [];
  const spend = ret.spend.lines.map((line) => {
    const name = `spend-${line.budgetLineId}`;
    values[name] = one(body[name]);
    const pence = values[name].trim() === '' ? 0 : poundsToPence(values[name]);
    if (pence === null) parseErrors.push({ field: name, code: 'MONITORING.BAD_AMOUNT', message: `Enter what you spent on ${line.item} in pounds, like 1250.50` });
    return { budgetLineId: line.budgetLineId, spentPence: pence ?? 0 };
  });
  const outputs: { key: string; label: string; promised: number; actual: number }[] = [];
  for (let i = 0; i < rows; i++) {
    for (const part of ['label', 'promised', 'actual']) values[`output-${i}-${part}`] = one(body[`output-${i}-${part}`]);
    const label = values[`output-${i}-label`].trim();
    if (!label && !values[`output-${i}-promised`].trim() && !values[`output-${i}-actual`].trim()) continue;
    const promised = count(values[`output-${i}-promised`]);
    const actual = count(values[`output-${i}-actual`]);
    if (!label) parseErrors.push({ field: `output-${i}-label`, code: 'MONITORING.OUTPUT_LABEL', message: `Say what output ${i + 1} counts` });
    if (promised === null) parseErrors.push({ field: `output-${i}-promised`, code: 'MONITORING.OUTPUT_COUNT', message: `Enter how many of output ${i + 1} the project promised, as a whole number` });
    if (actual === null) parseErrors.push({ field: `output-${i}-actual`, code: 'MONITORING.OUTPUT_COUNT', message: `Enter how many of output ${i + 1} the project delivered, as a whole number` });
    outputs.push({ key: ret.outputs[i]?.key ?? `output_${i + 1}`, label: label || 'Output', promised: promised ?? 0, actual: actual ?? 0 });
  }
  for (const name of ['narrative', 'outcomes', 'caseStudy']) values[name] = one(body[name]);
  return { input: { returnId: ret.id, spend, outputs, narrative: values.narrative, outcomes: values.outcomes, caseStudy: values.caseStudy }, values, parseErrors };
}

/**
 * The organisation's return pages: the returns an award owes, one return (its answers, the
 * officer's note), the form (spend per approved line, outputs, narrative, outcomes, case study),
 * and checking the answers before submitting. Same doors as the API; the policy decides.
 */
@ApiExcludeController()
@Controller()
export class ReturnsPages {
  constructor(
    private readonly reader: MonitoringReader,
    private readonly returns: ReturnsService,
    private readonly evidence: ReturnEvidenceService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('awards/:id/returns')
  @Access('user')
  async list(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { award, returns } = await this.reader.forAward(user, id);
    return this.pages.render(request, reply, 'monitoring/returns.njk', {
      pageTitle: `Monitoring returns for ${award.reference}`,
      award,
      returns: returns.map((r) => ({ ...r, tagClass: RETURN_TAG_CLASSES[r.status] })),
      staff: readsAllReturns(user),
      backLink: `/awards/${award.id}`,
    });
  }

  @Get('returns/:id')
  @Access('user')
  async show(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { ret, mayWrite, mayReview } = await this.reader.get(user, id);
    return this.pages.render(request, reply, 'monitoring/return.njk', {
      pageTitle: `${ret.periodLabel} for ${ret.award.reference}`,
      ret,
      tagClass: RETURN_TAG_CLASSES[ret.status],
      mayWrite,
      mayReview,
      backLink: `/awards/${ret.awardId}/returns`,
    });
  }

  @Get('returns/:id/edit')
  @Access('user')
  async editForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { ret } = await this.reader.get(user, id);
    return this.renderForm(request, reply, user, id, formValues(ret));
  }

  @Post('returns/:id/edit')
  @Access('user')
  async save(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { ret } = await this.reader.get(user, id);
    const rows = ret.outputs.length + SPARE_OUTPUT_ROWS;
    const { input, values, parseErrors } = readForm(ret, body, rows);
    try {
      const dto = await pageForm(SaveReturnDto, input, {
        parseErrors,
        messages: { narrative: 'The answer must be 10,000 characters or fewer', outcomes: 'The answer must be 10,000 characters or fewer', caseStudy: 'The answer must be 10,000 characters or fewer' },
      });
      await this.returns.save(user, actor, ret.awardId, dto);
      return reply.redirect(`/returns/${id}/check`, 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderForm(request, reply, user, id, values, error);
    }
  }

  @Get('returns/:id/check')
  @Access('user')
  async check(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderCheck(request, reply, user, id);
  }

  @Post('returns/:id/submit')
  @Access('user')
  async submit(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      await this.returns.submit(user, actor, id);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderCheck(request, reply, user, id, error);
    }
    this.pages.flash(request, 'The grants officer will review it and tell you if anything needs to change.', 'Return submitted');
    return reply.redirect(`/returns/${id}`, 303);
  }

  @Get('returns/:id/evidence')
  @Access('user')
  async evidencePage(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderEvidence(request, reply, user, id);
  }

  @Post('returns/:id/evidence')
  @Access('user')
  async upload(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const saved = await this.evidence.upload(user, actor, id, request);
      this.pages.flash(request, `${saved.fileName} has been uploaded.`, 'File uploaded');
      return reply.redirect(`/returns/${id}/evidence`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || !SHOWN_ON_PAGE.has(error.kind)) throw error;
      return this.renderEvidence(request, reply, user, id, formErrorsOf(error), error.status);
    }
  }

  @Get('returns/:id/evidence/:fileId')
  @Access('user')
  async download(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Param('fileId') fileId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.evidence.send(user, reply, id, fileId);
  }

  @Post('returns/:id/evidence/:fileId/remove')
  @Access('user')
  async removeFile(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Param('fileId') fileId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.evidence.remove(user, actor, id, fileId);
    this.pages.flash(request, 'The file has been removed.', 'File removed');
    return reply.redirect(`/returns/${id}/evidence`, 303);
  }

  private async renderEvidence(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, form: Partial<FormErrors> = {}, status = 200) {
    const { ret, mayWrite } = await this.reader.get(user, id);
    return this.pages.render(request, reply, 'monitoring/evidence.njk', { pageTitle: `Evidence for the ${ret.periodLabel.toLowerCase()}`, ret, mayWrite, ...form, backLink: `/returns/${id}` }, status);
  }

  private async renderCheck(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, error?: unknown) {
    const { ret, mayWrite } = await this.reader.get(user, id);
    const { form, status } = pageErrorView(error);
    // The answers missing are on the return's form, not this page: the summary links there.
    const errorList = form.errorList?.map((item) => ({ ...item, href: `/returns/${id}/edit${item.href}` }));
    return this.pages.render(request, reply, 'monitoring/check.njk', { pageTitle: `Check your ${ret.periodLabel.toLowerCase()}`, ret, mayWrite, ...form, errorList, backLink: `/returns/${id}/edit` }, status);
  }

  private async renderForm(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, values: Record<string, string>, error?: unknown) {
    const { ret, mayWrite } = await this.reader.get(user, id);
    const rename: Record<string, string> = {};
    ret.spend.lines.forEach((line, i) => (rename[`spend.${i}.spentPence`] = rename[`spend.${i}.budgetLineId`] = `spend-${line.budgetLineId}`));
    for (let i = 0; i < ret.outputs.length + SPARE_OUTPUT_ROWS; i++) {
      rename[`outputs.${i}.label`] = `output-${i}-label`;
      rename[`outputs.${i}.promised`] = `output-${i}-promised`;
      rename[`outputs.${i}.actual`] = `output-${i}-actual`;
    }
    const { form, status } = pageErrorView(error, rename);
    return this.pages.render(
      request,
      reply,
      'monitoring/form.njk',
      {
        pageTitle: ret.periodLabel,
        ret,
        mayWrite,
        values,
        outputRows: [...Array(ret.outputs.length + SPARE_OUTPUT_ROWS).keys()],
        ...form,
        backLink: `/returns/${id}`,
      },
      status,
    );
  }
}
