import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PeopleReader } from '../accounts/people-reader.js';
import { Access, StaffRead } from '../auth/access.decorator.js';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { CurrentActor, CurrentUser } from '../auth/request-context.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { pageErrorView, pageForm } from '../web/page-form.js';
import { PageRenderer } from '../web/page-renderer.js';
import type { CriterionDef } from './assessment-rules.js';
import { AssessmentSetupService, type CriteriaView, type PoolView } from './assessment-setup.service.js';
import { PutCriteriaDto, PutPoolDto } from './assessment.dto.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (value: unknown): string => (Array.isArray(value) ? String(value[0] ?? '') : typeof value === 'string' ? value : '');
/** A typed whole number as a number; anything else as typed, for the DTO to refuse. */
const intOf = (raw: string): number | string => (/^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : raw.trim());

/** A criterion's key from its name: lower case, underscores, starting with a letter, unique in the round. */
export function keyFromName(name: string, taken: ReadonlySet<string>): string {
  let base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!/^[a-z]/.test(base)) base = `c_${base}`.replace(/_+$/, '');
  base = base.slice(0, 40).replace(/_+$/, '');
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const key = `${base.slice(0, 40 - String(n).length - 1).replace(/_+$/, '')}_${n}`;
    if (!taken.has(key)) return key;
  }
}

const CRITERION_MESSAGES = {
  name: { default: 'Enter the criterion’s name (up to 120 characters)' },
  guidance: 'Guidance must be 2000 characters or fewer',
  weight: 'Enter the weight as a whole number from 1 to 100',
  allowNotApplicable: 'Select whether assessors may answer “not applicable”',
};
const SETTINGS_MESSAGES = {
  assessorsPerBid: 'Enter the number of assessors per application, a whole number from 1 to 10',
  moderationThreshold: 'Enter the moderation threshold, a whole number of points from 0 to 100',
  dueDays: 'Enter the days an assessor has, a whole number from 1 to 120',
};

/**
 * Grants officers' pages for a round's assessment set-up: the criteria (add, change, remove), the
 * numbers (assessors per bid, moderation threshold, days to assess) and the assessor pool (add,
 * capacity, remove). Each page builds the API's body and hands it to AssessmentSetupService
 * through the API's DTOs; once the criteria are frozen the service refuses (409), as the page says.
 */
@ApiExcludeController()
@Controller('staff/rounds/:id/assessment')
export class AssessmentSetupPages {
  constructor(
    private readonly setup: AssessmentSetupService,
    private readonly people: PeopleReader,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  @StaffRead('grants_officer')
  async overview(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const criteria = await this.setup.getCriteria(id);
    const pool = await this.setup.getPool(id);
    return this.pages.render(request, reply, 'pages/assessment/setup.njk', {
      pageTitle: 'Assessment set-up',
      criteria,
      pool,
      canEdit: hasRole(user, 'grants_officer'),
      base: `/staff/rounds/${id}/assessment`,
      backLink: `/staff/rounds/${id}`,
    });
  }

  // ---------------------------------------------------------------- the numbers

  @Get('settings')
  @Access('grants_officer')
  async settingsForm(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const c = await this.setup.getCriteria(id);
    return this.settingsPage(request, reply, c, { assessorsPerBid: String(c.assessorsPerBid), moderationThreshold: String(c.moderationThreshold), dueDays: String(c.dueDays) });
  }

  @Post('settings')
  @Access('grants_officer')
  async saveSettings(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.setup.getCriteria(id);
    const values = { assessorsPerBid: one(body.assessorsPerBid), moderationThreshold: one(body.moderationThreshold), dueDays: one(body.dueDays) };
    try {
      const dto = await pageForm(
        PutCriteriaDto,
        { criteria: current.criteria, assessorsPerBid: intOf(values.assessorsPerBid), moderationThreshold: intOf(values.moderationThreshold), dueDays: intOf(values.dueDays) },
        { messages: SETTINGS_MESSAGES, order: ['assessorsPerBid', 'moderationThreshold', 'dueDays'] },
      );
      await this.setup.putCriteria(actor, id, dto);
      this.pages.flash(request, 'The assessment settings have been saved.', 'Settings saved');
      return reply.redirect(`/staff/rounds/${id}/assessment`, 303);
    } catch (error) {
      return this.settingsPage(request, reply, await this.setup.getCriteria(id), values, error);
    }
  }

  // ---------------------------------------------------------------- criteria

  @Get('criteria/new')
  @Access('grants_officer')
  async newCriterion(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.criterionPage(request, reply, await this.setup.getCriteria(id), null, { name: '', guidance: '', weight: '', allowNotApplicable: '' });
  }

  @Post('criteria/new')
  @Access('grants_officer')
  async addCriterion(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.setup.getCriteria(id);
    const values = criterionValues(body);
    try {
      const key = keyFromName(values.name, new Set(current.criteria.map((c) => c.key)));
      await this.saveCriteria(actor, current, [...current.criteria, { key, ...criterionInput(values) }], current.criteria.length);
      this.pages.flash(request, `The criterion “${values.name.trim()}” has been added.`, 'Criterion added');
      return reply.redirect(`/staff/rounds/${id}/assessment`, 303);
    } catch (error) {
      return this.criterionPage(request, reply, await this.setup.getCriteria(id), null, values, error);
    }
  }

  @Get('criteria/:key')
  @Access('grants_officer')
  async editCriterion(@Param('id') id: string, @Param('key') key: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.setup.getCriteria(id);
    const c = criterionOf(current, key);
    return this.criterionPage(request, reply, current, c.key, { name: c.name, guidance: c.guidance, weight: String(c.weight), allowNotApplicable: c.allowNotApplicable ? 'yes' : 'no' });
  }

  @Post('criteria/:key')
  @Access('grants_officer')
  async changeCriterion(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('key') key: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.setup.getCriteria(id);
    criterionOf(current, key);
    const values = criterionValues(body);
    try {
      const index = current.criteria.findIndex((c) => c.key === key);
      await this.saveCriteria(actor, current, current.criteria.map((c) => (c.key === key ? { key, ...criterionInput(values) } : c)), index);
      this.pages.flash(request, `The criterion “${values.name.trim()}” has been saved.`, 'Criterion saved');
      return reply.redirect(`/staff/rounds/${id}/assessment`, 303);
    } catch (error) {
      return this.criterionPage(request, reply, await this.setup.getCriteria(id), key, values, error);
    }
  }

  @Get('criteria/:key/remove')
  @Access('grants_officer')
  async confirmRemoveCriterion(@Param('id') id: string, @Param('key') key: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.setup.getCriteria(id);
    return this.removePage(request, reply, current, criterionOf(current, key));
  }

  @Post('criteria/:key/remove')
  @Access('grants_officer')
  async removeCriterion(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('key') key: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const current = await this.setup.getCriteria(id);
    const criterion = criterionOf(current, key);
    try {
      await this.saveCriteria(actor, current, current.criteria.filter((c) => c.key !== key), -1);
      this.pages.flash(request, `The criterion “${criterion.name}” has been removed.`, 'Criterion removed');
      return reply.redirect(`/staff/rounds/${id}/assessment`, 303);
    } catch (error) {
      return this.removePage(request, reply, await this.setup.getCriteria(id), criterion, error);
    }
  }

  // ---------------------------------------------------------------- the pool

  @Get('assessors')
  @Access('grants_officer')
  async poolPage(@Param('id') id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.renderPool(request, reply, id, await this.setup.getPool(id), { userId: '', capacity: '10' });
  }

  @Post('assessors')
  @Access('grants_officer')
  async addAssessor(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const pool = await this.setup.getPool(id);
    const values = { userId: one(body.userId), capacity: one(body.capacity) };
    const i = pool.assessors.length;
    const rename = { [`assessors.${i}.userId`]: 'userId', [`assessors.${i}.capacity`]: 'capacity', assessors: 'userId' };
    try {
      const parse: FieldError[] = values.userId ? [] : [{ field: 'userId', code: 'FIELD.REQUIRED', message: 'Choose an assessor to add' }];
      const dto = await pageForm(PutPoolDto, { assessors: [...this.members(pool), { userId: values.userId, capacity: intOf(values.capacity) }] }, {
        parseErrors: parse,
        rename,
        messages: { userId: 'Choose an assessor to add', capacity: 'Enter the capacity, a whole number of open assessments from 1 to 500' },
        order: ['userId', 'capacity'],
      });
      const added = dto.assessors[i];
      const saved = await this.setup.changePool(actor, id, (now) => [...now.filter((m) => m.userId !== added.userId), added]);
      this.pages.flash(request, `${saved.assessors.find((a) => a.userId === values.userId)?.fullName || 'The assessor'} has been added to the pool.`, 'Assessor added');
      return reply.redirect(`/staff/rounds/${id}/assessment/assessors`, 303);
    } catch (error) {
      return this.renderPool(request, reply, id, pool, values, error, rename);
    }
  }

  @Post('assessors/:userId')
  @Access('grants_officer')
  async changeCapacity(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('userId') userId: string, @Body() body: FormBody, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const pool = await this.setup.getPool(id);
    const i = memberIndex(pool, userId);
    const raw = one(body.capacity);
    const field = `capacity-${userId}`;
    const rename = { [`assessors.${i}.capacity`]: field };
    try {
      const members = this.members(pool).map((m) => (m.userId === userId ? { userId, capacity: intOf(raw) } : m));
      const dto = await pageForm(PutPoolDto, { assessors: members }, { rename, messages: { [field]: 'Enter the capacity, a whole number of open assessments from 1 to 500' } });
      const capacity = dto.assessors[i].capacity;
      await this.setup.changePool(actor, id, (now) => now.map((m) => (m.userId === userId ? { userId, capacity } : m)));
      this.pages.flash(request, `The capacity of ${pool.assessors[i].fullName || 'the assessor'} has been saved.`, 'Capacity saved');
      return reply.redirect(`/staff/rounds/${id}/assessment/assessors`, 303);
    } catch (error) {
      return this.renderPool(request, reply, id, pool, { userId: '', capacity: '10', [field]: raw }, error, rename);
    }
  }

  @Post('assessors/:userId/remove')
  @Access('grants_officer')
  async removeAssessor(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('userId') userId: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const pool = await this.setup.getPool(id);
    const i = memberIndex(pool, userId);
    await this.setup.changePool(actor, id, (now) => now.filter((m) => m.userId !== userId));
    this.pages.flash(request, `${pool.assessors[i].fullName || 'The assessor'} has been taken out of the pool. Their open assessments stay with them.`, 'Assessor removed');
    return reply.redirect(`/staff/rounds/${id}/assessment/assessors`, 303);
  }

  // ---------------------------------------------------------------- helpers

  private members(pool: PoolView): { userId: string; capacity: number }[] {
    return pool.assessors.map((a) => ({ userId: a.userId, capacity: a.capacity }));
  }

  /** The whole criteria body, checked by the API's DTO; the changed criterion's errors go to its form's fields. */
  private async saveCriteria(actor: Actor, current: CriteriaView, criteria: unknown[], index: number): Promise<void> {
    const rename: Record<string, string> = { criteria: 'name' };
    for (const f of ['name', 'guidance', 'weight', 'allowNotApplicable', 'key']) rename[`criteria.${index}.${f}`] = f === 'key' ? 'name' : f;
    const dto = await pageForm(
      PutCriteriaDto,
      { criteria, assessorsPerBid: current.assessorsPerBid, moderationThreshold: current.moderationThreshold, dueDays: current.dueDays },
      { rename, messages: CRITERION_MESSAGES, order: ['name', 'guidance', 'weight', 'allowNotApplicable'] },
    );
    await this.setup.putCriteria(actor, current.roundId, dto);
  }

  private async settingsPage(request: FastifyRequest, reply: FastifyReply, criteria: CriteriaView, values: Record<string, string>, error?: unknown) {
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'pages/assessment/setup-settings.njk',
      { pageTitle: 'Assessment settings', criteria, values, backLink: `/staff/rounds/${criteria.roundId}/assessment`, ...form },
      status,
    );
  }

  private async criterionPage(request: FastifyRequest, reply: FastifyReply, criteria: CriteriaView, key: string | null, values: Record<string, string>, error?: unknown) {
    const { form, status } = pageErrorView(error, {}, { allowNotApplicable: 'allowNotApplicable' });
    return this.pages.render(
      request,
      reply,
      'pages/assessment/criterion.njk',
      {
        pageTitle: key ? 'Change a criterion' : 'Add a criterion',
        criteria,
        key,
        values,
        naItems: [
          { value: 'yes', text: 'Yes', checked: values.allowNotApplicable === 'yes' },
          { value: 'no', text: 'No, it must be scored', checked: values.allowNotApplicable === 'no' },
        ],
        backLink: `/staff/rounds/${criteria.roundId}/assessment`,
        ...form,
      },
      status,
    );
  }

  private async removePage(request: FastifyRequest, reply: FastifyReply, criteria: CriteriaView, criterion: CriterionDef, error?: unknown) {
    const { form, status } = pageErrorView(error);
    return this.pages.render(
      request,
      reply,
      'pages/assessment/criterion-remove.njk',
      { pageTitle: `Remove the criterion ${criterion.name}`, criteria, criterion, backLink: `/staff/rounds/${criteria.roundId}/assessment`, ...form },
      status,
    );
  }

  private async renderPool(request: FastifyRequest, reply: FastifyReply, id: string, pool: PoolView, values: Record<string, string>, error?: unknown, rename: Record<string, string> = {}) {
    const { form, status } = pageErrorView(error, rename);
    const inPool = new Set(pool.assessors.map((a) => a.userId));
    const assessors = (await this.people.withRole('assessor')).filter((p) => !inPool.has(p.id));
    return this.pages.render(
      request,
      reply,
      'pages/assessment/pool.njk',
      {
        pageTitle: 'Assessor pool',
        roundId: id,
        pool,
        values,
        assessorItems: [{ value: '', text: 'Choose an assessor' }, ...assessors.map((p) => ({ value: p.id, text: `${p.fullName} (${p.email})`, selected: values.userId === p.id }))],
        backLink: `/staff/rounds/${id}/assessment`,
        ...form,
      },
      status,
    );
  }
}

function criterionValues(body: FormBody): Record<string, string> {
  return { name: one(body.name), guidance: one(body.guidance), weight: one(body.weight), allowNotApplicable: one(body.allowNotApplicable) };
}

/** The form's criterion in the API's shape (an unanswered yes/no stays missing, for the DTO to refuse). */
function criterionInput(values: Record<string, string>): Record<string, unknown> {
  const na = values.allowNotApplicable === 'yes' ? true : values.allowNotApplicable === 'no' ? false : undefined;
  return { name: values.name.trim(), guidance: values.guidance.trim(), weight: intOf(values.weight), allowNotApplicable: na };
}

function criterionOf(criteria: CriteriaView, key: string): CriterionDef {
  const found = criteria.criteria.find((c) => c.key === key);
  if (!found) throw new DomainError('not_found', 'ASSESSMENT.CRITERION_NOT_FOUND', 'Criterion was not found');
  return found;
}

function memberIndex(pool: PoolView, userId: string): number {
  const i = pool.assessors.findIndex((a) => a.userId === userId);
  if (i < 0) throw new DomainError('not_found', 'ASSESSMENT.NOT_IN_POOL', 'This person is not in the round’s assessor pool');
  return i;
}
