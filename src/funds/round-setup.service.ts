import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock, transactionTime } from '../common/clock.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { parsePence } from '../common/money.js';
import { isUniqueViolation } from '../reference-data/input.js';
import { EligibilityQuestion } from './eligibility-question.entity.js';
import { checkBody, FieldProblems } from './field-problems.js';
import { parseFormDefinition } from '../forms/form-definition.js';
import { CreateRoundDto, UpdateRoundDto, type EligibilityQuestionDto } from './funds.dto.js';
import { FundsService } from './funds.service.js';
import { parseRoundDateTime } from './london-time.js';
import { PotSetupService, roundNotEditable } from './pot-setup.service.js';
import { RoundForm } from './round-form.entity.js';
import { changeableRoundFields, isRoundEditable, isRoundFormEditable, ROUND_FIELDS, roundCan, type RoundField } from './round-lifecycle.js';
import { RoundLifecycleService } from './round-lifecycle.service.js';
import { RoundReader, roundNotFound } from './round-reader.service.js';
import { formView, type RoundView } from './round-views.js';
import { Round } from './round.entity.js';

/** The round form's fields top to bottom (the fund first, on the page); errors are listed in this order. */
export const ROUND_FORM_ORDER = ['fundId', ...ROUND_FIELDS, 'version'];
/** A round's problems, for a page that has already found some of its own. */
export const roundProblems = () => new FieldProblems(ROUND_FORM_ORDER);

const CODE_TAKEN = 'This fund already has a round with this code';
const DATE_EXAMPLE = { opensAt: '2027-01-10T09:00', closesAt: '2027-03-05T17:00' };
const text = (value: string | null | undefined) => (typeof value === 'string' ? value.trim() || null : null);

/**
 * Setting up a call: rounds with their dates and budget, eligibility questions and the application
 * form as data (pots: PotSetupService). Rules live here and in the lifecycle table; every problem
 * with a round's fields is reported at once; every change is audited in its transaction.
 */
@Injectable()
export class RoundSetupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly reader: RoundReader,
    private readonly lifecycle: RoundLifecycleService,
    private readonly funds: FundsService,
    private readonly pots: PotSetupService,
    private readonly clock: Clock,
  ) {}

  // ================= rounds =================

  /**
   * Sets up a draft round in a fund. `body` is checked here against CreateRoundDto (the API's
   * pipe) together with the date rules. `fundId` null: the caller (a page) has already reported
   * the fund as a problem and wants the rest of the round's problems with it.
   */
  async createRound(actor: Actor, fundId: string | null, body: unknown, problems = roundProblems()): Promise<RoundView> {
    const input = await checkBody(CreateRoundDto, body, problems);
    const opensAt = this.dateOf(input.opensAt, 'opensAt', problems);
    const closesAt = this.dateOf(input.closesAt, 'closesAt', problems);
    if (opensAt && closesAt && closesAt.getTime() <= opensAt.getTime()) {
      problems.add({ field: 'closesAt', code: 'ROUND.CLOSES_BEFORE_OPENS', message: 'The closing date must be after the opening date' });
    } else if (closesAt && closesAt.getTime() <= this.clock.now().getTime()) {
      problems.add({ field: 'closesAt', code: 'ROUND.CLOSES_IN_PAST', message: 'The closing date must be in the future' });
    }
    problems.throwIfAny();
    const fund = await this.funds.getFund(fundId ?? '');
    const round = await this.writeRound(async (m) => {
      const created = await m.save(
        m.create(Round, {
          fundId: fund.id,
          code: input.code,
          title: input.title.trim(),
          description: text(input.description),
          criteria: text(input.criteria),
          exclusions: text(input.exclusions),
          opensAt: opensAt!,
          closesAt: closesAt!,
          totalBudgetPence: String(input.totalBudgetPence),
          status: 'draft',
        }),
      );
      await this.audit.record(m, actor, { action: 'round.created', entityType: 'round', entityId: created.id, after: auditOf(created) });
      await this.lifecycle.scheduleJobs(m, created, { open: true, close: true });
      return created;
    });
    return this.reader.view(round);
  }

  /**
   * Changes a round: anything while a draft; afterwards only what the lifecycle table lets change
   * in its status (409 ROUND.FIELD_LOCKED otherwise). Every other problem is reported at once.
   */
  async updateRound(actor: Actor, id: string, body: unknown, problems = roundProblems()): Promise<RoundView> {
    const input = await checkBody(UpdateRoundDto, body, problems);
    for (const field of ['code', 'title', 'opensAt', 'closesAt', 'totalBudgetPence'] as const) {
      if (input[field] === null && problems.sound(field)) problems.add({ field, code: 'FIELD.REQUIRED', message: `${field} cannot be emptied` });
    }
    const given = (field: RoundField) => input[field] !== undefined && input[field] !== null && problems.sound(field);
    const opensAt = given('opensAt') ? this.dateOf(input.opensAt, 'opensAt', problems) : null;
    const closesAt = given('closesAt') ? this.dateOf(input.closesAt, 'closesAt', problems) : null;
    const round = await this.writeRound(async (m) => {
      const current = await this.lockRound(m, id);
      if (input.version !== undefined && problems.sound('version') && input.version !== current.version) {
        throw new DomainError('conflict', 'ROUND.VERSION_CONFLICT', 'The round has changed since you read it', [], { currentVersion: current.version });
      }
      const next = {
        code: given('code') ? input.code! : current.code,
        title: given('title') ? input.title!.trim() : current.title,
        description: input.description !== undefined && problems.sound('description') ? text(input.description) : current.description,
        criteria: input.criteria !== undefined && problems.sound('criteria') ? text(input.criteria) : current.criteria,
        exclusions: input.exclusions !== undefined && problems.sound('exclusions') ? text(input.exclusions) : current.exclusions,
        opensAt: opensAt ?? current.opensAt,
        closesAt: closesAt ?? current.closesAt,
        totalBudgetPence: given('totalBudgetPence') ? String(input.totalBudgetPence) : current.totalBudgetPence,
      };
      const changed = ROUND_FIELDS.filter((k) =>
        next[k] instanceof Date ? new Date(next[k]).getTime() !== new Date(current[k] as Date).getTime() : String(next[k] ?? '') !== String(current[k] ?? ''),
      );
      const allowed = changeableRoundFields(current.status);
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
      if (changed.includes('opensAt') || changed.includes('closesAt')) {
        if (next.closesAt.getTime() <= next.opensAt.getTime()) {
          problems.add({ field: 'closesAt', code: 'ROUND.CLOSES_BEFORE_OPENS', message: 'The closing date must be after the opening date' });
        }
        if (changed.includes('closesAt') && next.closesAt.getTime() <= this.clock.now().getTime()) {
          problems.add({ field: 'closesAt', code: 'ROUND.CLOSES_IN_PAST', message: 'The closing date must be in the future' });
        }
        if (changed.includes('closesAt') && !isRoundEditable(current.status) && next.closesAt.getTime() < new Date(current.closesAt).getTime()) {
          problems.add({ field: 'closesAt', code: 'ROUND.CLOSING_DATE_NOT_EXTENDED', message: 'Once a round is scheduled or open its closing date can only be made later' });
        }
      }
      if (changed.includes('totalBudgetPence') && Number(next.totalBudgetPence) < (await this.pots.allocated(m, current.id))) {
        problems.add({ field: 'totalBudgetPence', code: 'ROUND.TOTAL_BELOW_POTS', message: 'The total budget cannot be less than the pots’ budgets added together' });
      }
      problems.throwIfAny();
      if (changed.length === 0) return current;

      const before = auditOf(current);
      Object.assign(current, next);
      current.version += 1;
      const saved = await m.save(current);
      await this.audit.record(m, actor, { action: 'round.updated', entityType: 'round', entityId: id, before, after: auditOf(saved) });
      await this.lifecycle.scheduleJobs(m, saved, { open: changed.includes('opensAt'), close: changed.includes('closesAt') });
      return saved;
    });
    return this.reader.view(round);
  }

  // ================= eligibility and form =================

  async replaceEligibilityQuestions(actor: Actor, roundId: string, questions: EligibilityQuestionDto[]) {
    await this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, roundId);
      if (!isRoundEditable(round.status)) throw roundNotEditable(round.status, 'eligibility questions');
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
    return this.reader.eligibilityQuestions(roundId, { canSeeDrafts: true });
  }

  /**
   * Saves the form. While the round is a draft this replaces the current (unfrozen) version. Once it
   * takes applications, the current version is frozen: the change becomes a new version (frozen at
   * once, since applications may start on it) and applications keep the version they started on.
   */
  async saveForm(actor: Actor, roundId: string, body: unknown) {
    const definition = parseFormDefinition(body);
    const saved = await this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, roundId);
      if (!isRoundFormEditable(round.status)) {
        throw new DomainError('conflict', 'ROUND.NOT_EDITABLE', `The round is ${round.status}: its form can change while it is a draft or open`, [], { roundStatus: round.status });
      }
      const current = round.currentFormId ? await m.findOne(RoundForm, { where: { id: round.currentFormId } }) : null;
      let form: RoundForm;
      if (current && !current.frozenAt) {
        await m.update(RoundForm, current.id, { definition });
        form = await m.findOneOrFail(RoundForm, { where: { id: current.id } });
      } else {
        const [{ next }]: { next: number }[] = await m.query(`SELECT COALESCE(MAX(version), 0) + 1 AS next FROM round_forms WHERE round_id = $1`, [round.id]);
        // Frozen at the transaction's time, as opening a round freezes its form (database now()).
        const now = await transactionTime(m);
        const frozenAt = roundCan(round.status).acceptsApplications ? now : null;
        form = await m.save(m.create(RoundForm, { roundId: round.id, version: Number(next), definition, frozenAt }));
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
    if (!round) throw roundNotFound();
    return round;
  }

  /** The instant of a date field the DTO found sound, or null (with the problem added). */
  private dateOf(value: string | null | undefined, field: 'opensAt' | 'closesAt', problems: FieldProblems): Date | null {
    if (!problems.sound(field) || typeof value !== 'string') return null;
    const date = parseRoundDateTime(value);
    if (!date) {
      const what = field === 'opensAt' ? 'The opening' : 'The closing';
      problems.add({ field, code: 'ROUND.INVALID_DATE', message: `${what} date must be a real date and time, such as ${DATE_EXAMPLE[field]}` });
    }
    return date;
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
