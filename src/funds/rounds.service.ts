import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../common/errors.js';
import { EligibilityQuestion } from './eligibility-question.entity.js';
import { Fund } from './fund.entity.js';
import { Pot } from './pot.entity.js';
import { RoundForm } from './round-form.entity.js';
import { Round } from './round.entity.js';

import { isUuid } from '../common/ids.js';

/** A pot with the ids of the districts and priorities it funds. */
export type PotWithLinks = Pot & { districtIds: string[]; priorityIds: string[] };

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
  constructor(private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  /** The round, or null when there is none with that id. */
  async findRound(id: string, manager?: EntityManager): Promise<Round | null> {
    if (!isUuid(id)) return null;
    return this.m(manager).findOne(Round, { where: { id } });
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

  async withLinks(pots: Pot[], manager?: EntityManager): Promise<PotWithLinks[]> {
    if (pots.length === 0) return [];
    const ids = pots.map((p) => p.id);
    const m = this.m(manager);
    const districts: { pot_id: string; district_id: string }[] = await m.query(
      `SELECT pd.pot_id, pd.district_id FROM pot_districts pd JOIN districts d ON d.id = pd.district_id
        WHERE pd.pot_id = ANY($1) ORDER BY d.name`,
      [ids],
    );
    const priorities: { pot_id: string; priority_id: string }[] = await m.query(
      `SELECT pp.pot_id, pp.priority_id FROM pot_priorities pp JOIN priorities p ON p.id = pp.priority_id
         JOIN outcomes o ON o.id = p.outcome_id
        WHERE pp.pot_id = ANY($1) ORDER BY o.position, p.position, p.name`,
      [ids],
    );
    return pots.map((pot) =>
      Object.assign(pot, {
        districtIds: districts.filter((d) => d.pot_id === pot.id).map((d) => d.district_id),
        priorityIds: priorities.filter((p) => p.pot_id === pot.id).map((p) => p.priority_id),
      }),
    );
  }

  /** The form version new applications use (null when the round has no form yet). */
  async getCurrentForm(roundId: string, manager?: EntityManager): Promise<RoundForm | null> {
    const round = await this.findRound(roundId, manager);
    if (!round?.currentFormId) return null;
    return this.m(manager).findOne(RoundForm, { where: { id: round.currentFormId } });
  }

  /** A form version by id (applications keep the version they started on). */
  async getForm(formId: string, manager?: EntityManager): Promise<RoundForm | null> {
    if (!isUuid(formId)) return null;
    return this.m(manager).findOne(RoundForm, { where: { id: formId } });
  }

  /** The round's eligibility questions in order. */
  async getEligibilityQuestions(roundId: string, manager?: EntityManager): Promise<EligibilityQuestion[]> {
    if (!isUuid(roundId)) return [];
    return this.m(manager).find(EligibilityQuestion, { where: { roundId }, order: { position: 'ASC' } });
  }

  /** A round takes applications while it is open and its closing time has not passed. */
  isAcceptingApplications(round: Pick<Round, 'status' | 'closesAt'>, now: Date = new Date()): boolean {
    return round.status === 'open' && now.getTime() < new Date(round.closesAt).getTime();
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
}
