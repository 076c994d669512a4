import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { parsePence } from '../common/money.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { checkBody, FieldProblems } from './field-problems.js';
import { CreatePotDto, UpdatePotDto } from './funds.dto.js';
import { Pot, PotDistrict, PotPriority } from './pot.entity.js';
import { isRoundEditable } from './round-lifecycle.js';
import { RoundReader, roundNotFound } from './round-reader.service.js';
import type { PotView } from './round-views.js';
import { Round, type RoundStatus } from './round.entity.js';
import { RoundsService, type PotWithLinks } from './rounds.service.js';

/** A postcode district (outward code): LS9, BD3, WF10, M1, EC1A. */
export const OUTWARD_CODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

/** The pot's fields in the order its form shows them (errors are listed in this order). */
export const POT_FIELD_ORDER = ['name', 'description', 'minGrantPence', 'maxGrantPence', 'budgetPence', 'districtIds', 'wards', 'postcodeDistricts', 'priorityIds', 'position'];

const NO_ID = '00000000-0000-0000-0000-000000000000';
const text = (value: string | null | undefined) => (typeof value === 'string' ? value.trim() || null : null);

export const roundNotEditable = (status: RoundStatus, what: string) =>
  new DomainError('conflict', 'ROUND.NOT_EDITABLE', `The round is ${status}: ${what} can only change while it is a draft`, [], { roundStatus: status });

/** A new pot's problems, for a page that has already found some of its own. */
export const potProblems = () => new FieldProblems(POT_FIELD_ORDER);

/**
 * A round's pots while it is a draft: their limits (min <= max <= budget), budgets within the round
 * total, districts and priorities from the reference data. Every problem with a pot is reported at
 * once, in form order; every change is audited in its transaction.
 */
@Injectable()
export class PotSetupService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly rounds: RoundsService,
    private readonly reader: RoundReader,
    private readonly referenceData: ReferenceDataService,
  ) {}

  /** Adds a pot. `body` is checked here against CreatePotDto (the API's pipe) with every rule. */
  async createPot(actor: Actor, roundId: string, body: unknown, problems = potProblems()): Promise<PotView> {
    const input = await checkBody(CreatePotDto, body, problems);
    return this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, roundId);
      if (!isRoundEditable(round.status)) throw roundNotEditable(round.status, 'pots');
      const clean = await this.checkPot(m, round, input, null, problems);
      const [{ position }]: { position: number }[] = await m.query(`SELECT COALESCE(MAX(position) + 1, 0)::int AS position FROM pots WHERE round_id = $1`, [round.id]);
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
      const [view] = await this.reader.potViewsOf(await this.rounds.withLinks([pot], m), m);
      await this.audit.record(m, actor, { action: 'pot.created', entityType: 'pot', entityId: pot.id, after: auditOfPot(view) });
      return view;
    });
  }

  /** Changes a pot; fields left out keep their values, and the whole result is checked again. */
  async updatePot(actor: Actor, potId: string, body: unknown, problems = potProblems()): Promise<PotView> {
    const existing = await this.rounds.getPot(potId);
    const input = await checkBody(UpdatePotDto, body, problems);
    for (const field of ['name', 'minGrantPence', 'maxGrantPence', 'budgetPence', 'districtIds', 'priorityIds'] as const) {
      if (input[field] === null && problems.sound(field)) problems.add({ field, code: 'FIELD.REQUIRED', message: `${field} cannot be emptied` });
    }
    return this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, existing.roundId);
      if (!isRoundEditable(round.status)) throw roundNotEditable(round.status, 'pots');
      const pot = await this.rounds.getPot(potId, m);
      const [before] = await this.reader.potViewsOf([pot], m);
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
      const clean = await this.checkPot(m, round, merged, pot, problems);
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
      const [after] = await this.reader.potViewsOf([await this.rounds.getPot(pot.id, m)], m);
      await this.audit.record(m, actor, { action: 'pot.updated', entityType: 'pot', entityId: pot.id, before: auditOfPot(before), after: auditOfPot(after) });
      return after;
    });
  }

  async deletePot(actor: Actor, potId: string): Promise<void> {
    const existing = await this.rounds.getPot(potId);
    await this.dataSource.transaction(async (m) => {
      const round = await this.lockRound(m, existing.roundId);
      if (!isRoundEditable(round.status)) throw roundNotEditable(round.status, 'pots');
      const pot = await this.rounds.getPot(potId, m);
      const [before] = await this.reader.potViewsOf([pot], m);
      await m.delete(Pot, { id: pot.id });
      await this.audit.record(m, actor, { action: 'pot.deleted', entityType: 'pot', entityId: pot.id, before: auditOfPot(before) });
    });
  }

  /** What the pots of a round add up to, leaving one out (the one being changed). */
  async allocated(m: EntityManager, roundId: string, exceptPotId?: string): Promise<number> {
    const [{ total }]: { total: string }[] = await m.query(`SELECT COALESCE(SUM(budget_pence), 0)::text AS total FROM pots WHERE round_id = $1 AND id <> $2`, [roundId, exceptPotId ?? NO_ID]);
    return parsePence(total);
  }

  /**
   * Checks a pot against its round and the reference data, each rule only on fields that are
   * still sound, then refuses with every problem found (the DTO's and the page's included).
   * Returns the pot cleaned (trimmed, deduplicated, upper-cased).
   */
  private async checkPot(m: EntityManager, round: Round, input: CreatePotDto, existing: PotWithLinks | null, problems: FieldProblems) {
    const ok = (...fields: string[]) => problems.sound(...fields);
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (ok('name') && name) {
      const [{ taken }]: { taken: number }[] = await m.query(`SELECT count(*)::int AS taken FROM pots WHERE round_id = $1 AND lower(name) = lower($2) AND id <> $3`, [
        round.id,
        name,
        existing?.id ?? NO_ID,
      ]);
      if (taken) problems.add({ field: 'name', code: 'POT.NAME_TAKEN', message: 'The round already has a pot with this name' });
    }
    if (ok('minGrantPence', 'maxGrantPence') && input.minGrantPence > input.maxGrantPence) {
      problems.add({ field: 'minGrantPence', code: 'POT.MIN_OVER_MAX', message: 'The smallest grant must not be more than the largest grant' });
    }
    if (ok('maxGrantPence', 'budgetPence') && input.maxGrantPence > input.budgetPence) {
      problems.add({ field: 'maxGrantPence', code: 'POT.MAX_OVER_BUDGET', message: 'The largest grant must not be more than the pot’s budget' });
    }
    if (ok('budgetPence') && (await this.allocated(m, round.id, existing?.id)) + input.budgetPence > parsePence(round.totalBudgetPence)) {
      problems.add({ field: 'budgetPence', code: 'POT.BUDGETS_OVER_ROUND_TOTAL', message: 'The pots’ budgets added together must not be more than the round’s total budget' });
    }
    const districtIds = ok('districtIds') ? [...new Set(input.districtIds)] : [];
    if (ok('districtIds')) {
      const districts = await this.referenceData.districtsByIds(districtIds, m);
      const kept = new Set(existing?.districtIds ?? []);
      if (districts.length !== districtIds.length || districts.some((d) => !d.active && !kept.has(d.id))) {
        problems.add({ field: 'districtIds', code: 'POT.UNKNOWN_DISTRICT', message: 'Choose districts from the list of active districts' });
      }
    }
    const priorityIds = ok('priorityIds') ? [...new Set(input.priorityIds)] : [];
    if (ok('priorityIds')) {
      const priorities = await this.referenceData.prioritiesByIds(priorityIds, m);
      const kept = new Set(existing?.priorityIds ?? []);
      if (priorities.length !== priorityIds.length || priorities.some((p) => !p.active && !kept.has(p.id))) {
        problems.add({ field: 'priorityIds', code: 'POT.UNKNOWN_PRIORITY', message: 'Choose priorities from the list of active priorities' });
      }
    }
    const postcodeDistricts = ok('postcodeDistricts') ? [...new Set((input.postcodeDistricts ?? []).map((p) => p.trim().toUpperCase().replace(/\s+/g, '')).filter(Boolean))] : [];
    const badPostcode = postcodeDistricts.find((p) => !OUTWARD_CODE.test(p));
    if (badPostcode) {
      problems.add({ field: 'postcodeDistricts', code: 'POT.POSTCODE_DISTRICT_INVALID', message: `“${badPostcode}” is not a postcode district (the first half of a postcode, such as LS9)` });
    }
    problems.throwIfAny(problems.errors.length === 1 ? undefined : 'The pot has errors');
    return {
      name,
      description: text(input.description),
      minGrantPence: input.minGrantPence,
      maxGrantPence: input.maxGrantPence,
      budgetPence: input.budgetPence,
      districtIds,
      priorityIds,
      wards: [...new Set((input.wards ?? []).map((w) => w.trim()).filter(Boolean))],
      postcodeDistricts,
    };
  }

  private async link(m: EntityManager, potId: string, districtIds: string[], priorityIds: string[]): Promise<void> {
    if (districtIds.length) await m.insert(PotDistrict, districtIds.map((districtId) => ({ potId, districtId })));
    if (priorityIds.length) await m.insert(PotPriority, priorityIds.map((priorityId) => ({ potId, priorityId })));
  }

  private async lockRound(m: EntityManager, id: string): Promise<Round> {
    const round = isUuid(id) ? await m.findOne(Round, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!round) throw roundNotFound();
    return round;
  }
}

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
