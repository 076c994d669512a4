import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { parsePence } from '../common/money.js';
import { ReferenceDataService } from '../reference-data/reference-data.service.js';
import { Fund } from './fund.entity.js';
import { Pot } from './pot.entity.js';
import { RoundForm } from './round-form.entity.js';
import { isOpenForApplications, isRoundPublic } from './round-lifecycle.js';
import { formView, potView, roundView, type PotView, type RoundView } from './round-views.js';
import { Round, type RoundStatus } from './round.entity.js';
import { RoundsService, type PotWithLinks } from './rounds.service.js';
import type { Viewer } from './viewer.js';

export const roundNotFound = () => new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
const potNotFound = () => new DomainError('not_found', 'POT.NOT_FOUND', 'Pot was not found');

/** What a list shows the public without a status asked for: rounds taking bids and those announced as upcoming. */
const PUBLIC_LIST_STATUSES: RoundStatus[] = ['open', 'scheduled'];

/**
 * Reading rounds as the API and pages show them: a round with its fund, form, pots and money, as
 * the viewer may see it (drafts only for staff). A fixed number of queries however many rounds.
 */
@Injectable()
export class RoundReader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly referenceData: ReferenceDataService,
    private readonly clock: Clock,
  ) {}

  /** A round as the viewer may see it: drafts only for staff, 404 otherwise. */
  async visibleRound(id: string, viewer: Viewer, manager?: EntityManager): Promise<Round> {
    const round = await this.rounds.findRound(id, manager);
    if (!round || (!viewer.canSeeDrafts && !isRoundPublic(round.status))) throw roundNotFound();
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
    const potViews = options.pots ? await this.potViewsOf(pots) : [];
    const fundById = new Map(funds.map((f) => [f.id, f]));
    const formById = new Map(forms.map((f) => [f.id, f]));
    const allocatedByRound = new Map(allocations.map((a) => [a.round_id, parsePence(a.allocated)]));
    const now = this.clock.now();
    return rounds.map((round) => {
      const base = roundView(round, {
        fund: fundById.get(round.fundId)!,
        form: round.currentFormId ? (formById.get(round.currentFormId) ?? null) : null,
        allocatedPence: allocatedByRound.get(round.id) ?? 0,
        acceptingApplications: isOpenForApplications(round, now),
      });
      return options.pots ? { ...base, pots: potViews.filter((_, i) => pots[i].roundId === round.id) } : base;
    });
  }

  async getRoundView(id: string, viewer: Viewer) {
    return this.view(await this.visibleRound(id, viewer), { pots: true });
  }

  /** Rounds for a list: the public sees open and scheduled ones (or one public status); staff any. */
  async listRounds(query: { status?: RoundStatus; fundId?: string; page: number; pageSize: number }, viewer: Viewer) {
    let statuses: RoundStatus[];
    if (query.status) statuses = viewer.canSeeDrafts || isRoundPublic(query.status) ? [query.status] : [];
    else statuses = viewer.canSeeDrafts && query.fundId ? [] : PUBLIC_LIST_STATUSES;
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
    return this.potViewsOf(await this.rounds.listPots(roundId, manager), manager);
  }

  /** Pots as the API shows them, with the names of their districts and priorities. */
  async potViewsOf(pots: PotWithLinks[], manager?: EntityManager): Promise<PotView[]> {
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

  /** One pot; 404 POT.NOT_FOUND also when its round is hidden from the viewer. */
  async getPotView(potId: string, viewer: Viewer): Promise<PotView> {
    const pot = await this.rounds.getPot(potId);
    await this.visibleRound(pot.roundId, viewer).catch((error: unknown) => {
      throw error instanceof DomainError && error.code === 'ROUND.NOT_FOUND' ? potNotFound() : error;
    });
    return (await this.potViewsOf([pot]))[0];
  }

  /** Pots of several rounds at once (for lists). */
  async potsOfRounds(roundIds: string[]): Promise<Map<string, PotView[]>> {
    const pots = roundIds.length ? await this.dataSource.getRepository(Pot).find({ where: { roundId: In(roundIds) }, order: { position: 'ASC' } }) : [];
    const views = await this.potViewsOf(await this.rounds.withLinks(pots));
    const byRound = new Map<string, PotView[]>(roundIds.map((id) => [id, []]));
    for (const v of views) byRound.get(v.roundId)?.push(v);
    return byRound;
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
}
