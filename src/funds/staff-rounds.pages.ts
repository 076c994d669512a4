import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Access, StaffRead } from '../auth/access.decorator.js';
import { hasRole } from '../auth/authenticated-user.js';
import { actorOf } from '../auth/request-context.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { formList, formText, validateInput } from '../reference-data/input.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { PageRenderer } from '../web/page-renderer.js';
import { FundsService } from './funds.service.js';
import { CreatePotDto, CreateRoundDto, PutEligibilityQuestionsDto, UpdatePotDto, UpdateRoundDto } from './funds.dto.js';
import { dateTimeInput, dateTimeInputOf, isoFromInput, listFromText, pageErrors, penceFromInput, poundsText, throwIfAny } from './page-helpers.js';
import { ROUND_STATUS_LABELS, ROUND_STATUSES_FOR_PAGES, isRoundEditable, roundTransitionsFrom } from './round-lifecycle.js';
import { RoundLifecycleService } from './round-lifecycle.service.js';
import { RoundSetupService } from './round-setup.service.js';
import type { RoundStatus } from './round.entity.js';
import { RoundsService } from './rounds.service.js';

type Form = Record<string, unknown>;
const STAFF = { canSeeDrafts: true };
const ROUND_FIELDS = { totalBudgetPence: 'totalBudget' };
const DATE_ANCHORS = { opensAt: 'opensAt-day', closesAt: 'closesAt-day' };
const POT_FIELDS = { minGrantPence: 'minGrant', maxGrantPence: 'maxGrant', budgetPence: 'budget' };
const POT_ANCHORS = { districtIds: 'districtIds', priorityIds: 'priorityIds' };
/** Empty rows offered on the eligibility page for new questions. */
const SPARE_QUESTIONS = 3;

/** Which round fields a page offers to change in each status (the service enforces the same). */
function editableFields(status: RoundStatus): string[] {
  if (isRoundEditable(status)) return ['code', 'title', 'description', 'criteria', 'exclusions', 'opensAt', 'closesAt', 'totalBudget'];
  if (status === 'scheduled' || status === 'open') return ['title', 'description', 'criteria', 'exclusions', 'closesAt'];
  if (status === 'archived') return [];
  return ['title', 'description', 'criteria', 'exclusions'];
}

/** Grants officers set up rounds here; the auditor can read every page. */
@ApiExcludeController()
@Controller('staff/rounds')
export class StaffRoundsPages {
  constructor(
    private readonly dataSource: DataSource,
    private readonly setup: RoundSetupService,
    private readonly lifecycle: RoundLifecycleService,
    private readonly rounds: RoundsService,
    private readonly funds: FundsService,
    private readonly referenceData: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly pages: PageRenderer,
  ) {}

  // ================= list and summary =================

  @Get()
  @StaffRead('grants_officer')
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const [rounds, funds] = await Promise.all([this.setup.staffRoundList(), this.funds.all()]);
    return this.pages.render(request, reply, 'pages/staff/rounds/index.njk', {
      pageTitle: 'Rounds',
      rounds,
      hasFunds: funds.length > 0,
      statusLabels: ROUND_STATUS_LABELS,
      canEdit: hasRole(request.user, 'grants_officer'),
    });
  }

  @Get(':id')
  @StaffRead('grants_officer')
  async show(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderShow(request, reply, id);
  }

  private async renderShow(request: FastifyRequest, reply: FastifyReply, id: string, extra: Form = {}, status = 200) {
    const entity = await this.rounds.getRound(id);
    const [round, questions, versions, history, readiness] = await Promise.all([
      this.setup.getRoundView(id, STAFF),
      this.setup.eligibilityQuestions(id, STAFF),
      this.setup.formVersions(id),
      this.audit.list({ entityType: 'round', entityId: entity.id, page: 1, pageSize: 20 }),
      entity.status === 'draft' ? this.lifecycle.readinessProblems(this.dataSource.manager, entity, 'open') : Promise.resolve([]),
    ]);
    return this.pages.render(
      request,
      reply,
      'pages/staff/rounds/show.njk',
      {
        pageTitle: `${round.code}: ${round.title}`,
        round,
        questions,
        form: versions.find((v) => v.current) ?? null,
        versionCount: versions.length,
        history: history.items,
        readiness,
        transitions: roundTransitionsFrom(entity.status),
        statusLabels: ROUND_STATUS_LABELS,
        editable: isRoundEditable(entity.status),
        canChangeDetails: editableFields(entity.status).length > 0,
        canEdit: hasRole(request.user, 'grants_officer'),
        backLink: '/staff/rounds',
        ...extra,
      },
      status,
    );
  }

  @Post(':id/status')
  @Access('grants_officer')
  async move(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    await this.rounds.getRound(id);
    const to = formText(body, 'to') as RoundStatus;
    try {
      if (!ROUND_STATUSES_FOR_PAGES.includes(to)) throw new DomainError('validation', 'FIELD.NOT_ALLOWED_VALUE', 'Choose what to do with the round');
      const reason = formText(body, 'reason').slice(0, 1000) || null;
      const round = await this.lifecycle.transition(actorOf(request), id, to, 'grants_officer', { reason });
      this.pages.flash(request, `The round is now ${ROUND_STATUS_LABELS[round.status].toLowerCase()}`);
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      const errors = pageErrors(error);
      errors.errorList = errors.errorList.map((e) => ({ ...e, href: '#round-actions' }));
      return this.renderShow(request, reply, id, { ...errors }, errors.status);
    }
  }

  // ================= round details =================

  @Get('new')
  @Access('grants_officer')
  async newRound(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const funds = await this.funds.all();
    if (funds.length === 0) return reply.redirect('/staff/funds/new', 303);
    return this.roundForm(request, reply, null, { fundId: funds.length === 1 ? funds[0].id : '', opensAt: dateTimeInputOf(null), closesAt: dateTimeInputOf(null) });
  }

  @Post('new')
  @Access('grants_officer')
  async createRound(@Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const values = this.roundValues(body);
    try {
      const errors: FieldError[] = [];
      const fundId = formText(body, 'fundId');
      if (!fundId) errors.push({ field: 'fundId', code: 'FIELD.REQUIRED', message: 'Choose the fund' });
      const input = this.parseRound(values, editableFields('draft'), errors);
      throwIfAny(errors);
      const dto = await validateInput(CreateRoundDto, input);
      const fund = await this.funds.getFund(fundId).catch(() => {
        throw new DomainError('validation', 'FIELD.REQUIRED', 'Choose the fund', [{ field: 'fundId', code: 'FUND.NOT_FOUND', message: 'Choose the fund' }]);
      });
      const round = await this.setup.createRound(actorOf(request), fund.id, dto);
      this.pages.flash(request, 'Round set up as a draft. Add its pots, eligibility questions and form, then open or schedule it.');
      return reply.redirect(`/staff/rounds/${round.id}`, 303);
    } catch (error) {
      return this.roundForm(request, reply, null, values, error);
    }
  }

  @Get(':id/edit')
  @Access('grants_officer')
  async editRound(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.setup.getRoundView(id, STAFF);
    return this.roundForm(request, reply, round, {
      code: round.code,
      title: round.title,
      description: round.description ?? '',
      criteria: round.criteria ?? '',
      exclusions: round.exclusions ?? '',
      opensAt: dateTimeInputOf(round.opensAt),
      closesAt: dateTimeInputOf(round.closesAt),
      totalBudget: poundsText(round.totalBudgetPence),
      version: String(round.version),
    });
  }

  @Post(':id/edit')
  @Access('grants_officer')
  async updateRound(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.setup.getRoundView(id, STAFF);
    const values = { ...this.roundValues(body), version: formText(body, 'version') };
    try {
      const errors: FieldError[] = [];
      const input = this.parseRound(values, editableFields(round.status), errors);
      throwIfAny(errors);
      const dto = await validateInput(UpdateRoundDto, { ...input, ...(/^\d{1,9}$/.test(values.version) ? { version: Number(values.version) } : {}) });
      await this.setup.updateRound(actorOf(request), id, dto);
      this.pages.flash(request, 'Round details saved');
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      return this.roundForm(request, reply, round, values, error);
    }
  }

  private roundValues(body: Form) {
    return {
      fundId: formText(body, 'fundId'),
      code: formText(body, 'code').toUpperCase(),
      title: formText(body, 'title'),
      description: formText(body, 'description'),
      criteria: formText(body, 'criteria'),
      exclusions: formText(body, 'exclusions'),
      opensAt: dateTimeInput(body, 'opensAt'),
      closesAt: dateTimeInput(body, 'closesAt'),
      totalBudget: formText(body, 'totalBudget'),
    };
  }

  /** The API input for the fields this page may change; page-level parse errors go into `errors`. */
  private parseRound(values: ReturnType<StaffRoundsPages['roundValues']>, fields: string[], errors: FieldError[]): Form {
    const input: Form = {};
    for (const f of ['code', 'title'] as const) if (fields.includes(f)) input[f] = values[f];
    for (const f of ['description', 'criteria', 'exclusions'] as const) if (fields.includes(f)) input[f] = values[f] || null;
    if (fields.includes('opensAt')) {
      const r = isoFromInput(values.opensAt, 'opensAt', 'opening');
      if (r.error) errors.push(r.error);
      else input.opensAt = r.value;
    }
    if (fields.includes('closesAt')) {
      const r = isoFromInput(values.closesAt, 'closesAt', 'closing');
      if (r.error) errors.push(r.error);
      else input.closesAt = r.value;
    }
    if (fields.includes('totalBudget')) {
      const r = penceFromInput(values.totalBudget, 'totalBudget', 'the total budget');
      if (r.error) errors.push(r.error);
      else input.totalBudgetPence = r.value;
    }
    return input;
  }

  private async roundForm(request: FastifyRequest, reply: FastifyReply, round: { id: string; status: RoundStatus; code: string; title: string } | null, values: Form, error?: unknown) {
    const funds = round ? [] : await this.funds.all();
    const context = {
      pageTitle: round ? `Change ${round.code}: ${round.title}` : 'Set up a round',
      round,
      funds,
      values,
      fields: editableFields(round?.status ?? 'draft'),
      backLink: round ? `/staff/rounds/${round.id}` : '/staff/rounds',
    };
    if (error === undefined) return this.pages.render(request, reply, 'pages/staff/rounds/round-form.njk', context);
    const errors = pageErrors(error, ROUND_FIELDS, { ...DATE_ANCHORS, fundId: 'fundId' });
    return this.pages.render(request, reply, 'pages/staff/rounds/round-form.njk', { ...context, ...errors }, errors.status);
  }

  // ================= pots =================

  @Get(':id/pots/new')
  @Access('grants_officer')
  async newPot(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.setup.getRoundView(id, STAFF);
    if (!isRoundEditable(round.status)) return reply.redirect(`/staff/rounds/${id}`, 303);
    return this.potForm(request, reply, round, null, { districtIds: [], priorityIds: [] });
  }

  @Post(':id/pots/new')
  @Access('grants_officer')
  async createPot(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.setup.getRoundView(id, STAFF);
    const values = this.potValues(body);
    try {
      const dto = await validateInput(CreatePotDto, this.parsePot(values));
      const pot = await this.setup.createPot(actorOf(request), id, dto);
      this.pages.flash(request, `Pot “${pot.name}” added`);
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      return this.potForm(request, reply, round, null, values, error);
    }
  }

  @Get(':id/pots/:potId')
  @Access('grants_officer')
  async editPot(@Param('id') id: string, @Param('potId') potId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, pot } = await this.roundAndPot(id, potId);
    return this.potForm(request, reply, round, pot.id, {
      name: pot.name,
      description: pot.description ?? '',
      minGrant: poundsText(pot.minGrantPence),
      maxGrant: poundsText(pot.maxGrantPence),
      budget: poundsText(pot.budgetPence),
      districtIds: pot.districtIds,
      priorityIds: pot.priorityIds,
      wards: pot.wards.join('\n'),
      postcodeDistricts: pot.postcodeDistricts.join(', '),
    });
  }

  @Post(':id/pots/:potId')
  @Access('grants_officer')
  async updatePot(@Param('id') id: string, @Param('potId') potId: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, pot } = await this.roundAndPot(id, potId);
    const values = this.potValues(body);
    try {
      const dto = await validateInput(UpdatePotDto, this.parsePot(values));
      await this.setup.updatePot(actorOf(request), pot.id, dto);
      this.pages.flash(request, `Pot “${dto.name}” saved`);
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      return this.potForm(request, reply, round, pot.id, values, error);
    }
  }

  @Get(':id/pots/:potId/remove')
  @Access('grants_officer')
  async confirmRemovePot(@Param('id') id: string, @Param('potId') potId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { round, pot } = await this.roundAndPot(id, potId);
    return this.pages.render(request, reply, 'pages/staff/rounds/pot-remove.njk', { pageTitle: `Remove the pot ${pot.name}`, round, pot, backLink: `/staff/rounds/${id}` });
  }

  @Post(':id/pots/:potId/remove')
  @Access('grants_officer')
  async removePot(@Param('id') id: string, @Param('potId') potId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const { pot } = await this.roundAndPot(id, potId);
    try {
      await this.setup.deletePot(actorOf(request), pot.id);
      this.pages.flash(request, `Pot “${pot.name}” removed`);
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      return this.renderShow(request, reply, id, { ...pageErrors(error) }, 409);
    }
  }

  /** A pot of this round (404 when the pot belongs to another round). */
  private async roundAndPot(id: string, potId: string) {
    const round = await this.setup.getRoundView(id, STAFF);
    const pot = (round.pots ?? []).find((p) => p.id === potId);
    if (!pot) throw new DomainError('not_found', 'POT.NOT_FOUND', 'Pot was not found');
    return { round, pot };
  }

  private potValues(body: Form) {
    return {
      name: formText(body, 'name'),
      description: formText(body, 'description'),
      minGrant: formText(body, 'minGrant'),
      maxGrant: formText(body, 'maxGrant'),
      budget: formText(body, 'budget'),
      districtIds: formList(body, 'districtIds'),
      priorityIds: formList(body, 'priorityIds'),
      wards: formText(body, 'wards'),
      postcodeDistricts: formText(body, 'postcodeDistricts'),
    };
  }

  private parsePot(values: ReturnType<StaffRoundsPages['potValues']>): Form {
    const errors: FieldError[] = [];
    const money = (text: string, field: string, what: string) => {
      const r = penceFromInput(text, field, what);
      if (r.error) errors.push(r.error);
      return r.value;
    };
    const input = {
      name: values.name,
      description: values.description || null,
      minGrantPence: money(values.minGrant, 'minGrant', 'the smallest grant'),
      maxGrantPence: money(values.maxGrant, 'maxGrant', 'the largest grant'),
      budgetPence: money(values.budget, 'budget', 'the pot’s budget'),
      districtIds: values.districtIds,
      priorityIds: values.priorityIds,
      wards: values.wards.split('\n').map((w) => w.trim()).filter(Boolean),
      postcodeDistricts: listFromText(values.postcodeDistricts),
    };
    throwIfAny(errors);
    return input;
  }

  private async potForm(request: FastifyRequest, reply: FastifyReply, round: { id: string; code: string; title: string }, potId: string | null, values: Form, error?: unknown) {
    const [districts, outcomes] = await Promise.all([this.referenceData.listDistricts(false), this.referenceData.listOutcomes()]);
    const chosen = new Set([...((values.districtIds as string[]) ?? []), ...((values.priorityIds as string[]) ?? [])]);
    const context = {
      pageTitle: potId ? 'Change pot' : 'Add a pot',
      round,
      potId,
      values,
      districts,
      outcomes: outcomes.map((o) => ({ ...o, priorities: o.priorities.filter((p) => p.active || chosen.has(p.id)) })).filter((o) => o.priorities.length),
      backLink: `/staff/rounds/${round.id}`,
    };
    if (error === undefined) return this.pages.render(request, reply, 'pages/staff/rounds/pot-form.njk', context);
    const errors = pageErrors(error, POT_FIELDS, POT_ANCHORS);
    return this.pages.render(request, reply, 'pages/staff/rounds/pot-form.njk', { ...context, ...errors }, errors.status);
  }

  // ================= eligibility questions =================

  @Get(':id/eligibility')
  @Access('grants_officer')
  async editEligibility(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.setup.getRoundView(id, STAFF);
    if (!isRoundEditable(round.status)) return reply.redirect(`/staff/rounds/${id}`, 303);
    const questions = await this.setup.eligibilityQuestions(id, STAFF);
    const rows = questions.map((q) => ({ question: q.question, hint: q.hint ?? '', passingAnswer: q.passingAnswer ? 'yes' : 'no', failureMessage: q.failureMessage }));
    return this.eligibilityForm(request, reply, round, rows);
  }

  @Post(':id/eligibility')
  @Access('grants_officer')
  async saveEligibility(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.setup.getRoundView(id, STAFF);
    const count = Math.min(Number(formText(body, 'count')) || 0, 30 + SPARE_QUESTIONS);
    const rows = Array.from({ length: count }, (_, i) => ({
      question: formText(body, `question-${i}`),
      hint: formText(body, `hint-${i}`),
      passingAnswer: formText(body, `passingAnswer-${i}`),
      failureMessage: formText(body, `failureMessage-${i}`),
    }));
    // Rows left empty are not questions; remember where each kept row sits on the page.
    const kept = rows.map((r, i) => ({ r, i })).filter(({ r }) => r.question || r.hint || r.failureMessage);
    try {
      const errors: FieldError[] = [];
      kept.forEach(({ r, i }) => {
        if (r.passingAnswer !== 'yes' && r.passingAnswer !== 'no') {
          errors.push({ field: `passingAnswer-${i}`, code: 'FIELD.REQUIRED', message: `Question ${i + 1}: choose the answer that passes` });
        }
      });
      throwIfAny(errors);
      const dto = await validateInput(PutEligibilityQuestionsDto, {
        questions: kept.map(({ r }) => ({ question: r.question, hint: r.hint || null, passingAnswer: r.passingAnswer === 'yes', failureMessage: r.failureMessage })),
      });
      await this.setup.replaceEligibilityQuestions(actorOf(request), id, dto.questions);
      this.pages.flash(request, 'Eligibility questions saved');
      return reply.redirect(`/staff/rounds/${id}`, 303);
    } catch (error) {
      // questions.2.failureMessage -> failureMessage-<row on the page>
      const rename: Record<string, string> = {};
      kept.forEach(({ i }, n) => {
        for (const f of ['question', 'hint', 'passingAnswer', 'failureMessage']) rename[`questions.${n}.${f}`] = `${f}-${i}`;
      });
      if (error instanceof DomainError) {
        error.errors.forEach((e) => {
          const m = /^questions\.(\d+)\./.exec(e.field);
          if (m && kept[Number(m[1])]) e.message = `Question ${kept[Number(m[1])].i + 1}: ${e.message}`;
        });
      }
      return this.eligibilityForm(request, reply, round, rows, pageErrors(error, rename));
    }
  }

  private eligibilityForm(
    request: FastifyRequest,
    reply: FastifyReply,
    round: { id: string; code: string; title: string },
    rows: { question: string; hint: string; passingAnswer: string; failureMessage: string }[],
    errors?: ReturnType<typeof pageErrors>,
  ) {
    const filled = rows.filter((r) => r.question || r.hint || r.failureMessage || errors);
    const all = [...filled, ...Array.from({ length: SPARE_QUESTIONS }, () => ({ question: '', hint: '', passingAnswer: '', failureMessage: '' }))].slice(0, 30 + SPARE_QUESTIONS);
    return this.pages.render(
      request,
      reply,
      'pages/staff/rounds/eligibility.njk',
      { pageTitle: 'Eligibility questions', round, rows: all, backLink: `/staff/rounds/${round.id}`, ...(errors ?? {}) },
      errors?.status ?? 200,
    );
  }

  // ================= the form =================

  @Get(':id/form')
  @StaffRead('grants_officer')
  async viewForm(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.setup.getRoundView(id, STAFF);
    const versions = await this.setup.formVersions(id);
    return this.pages.render(request, reply, 'pages/staff/rounds/form.njk', {
      pageTitle: 'Application form',
      round,
      form: versions.find((v) => v.current) ?? null,
      versions,
      canEdit: hasRole(request.user, 'grants_officer') && (round.status === 'draft' || round.status === 'open'),
      backLink: `/staff/rounds/${id}`,
    });
  }

  @Get(':id/form/edit')
  @Access('grants_officer')
  async editForm(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.setup.getRoundView(id, STAFF);
    const form = await this.rounds.getCurrentForm(round.id);
    const definition = JSON.stringify(form?.definition ?? EXAMPLE_FORM, null, 2);
    return this.formEditor(request, reply, round, definition);
  }

  @Post(':id/form/edit')
  @Access('grants_officer')
  async saveForm(@Param('id') id: string, @Body() body: Form, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const round = await this.setup.getRoundView(id, STAFF);
    const raw = typeof body?.definition === 'string' ? body.definition : '';
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (e) {
        throw new DomainError('validation', 'FORM.NOT_JSON', 'The form is not valid JSON', [
          { field: 'definition', code: 'FORM.NOT_JSON', message: `The form is not valid JSON: ${(e as Error).message}` },
        ]);
      }
      const saved = await this.setup.saveForm(actorOf(request), id, parsed);
      this.pages.flash(request, `Form version ${saved.version} saved`);
      return reply.redirect(`/staff/rounds/${id}/form`, 303);
    } catch (error) {
      const errors = pageErrors(error);
      // Every problem is somewhere in the one text box.
      errors.errorList = errors.errorList.map((e) => ({ ...e, href: '#definition' }));
      errors.errors = { definition: errors.errorList.map((e) => e.text).join('. ') };
      return this.formEditor(request, reply, round, raw, errors);
    }
  }

  private formEditor(request: FastifyRequest, reply: FastifyReply, round: { id: string; code: string; title: string; status: RoundStatus }, definition: string, errors?: ReturnType<typeof pageErrors>) {
    return this.pages.render(
      request,
      reply,
      'pages/staff/rounds/form-edit.njk',
      { pageTitle: 'Change the application form', round, definition, backLink: `/staff/rounds/${round.id}/form`, ...(errors ?? {}) },
      errors?.status ?? 200,
    );
  }
}

/** A starting point for a round's first form. */
const EXAMPLE_FORM = {
  sections: [
    {
      key: 'project',
      title: 'Your project',
      questions: [
        { key: 'need', type: 'text', label: 'What need will your project meet?', required: true, wordLimit: 300 },
        { key: 'activities', type: 'text', label: 'What will you do?', required: true, wordLimit: 500 },
      ],
    },
  ],
};
