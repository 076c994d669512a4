import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { normaliseCharityNumber, normaliseCompanyNumber, validateCharityNumber, validateCompanyNumber } from '../organisations/org-identifiers.js';
import { IMPORT_COLUMNS, type ImportColumn, type ImportTable } from './import-file.js';
import { readDate, readPostcode, readPounds, sameName, splitList } from './import-values.js';
import type { CheckedPastAward, ImportRowError } from './reporting.entities.js';

/**
 * Checks every row of a file of past awards against the fund's data: each value read exactly
 * (import-values.ts), priorities and districts found by code or name, rounds and organisations
 * matched where they exist. Reads other modules' tables (reporting's licence, DESIGN.md); writes nothing.
 */

interface Lookups {
  priorities: Map<string, string>;
  districts: Map<string, string>;
  rounds: Map<string, string>;
  organisations: { id: string; name: string; charity: string | null; company: string | null; postcode: string | null }[];
}

const LIMITS: Partial<Record<ImportColumn, number>> = { round: 100, organisation: 160, project: 300 };

export async function checkPastAwards(m: EntityManager, fundId: string, table: ImportTable): Promise<{ rows: CheckedPastAward[]; errors: ImportRowError[] }> {
  const headerErrors = checkHeader(table.header);
  if (headerErrors.length) return { rows: [], errors: headerErrors };
  if (!table.rows.length) return { rows: [], errors: [{ row: 2, column: null, code: 'IMPORT.NO_ROWS', message: 'The file has no rows of awards under its header' }] };
  const lookups = await loadLookups(m, fundId);
  const at = new Map(IMPORT_COLUMNS.map((c) => [c, table.header.indexOf(c)]));
  const rows: CheckedPastAward[] = [];
  const errors: ImportRowError[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of table.rows) {
    const value = (c: ImportColumn) => (cells[at.get(c)!] ?? '').trim();
    const problems: ImportRowError[] = [];
    const fail = (column: ImportColumn, code: string, message: string) => problems.push({ row, column, code, message });
    for (const [column, max] of Object.entries(LIMITS) as [ImportColumn, number][]) {
      if (!value(column)) fail(column, 'IMPORT.REQUIRED', `Enter the ${column.replace('_', ' ')}`);
      else if (value(column).length > max) fail(column, 'IMPORT.TOO_LONG', `The ${column} must be ${max} characters or fewer`);
    }
    const charity = value('charity_number') ? validateCharityNumber(value('charity_number')) : null;
    if (charity && !charity.ok) fail('charity_number', 'IMPORT.INVALID_CHARITY_NUMBER', charity.message);
    const company = value('company_number') ? validateCompanyNumber(value('company_number')) : null;
    if (company && !company.ok) fail('company_number', 'IMPORT.INVALID_COMPANY_NUMBER', company.message);
    const postcode = value('postcode') ? readPostcode(value('postcode')) : null;
    if (value('postcode') && !postcode) fail('postcode', 'IMPORT.INVALID_POSTCODE', `“${value('postcode')}” is not a UK postcode`);
    const districtId = value('district') ? (lookups.districts.get(sameName(value('district'))) ?? null) : null;
    if (value('district') && !districtId) fail('district', 'IMPORT.UNKNOWN_DISTRICT', `There is no district with the code or name “${value('district')}”`);
    const priorityNames = splitList(value('priorities'));
    const priorityIds: string[] = [];
    if (!priorityNames.length) fail('priorities', 'IMPORT.REQUIRED', 'Enter at least one priority (separate them with ;)');
    for (const name of priorityNames) {
      const id = lookups.priorities.get(sameName(name));
      if (!id) fail('priorities', 'IMPORT.UNKNOWN_PRIORITY', `There is no priority with the code or name “${name}”`);
      else if (!priorityIds.includes(id)) priorityIds.push(id);
    }
    const awarded = readPounds(value('amount_awarded'));
    if (!value('amount_awarded')) fail('amount_awarded', 'IMPORT.REQUIRED', 'Enter the amount awarded, in pounds');
    else if (awarded === null) fail('amount_awarded', 'IMPORT.INVALID_MONEY', `“${value('amount_awarded')}” is not an amount in pounds, like £6,123.00 or 6123`);
    else if (awarded === 0) fail('amount_awarded', 'IMPORT.INVALID_MONEY', 'The amount awarded must be more than £0');
    const paid = value('amount_paid') ? readPounds(value('amount_paid')) : null;
    if (value('amount_paid') && paid === null) fail('amount_paid', 'IMPORT.INVALID_MONEY', `“${value('amount_paid')}” is not an amount in pounds, like £6,123.00 or 6123`);
    else if (paid !== null && awarded && paid > awarded) fail('amount_paid', 'IMPORT.PAID_MORE_THAN_AWARDED', 'The amount paid must not be more than the amount awarded');
    const decisionDate = readDate(value('decision_date'));
    if (!value('decision_date')) fail('decision_date', 'IMPORT.REQUIRED', 'Enter the decision date');
    else if (!decisionDate) fail('decision_date', 'IMPORT.INVALID_DATE', `“${value('decision_date')}” is not a real date written as 2017-11-03 or 03/11/2017`);
    if (problems.length) {
      errors.push(...problems);
      continue;
    }
    const charityNumber = charity?.ok ? normaliseCharityNumber(charity.value) : null;
    const companyNumber = company?.ok ? normaliseCompanyNumber(company.value) : null;
    const organisationName = value('organisation');
    const organisationId = matchOrganisation(lookups, { name: organisationName, charity: charityNumber, company: companyNumber, postcode });
    const organisationKey = organisationId
      ? `org:${organisationId}`
      : charityNumber
        ? `chc:${charityNumber}`
        : companyNumber
          ? `coh:${companyNumber}`
          : `name:${sameName(organisationName)}|${postcode ?? ''}`.slice(0, 200);
    const checked: Omit<CheckedPastAward, 'rowHash'> = {
      row,
      roundLabel: value('round'),
      roundId: lookups.rounds.get(sameName(value('round'))) ?? null,
      organisationName,
      charityNumber,
      companyNumber,
      postcode,
      organisationId,
      organisationKey,
      districtId,
      project: value('project'),
      priorityIds,
      amountAwardedPence: awarded!,
      decisionDate: decisionDate!,
      amountPaidPence: paid,
    };
    const rowHash = hashOf(fundId, checked);
    const first = seen.get(rowHash);
    if (first !== undefined) {
      errors.push({ row, column: null, code: 'IMPORT.DUPLICATE_ROW', message: `Row ${row} is the same award as row ${first}: remove one of them` });
      continue;
    }
    seen.set(rowHash, row);
    rows.push({ ...checked, rowHash });
  }
  return { rows, errors };
}

function checkHeader(header: string[]): ImportRowError[] {
  const errors: ImportRowError[] = [];
  for (const column of IMPORT_COLUMNS) {
    const count = header.filter((h) => h === column).length;
    if (count === 0) errors.push({ row: 1, column, code: 'IMPORT.MISSING_COLUMN', message: `The file has no “${column}” column` });
    if (count > 1) errors.push({ row: 1, column, code: 'IMPORT.REPEATED_COLUMN', message: `The file has more than one “${column}” column` });
  }
  for (const h of new Set(header)) {
    if (!(IMPORT_COLUMNS as readonly string[]).includes(h) && h !== '') {
      errors.push({ row: 1, column: h.slice(0, 100), code: 'IMPORT.UNKNOWN_COLUMN', message: `“${h.slice(0, 100)}” is not a column of past awards (the columns are ${IMPORT_COLUMNS.join(', ')})` });
    }
  }
  return errors;
}

/** The row's content, normalised: what makes it the same award again. */
function hashOf(fundId: string, r: Omit<CheckedPastAward, 'rowHash'>): string {
  const content = [
    fundId,
    sameName(r.roundLabel),
    sameName(r.organisationName),
    r.charityNumber,
    r.companyNumber,
    r.postcode,
    r.districtId,
    sameName(r.project),
    [...r.priorityIds].sort(),
    r.amountAwardedPence,
    r.decisionDate,
    r.amountPaidPence,
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

function matchOrganisation(l: Lookups, o: { name: string; charity: string | null; company: string | null; postcode: string | null }): string | null {
  const byCharity = o.charity ? l.organisations.find((x) => x.charity === o.charity) : undefined;
  if (byCharity) return byCharity.id;
  const byCompany = o.company ? l.organisations.find((x) => x.company === o.company) : undefined;
  if (byCompany) return byCompany.id;
  const name = sameName(o.name);
  const byName = o.postcode ? l.organisations.find((x) => sameName(x.name) === name && x.postcode === o.postcode) : undefined;
  return byName?.id ?? null;
}

async function loadLookups(m: EntityManager, fundId: string): Promise<Lookups> {
  const priorities: { id: string; code: string; name: string }[] = await m.query(`SELECT id, code, name FROM priorities`);
  const districts: { id: string; gss_code: string; name: string }[] = await m.query(`SELECT id, gss_code, name FROM districts`);
  const rounds: { id: string; code: string; title: string }[] = await m.query(`SELECT id, code, title FROM rounds WHERE fund_id = $1`, [fundId]);
  const organisations: { id: string; name: string; charity_number: string | null; company_number: string | null; postcode: string }[] = await m.query(
    `SELECT id, name, charity_number, company_number, postcode FROM organisations ORDER BY created_at, id`,
  );
  const byCodeOrName = <T extends { id: string }>(items: T[], ...keys: ((item: T) => string)[]) => {
    const map = new Map<string, string>();
    for (const key of keys) for (const item of items) if (!map.has(sameName(key(item)))) map.set(sameName(key(item)), item.id);
    return map;
  };
  return {
    priorities: byCodeOrName(priorities, (p) => p.code, (p) => p.name),
    districts: byCodeOrName(districts, (d) => d.gss_code, (d) => d.name),
    rounds: byCodeOrName(rounds, (r) => r.code, (r) => r.title),
    organisations: organisations.map((o) => ({
      id: o.id,
      name: o.name,
      charity: o.charity_number ? normaliseCharityNumber(o.charity_number) : null,
      company: o.company_number ? normaliseCompanyNumber(o.company_number) : null,
      postcode: readPostcode(o.postcode ?? ''),
    })),
  };
}
