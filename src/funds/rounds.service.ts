import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DomainError } from '../common/errors.js';
import type { EligibilityQuestionDefinition, FormVersion } from '../forms/form.types.js';
import { EligibilityQuestion } from './eligibility-question.entity.js';
import { Fund } from './fund.entity.js';
import { Pot, PotDistrict, PotPriority } from './pot.entity.js';
import { isOpenForApplications, isRoundPublic } from './round-lifecycle.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { RoundForm } from './round-form.entity.js';
import { Round, ROUND_STATUSES } from './round.entity.js';

import { isUuid } from '../common/ids.js';

/** What a bid is checked against: a pot's bounds (pence), postcode districts and the ids it funds. */
export interface PotScopeView {
  id: string;
  roundId: string;
  name: string;
  minGrantPence: number;
  maxGrantPence: number;
  postcodeDistricts: string[];
  districtIds: string[];
  priorityIds: string[];
}

/** A pot with the ids of the districts and priorities it funds. */
export type PotWithLinks = Pot & { districtIds: string[]; priorityIds: string[] };

/** A stored form version as the plain shape other modules read (no TypeORM relation on it). */
const formVersion = (f: RoundForm | null): FormVersion | null =>
  f && { id: f.id, roundId: f.roundId, version: f.version, definition: f.definition, frozenAt: f.frozenAt, createdAt: f.createdAt };

/** The reference an application gets on submission, e.g. SCF-R17-0042. */
export function formatReference(prefix: string, roundCode: string, n: number): string {
  return `${prefix}-${roundCode}-${String(n).padStart(4, '0')}`;
}

/**
 * Reading rounds for other domains (applications, assessment): the round, its pots, its current
 * form and eligibility questions, whether it takes applications, and the next reference number.
 * Every method takes an optional EntityManager so it can run inside the caller's transaction.
 */
@Injectable()
export class RoundsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly referenceData: ReferenceDataService,
  ) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** The round, or null when there is none with that id. */
  async findRound(id: string, manager?: EntityManager): Promise<Round | null> {
    if (!isUuid(id)) return null;
    return this.m(manager).findOne(Round, { where: { id } });
  }

  /** The round if the public may see it (the lifecycle table says which statuses), or null. */
  async findPublicRound(id: string, manager?: EntityManager): Promise<Round | null> {
    const round = await this.findRound(id, manager);
    return round && isRoundPublic(round.status) ? round : null;
  }

  /** The round; 404 ROUND.NOT_FOUND when there is none. */
  async getRound(id: string, manager?: EntityManager): Promise<Round> {
    const round = await this.findRound(id, manager);
    if (!round) throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
    return round;
  }

  /** The fund a round belongs to. */
  async getFundOfRound(round: Round, manager?: EntityManager): Promise<Fund> {
    return this.m(manager).findOneOrFail(Fund, { where: { id: round.fundId } });
  }

  /** The pot with its district and priority ids; 404 POT.NOT_FOUND when there is none. */
  async getPot(id: string, manager?: EntityManager): Promise<PotWithLinks> {
    const pot = isUuid(id) ? await this.m(manager).findOne(Pot, { where: { id } }) : null;
    if (!pot) throw new DomainError('not_found', 'POT.NOT_FOUND', 'Pot was not found');
    const [withLinks] = await this.withLinks([pot], manager);
    return withLinks;
  }

  /** The pots of a round in their order, each with district and priority ids. */
  async listPots(roundId: string, manager?: EntityManager): Promise<PotWithLinks[]> {
    if (!isUuid(roundId)) return [];
    const pots = await this.m(manager).find(Pot, { where: { roundId }, order: { position: 'ASC', createdAt: 'ASC' } });
    return this.withLinks(pots, manager);
  }

  /**
   * The pots with the ids of their districts (by name) and priorities (in the Police and Crime
   * Plan's order), asking the reference-data module for the order rather than joining its tables.
   */
  async withLinks(pots: Pot[], manager?: EntityManager): Promise<PotWithLinks[]> {
    if (pots.length === 0) return [];
    const ids = pots.map((p) => p.id);
    const m = this.m(manager);
    const [districtLinks, priorityLinks] = await Promise.all([
      m.find(PotDistrict, { where: { potId: In(ids) } }),
      m.find(PotPriority, { where: { potId: In(ids) } }),
    ]);
    const [districts, priorities] = await Promise.all([
      this.referenceData.districtsByIds([...new Set(districtLinks.map((l) => l.districtId))], manager),
      this.referenceData.prioritiesByIds([...new Set(priorityLinks.map((l) => l.priorityId))], manager),
    ]);
    const districtRank = new Map(districts.map((d, i) => [d.id, i]));
    const priorityRank = new Map(
      [...priorities]
        .sort((a, b) => (a.outcome?.position ?? 0) - (b.outcome?.position ?? 0) || a.position - b.position || a.name.localeCompare(b.name))
        .map((p, i) => [p.id, i]),
    );
    const ordered = <T>(links: T[], id: (l: T) => string, rank: Map<string, number>) =>
      links.filter((l) => rank.has(id(l))).sort((a, b) => rank.get(id(a))! - rank.get(id(b))!).map(id);
    return pots.map((pot) =>
      Object.assign(pot, {
        districtIds: ordered(districtLinks.filter((l) => l.potId === pot.id), (l) => l.districtId, districtRank),
        priorityIds: ordered(priorityLinks.filter((l) => l.potId === pot.id), (l) => l.priorityId, priorityRank),
      }),
    );
  }

  /** The form version new applications use (null when the round has no form yet). */
  async getCurrentForm(roundId: string, manager?: EntityManager): Promise<FormVersion | null> {
    const round = await this.findRound(roundId, manager);
    if (!round?.currentFormId) return null;
    return formVersion(await this.m(manager).findOne(RoundForm, { where: { id: round.currentFormId } }));
  }

  /** A form version by id (applications keep the version they started on). */
  async getForm(formId: string, manager?: EntityManager): Promise<FormVersion | null> {
    if (!isUuid(formId)) return null;
    return formVersion(await this.m(manager).findOne(RoundForm, { where: { id: formId } }));
  }

  /** The round's eligibility questions in order, as plain definitions. */
  async getEligibilityQuestions(roundId: string, manager?: EntityManager): Promise<EligibilityQuestionDefinition[]> {
    if (!isUuid(roundId)) return [];
    const rows = await this.m(manager).find(EligibilityQuestion, { where: { roundId }, order: { position: 'ASC' } });
    return rows.map(({ id, roundId: ofRound, position, question, hint, passingAnswer, failureMessage }) => ({ id, roundId: ofRound, position, question, hint, passingAnswer, failureMessage }));
  }

  /**
   * A round takes applications while its status does and its closing time has not passed, at
   * `now`: the caller's transaction time (database now()) or the injected Clock, never a default.
   */
  isAcceptingApplications(round: Pick<Round, 'status' | 'closesAt'>, now: Date): boolean {
    return isOpenForApplications(round, now);
  }

  /**
   * The next application reference of a round, e.g. SCF-R17-0042. Atomic: one UPDATE ... RETURNING
   * increments the round's counter, so concurrent submissions never share a number. Call it inside
   * the submitting transaction (a rollback gives the number back).
   */
  async nextReference(manager: EntityManager, roundId: string): Promise<string> {
    const rows: { n: number; code: string; prefix: string }[] = await manager
      .query(
        `UPDATE rounds r SET last_reference_number = r.last_reference_number + 1
           FROM funds f
          WHERE r.id = $1 AND f.id = r.fund_id
         RETURNING r.last_reference_number AS n, r.code, f.reference_prefix AS prefix`,
        [roundId],
      )
      .then((result: [typeof rows, number] | typeof rows) => (Array.isArray(result[0]) ? (result[0] as typeof rows) : (result as typeof rows)));
    const row = rows[0];
    if (!row) throw new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
    return formatReference(row.prefix, row.code, Number(row.n));
  }

  /** A pot's scope in one query (a bid's every save checks against it); null when there is none. */
  async potScope(potId: string, manager?: EntityManager): Promise<PotScopeView | null> {
    if (!isUuid(potId)) return null;
    const [row]: { id: string; round_id: string; name: string; min: string; max: string; postcodes: string[] | null; districts: string[]; priorities: string[] }[] =
      await this.m(manager).query(
        `SELECT p.id, p.round_id, p.name, p.min_grant_pence AS min, p.max_grant_pence AS max, p.postcode_districts AS postcodes,
                ARRAY(SELECT district_id FROM pot_districts WHERE pot_id = p.id) AS districts,
                ARRAY(SELECT priority_id FROM pot_priorities WHERE pot_id = p.id) AS priorities
           FROM pots p WHERE p.id = $1`,
        [potId],
      );
    if (!row) return null;
    return {
      id: row.id,
      roundId: row.round_id,
      name: row.name,
      minGrantPence: Number(row.min),
      maxGrantPence: Number(row.max),
      postcodeDistricts: row.postcodes ?? [],
      districtIds: row.districts,
      priorityIds: row.priorities,
    };
  }

  /** Rounds by id (ids that match none are left out). */
  async roundsByIds(ids: string[], manager?: EntityManager): Promise<Round[]> {
    const valid = [...new Set(ids.filter((id) => isUuid(id)))];
    return valid.length ? this.m(manager).find(Round, { where: { id: In(valid) } }) : [];
  }

  /** A fund's rounds, oldest first (one query; finance's reconciliation per fund). */
  async roundsOfFund(fundId: string, manager?: EntityManager): Promise<Round[]> {
    return isUuid(fundId) ? this.m(manager).find(Round, { where: { fundId }, order: { opensAt: 'ASC', id: 'ASC' } }) : [];
  }

  /** The pots of several rounds, in each round's order (one query). */
  async potsOfRounds(roundIds: string[], manager?: EntityManager): Promise<Pot[]> {
    const valid = [...new Set(roundIds.filter((id) => isUuid(id)))];
    return valid.length ? this.m(manager).find(Pot, { where: { roundId: In(valid) }, order: { roundId: 'ASC', position: 'ASC' } }) : [];
  }

  /** Pots by id (ids that match none are left out). */
  async potsByIds(ids: string[], manager?: EntityManager): Promise<Pot[]> {
    const valid = [...new Set(ids.filter((id) => isUuid(id)))];
    return valid.length ? this.m(manager).find(Pot, { where: { id: In(valid) } }) : [];
  }

  /** Rounds the public sees (every status the lifecycle table calls public), newest first. */
  async publicRounds(manager?: EntityManager): Promise<Round[]> {
    return this.m(manager).find(Round, { where: { status: In(ROUND_STATUSES.filter((s) => isRoundPublic(s))) }, order: { opensAt: 'DESC' } });
  }
}
