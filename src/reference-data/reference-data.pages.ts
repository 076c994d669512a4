import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, StaffRead } from '../auth/access.decorator.js';
import { actorOf } from '../auth/request-context.js';
import { DomainError } from '../common/errors.js';
import { formErrorsOf, PageRenderer } from '../web/page-renderer.js';
import { formText, validateInput } from './input.js';
import { CreateDistrictDto, CreateOutcomeDto, CreatePriorityDto, UpdateDistrictDto, UpdateOutcomeDto, UpdatePriorityDto } from './reference-data.dto.js';
import { ReferenceDataService } from './reference-data.service.js';

type Form = Record<string, unknown>;
const BASE = '/admin/reference-data';

/** A whole number typed in a box, or the text itself so validation names it. */
const intOrText = (text: string): number | string | undefined => (text === '' ? undefined : /^\d{1,6}$/.test(text) ? Number(text) : text);

/** Administrators keep outcomes, priorities and districts; the auditor can look. */
@ApiExcludeController()
@Controller('admin/reference-data')
export class ReferenceDataPages {
  constructor(
    private readonly referenceData: ReferenceDataService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('administrator')
  async index(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const [outcomes, districts] = await Promise.all([this.referenceData.listOutcomes(), this.referenceData.listDistricts(true)]);
    return this.pages.render(request, reply, 'pages/admin/reference-data/index.njk', {
      pageTitle: 'Reference data',
      outcomes,
      districts,
      canEdit: request.user?.roles.includes('administrator') ?? false,
    });
  }

  // ---- outcomes ----

  @Get('outcomes/new')
  @Access('administrator')
  newOutcome(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.outcomeForm(request, reply, null, { position: '0' });
  }

  @Post('outcomes/new')
  @Access('administrator')
  async createOutcome(@Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = { code: formText(body, 'code'), name: formText(body, 'name'), position: formText(body, 'position') };
    try {
      const input = await validateInput(CreateOutcomeDto, { ...values, position: intOrText(values.position) });
      const created = await this.referenceData.createOutcome(actorOf(request), input);
      this.pages.flash(request, `Outcome “${created.name}” added`);
      return reply.redirect(BASE, 303);
    } catch (error) {
      return this.outcomeForm(request, reply, null, values, error);
    }
  }

  @Get('outcomes/:id')
  @Access('administrator')
  async editOutcome(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const outcome = await this.referenceData.getOutcome(id);
    return this.outcomeForm(request, reply, outcome.id, { ...outcome, position: String(outcome.position) });
  }

  @Post('outcomes/:id')
  @Access('administrator')
  async updateOutcome(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.referenceData.getOutcome(id);
    const values = { code: formText(body, 'code'), name: formText(body, 'name'), position: formText(body, 'position') };
    try {
      const input = await validateInput(UpdateOutcomeDto, { ...values, position: intOrText(values.position) ?? 0 });
      const updated = await this.referenceData.updateOutcome(actorOf(request), id, input);
      this.pages.flash(request, `Outcome “${updated.name}” saved`);
      return reply.redirect(BASE, 303);
    } catch (error) {
      return this.outcomeForm(request, reply, id, values, error);
    }
  }

  private outcomeForm(request: FastifyRequest, reply: FastifyReply, id: string | null, values: Form, error?: unknown) {
    return this.render(request, reply, 'pages/admin/reference-data/outcome.njk', { pageTitle: id ? 'Change outcome' : 'Add an outcome', id, values }, error);
  }

  // ---- priorities ----

  @Get('priorities/new')
  @Access('administrator')
  newPriority(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.priorityForm(request, reply, null, { position: '0', active: true });
  }

  @Post('priorities/new')
  @Access('administrator')
  async createPriority(@Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = this.priorityValues(body);
    try {
      const input = await validateInput(CreatePriorityDto, { ...values, position: intOrText(values.position) });
      const created = await this.referenceData.createPriority(actorOf(request), input);
      this.pages.flash(request, `Priority “${created.name}” added`);
      return reply.redirect(BASE, 303);
    } catch (error) {
      return this.priorityForm(request, reply, null, values, error);
    }
  }

  @Get('priorities/:id')
  @Access('administrator')
  async editPriority(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const p = await this.referenceData.getPriority(id);
    return this.priorityForm(request, reply, p.id, { code: p.code, name: p.name, outcomeId: p.outcome.id, position: String(p.position), active: p.active });
  }

  @Post('priorities/:id')
  @Access('administrator')
  async updatePriority(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.referenceData.getPriority(id);
    const values = this.priorityValues(body);
    try {
      const input = await validateInput(UpdatePriorityDto, { ...values, position: intOrText(values.position) ?? 0 });
      const updated = await this.referenceData.updatePriority(actorOf(request), id, input);
      this.pages.flash(request, `Priority “${updated.name}” saved`);
      return reply.redirect(BASE, 303);
    } catch (error) {
      return this.priorityForm(request, reply, id, values, error);
    }
  }

  private priorityValues(body: Form) {
    return {
      code: formText(body, 'code'),
      name: formText(body, 'name'),
      outcomeId: formText(body, 'outcomeId'),
      position: formText(body, 'position'),
      active: formText(body, 'active') === 'yes',
    };
  }

  private async priorityForm(request: FastifyRequest, reply: FastifyReply, id: string | null, values: Form, error?: unknown) {
    const outcomes = await this.referenceData.listOutcomes();
    return this.render(
      request,
      reply,
      'pages/admin/reference-data/priority.njk',
      { pageTitle: id ? 'Change priority' : 'Add a priority', id, values, outcomes },
      error,
    );
  }

  // ---- districts ----

  @Get('districts/new')
  @Access('administrator')
  newDistrict(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.districtForm(request, reply, null, { active: true });
  }

  @Post('districts/new')
  @Access('administrator')
  async createDistrict(@Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = this.districtValues(body);
    try {
      const created = await this.referenceData.createDistrict(actorOf(request), await validateInput(CreateDistrictDto, values));
      this.pages.flash(request, `District “${created.name}” added`);
      return reply.redirect(BASE, 303);
    } catch (error) {
      return this.districtForm(request, reply, null, values, error);
    }
  }

  @Get('districts/:id')
  @Access('administrator')
  async editDistrict(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const d = await this.referenceData.getDistrict(id);
    return this.districtForm(request, reply, d.id, { ...d });
  }

  @Post('districts/:id')
  @Access('administrator')
  async updateDistrict(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.referenceData.getDistrict(id);
    const values = this.districtValues(body);
    try {
      const updated = await this.referenceData.updateDistrict(actorOf(request), id, await validateInput(UpdateDistrictDto, values));
      this.pages.flash(request, `District “${updated.name}” saved`);
      return reply.redirect(BASE, 303);
    } catch (error) {
      return this.districtForm(request, reply, id, values, error);
    }
  }

  private districtValues(body: Form) {
    return { gssCode: formText(body, 'gssCode').toUpperCase(), name: formText(body, 'name'), active: formText(body, 'active') === 'yes' };
  }

  private districtForm(request: FastifyRequest, reply: FastifyReply, id: string | null, values: Form, error?: unknown) {
    return this.render(request, reply, 'pages/admin/reference-data/district.njk', { pageTitle: id ? 'Change district' : 'Add a district', id, values }, error);
  }

  /** Renders a form, with the error summary when a validation or conflict error came back. */
  private render(request: FastifyRequest, reply: FastifyReply, template: string, context: Form, error?: unknown) {
    if (error !== undefined) {
      if (!(error instanceof DomainError) || !['validation', 'conflict'].includes(error.kind)) throw error;
      return this.pages.render(request, reply, template, { ...context, backLink: BASE, ...formErrorsOf(error) }, error.kind === 'conflict' ? 409 : 422);
    }
    return this.pages.render(request, reply, template, { ...context, backLink: BASE });
  }
}
