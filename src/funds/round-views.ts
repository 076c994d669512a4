import { parsePence } from '../common/money.js';
import type { Fund } from './fund.entity.js';
import type { RoundForm } from './round-form.entity.js';
import type { Round } from './round.entity.js';
import type { PotWithLinks } from './rounds.service.js';

/** How funds, rounds and pots look in the JSON API (money as integer pence). */

export const fundView = (f: Fund) => ({
  id: f.id,
  name: f.name,
  funderName: f.funderName,
  funderOrgId: f.funderOrgId,
  fundingSource: f.fundingSource,
  description: f.description,
  referencePrefix: f.referencePrefix,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
});
export type FundView = ReturnType<typeof fundView>;

export interface NamedRef {
  id: string;
  name: string;
}

export const potView = (
  p: PotWithLinks,
  names: { districts?: Map<string, { name: string; gssCode: string }>; priorities?: Map<string, { name: string; code: string }> } = {},
) => ({
  id: p.id,
  roundId: p.roundId,
  name: p.name,
  description: p.description,
  minGrantPence: parsePence(p.minGrantPence),
  maxGrantPence: parsePence(p.maxGrantPence),
  budgetPence: parsePence(p.budgetPence),
  committedPence: parsePence(p.committedPence),
  districtIds: p.districtIds,
  priorityIds: p.priorityIds,
  districts: p.districtIds.map((id) => ({ id, name: names.districts?.get(id)?.name ?? null, gssCode: names.districts?.get(id)?.gssCode ?? null })),
  priorities: p.priorityIds.map((id) => ({ id, name: names.priorities?.get(id)?.name ?? null, code: names.priorities?.get(id)?.code ?? null })),
  wards: p.wards,
  postcodeDistricts: p.postcodeDistricts,
  position: p.position,
});
export type PotView = ReturnType<typeof potView>;

export const formView = (f: RoundForm) => ({
  id: f.id,
  roundId: f.roundId,
  version: f.version,
  frozenAt: f.frozenAt,
  createdAt: f.createdAt,
  definition: f.definition,
});

export const roundView = (
  r: Round,
  extra: { fund?: Fund; form?: RoundForm | null; allocatedPence?: number; acceptingApplications: boolean },
) => ({
  id: r.id,
  fundId: r.fundId,
  fund: extra.fund ? { id: extra.fund.id, name: extra.fund.name, referencePrefix: extra.fund.referencePrefix } : undefined,
  code: r.code,
  title: r.title,
  description: r.description,
  criteria: r.criteria,
  exclusions: r.exclusions,
  opensAt: new Date(r.opensAt).toISOString(),
  closesAt: new Date(r.closesAt).toISOString(),
  totalBudgetPence: parsePence(r.totalBudgetPence),
  allocatedToPotsPence: extra.allocatedPence,
  status: r.status,
  acceptingApplications: extra.acceptingApplications,
  currentForm: extra.form ? { id: extra.form.id, version: extra.form.version, frozenAt: extra.form.frozenAt } : null,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});
export type RoundView = ReturnType<typeof roundView>;
