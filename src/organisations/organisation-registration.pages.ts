import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import '../auth/session-data.js';
import { DomainError, notFound } from '../common/errors.js';
import { formErrorsOf, PageRenderer } from '../web/page-renderer.js';
import { isLegalForm, LEGAL_FORM_LABELS, legalFormOptions } from './legal-forms.js';
import { requiresCharityNumber, requiresCompanyNumber } from './org-identifiers.js';
import { validateOrganisationFields, type OrganisationField, type OrganisationInput } from './organisation-input.js';
import { OrganisationsService, type DistrictRef } from './organisations.service.js';

const JOURNEY = 'organisation-new';
/** The journey's submission id, kept beside its answers. */
const SUBMISSION = 'organisation-registration-submission';
const BASE = '/organisations/new';

interface Step {
  /** Path after /organisations/new ('' for the first page). */
  slug: string;
  template: string;
  title: string;
  fields: OrganisationField[];
}

/** The pages of the journey, in order: one question each, then check your answers. */
const STEPS: Step[] = [
  { slug: '', template: 'name', title: 'What is the organisation’s name?', fields: ['name'] },
  { slug: 'legal-form', template: 'legal-form', title: 'What type of organisation is it?', fields: ['legalForm'] },
  {
    slug: 'registration-numbers',
    template: 'registration-numbers',
    title: 'What are the organisation’s registration numbers?',
    fields: ['charityNumber', 'companyNumber'],
  },
  { slug: 'address', template: 'address', title: 'What is the organisation’s address?', fields: ['addressLine1', 'addressLine2', 'town', 'postcode'] },
  { slug: 'district', template: 'district', title: 'Which district is the organisation based in?', fields: ['districtId'] },
  { slug: 'contact', template: 'contact', title: 'Who should we contact about the organisation?', fields: ['contactName', 'contactEmail', 'contactPhone'] },
];

const pathOf = (step: Step) => (step.slug ? `${BASE}/${step.slug}` : BASE);

/** Only the step's own fields, as text, from a posted form. */
function pick(body: unknown, fields: readonly OrganisationField[]): OrganisationInput {
  const source = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const out: OrganisationInput = {};
  for (const field of fields) out[field] = typeof source[field] === 'string' ? source[field] : '';
  return out;
}

/**
 * "Register an organisation": one question per page, answers kept in the session until the
 * check-your-answers page registers the organisation. Works without JavaScript.
 */
@ApiExcludeController()
@Controller('organisations/new')
export class OrganisationRegistrationPages {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @Access('user')
  first(@Query('change') change: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.showStep(STEPS[0], change === 'true', request, reply);
  }

  @Post()
  @Access('user')
  saveFirst(@Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.saveStep(STEPS[0], body, request, reply);
  }

  @Get('check')
  @Access('user')
  async check(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const answers = this.answers(request);
    const incomplete = this.firstIncompleteStep(answers);
    if (incomplete) return reply.redirect(pathOf(incomplete), 303);
    this.submissionId(request);
    return this.renderCheck(request, reply, answers);
  }

  /**
   * One id per journey, fixed before its check page is shown: it becomes the organisation's id,
   * so two quick submits of that page (which share it) register the organisation once.
   */
  private submissionId(request: FastifyRequest): string {
    const journeys = (request.session.journeys ??= {});
    const held = journeys[SUBMISSION]?.id;
    if (typeof held === 'string') return held;
    const id = randomUUID();
    journeys[SUBMISSION] = { id };
    return id;
  }

  @Post('check')
  @Access('user')
  async register(@CurrentActor() actor: Actor, @CurrentUser() user: AuthenticatedUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const answers = this.answers(request);
    const incomplete = this.firstIncompleteStep(answers);
    if (incomplete) return reply.redirect(pathOf(incomplete), 303);
    try {
      const organisation = await this.organisations.register(actor, user, answers, { submissionId: this.submissionId(request) });
      delete request.session.journeys?.[JOURNEY];
      delete request.session.journeys?.[SUBMISSION];
      this.pages.flash(request, `You are its owner. You can now invite colleagues to help with applications.`, `${organisation.name} is registered`);
      return reply.redirect(`/organisations/${organisation.id}`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || !['validation', 'conflict'].includes(error.kind)) throw error;
      const form = formErrorsOf(error);
      // Each problem links to the page where the answer can be changed.
      const errorList = error.errors.length
        ? error.errors.map((e) => ({ text: e.message, href: `${pathOf(this.stepOf(e.field))}?change=true` }))
        : [{ text: error.message, href: `${BASE}/registration-numbers?change=true` }];
      return this.renderCheck(request, reply, answers, { errorList, errors: form.errors }, error.status);
    }
  }

  @Get(':step')
  @Access('user')
  step(@Param('step') slug: string, @Query('change') change: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.showStep(this.findStep(slug), change === 'true', request, reply);
  }

  @Post(':step')
  @Access('user')
  saveStepPage(@Param('step') slug: string, @Body() body: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.saveStep(this.findStep(slug), body, request, reply);
  }

  private findStep(slug: string): Step {
    const step = STEPS.find((s) => s.slug === slug && s.slug !== '');
    if (!step) throw notFound('That page');
    return step;
  }

  private stepOf(field: string): Step {
    return STEPS.find((s) => (s.fields as string[]).includes(field)) ?? STEPS[0];
  }

  private answers(request: FastifyRequest): OrganisationInput {
    return (request.session.journeys?.[JOURNEY] ?? {}) as OrganisationInput;
  }

  private firstIncompleteStep(answers: OrganisationInput): Step | null {
    const { errors } = validateOrganisationFields(answers);
    if (!errors.length) return null;
    return STEPS.find((s) => errors.some((e) => (s.fields as string[]).includes(e.field))) ?? STEPS[0];
  }

  private async showStep(step: Step, change: boolean, request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) {
    const answers = this.answers(request);
    if (step.slug === 'registration-numbers' && !isLegalForm(answers.legalForm)) return reply.redirect(`${BASE}/legal-form`, 303);
    const index = STEPS.indexOf(step);
    const legalForm = isLegalForm(answers.legalForm) ? answers.legalForm : null;
    const districts: DistrictRef[] = step.slug === 'district' ? await this.organisations.activeDistricts() : [];
    return this.pages.render(
      request,
      reply,
      `pages/organisations/new/${step.template}.njk`,
      {
        pageTitle: step.title,
        backLink: change ? `${BASE}/check` : index > 0 ? pathOf(STEPS[index - 1]) : '/organisations',
        formAction: pathOf(step),
        change,
        values: answers,
        legalForms: legalFormOptions(),
        charityRequired: legalForm ? requiresCharityNumber(legalForm) : false,
        companyRequired: legalForm ? requiresCompanyNumber(legalForm) : false,
        districts,
        ...extra,
      },
      status,
    );
  }

  private async saveStep(step: Step, body: unknown, request: FastifyRequest, reply: FastifyReply) {
    const change = !!body && typeof body === 'object' && (body as Record<string, unknown>).change === 'true';
    const answers = this.answers(request);
    const posted = pick(body, step.fields);
    try {
      const values = await this.organisations.check({ ...answers, ...posted }, step.fields);
      const journeys = (request.session.journeys ??= {});
      journeys[JOURNEY] = { ...answers, ...values };
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'validation') throw error;
      return this.showStep(step, change, request, reply, { ...formErrorsOf(error), values: { ...answers, ...posted } }, 422);
    }
    // A new legal form may need other registration numbers: ask for them next.
    if (step.slug === 'legal-form') return reply.redirect(`${BASE}/registration-numbers${change ? '?change=true' : ''}`, 303);
    if (change) return reply.redirect(`${BASE}/check`, 303);
    const next = STEPS[STEPS.indexOf(step) + 1];
    return reply.redirect(next ? pathOf(next) : `${BASE}/check`, 303);
  }

  private async renderCheck(
    request: FastifyRequest,
    reply: FastifyReply,
    answers: OrganisationInput,
    errors: { errorList?: { text: string; href: string }[]; errors?: Record<string, string> } = {},
    status = 200,
  ) {
    const districts = await this.organisations.activeDistricts();
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    const lines = (...values: unknown[]) => values.map(text).filter((v): v is string => v !== null);
    const legalForm = isLegalForm(answers.legalForm) ? answers.legalForm : null;
    const change = (slug: string) => `${BASE}${slug ? '/' + slug : ''}?change=true`;
    const rows = [
      { key: 'Name', valueLines: lines(answers.name), href: change('') },
      { key: 'Type of organisation', valueLines: legalForm ? [LEGAL_FORM_LABELS[legalForm]] : [], href: change('legal-form') },
      { key: 'Charity number', valueLines: lines(answers.charityNumber), href: change('registration-numbers') },
      { key: 'Company number', valueLines: lines(answers.companyNumber), href: change('registration-numbers') },
      { key: 'Address', valueLines: lines(answers.addressLine1, answers.addressLine2, answers.town, answers.postcode), href: change('address') },
      { key: 'District', valueLines: lines(districts.find((d) => d.id === answers.districtId)?.name), href: change('district') },
      { key: 'Contact', valueLines: lines(answers.contactName, answers.contactEmail, answers.contactPhone), href: change('contact') },
    ];
    return this.pages.render(
      request,
      reply,
      'pages/organisations/new/check.njk',
      { pageTitle: 'Check your answers before registering the organisation', backLink: `${BASE}/contact`, rows, ...errors },
      status,
    );
  }
}
