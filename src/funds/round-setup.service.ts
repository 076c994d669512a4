import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';
import { parsePence } from '../common/money.js';
import { isUniqueViolation } from '../reference-data/input.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { EligibilityQuestion } from './eligibility-question.entity.js';
import { parseFormDefinition } from './form-definition.js';
import { Fund } from './fund.entity.js';
import type { CreatePotDto, CreateRoundDto, EligibilityQuestionDto, UpdatePotDto, UpdateRoundDto } from './funds.dto.js';
import { parseRoundDateTime } from './london-time.js';
import { isRoundEditable, isRoundPublic } from './round-lifecycle.js';
import { RoundLifecycleService } from './round-lifecycle.service.js';
import { Pot, PotDistrict, PotPriority } from './pot.entity.js';
import { RoundForm } from './round-form.entity.js';
import { formView, potView, roundView, type PotView, type RoundView } from './round-views.js';
import { Round, type RoundStatus } from './round.entity.js';
import { RoundsService, type PotWithLinks } from './rounds.service.js';
import { isUuid } from '../common/ids.js';

/** Who is looking: staff who may see drafts (grants officers, the auditor), or anyone else. */
export interface Viewer {
  canSeeDrafts: boolean;
}

/** A postcode district (outward code): LS9, BD3, WF10, M1, EC1A. */
export const OUTWARD_CODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

const CODE_TAKEN = 'This fund already has a round with this code';
/** Fields of a round that can still change once it is scheduled or open (closing date: later only). */
const LIVE_FIELDS = ['title', 'description', 'criteria', 'exclusions', 'closesAt'];
/** Text fields that can change at any time before the round is archived. */
const TEXT_FIELDS = ['title', 'description', 'criteria', 'exclusions'];

const notFoundRound = () => new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
const notEditable = (status: RoundStatus, what: string) =>
  new DomainError('conflict', 'ROUND.NOT_EDITABLE', `The round is ${status}: ${what} can only change while it is a draft`, [], { roundStatus: status });
const text = (value: string | null | undefined) => (typeof value === 'string' ? value.trim() || null : null);

/**
 * Setting up a call: rounds with their dates and budget, pots, eligibility questions and the
 * application form as data. Rules live here; every change is audited in its transaction.
 */
@Injectable()
export class RoundSetupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly rounds: RoundsService,
    private readonly lifecycle: RoundLifecycleService,
    private readonly referenceData: ReferenceDataService,
  ) {}

  // ================= reading =================

  /** A round as the viewer may see it: drafts only for staff, 404 otherwise. */
  async visibleRound(id: string, viewer: Viewer, manager?: EntityManager): Promise<Round> {
    const round = await this.rounds.findRound(id, manager);
    if (!round || (!viewer.canSeeDrafts && !isRoundPublic(round.status))) throw notFoundRound();
    return round;
  }

  async view(round: Round, options: { pots?: boolean } = {}): Promise<RoundView & { pots?: PotView[] }> {
    const [view] = await this.views([round], options);
    return view;
  }

  /** Views of several rounds with a fixed number of queries, however many rounds (no N+1). */
  async views(rounds: Round[], options: { pots?: boolean } = {}): Promise<(RoundView & { pots?: PotView[] })[]> {
    if (rounds.length === 0) return [];
    const m = this.dataSource.manager;
    const roundIds = rounds.map((r) => r.id);
    const fundIds = [...new Set(rounds.map((r) => r.fundId))];
    const formIds = rounds.map((r) => r.currentFormId).filter((id): id is string => !!id);
    const [funds, forms, allocations, pots] = await Promise.all([
      m.find(Fund, { where: { id: In(fundIds) } }),
      formIds.length ? m.find(RoundForm, { where: { id: In(formIds) } }) : Promise.resolve([] as RoundForm[]),
      m.query(`SELECT round_id, COALESCE(SUM(budget_pence), 0)::text AS allocated FROM pots WHERE round_id = ANY($1) GROUP BY round_id`, [roundIds]) as Promise<
        { round_id: string; allocated: string }[]
      >,
      options.pots
        ? m.find(Pot, { where: { roundId: In(roundIds) }, order: { position: 'ASC', createdAt: 'ASC' } }).then((rows) => this.rounds.withLinks(rows))
        : Promise.resolve([] as PotWithLinks[]),
    ]);
    const potViews = options.pots ? await this.viewsOf(pots) : [];
    const fundById = new Map(funds.map((f) => [f.id, f]));
    const formById = new Map(forms.map((f) => [f.id, f]));
    const allocatedByRound = new Map(allocations.map((a) => [a.round_id, parsePence(a.allocated)]));
    return rounds.map((round) => {
      const base = roundView(round, {
        fund: fundById.get(round.fundId)!,
        form: round.currentFormId ? (formById.get(round.currentFormId) ?? null) : null,
        allocatedPence: allocatedByRound.get(round.id) ?? 0,
        acceptingApplications: this.rounds.isAcceptingApplications(round),
      });
      return options.pots ? { ...base, pots: potViews.filter((_, i) => pots[i].roundId === round.id) } : base;
    });
  }

  async getRoundView(id: string, viewer: Viewer) {
    return this.view(await this.visibleRound(id, viewer), { pots: true });
  }

  /** Rounds for a list: the public sees open and scheduled ones (or one non-draft status); staff any. */
  async listRounds(query: { status?: RoundStatus; fundId?: string; page: number; pageSize: number }, viewer: Viewer) {
    let statuses: RoundStatus[];
    if (query.status) statuses = viewer.canSeeDrafts || isRoundPublic(query.status) ? [query.status] : [];
    else statuses = viewer.canSeeDrafts && query.fundId ? [] : ['open', 'scheduled'];
    const qb = this.dataSource.getRepository(Round).createQueryBuilder('r');
    if (statuses.length) qb.where('r.status IN (:...statuses)', { statuses });
    else if (query.status) return { items: [], total: 0 };
    if (query.fundId) {
      if (!isUuid(query.fundId)) return { items: [], total: 0 };
      qb.andWhere('r.fund_id = :fundId', { fundId: query.fundId });
    }
    qb.orderBy(`CASE r.status WHEN 'open' THEN 0 WHEN 'scheduled' THEN 1 WHEN 'draft' THEN 2 ELSE 3 END`)
      .addOrderBy('r.closes_at', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { items: await this.views(rows, { pots: true }), total };
  }

  /** Every round of every fund, newest first, for the staff list. */
  async staffRoundList(): Promise<RoundView[]> {
    const rows = await this.dataSource.getRepository(Round).find({ order: { opensAt: 'DESC' } });
    return this.views(rows);
  }

  async potViews(roundId: string, manager?: EntityManager): Promise<PotView[]> {
    return this.viewsOf(await this.rounds.listPots(roundId, manager), manager);
  }

  private async viewsOf(pots: PotWithLinks[], manager?: EntityManager): Promise<PotView[]> {
    const districtIds = [...new Set(pots.flatMap((p) => p.districtIds))];
    const priorityIds = [...new Set(pots.flatMap((p) => p.priorityIds))];
    const [districts, priorities] = await Promise.all([
      this.referenceData.districtsByIds(districtIds, manager),
      this.referenceData.prioritiesByIds(priorityIds, manager),
    ]);
    const names = {
      districts: new Map(districts.map((d) => [d.id, { name: d.name, gssCode: d.gssCode }])),
      priorities: new Map(priorities.map((p) => [p.id, { name: p.name, code: p.code }])),
    };
    return pots.map((p) => potView(p, names));
  }

  async getPotView(potId: string, viewer: Viewer): Promise<PotView> {
    const pot = await this.rounds.getPot(potId);
    await this.visibleRound(pot.roundId, viewer).catch(() => {
      throw new DomainError('not_found', 'POT.NOT_FOUND', 'Pot was not found');
    });
    return (await this.viewsOf([pot]))[0];
  }

  async eligibilityQuestions(roundId: string, viewer: Viewer) {
    const round = await this.visibleRound(roundId, viewer);
    const questions = await this.rounds.getEligibilityQuestions(round.id);
    return questions.map((q) => ({ id: q.id, position: q.position, question: q.question, hint: q.hint, passingAnswer: q.passingAnswer, failureMessage: q.failureMessage }));
  }

  async currentForm(roundId: string, viewer: Viewer) {
    const round = await this.visibleRound(roundId, viewer);
    const form = await this.rounds.getCurrentForm(round.id);
    if (!form) throw new DomainError('not_found', 'FORM.NOT_FOUND', 'This round has no application form yet');
    return formView(form);
  }

  /** Every version of a round's form, newest first (staff). */
  async formVersions(roundId: string) {
    const round = await this.rounds.getRound(roundId);
    const forms = await this.dataSource.getRepository(RoundForm).find({ where: { roundId: round.id }, order: { version: 'DESC' } });
    return forms.map((f) => ({ ...formView(f), current: f.id === round.currentFormId }));
  }

  async formVersion(roundId: string, version: number) {
    const round = await this.rounds.getRound(roundId);
    const form = Number.isSafeInteger(version) ? await this.dataSource.getRepository(RoundForm).findOne({ where: { roundId: round.id, version } }) : null;
    if (!form) throw new DomainError('not_found', 'FORM.NOT_FOUND', 'There is no such version of this form');
    return { ...formView(form), current: form.id === round.currentFormId };
  }

  // ================= rounds =================

  async createRound(actor: Actor, fundId: string, input: CreateRoundDto): Promise<RoundView> {
    const fund = isUuid(fundId) ? await this.dataSource.getRepository(Fund).findOne({ where: { id: fundId } }) : null;
    if (!fund) throw new DomainError('not_found', 'FUND.NOT_FOUND', 'Fund was not found');
    const { opensAt, closesAt } = this.checkDates(input.opensAt, input.closesAt, { closesMustBeFuture: true });
    const round = await this.writeRound(async (m) => {
      const created = await m.save(
        m.create(Round, {
          fundId: fund.id,
          code: input.code,
          title: input.title.trim(),
          description: text(input.description),
          criteria: text(input.criteria),
          exclusions: text(input.exclusions),
          opensAt,
          closesAt,
          totalBudgetPence: String(input.totalBudgetPence),
          status: 'draft',
        }),
      );
      await this.audit.record(m, actor, { action: 'round.created', entityType: 'round', entityId: created.id, after: auditOf(created) });
      await this.lifecycle.scheduleJobs(m, created, { open: true, close: true });
      return created;
    });
    return this.view(round);
  }

  async updateRound(actor: Actor, id: string, input: UpdateRoundDto): Promise<RoundView> {
    const required: FieldError[] = [];
    for (const field of ['code', 'title', 'opensAt', 'closesAt', 'totalBudgetPence'] as const) {
      if (input[field] === null) required.push({ field, code: 'FIELD.REQUIRED', message: `${field} cannot be emptied` });
    }
    if (required.length) throw validationFailed(required);
    const round = await this.writeRound(async (m) => {
      const current = await this.lockRound(m, id);
      if (input.version !== undefined && input.version !== current.version) {
        throw new DomainError('conflict', 'ROUND.VERSION_CONFLICT', 'The round has changed since you read it', [], { currentVersion: current.version });
      }
      const next = {
        code: input.code ?? current.code,
        title: input.title !== undefined ? input.title.trim() : current.title,
        description: input.description !== undefined ? text(input.description) : current.description,
        criteria: input.criteria !== undefined ? text(input.criteria) : current.criteria,
        exclusions: input.exclusions !== undefined ? text(input.exclusions) : current.exclusions,
        opensAt: input.opensAt !== undefined ? this.checkDate('opensAt', input.opensAt) : current.opensAt,
        closesAt: input.closesAt !== undefined ? this.checkDate('closesAt', input.closesAt) : current.closesAt,
        totalBudgetPence: input.totalBudgetPence !== undefined ? String(input.totalBudgetPence) : current.totalBudgetPence,
      };
      const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) =>
        next[k] instanceof Date ? new Date(next[k]).getTime() !== new Date(current[k] as Date).getTime() : String(next[k] ?? '') !== String(current[k] ?? ''),
      );
      if (changed.length === 0) return current;

      const allowed = isRoundEditable(current.status)
        ? changed
        : current.status === 'scheduled' || current.status === 'open'
          ? LIVE_FIELDS
          : current.status === 'archived'
            ? []
            : TEXT_FIELDS;
      const locked = changed.filter((k) => !allowed.includes(k));
      if (locked.length) {
        throw new DomainError(
          'conflict',
          'ROUND.FIELD_LOCKED',
          `The round is ${current.status}: ${locked.join(', ')} can no longer change`,
          locked.map((field) => ({ field, code: 'ROUND.FIELD_LOCKED', message: `${field} cannot change once the round is ${current.status}` })),
          { roundStatus: current.status },
        );
      }
      const errors: FieldError[] = [];
      const now = Date.now();
      if (changed.includes('opensAt') || changed.includes('closesAt')) {
        if (next.closesAt.getTime() <= next.opensAt.getTime()) {
          errors.push({ field: 'closesAt', code: 'ROUND.CLOSES_BEFORE_OPENS', message: 'The closing date must be after the opening date' });
        }
        if (changed.includes('closesAt') && next.closesAt.getTime() <= now) {
          errors.push({ field: 'closesAt', code: 'ROUND.CLOSES_IN_PAST', message: 'The closing date must be in the future' });
        }
        if (changed.includes('closesAt') && !isRoundEditable(current.status) && next.closesAt.getTime() < new Date(current.closesAt).getTime()) {
          errors.push({ field: 'closesAt', code: 'ROUND.CLOSING_DATE_NOT_EXTENDED', message: 'Once a round is scheduled or open its closing date can only be made later' });
        }
      }
      if (changed.includes('totalBudgetPence')) {
        const allocated = await this.allocated(m, current.id);
        if (Number(next.totalBudgetPence) < allocated) {
          errors.push({ field: 'totalBudgetPence', code: 'ROUND.TOTAL_BELOW_POTS', message: 'The total budget cannot be less than the pots’ budgets added together' });
        }
      }
      if (errors.length) throw validationFailed(errors);

      const before = auditOf(current);
      Object.assign(current, next);
      current.version += 1;
      const saved = await m.save(current);
      await this.audit.record(m, actor, { action: 'round.updated', entityType: 'round', entityId: id, before, after: auditOf(saved) });
      await this.lifecycle.scheduleJobs(m, saved, { open: changed.includes('opensAt'), close: changed.includes('closesAt') });
      return saved;
    });
    return this.view(round);
  }

  // ================= pots =================

  async createPot(actor: Actor, roundId: string, input: CreatePotDto): Promise<PotView> {
    return this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, roundId);
      if (!isRoundEditable(round.status)) throw notEditable(round.status, 'pots');
      const clean = await this.checkPot(m, round, input, null);
      const [{ position }] = await m.query(`SELECT COALESCE(MAX(position) + 1, 0)::int AS position FROM pots WHERE round_id = $1`, [round.id]);
      const pot = await m.save(
        m.create(Pot, {
          roundId: round.id,
          name: clean.name,
          description: clean.description,
          minGrantPence: String(clean.minGrantPence),
          maxGrantPence: String(clean.maxGrantPence),
          budgetPence: String(clean.budgetPence),
          wards: clean.wards,
          postcodeDistricts: clean.postcodeDistricts,
          position: input.position ?? position,
        }),
      );
      await this.link(m, pot.id, clean.districtIds, clean.priorityIds);
      const [view] = await this.viewsOf(await this.rounds.withLinks([pot], m), m);
      await this.audit.record(m, actor, { action: 'pot.created', entityType: 'pot', entityId: pot.id, after: auditOfPot(view) });
      return view;
    });
  }

  async updatePot(actor: Actor, potId: string, input: UpdatePotDto): Promise<PotView> {
    const existing = await this.rounds.getPot(potId);
    const required: FieldError[] = [];
    for (const field of ['name', 'minGrantPence', 'maxGrantPence', 'budgetPence', 'districtIds', 'priorityIds'] as const) {
      if (input[field] === null) required.push({ field, code: 'FIELD.REQUIRED', message: `${field} cannot be emptied` });
    }
    if (required.length) throw validationFailed(required);
    return this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, existing.roundId);
      if (!isRoundEditable(round.status)) throw notEditable(round.status, 'pots');
      const pot = await this.rounds.getPot(potId, m);
      const [before] = await this.viewsOf([pot], m);
      const merged: CreatePotDto = {
        name: input.name ?? pot.name,
        description: input.description !== undefined ? input.description : pot.description,
        minGrantPence: input.minGrantPence ?? parsePence(pot.minGrantPence),
        maxGrantPence: input.maxGrantPence ?? parsePence(pot.maxGrantPence),
        budgetPence: input.budgetPence ?? parsePence(pot.budgetPence),
        districtIds: input.districtIds ?? pot.districtIds,
        priorityIds: input.priorityIds ?? pot.priorityIds,
        wards: input.wards ?? pot.wards,
        postcodeDistricts: input.postcodeDistricts ?? pot.postcodeDistricts,
      };
      const clean = await this.checkPot(m, round, merged, pot);
      await m.update(Pot, pot.id, {
        name: clean.name,
        description: clean.description,
        minGrantPence: String(clean.minGrantPence),
        maxGrantPence: String(clean.maxGrantPence),
        budgetPence: String(clean.budgetPence),
        wards: clean.wards,
        postcodeDistricts: clean.postcodeDistricts,
        ...(input.position !== undefined ? { position: input.position } : {}),
      });
      await m.delete(PotDistrict, { potId: pot.id });
      await m.delete(PotPriority, { potId: pot.id });
      await this.link(m, pot.id, clean.districtIds, clean.priorityIds);
      const [after] = await this.viewsOf([await this.rounds.getPot(pot.id, m)], m);
      await this.audit.record(m, actor, { action: 'pot.updated', entityType: 'pot', entityId: pot.id, before: auditOfPot(before), after: auditOfPot(after) });
      return after;
    });
  }

  async deletePot(actor: Actor, potId: string): Promise<void> {
    const existing = await this.rounds.getPot(potId);
    await this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, existing.roundId);
      if (!isRoundEditable(round.status)) throw notEditable(round.status, 'pots');
      const pot = await this.rounds.getPot(potId, m);
      const [before] = await this.viewsOf([pot], m);
      await m.delete(Pot, { id: pot.id });
      await this.audit.record(m, actor, { action: 'pot.deleted', entityType: 'pot', entityId: pot.id, before: auditOfPot(before) });
    });
  }

  /** Checks a pot against its round and the reference data; returns it cleaned (trimmed, deduplicated, upper-cased). */
  private async checkPot(m: EntityManager, round: Round, input: CreatePotDto, existing: PotWithLinks | null) {
    const errors: FieldError[] = [];
    const name = input.name.trim();
    if (input.minGrantPence > input.maxGrantPence) {
      errors.push({ field: 'minGrantPence', code: 'POT.MIN_OVER_MAX', message: 'The smallest grant must not be more than the largest grant' });
    }
    if (input.maxGrantPence > input.budgetPence) {
      errors.push({ field: 'maxGrantPence', code: 'POT.MAX_OVER_BUDGET', message: 'The largest grant must not be more than the pot’s budget' });
    }
    const others = await this.allocated(m, round.id, existing?.id);
    if (others + input.budgetPence > parsePence(round.totalBudgetPence)) {
      errors.push({
        field: 'budgetPence',
        code: 'POT.BUDGETS_OVER_ROUND_TOTAL',
        message: 'The pots’ budgets added together must not be more than the round’s total budget',
      });
    }
    const [{ taken }] = await m.query(`SELECT count(*)::int AS taken FROM pots WHERE round_id = $1 AND lower(name) = lower($2) AND id <> $3`, [
      round.id,
      name,
      existing?.id ?? '00000000-0000-0000-0000-000000000000',
    ]);
    if (taken) errors.push({ field: 'name', code: 'POT.NAME_TAKEN', message: 'The round already has a pot with this name' });

    const districtIds = [...new Set(input.districtIds)];
    const districts = await this.referenceData.districtsByIds(districtIds, m);
    const keptDistricts = new Set(existing?.districtIds ?? []);
    if (districts.length !== districtIds.length || districts.some((d) => !d.active && !keptDistricts.has(d.id))) {
      errors.push({ field: 'districtIds', code: 'POT.UNKNOWN_DISTRICT', message: 'Choose districts from the list of active districts' });
    }
    const priorityIds = [...new Set(input.priorityIds)];
    const priorities = await this.referenceData.prioritiesByIds(priorityIds, m);
    const keptPriorities = new Set(existing?.priorityIds ?? []);
    if (priorities.length !== priorityIds.length || priorities.some((p) => !p.active && !keptPriorities.has(p.id))) {
      errors.push({ field: 'priorityIds', code: 'POT.UNKNOWN_PRIORITY', message: 'Choose priorities from the list of active priorities' });
    }
    const postcodeDistricts = [...new Set((input.postcodeDistricts ?? []).map((p) => p.trim().toUpperCase().replace(/\s+/g, '')).filter(Boolean))];
    const badPostcode = postcodeDistricts.find((p) => !OUTWARD_CODE.test(p));
    if (badPostcode) {
      errors.push({ field: 'postcodeDistricts', code: 'POT.POSTCODE_DISTRICT_INVALID', message: `“${badPostcode}” is not a postcode district (the first half of a postcode, such as LS9)` });
    }
    const wards = [...new Set((input.wards ?? []).map((w) => w.trim()).filter(Boolean))];
    if (errors.length) throw validationFailed(errors, errors.length === 1 ? errors[0].message : 'The pot has errors');
    return {
      name,
      description: text(input.description),
      minGrantPence: input.minGrantPence,
      maxGrantPence: input.maxGrantPence,
      budgetPence: input.budgetPence,
      districtIds,
      priorityIds,
      wards,
      postcodeDistricts,
    };
  }

  private async link(m: EntityManager, potId: string, districtIds: string[], priorityIds: string[]): Promise<void> {
    if (districtIds.length) await m.insert(PotDistrict, districtIds.map((districtId) => ({ potId, districtId })));
    if (priorityIds.length) await m.insert(PotPriority, priorityIds.map((priorityId) => ({ potId, priorityId })));
  }

  private async allocated(m: EntityManager, roundId: string, exceptPotId?: string): Promise<number> {
    const [{ total }] = await m.query(`SELECT COALESCE(SUM(budget_pence), 0)::text AS total FROM pots WHERE round_id = $1 AND id <> $2`, [
      roundId,
      exceptPotId ?? '00000000-0000-0000-0000-000000000000',
    ]);
    return parsePence(total);
  }

  // ================= eligibility and form =================

  async replaceEligibilityQuestions(actor: Actor, roundId: string, questions: EligibilityQuestionDto[]) {
    await this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, roundId);
      if (!isRoundEditable(round.status)) throw notEditable(round.status, 'eligibility questions');
      const before = await m.find(EligibilityQuestion, { where: { roundId: round.id }, order: { position: 'ASC' } });
      await m.delete(EligibilityQuestion, { roundId: round.id });
      const rows = questions.map((q, position) => ({
        roundId: round.id,
        position,
        question: q.question.trim(),
        hint: text(q.hint),
        passingAnswer: q.passingAnswer,
        failureMessage: q.failureMessage.trim(),
      }));
      if (rows.length) await m.insert(EligibilityQuestion, rows);
      await this.audit.record(m, actor, {
        action: 'round.eligibility_replaced',
        entityType: 'round',
        entityId: round.id,
        before: { questions: before.map((q) => ({ question: q.question, passingAnswer: q.passingAnswer })) },
        after: { questions: rows.map((q) => ({ question: q.question, passingAnswer: q.passingAnswer })) },
      });
    });
    return this.eligibilityQuestions(roundId, { canSeeDrafts: true });
  }

  /**
   * Saves the form. While the round is a draft this replaces the current (unfrozen) version. Once it
   * has opened, the current version is frozen: the change becomes a new version (frozen at once,
   * since applications may start on it) and applications keep the version they started on.
   */
  async saveForm(actor: Actor, roundId: string, body: unknown) {
    const definition = parseFormDefinition(body);
    const saved = await this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, roundId);
      if (round.status !== 'draft' && round.status !== 'open') {
        throw new DomainError('conflict', 'ROUND.NOT_EDITABLE', `The round is ${round.status}: its form can change while it is a draft or open`, [], { roundStatus: round.status });
      }
      const current = round.currentFormId ? await m.findOne(RoundForm, { where: { id: round.currentFormId } }) : null;
      let form: RoundForm;
      if (current && !current.frozenAt) {
        await m.update(RoundForm, current.id, { definition });
        form = await m.findOneOrFail(RoundForm, { where: { id: current.id } });
      } else {
        const [{ next }] = await m.query(`SELECT COALESCE(MAX(version), 0) + 1 AS next FROM round_forms WHERE round_id = $1`, [round.id]);
        form = await m.save(m.create(RoundForm, { roundId: round.id, version: Number(next), definition, frozenAt: round.status === 'open' ? new Date() : null }));
        await m.update(Round, round.id, { currentFormId: form.id, version: round.version + 1 });
      }
      await this.audit.record(m, actor, {
        action: current && !current.frozenAt ? 'round.form_updated' : 'round.form_version_created',
        entityType: 'round',
        entityId: round.id,
        before: current ? { formId: current.id, version: current.version } : null,
        after: { formId: form.id, version: form.version, sections: definition.sections.map((s) => s.key) },
      });
      return form;
    });
    return formView(saved);
  }

  // ================= helpers =================

  private async lockRound(m: EntityManager, id: string): Promise<Round> {
    const round = isUuid(id) ? await m.findOne(Round, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!round) throw notFoundRound();
    return round;
  }

  private checkDate(field: 'opensAt' | 'closesAt', value: string): Date {
    const date = parseRoundDateTime(value);
    if (!date) throw validationFailed([{ field, code: 'ROUND.INVALID_DATE', message: `${field === 'opensAt' ? 'The opening' : 'The closing'} date must be a real date and time, such as 2027-03-05T17:00` }]);
    return date;
  }

  private checkDates(opens: string, closes: string, options: { closesMustBeFuture: boolean }): { opensAt: Date; closesAt: Date } {
    const errors: FieldError[] = [];
    const opensAt = parseRoundDateTime(opens);
    const closesAt = parseRoundDateTime(closes);
    if (!opensAt) errors.push({ field: 'opensAt', code: 'ROUND.INVALID_DATE', message: 'The opening date must be a real date and time, such as 2027-01-10T09:00' });
    if (!closesAt) errors.push({ field: 'closesAt', code: 'ROUND.INVALID_DATE', message: 'The closing date must be a real date and time, such as 2027-03-05T17:00' });
    if (opensAt && closesAt && closesAt.getTime() <= opensAt.getTime()) {
      errors.push({ field: 'closesAt', code: 'ROUND.CLOSES_BEFORE_OPENS', message: 'The closing date must be after the opening date' });
    } else if (closesAt && options.closesMustBeFuture && closesAt.getTime() <= Date.now()) {
      errors.push({ field: 'closesAt', code: 'ROUND.CLOSES_IN_PAST', message: 'The closing date must be in the future' });
    }
    if (errors.length) throw validationFailed(errors);
    return { opensAt: opensAt!, closesAt: closesAt! };
  }

  private async writeRound<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_rounds_fund_code')) {
        throw new DomainError('conflict', 'ROUND.CODE_TAKEN', CODE_TAKEN, [{ field: 'code', code: 'ROUND.CODE_TAKEN', message: CODE_TAKEN }]);
      }
      throw error;
    }
  }

  /** Pots of several rounds at once (for lists). */
  async potsOfRounds(roundIds: string[]): Promise<Map<string, PotView[]>> {
    const pots = roundIds.length ? await this.dataSource.getRepository(Pot).find({ where: { roundId: In(roundIds) }, order: { position: 'ASC' } }) : [];
    const views = await this.viewsOf(await this.rounds.withLinks(pots));
    const byRound = new Map<string, PotView[]>(roundIds.map((id) => [id, []]));
    for (const v of views) byRound.get(v.roundId)?.push(v);
    return byRound;
  }
}

const auditOf = (r: Round) => ({
  code: r.code,
  title: r.title,
  description: r.description,
  criteria: r.criteria,
  exclusions: r.exclusions,
  opensAt: r.opensAt,
  closesAt: r.closesAt,
  totalBudgetPence: parsePence(r.totalBudgetPence),
  status: r.status,
});

const auditOfPot = (p: PotView) => ({
  roundId: p.roundId,
  name: p.name,
  minGrantPence: p.minGrantPence,
  maxGrantPence: p.maxGrantPence,
  budgetPence: p.budgetPence,
  districtIds: p.districtIds,
  priorityIds: p.priorityIds,
  wards: p.wards,
  postcodeDistricts: p.postcodeDistricts,
});
