import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';

export interface ReportFund {
  id: string;
  name: string;
}

/**
 * The fund a report or an import is about: the one named, or, when none is named, the only fund
 * there is (a funder with several names one: 422 REPORT.FUND_REQUIRED). Unknown ids are 404.
 */
export async function resolveFund(m: EntityManager, fundId: string | undefined | null): Promise<ReportFund> {
  if (fundId) {
    const rows: ReportFund[] = isUuid(fundId) ? await m.query(`SELECT id, name FROM funds WHERE id = $1`, [fundId]) : [];
    if (!rows.length) throw new DomainError('not_found', 'FUND.NOT_FOUND', 'Fund was not found');
    return rows[0];
  }
  const funds: ReportFund[] = await m.query(`SELECT id, name FROM funds ORDER BY created_at LIMIT 2`);
  if (funds.length === 1) return funds[0];
  if (!funds.length) throw new DomainError('conflict', 'REPORT.NO_FUND', 'There is no fund yet: set one up first');
  throw new DomainError('validation', 'REPORT.FUND_REQUIRED', 'Choose the fund', [{ field: 'fundId', code: 'REPORT.FUND_REQUIRED', message: 'Choose the fund' }]);
}

export async function listFunds(m: EntityManager): Promise<ReportFund[]> {
  return m.query(`SELECT id, name FROM funds ORDER BY name, id`);
}
