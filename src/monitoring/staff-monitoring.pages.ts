import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { validationFailed, type FieldError } from '../common/errors.js';
import { RoundsService } from '../funds/rounds.service.js';
import { isPageFormError, pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { AwardClosureService } from './award-closure.service.js';
import { MonitoringReader } from './monitoring-reader.js';
import { CloseAwardDto, ReviewReturnDto } from './monitoring.dto.js';
import { isReturnStatus, RETURN_STATUS_LABELS, RETURN_STATUSES, RETURN_TAG_CLASSES } from './return-lifecycle.js';
import { MAX_SCHEDULED_RETURNS } from './return-rules.js';
import { ReturnSchedulesService } from './return-schedules.service.js';
import { ReturnsService } from './returns.service.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).toString();
const PAGE_SIZE = 25;
const pageNumber = (page: string | undefined) => (/^\d{1,5}$/.test(page ?? '') && Number(page) > 0 ? Number(page) : 1);
/** The schedule page offers this many rows. */
const SCHEDULE_ROWS = 6;

/**
 * Staff monitoring pages: the review queue across rounds, a return's review (accept, or ask for
 * changes with a note), a round's return schedule, and closing an award with what blocks it.
 */
@ApiExcludeController()
@Controller('staff')
export class StaffMonitoringPages {
  constructor(
    private readonly reader: MonitoringReader,
    private readonly returns: ReturnsService,
    private readonly schedules: ReturnSchedulesService,
    private readonly closure: AwardClosureService,
    private readonly rounds: RoundsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get('returns')
  @StaffRead('grants_officer', 'finance_officer')
  async queue(@CurrentUser() user: AuthenticatedUser, @Query('status') status: string, @Query('page') page: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const n = pageNumber(page);
    const chosen = isReturnStatus(status) ? status : 'submitted';
    const result = await this.reader.queue(user, { status: chosen, page: n, pageSize: PAGE_SIZE });
    return this.pages.render(request, reply, 'monitoring/staff-queue.njk', {
      pageTitle: 'Monitoring returns',
      items: result.items.map((r) => ({ ...r, tagClass: RETURN_TAG_CLASSES[r.status] })),
      chosen,
      chosenLabel: RETURN_STATUS_LABELS[chosen].toLowerCase(),
      statusItems: RETURN_STATUSES.map((s) => ({ value: s, text: RETURN_STATUS_LABELS[s], selected: s === chosen })),
      total: result.total,
      page: n,
      pages: Math.ceil(result.total / PAGE_SIZE),
      baseUrl: `/staff/returns?status=${chosen}&`,
    });
  }

  @Get('returns/:id')
  @StaffRead('grants_officer', 'finance_officer')
  async reviewForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderReview(request, reply, user, id, { outcome: '', note: '' });
  }

  @Post('returns/:id/review')
  @Access('grants_officer')
  async review(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { outcome: one(body.outcome), note: one(body.note) };
    try {
      const input = await pageForm(ReviewReturnDto, { outcome: values.outcome, note: values.note }, { messages: { outcome: 'Choose whether to accept the return or ask for changes', note: 'The note must be 4,000 characters or fewer' }, order: ['outcome', 'note'] });
      await this.returns.review(user, actor, id, { outcome: input.outcome, note: input.note ?? null });
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderReview(request, reply, user, id, values, error);
    }
    this.pages.flash(request, values.outcome === 'accept' ? 'The organisation has been told.' : 'The organisation has been told what to change.', values.outcome === 'accept' ? 'Return accepted' : 'Changes asked for');
    return reply.redirect('/staff/returns', 303);
  }

  @Get('rounds/:id/return-schedule')
  @StaffRead('grants_officer', 'finance_officer')
  async scheduleForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const schedule = await this.schedules.get(id);
    const values: Record<string, string> = {};
    schedule.returns.forEach((r, i) => (values[`months-${i}`] = String(r.monthsAfterStart)));
    return this.renderSchedule(request, reply, user, id, values);
  }

  @Post('rounds/:id/return-schedule')
  @Access('grants_officer')
  async setSchedule(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values: Record<string, string> = {};
    const parseErrors: FieldError[] = [];
    const given: { row: number; months: number }[] = [];
    for (let i = 0; i < SCHEDULE_ROWS; i++) {
      values[`months-${i}`] = one(body[`months-${i}`]).trim();
      if (!values[`months-${i}`]) continue;
      if (!/^\d{1,3}$/.test(values[`months-${i}`])) parseErrors.push({ field: `months-${i}`, code: 'MONITORING.BAD_MONTHS', message: `Enter return ${i + 1}’s months as a whole number` });
      given.push({ row: i, months: Number(values[`months-${i}`]) });
    }
    try {
      if (parseErrors.length) throw validationFailed(parseErrors);
      // The last return given is the final one.
      await this.schedules.put(actor, id, given.map((g, i) => ({ monthsAfterStart: g.months, final: i === given.length - 1 })));
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderSchedule(request, reply, user, id, values, error, given.map((g) => g.row));
    }
    this.pages.flash(request, 'Awards accepted from now on owe these returns.', 'Return schedule saved');
    return reply.redirect(`/staff/rounds/${id}/return-schedule`, 303);
  }

  @Get('awards/:id/close')
  @StaffRead('grants_officer', 'finance_officer')
  async closeForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderClose(request, reply, user, id, { note: '' });
  }

  @Post('awards/:id/close')
  @Access('grants_officer')
  async close(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { note: one(body.note) };
    try {
      const input = await pageForm(CloseAwardDto, { note: values.note.trim() || undefined }, { messages: { note: 'The note must be 4,000 characters or fewer' } });
      await this.closure.close(user, actor, id, input.note ?? null);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderClose(request, reply, user, id, values, error);
    }
    this.pages.flash(request, 'Any money not paid has gone back to the pot.', 'Award closed');
    return reply.redirect(`/awards/${id}/returns`, 303);
  }

  private async renderReview(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, values: Record<string, string>, error?: unknown) {
    const { ret, mayReview } = await this.reader.get(user, id);
    const { form, status } = pageErrorView(error, {}, { outcome: 'outcome' });
    return this.pages.render(
      request,
      reply,
      'monitoring/review.njk',
      { pageTitle: `Review the ${ret.periodLabel.toLowerCase()}`, ret, tagClass: RETURN_TAG_CLASSES[ret.status], mayReview, values, ...form, backLink: '/staff/returns' },
      status,
    );
  }

  private async renderSchedule(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, values: Record<string, string>, error?: unknown, rows: number[] = []) {
    const schedule = await this.schedules.get(id);
    const round = await this.rounds.getRound(id);
    // Field errors from the service name entries (returns.1.monthsAfterStart): show them on the row it came from.
    const rename: Record<string, string> = { returns: 'months-0' };
    rows.forEach((row, i) => (rename[`returns.${i}.monthsAfterStart`] = rename[`returns.${i}.final`] = `months-${row}`));
    const { form, status } = pageErrorView(error, rename);
    return this.pages.render(
      request,
      reply,
      'monitoring/schedule.njk',
      { pageTitle: `Return schedule for ${round.title}`, round, schedule, values, rows: [...Array(SCHEDULE_ROWS).keys()], maxRows: Math.min(SCHEDULE_ROWS, MAX_SCHEDULED_RETURNS), mayChange: hasRole(user, 'grants_officer'), ...form, backLink: `/staff/rounds/${id}` },
      status,
    );
  }

  private async renderClose(request: FastifyRequest, reply: FastifyReply, user: AuthenticatedUser, id: string, values: Record<string, string>, error?: unknown) {
    const { award, blockers } = await this.closure.blockers(user, id);
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'monitoring/close.njk',
      { pageTitle: `Close the award ${award.reference}`, award, blockers, mayClose: hasRole(user, 'grants_officer') && blockers.length === 0, values, ...form, backLink: `/awards/${id}/returns` },
      status,
    );
  }
}
