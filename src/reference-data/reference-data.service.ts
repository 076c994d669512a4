import { isUuid } from '../common/ids.js';
import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, fieldError } from '../common/errors.js';
import { isUniqueViolation } from './input.js';
import { District } from './district.entity.js';
import { Outcome } from './outcome.entity.js';
import { Priority } from './priority.entity.js';
import type { CreateDistrictDto, CreateOutcomeDto, CreatePriorityDto, UpdateDistrictDto, UpdateOutcomeDto, UpdatePriorityDto } from './reference-data.dto.js';


export interface OutcomeView {
  id: string;
  code: string;
  name: string;
  position: number;
}
export interface PriorityView {
  id: string;
  code: string;
  name: string;
  active: boolean;
  position: number;
  outcome: OutcomeView;
}
export interface DistrictView {
  id: string;
  gssCode: string;
  name: string;
  active: boolean;
}

export const outcomeView = (o: Outcome): OutcomeView => ({ id: o.id, code: o.code, name: o.name, position: o.position });
export const districtView = (d: District): DistrictView => ({ id: d.id, gssCode: d.gssCode, name: d.name, active: d.active });
export const priorityView = (p: Priority): PriorityView => ({
  id: p.id,
  code: p.code,
  name: p.name,
  active: p.active,
  position: p.position,
  outcome: outcomeView(p.outcome!),
});

const strip = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
const trimName = <T extends { name?: string }>(value: T): T => (typeof value.name === 'string' ? { ...value, name: value.name.trim() } : value);

/**
 * Reference data that administrators maintain and everyone reads: Police and Crime Plan outcomes
 * and the priorities grouped under them, and the districts a funder covers. Every change is audited.
 */
@Injectable()
export class ReferenceDataService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  // ---- reading ----

  async listOutcomes(): Promise<(OutcomeView & { priorities: Omit<PriorityView, 'outcome'>[] })[]> {
    const outcomes = await this.dataSource.getRepository(Outcome).find({ order: { position: 'ASC', name: 'ASC' } });
    const priorities = await this.listPriorities(true);
    return outcomes.map((o) => ({
      ...outcomeView(o),
      priorities: priorities.filter((p) => p.outcome.id === o.id).map(({ outcome: _o, ...p }) => p),
    }));
  }

  async listPriorities(includeInactive = false, manager?: EntityManager): Promise<PriorityView[]> {
    const qb = (manager ?? this.dataSource.manager)
      .getRepository(Priority)
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.outcome', 'o')
      .orderBy('o.position', 'ASC')
      .addOrderBy('o.name', 'ASC')
      .addOrderBy('p.position', 'ASC')
      .addOrderBy('p.name', 'ASC');
    if (!includeInactive) qb.where('p.active = true');
    return (await qb.getMany()).map(priorityView);
  }

  async listDistricts(includeInactive = false, manager?: EntityManager): Promise<DistrictView[]> {
    const rows = await (manager ?? this.dataSource.manager)
      .getRepository(District)
      .find({ where: includeInactive ? {} : { active: true }, order: { name: 'ASC' } });
    return rows.map(districtView);
  }

  async getOutcome(id: string): Promise<OutcomeView> {
    const o = isUuid(id) ? await this.dataSource.getRepository(Outcome).findOne({ where: { id } }) : null;
    if (!o) throw new DomainError('not_found', 'OUTCOME.NOT_FOUND', 'Outcome was not found');
    return outcomeView(o);
  }

  async getPriority(id: string): Promise<PriorityView> {
    const p = isUuid(id) ? await this.dataSource.getRepository(Priority).findOne({ where: { id }, relations: { outcome: true } }) : null;
    if (!p) throw new DomainError('not_found', 'PRIORITY.NOT_FOUND', 'Priority was not found');
    return priorityView(p);
  }

  async getDistrict(id: string): Promise<DistrictView> {
    const d = isUuid(id) ? await this.dataSource.getRepository(District).findOne({ where: { id } }) : null;
    if (!d) throw new DomainError('not_found', 'DISTRICT.NOT_FOUND', 'District was not found');
    return districtView(d);
  }

  /** Districts by id (any that do not exist are simply missing from the answer). */
  async districtsByIds(ids: string[], manager?: EntityManager): Promise<District[]> {
    const valid = ids.filter((id) => isUuid(id));
    if (!valid.length) return [];
    return (manager ?? this.dataSource.manager).find(District, { where: { id: In(valid) }, order: { name: 'ASC' } });
  }

  async prioritiesByIds(ids: string[], manager?: EntityManager): Promise<Priority[]> {
    const valid = ids.filter((id) => isUuid(id));
    if (!valid.length) return [];
    return (manager ?? this.dataSource.manager).find(Priority, { where: { id: In(valid) }, relations: { outcome: true }, order: { position: 'ASC', name: 'ASC' } });
  }

  // ---- changing (administrators) ----

  async createOutcome(actor: Actor, input: CreateOutcomeDto): Promise<OutcomeView> {
    return this.write('OUTCOME.CODE_TAKEN', 'code', 'An outcome with this code already exists', async (m) => {
      const row = await m.save(m.create(Outcome, { code: input.code, name: input.name.trim(), position: input.position ?? 0 }));
      const after = outcomeView(row);
      await this.audit.record(m, actor, { action: 'outcome.created', entityType: 'outcome', entityId: row.id, after: { ...after } });
      return after;
    });
  }

  async updateOutcome(actor: Actor, id: string, input: UpdateOutcomeDto): Promise<OutcomeView> {
    await this.getOutcome(id);
    return this.write('OUTCOME.CODE_TAKEN', 'code', 'An outcome with this code already exists', async (m) => {
      const row = await m.findOneOrFail(Outcome, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const before = outcomeView(row);
      Object.assign(row, strip(trimName(input)));
      const after = outcomeView(await m.save(row));
      await this.audit.record(m, actor, { action: 'outcome.updated', entityType: 'outcome', entityId: id, before: { ...before }, after: { ...after } });
      return after;
    });
  }

  async createPriority(actor: Actor, input: CreatePriorityDto): Promise<PriorityView> {
    return this.write('PRIORITY.CODE_TAKEN', 'code', 'A priority with this code already exists', async (m) => {
      await this.requireOutcome(m, input.outcomeId);
      const row = await m.save(
        m.create(Priority, { code: input.code, name: input.name.trim(), outcomeId: input.outcomeId, position: input.position ?? 0, active: input.active ?? true }),
      );
      const after = priorityView(await m.findOneOrFail(Priority, { where: { id: row.id }, relations: { outcome: true } }));
      await this.audit.record(m, actor, { action: 'priority.created', entityType: 'priority', entityId: row.id, after: flatPriority(after) });
      return after;
    });
  }

  async updatePriority(actor: Actor, id: string, input: UpdatePriorityDto): Promise<PriorityView> {
    await this.getPriority(id);
    return this.write('PRIORITY.CODE_TAKEN', 'code', 'A priority with this code already exists', async (m) => {
      const row = await m.findOneOrFail(Priority, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const before = priorityView(await m.findOneOrFail(Priority, { where: { id }, relations: { outcome: true } }));
      if (input.outcomeId !== undefined) await this.requireOutcome(m, input.outcomeId);
      Object.assign(row, strip(trimName(input)));
      await m.save(row);
      const after = priorityView(await m.findOneOrFail(Priority, { where: { id }, relations: { outcome: true } }));
      await this.audit.record(m, actor, { action: 'priority.updated', entityType: 'priority', entityId: id, before: flatPriority(before), after: flatPriority(after) });
      return after;
    });
  }

  async createDistrict(actor: Actor, input: CreateDistrictDto): Promise<DistrictView> {
    return this.write('DISTRICT.GSS_CODE_TAKEN', 'gssCode', 'A district with this GSS code already exists', async (m) => {
      const row = await m.save(m.create(District, { gssCode: input.gssCode, name: input.name.trim(), active: input.active ?? true }));
      const after = districtView(row);
      await this.audit.record(m, actor, { action: 'district.created', entityType: 'district', entityId: row.id, after: { ...after } });
      return after;
    });
  }

  async updateDistrict(actor: Actor, id: string, input: UpdateDistrictDto): Promise<DistrictView> {
    await this.getDistrict(id);
    return this.write('DISTRICT.GSS_CODE_TAKEN', 'gssCode', 'A district with this GSS code already exists', async (m) => {
      const row = await m.findOneOrFail(District, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const before = districtView(row);
      Object.assign(row, strip(trimName(input)));
      const after = districtView(await m.save(row));
      await this.audit.record(m, actor, { action: 'district.updated', entityType: 'district', entityId: id, before: { ...before }, after: { ...after } });
      return after;
    });
  }

  private async requireOutcome(m: EntityManager, outcomeId: string): Promise<void> {
    if (!(await m.exists(Outcome, { where: { id: outcomeId } }))) {
      throw fieldError('outcomeId', 'PRIORITY.UNKNOWN_OUTCOME', 'Choose an outcome that exists');
    }
  }

  /** One transaction; a duplicate code is a 409 with the field named, not a database error. */
  private async write<T>(code: string, field: string, message: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', code, message, [{ field, code, message }]);
      throw error;
    }
  }
}

const flatPriority = (p: PriorityView) => ({ id: p.id, code: p.code, name: p.name, active: p.active, position: p.position, outcomeId: p.outcome.id });
