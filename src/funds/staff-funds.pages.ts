import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import { hasRole } from '../auth/authenticated-user.js';
import { actorOf } from '../auth/request-context.js';
import { formText, validateInput } from '../reference-data/input.js';
import { PageRenderer } from '../web/page-renderer.js';
import { CreateFundDto, UpdateFundDto } from './funds.dto.js';
import { FundsService } from './funds.service.js';
import { pageErrors } from './page-helpers.js';

type Form = Record<string, unknown>;

/** Funds (grant programmes): grants officers set them up; the auditor can read. */
@ApiExcludeController()
@Controller('staff/funds')
export class StaffFundsPages {
  constructor(
    private readonly funds: FundsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('grants_officer')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.pages.render(request, reply, 'pages/staff/funds/index.njk', {
      pageTitle: 'Funds',
      funds: await this.funds.all(),
      canEdit: hasRole(request.user, 'grants_officer'),
      backLink: '/staff/rounds',
    });
  }

  @Get('new')
  @Access('grants_officer')
  newFund(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.form(request, reply, null, {});
  }

  @Post('new')
  @Access('grants_officer')
  async create(@Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = this.values(body);
    try {
      const fund = await this.funds.create(actorOf(request), await validateInput(CreateFundDto, values));
      this.pages.flash(request, `Fund “${fund.name}” set up`);
      return reply.redirect('/staff/funds', 303);
    } catch (error) {
      return this.form(request, reply, null, values, error);
    }
  }

  @Get(':id')
  @Access('grants_officer')
  async edit(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const fund = await this.funds.getFund(id);
    return this.form(request, reply, fund.id, { ...fund, funderOrgId: fund.funderOrgId ?? '', description: fund.description ?? '' });
  }

  @Post(':id')
  @Access('grants_officer')
  async update(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.funds.getFund(id);
    const values = this.values(body);
    try {
      const fund = await this.funds.update(actorOf(request), id, await validateInput(UpdateFundDto, values));
      this.pages.flash(request, `Fund “${fund.name}” saved`);
      return reply.redirect('/staff/funds', 303);
    } catch (error) {
      return this.form(request, reply, id, values, error);
    }
  }

  private values(body: Form) {
    return {
      name: formText(body, 'name'),
      funderName: formText(body, 'funderName'),
      funderOrgId: formText(body, 'funderOrgId') || null,
      fundingSource: formText(body, 'fundingSource'),
      description: formText(body, 'description') || null,
      referencePrefix: formText(body, 'referencePrefix').toUpperCase(),
    };
  }

  private form(request: FastifyRequest, reply: FastifyReply, id: string | null, values: Form, error?: unknown) {
    const context = { pageTitle: id ? 'Change fund' : 'Set up a fund', id, values, backLink: '/staff/funds' };
    if (error === undefined) return this.pages.render(request, reply, 'pages/staff/funds/form.njk', context);
    const errors = pageErrors(error);
    return this.pages.render(request, reply, 'pages/staff/funds/form.njk', { ...context, ...errors }, errors.status);
  }
}
