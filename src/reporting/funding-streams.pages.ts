import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { REPORT_CHANGER_ROLES, REPORT_READER_ROLES, ReportPolicy } from '../auth/policies/report.policy.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import type { FieldError } from '../common/errors.js';
import { penceAsPounds, poundsToPence } from '../common/money.js';
import { isPageFormError, pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import { FundingStreamsService, type FundingStreamView } from './funding-streams.service.js';
import { PrioritySectionService } from './priority-section.service.js';
import { FundingStreamDto } from './reporting.dto.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).toString();
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []).map(String);

interface StreamValues {
  description: string;
  amount: string;
  financialYear: string;
  priorityCodes: string[];
  source: string;
}

const valuesOf = (s: FundingStreamView): StreamValues => ({
  description: s.description,
  amount: s.amountPence === null ? '' : penceAsPounds(s.amountPence).replace(/\.00$/, ''),
  financialYear: s.financialYear,
  priorityCodes: s.priorityCodes,
  source: s.source ?? '',
});

const ORDER = ['description', 'amount', 'financialYear', 'priorityCodes', 'source'] as const;

/** Staff pages for other funding streams: the list by year, add, change and remove (with a confirmation). */
@ApiExcludeController()
@Controller('staff/funding-streams')
export class FundingStreamsPages {
  constructor(
    private readonly streams: FundingStreamsService,
    private readonly sections: PrioritySectionService,
    private readonly policy: ReportPolicy,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Access(...REPORT_READER_ROLES)
  async list(@CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'read');
    const page = await this.streams.list({ page: 1, pageSize: 200 });
    const names = new Map((await this.sections.priorities()).map((p) => [p.code, p.name]));
    return this.pages.render(request, reply, 'reporting/streams.njk', {
      pageTitle: 'Other funding',
      items: page.items.map((s) => ({ ...s, priorityNames: s.priorityCodes.map((c) => names.get(c) ?? c) })),
      total: page.total,
      mayChange: this.policy.may(user, 'change'),
    });
  }

  @Get('new')
  @Access(...REPORT_CHANGER_ROLES)
  async newForm(@CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    return this.renderForm(request, reply, null, { description: '', amount: '', financialYear: '', priorityCodes: [], source: '' });
  }

  @Post()
  @Access(...REPORT_CHANGER_ROLES)
  async create(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    const values = this.read(body);
    try {
      await this.streams.create(actor, await this.input(values));
      this.pages.flash(request, 'The funding was added');
      return reply.redirect('/staff/funding-streams', 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderForm(request, reply, null, values, error);
    }
  }

  @Get(':id/edit')
  @Access(...REPORT_CHANGER_ROLES)
  async editForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    const stream = await this.streams.get(id);
    return this.renderForm(request, reply, stream.id, valuesOf(stream));
  }

  @Post(':id/edit')
  @Access(...REPORT_CHANGER_ROLES)
  async update(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    const stream = await this.streams.get(id);
    const values = this.read(body);
    try {
      await this.streams.update(actor, stream.id, await this.input(values));
      this.pages.flash(request, 'The funding was changed');
      return reply.redirect('/staff/funding-streams', 303);
    } catch (error) {
      if (!isPageFormError(error)) throw error;
      return this.renderForm(request, reply, stream.id, values, error);
    }
  }

  @Get(':id/remove')
  @Access(...REPORT_CHANGER_ROLES)
  async removeForm(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    const stream = await this.streams.get(id);
    return this.pages.render(request, reply, 'reporting/stream-remove.njk', { pageTitle: 'Remove this funding', stream, backLink: '/staff/funding-streams' });
  }

  @Post(':id/remove')
  @Access(...REPORT_CHANGER_ROLES)
  async remove(@CurrentUser() user: AuthenticatedUser, @CurrentActor() actor: Actor, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.policy.assert(user, 'change');
    await this.streams.remove(actor, id);
    this.pages.flash(request, 'The funding was removed');
    return reply.redirect('/staff/funding-streams', 303);
  }

  private read(body: FormBody): StreamValues {
    return {
      description: one(body.description).trim(),
      amount: one(body.amount).trim(),
      financialYear: one(body.financialYear).trim(),
      priorityCodes: many(body.priorityCodes),
      source: one(body.source).trim(),
    };
  }

  /** The page's values as the API's body: pounds read exactly into pence, an empty amount as none. */
  private async input(values: StreamValues): Promise<FundingStreamDto> {
    const parseErrors: FieldError[] = [];
    const amountPence = values.amount === '' ? null : poundsToPence(values.amount);
    if (values.amount !== '' && amountPence === null) parseErrors.push({ field: 'amount', code: 'FIELD.INVALID_MONEY', message: 'Enter the amount in pounds, like 200000 or £1,000, or leave it empty' });
    return pageForm(
      FundingStreamDto,
      { description: values.description, amountPence: amountPence ?? null, financialYear: values.financialYear, priorityCodes: values.priorityCodes, source: values.source || null },
      {
        parseErrors,
        rename: { amountPence: 'amount' },
        messages: {
          description: 'Describe the funding in 500 characters or fewer',
          financialYear: 'Enter the financial year like 2017/18',
        },
        order: ORDER,
      },
    );
  }

  private async renderForm(request: FastifyRequest, reply: FastifyReply, id: string | null, values: StreamValues, error?: unknown) {
    const { form, status } = pageErrorView(error, { amountPence: 'amount' }, { priorityCodes: 'priorityCodes' });
    const priorities = await this.sections.priorities();
    return this.pages.render(
      request,
      reply,
      'reporting/stream-form.njk',
      {
        pageTitle: id ? 'Change other funding' : 'Add other funding',
        action: id ? `/staff/funding-streams/${id}/edit` : '/staff/funding-streams',
        values,
        priorityItems: priorities.map((p) => ({ value: p.code, text: p.name, checked: values.priorityCodes.includes(p.code) })),
        backLink: '/staff/funding-streams',
        ...form,
      },
      status,
    );
  }
}
