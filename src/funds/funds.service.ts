import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';
import { isUniqueViolation } from '../reference-data/input.js';
import type { CreateFundDto, UpdateFundDto } from './funds.dto.js';
import { Fund } from './fund.entity.js';
import { fundView, type FundView } from './round-views.js';
import { isUuid } from '../common/ids.js';

const PREFIX_TAKEN = 'A fund already uses this reference prefix';

/** Funds (grant programmes): grants officers set them up; staff read them. Changes are audited. */
@Injectable()
export class FundsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(page: number, pageSize: number): Promise<{ items: FundView[]; total: number }> {
    const [rows, total] = await this.dataSource.getRepository(Fund).findAndCount({ order: { name: 'ASC' }, skip: (page - 1) * pageSize, take: pageSize });
    return { items: rows.map(fundView), total };
  }

  async all(): Promise<Fund[]> {
    return this.dataSource.getRepository(Fund).find({ order: { name: 'ASC' } });
  }

  async getFund(id: string, manager?: EntityManager): Promise<Fund> {
    const fund = isUuid(id) ? await (manager ?? this.dataSource.manager).findOne(Fund, { where: { id } }) : null;
    if (!fund) throw new DomainError('not_found', 'FUND.NOT_FOUND', 'Fund was not found');
    return fund;
  }

  async create(actor: Actor, input: CreateFundDto): Promise<FundView> {
    return this.write(async (m) => {
      const fund = await m.save(
        m.create(Fund, {
          name: input.name.trim(),
          funderName: input.funderName.trim(),
          funderOrgId: input.funderOrgId ?? null,
          fundingSource: input.fundingSource.trim(),
          description: input.description?.trim() || null,
          referencePrefix: input.referencePrefix,
        }),
      );
      const after = fundView(fund);
      await this.audit.record(m, actor, { action: 'fund.created', entityType: 'fund', entityId: fund.id, after: { ...after } });
      return after;
    });
  }

  async update(actor: Actor, id: string, input: UpdateFundDto): Promise<FundView> {
    await this.getFund(id);
    const errors: FieldError[] = [];
    for (const field of ['name', 'funderName', 'fundingSource', 'referencePrefix'] as const) {
      if (input[field] === null) errors.push({ field, code: 'FIELD.REQUIRED', message: `${field} cannot be emptied` });
    }
    if (errors.length) throw validationFailed(errors);
    return this.write(async (m) => {
      const fund = await m.findOneOrFail(Fund, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const before = fundView(fund);
      if (input.referencePrefix !== undefined && input.referencePrefix !== fund.referencePrefix) {
        const [{ issued }]: { issued: number }[] = await m.query(`SELECT COALESCE(SUM(last_reference_number), 0)::int AS issued FROM rounds WHERE fund_id = $1`, [id]);
        if (issued > 0) {
          throw new DomainError('conflict', 'FUND.PREFIX_IN_USE', 'The reference prefix cannot change once references have been issued', [
            { field: 'referencePrefix', code: 'FUND.PREFIX_IN_USE', message: 'The reference prefix cannot change once references have been issued' },
          ]);
        }
        fund.referencePrefix = input.referencePrefix;
      }
      if (input.name !== undefined) fund.name = input.name!.trim();
      if (input.funderName !== undefined) fund.funderName = input.funderName!.trim();
      if (input.fundingSource !== undefined) fund.fundingSource = input.fundingSource!.trim();
      if (input.funderOrgId !== undefined) fund.funderOrgId = input.funderOrgId ?? null;
      if (input.description !== undefined) fund.description = input.description?.trim() || null;
      const after = fundView(await m.save(fund));
      await this.audit.record(m, actor, { action: 'fund.updated', entityType: 'fund', entityId: id, before: { ...before }, after: { ...after } });
      return after;
    });
  }

  private async write<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_funds_reference_prefix')) {
        throw new DomainError('conflict', 'FUND.PREFIX_TAKEN', PREFIX_TAKEN, [{ field: 'referencePrefix', code: 'FUND.PREFIX_TAKEN', message: PREFIX_TAKEN }]);
      }
      throw error;
    }
  }
}
