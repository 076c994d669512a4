import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import { ApplicationReader } from '../applications/application-reader.js';
import { ApplicationTransitions } from '../applications/application-transitions.service.js';
import { ConflictsService } from '../assessment/conflicts.service.js';
import { RankingService } from '../assessment/ranking.service.js';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { PanelSeatPort, type PanelSeatSource } from '../auth/policies/application.policy.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { parsePence } from '../common/money.js';
import type { PageOf } from '../common/pagination.js';
import { PotLedger } from '../funds/pot-ledger.service.js';
import { RoundsService } from '../funds/rounds.service.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import type { AgendaDto, CreatePanelDto, PanelListQuery } from './panels.dto.js';
import { Panel, PanelAgendaItem, PanelDecision, PanelMember, type PanelMinutes } from './panel.entity.js';

export interface PanelView {
  id: string;
  roundId: string;
  title: string;
  meetingAt: string;
  status: Panel['status'];
  chairId: string | null;
  members: { userId: string; fullName: string; chair: boolean }[];
  agendaCount: number;
  decidedCount: number;
  confirmedAt: string | null;
}

export interface DecisionView {
  id: string;
  panelId: string;
  applicationId: string;
  outcome: PanelDecision['outcome'];
  status: PanelDecision['status'];
  amountPence: number | null;
  conditions: string[];
  reducedBudgetLines: { budgetLineId: string; amountPence: number }[];
  feedback: string | null;
  reason: string | null;
  awardId: string | null;
  version: number;
  recordedAt: string;
}

export interface AgendaItemView {
  rank: number;
  applicationId: string;
  reference: string | null;
  organisationId: string;
  organisationName: string;
  projectTitle: string | null;
  status: string;
  scorePercent: number | null;
  amountRequestedPence: number;
  runningTotalPence: number;
  withinBudget: boolean;
  recommendations: { recommendation: string; recommendedPence: number | null; weightedScore: number | null }[];
  notTakingPart: { userId: string; fullName: string }[];
  decision: DecisionView | null;
}

export interface AgendaPack {
  panelId: string;
  roundId: string;
  status: Panel['status'];
  pots: { potId: string; name: string; budgetPence: number; committedPence: number; availablePence: number; fundingLinePence: number; items: AgendaItemView[] }[];
}

export const decisionView = (d: PanelDecision): DecisionView => ({
  id: d.id,
  panelId: d.panelId,
  applicationId: d.applicationId,
  outcome: d.outcome,
  status: d.status,
  amountPence: d.amountPence === null ? null : parsePence(d.amountPence),
  conditions: d.conditions,
  reducedBudgetLines: d.reducedBudgetLines,
  feedback: d.feedback,
  reason: d.reason,
  awardId: d.awardId,
  version: d.version,
  recordedAt: new Date(d.recordedAt).toISOString(),
});

export const panelNotFound = () => new DomainError('not_found', 'PANEL.NOT_FOUND', 'Panel meeting was not found');

/** Grants officers and the auditor see every meeting; anyone else only those they sit on (the rest are 404). */
export const readsAllPanels = (user: AuthenticatedUser): boolean => hasRole(user, 'grants_officer', 'auditor');

/**
 * Panel meetings: members and chair, the agenda (bids moved to at_panel through
 * ApplicationTransitions), the agenda pack (the assessment ranking per pot, with live money from
 * the pot ledger) and the minutes. Decisions are DecisionsService's.
 */
@Injectable()
export class PanelsService implements OnModuleInit, PanelSeatSource {
  constructor(
    private readonly dataSource: DataSource,
    private readonly people: PeopleReader,
    private readonly applications: ApplicationReader,
    private readonly transitions: ApplicationTransitions,
    private readonly rankings: RankingService,
    private readonly conflicts: ConflictsService,
    private readonly rounds: RoundsService,
    private readonly organisations: OrganisationsService,
    private readonly ledger: PotLedger,
    private readonly audit: AuditService,
    private readonly panelSeats: PanelSeatPort,
  ) {}

  onModuleInit(): void {
    // The application policy asks here whether a panel member may read a bid (its full view, not its files).
    this.panelSeats.register(this);
  }

  /** Whether the bid is on this meeting's agenda. */
  async hasOnAgenda(panelId: string, applicationId: string): Promise<boolean> {
    if (!isUuid(panelId) || !isUuid(applicationId)) return false;
    return (await this.dataSource.manager.count(PanelAgendaItem, { where: { panelId, applicationId } })) > 0;
  }

  /** Whether the person sits on a meeting with this bid on its agenda and has declared no conflict with its organisation. */
  async sitsOnPanelFor(manager: EntityManager, userId: string, applicationId: string): Promise<boolean> {
    if (!isUuid(applicationId)) return false;
    const rows: { organisation_id: string }[] = await manager.query(
      `SELECT ai.organisation_id FROM panel_agenda_items ai JOIN panel_members pm ON pm.panel_id = ai.panel_id
        WHERE ai.application_id = $1 AND pm.user_id = $2 LIMIT 1`,
      [applicationId, userId],
    );
    if (!rows.length) return false;
    return (await this.conflicts.conflictedAmong([userId], [rows[0].organisation_id], manager)).length === 0;
  }

  /** THE access rule of a meeting, in the caller's transaction if any: 404 unless the person reads all or sits on it. */
  async visible(user: AuthenticatedUser, id: string, m: EntityManager = this.dataSource.manager, lock?: 'share' | 'update'): Promise<Panel> {
    if (!isUuid(id)) throw panelNotFound();
    const panel = await m.findOne(Panel, { where: { id }, ...(lock ? { lock: { mode: lock === 'share' ? 'pessimistic_read' : 'pessimistic_write' } } : {}) });
    if (!panel) throw panelNotFound();
    if (!readsAllPanels(user) && !(await this.isMember(m, id, user.id))) throw panelNotFound();
    return panel;
  }

  /** People who may sit on a panel (the panel_member role), for the create page. */
  async panelMemberChoices(): Promise<{ id: string; fullName: string; email: string }[]> {
    return (await this.people.withRole('panel_member')).map((p) => ({ id: p.id, fullName: p.fullName, email: p.email }));
  }

  async isMember(m: EntityManager, panelId: string, userId: string): Promise<boolean> {
    return (await m.count(PanelMember, { where: { panelId, userId } })) > 0;
  }

  async create(actor: Actor, body: CreatePanelDto): Promise<PanelView> {
    const memberIds = [...new Set([...body.memberIds, body.chairId])];
    const id = await this.dataSource.transaction(async (m) => {
      await this.rounds.getRound(body.roundId, m);
      const holders = await this.people.holdingRole(memberIds, 'panel_member', m);
      const missing = memberIds.filter((u) => !holders.has(u));
      if (missing.length) {
        throw new DomainError(
          'validation',
          'PANEL.MEMBER_NOT_PANEL_MEMBER',
          'Every member must hold the panel member role',
          missing.map((u) => ({ field: body.memberIds.includes(u) ? `memberIds[${body.memberIds.indexOf(u)}]` : 'chairId', code: 'PANEL.MEMBER_NOT_PANEL_MEMBER', message: 'This person is not a panel member' })),
        );
      }
      const [row]: { id: string }[] = await m.query(`INSERT INTO panels (round_id, title, meeting_at, created_by) VALUES ($1, $2, $3, $4) RETURNING id`, [
        body.roundId,
        body.title.trim(),
        new Date(body.meetingAt),
        actor.userId,
      ]);
      for (const userId of memberIds) await m.insert(PanelMember, { panelId: row.id, userId, chair: userId === body.chairId });
      await this.audit.record(m, actor, { action: 'panel.created', entityType: 'panel', entityId: row.id, after: { roundId: body.roundId, title: body.title, memberIds, chairId: body.chairId } });
      return row.id;
    });
    const [view] = await this.views([await this.dataSource.manager.findOneByOrFail(Panel, { id })]);
    return view;
  }

  async list(user: AuthenticatedUser, q: PanelListQuery): Promise<PageOf<PanelView>> {
    const all = readsAllPanels(user);
    const where: string[] = [];
    const params: unknown[] = [];
    if (!all) where.push(`p.id IN (SELECT panel_id FROM panel_members WHERE user_id = $${params.push(user.id)})`);
    if (q.roundId) where.push(`p.round_id = $${params.push(q.roundId)}`);
    if (q.status) where.push(`p.status = $${params.push(q.status)}`);
    const sql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: { total: string }[] = await this.dataSource.query(`SELECT count(*)::text AS total FROM panels p ${sql}`, params);
    const ids: { id: string }[] = await this.dataSource.query(
      `SELECT p.id FROM panels p ${sql} ORDER BY p.meeting_at DESC, p.id LIMIT $${params.push(q.pageSize)} OFFSET $${params.push((q.page - 1) * q.pageSize)}`,
      params,
    );
    const panels = ids.length ? await this.dataSource.manager.find(Panel, { where: { id: In(ids.map((r) => r.id)) } }) : [];
    const byId = new Map(panels.map((p) => [p.id, p]));
    return { items: await this.views(ids.map((r) => byId.get(r.id)!)), total: Number(total), page: q.page, pageSize: q.pageSize };
  }

  async get(user: AuthenticatedUser, id: string): Promise<PanelView> {
    const [view] = await this.views([await this.visible(user, id)]);
    return view;
  }

  /** Puts bids on the agenda: each must be of the meeting's round and assessed (or deferred earlier); each moves to at_panel. */
  async addToAgenda(actor: Actor, user: AuthenticatedUser, id: string, body: AgendaDto): Promise<AgendaPack> {
    await this.dataSource.transaction(async (m) => {
      const panel = await this.visible(user, id, m, 'update');
      if (panel.status !== 'open') throw new DomainError('conflict', 'PANEL.CONFIRMED', 'The meeting is confirmed: its agenda cannot change');
      const ids = [...new Set(body.applicationIds)].sort();
      const errors: { field: string; code: string; message: string }[] = [];
      for (const applicationId of ids) {
        const field = `applicationIds[${body.applicationIds.indexOf(applicationId)}]`;
        const bid = await this.applications.locked(m, applicationId);
        if (!bid || bid.roundId !== panel.roundId) {
          errors.push({ field, code: 'PANEL.BID_NOT_IN_ROUND', message: 'No bid of this meeting’s round has this id' });
          continue;
        }
        if (await m.exists(PanelAgendaItem, { where: { panelId: id, applicationId } })) continue;
        if (bid.status !== 'assessed' && bid.status !== 'deferred') {
          errors.push({ field, code: 'PANEL.BID_NOT_READY', message: `Only assessed or deferred bids can go on an agenda (this one is ${bid.status.replace(/_/g, ' ')})` });
          continue;
        }
        if (errors.length) continue;
        await this.transitions.move(m, applicationId, 'at_panel', 'grants_officer', actor, { expectedFrom: bid.status, auditAfter: { panelId: id } });
        await m.insert(PanelAgendaItem, { panelId: id, applicationId, potId: bid.potId, organisationId: bid.organisationId, amountRequestedPence: String(bid.amountRequestedPence) });
      }
      if (errors.length) throw new DomainError('validation', errors[0].code, 'Some bids cannot go on this agenda', errors);
      await this.audit.record(m, actor, { action: 'panel.agenda_added', entityType: 'panel', entityId: id, after: { applicationIds: ids } });
    });
    return this.agenda(user, id);
  }

  /**
   * The agenda pack: the meeting's bids per pot in rank order (the assessment ranking), with the
   * assessors' recommendations, the running total against the budget (the funding line), the live
   * committed and available money, who is not taking part and the current decision. Never bank details.
   */
  async agenda(user: AuthenticatedUser, id: string): Promise<AgendaPack> {
    const m = this.dataSource.manager;
    const panel = await this.visible(user, id, m);
    const items = await m.find(PanelAgendaItem, { where: { panelId: id } });
    const decisions = new Map((await m.find(PanelDecision, { where: { panelId: id } })).map((d) => [d.applicationId, d]));
    const potIds = [...new Set(items.map((i) => i.potId))];
    const [pots, money, refs, orgs, recommendations, notTakingPart] = await Promise.all([
      this.rounds.potsByIds(potIds),
      this.ledger.money(potIds),
      this.applications.refsByIds(items.map((i) => i.applicationId)),
      this.organisations.summariesByIds([...new Set(items.map((i) => i.organisationId))]),
      this.rankings.recommendations(items.map((i) => i.applicationId)),
      this.notTakingPart(m, id, items),
    ]);
    const refById = new Map(refs.map((r) => [r.id, r]));
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const out: AgendaPack['pots'] = [];
    for (const pot of pots.sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))) {
      const ranking = await this.rankings.ranking(panel.roundId, pot.id);
      const rankOf = new Map(ranking.items.map((r) => [r.applicationId, r]));
      const mine = items
        .filter((i) => i.potId === pot.id)
        .sort((a, b) => (rankOf.get(a.applicationId)?.rank ?? Infinity) - (rankOf.get(b.applicationId)?.rank ?? Infinity) || a.applicationId.localeCompare(b.applicationId));
      const budgetPence = parsePence(pot.budgetPence);
      const live = money.get(pot.id);
      // The funding line is drawn against the money this meeting has: what is still available plus
      // what its own approvals already hold (money committed by other meetings is not this agenda's).
      const heldHere = mine.reduce((sum, item) => {
        const d = decisions.get(item.applicationId);
        return sum + (d && (d.outcome === 'approve' || d.outcome === 'approve_in_part') ? parsePence(d.amountPence) : 0);
      }, 0);
      const fundingLinePence = (live?.availablePence ?? budgetPence) + heldHere;
      let running = 0;
      const potItems = mine.map((item, index): AgendaItemView => {
        const ranked = rankOf.get(item.applicationId);
        const requested = parsePence(item.amountRequestedPence);
        running += requested;
        const decision = decisions.get(item.applicationId);
        return {
          rank: index + 1,
          applicationId: item.applicationId,
          reference: refById.get(item.applicationId)?.reference ?? null,
          organisationId: item.organisationId,
          organisationName: orgName.get(item.organisationId) ?? '',
          projectTitle: refById.get(item.applicationId)?.projectTitle ?? null,
          status: refById.get(item.applicationId)?.status ?? 'at_panel',
          scorePercent: ranked?.scorePercent ?? null,
          amountRequestedPence: requested,
          runningTotalPence: running,
          withinBudget: running <= fundingLinePence,
          recommendations: recommendations.get(item.applicationId) ?? [],
          notTakingPart: notTakingPart.get(item.applicationId) ?? [],
          decision: decision ? decisionView(decision) : null,
        };
      });
      out.push({
        potId: pot.id,
        name: pot.name,
        budgetPence,
        committedPence: live?.committedPence ?? 0,
        availablePence: live?.availablePence ?? budgetPence,
        fundingLinePence,
        items: potItems,
      });
    }
    return { panelId: id, roundId: panel.roundId, status: panel.status, pots: out };
  }

  /** Per agenda bid: the meeting's members who declared a conflict with its organisation. */
  async notTakingPart(m: EntityManager, panelId: string, items: Pick<PanelAgendaItem, 'applicationId' | 'organisationId'>[]): Promise<Map<string, { userId: string; fullName: string }[]>> {
    const members = await m.find(PanelMember, { where: { panelId } });
    const pairs = await this.conflicts.conflictedAmong(
      members.map((x) => x.userId),
      [...new Set(items.map((i) => i.organisationId))],
      m,
    );
    const names = await this.people.byIds(members.map((x) => x.userId), m);
    const out = new Map<string, { userId: string; fullName: string }[]>();
    for (const item of items) {
      const who = pairs.filter((p) => p.organisationId === item.organisationId).map((p) => ({ userId: p.userId, fullName: names.get(p.userId)?.fullName ?? '' }));
      out.set(item.applicationId, who.sort((a, b) => a.fullName.localeCompare(b.fullName)));
    }
    return out;
  }

  /** The minutes: as recorded at confirmation, or a draft of them from the current decisions before it. */
  async minutes(user: AuthenticatedUser, id: string): Promise<PanelMinutes & { panelId: string; final: boolean }> {
    const panel = await this.visible(user, id);
    if (panel.minutes) return { panelId: id, final: true, ...panel.minutes };
    return { panelId: id, final: false, ...(await this.buildMinutes(this.dataSource.manager, panel, null)) };
  }

  /** Who attended, who was conflicted on each bid and each decision with its amount. */
  async buildMinutes(m: EntityManager, panel: Panel, actor: Actor | null): Promise<PanelMinutes> {
    const members = await m.find(PanelMember, { where: { panelId: panel.id } });
    const names = await this.people.byIds(members.map((x) => x.userId), m);
    const items = await m.find(PanelAgendaItem, { where: { panelId: panel.id } });
    const decisions = new Map((await m.find(PanelDecision, { where: { panelId: panel.id } })).map((d) => [d.applicationId, d]));
    const conflicted = await this.notTakingPart(m, panel.id, items);
    const refs = new Map((await this.applications.refsByIds(items.map((i) => i.applicationId), m)).map((r) => [r.id, r]));
    const orgs = new Map((await this.organisations.summariesByIds([...new Set(items.map((i) => i.organisationId))], m)).map((o) => [o.id, o.name]));
    return {
      confirmedAt: panel.confirmedAt ? new Date(panel.confirmedAt).toISOString() : '',
      confirmedBy: actor?.label ?? '',
      attendees: members
        .map((x) => ({ userId: x.userId, fullName: names.get(x.userId)?.fullName ?? '', chair: x.chair }))
        .sort((a, b) => Number(b.chair) - Number(a.chair) || a.fullName.localeCompare(b.fullName)),
      items: items
        .filter((i) => decisions.has(i.applicationId))
        .map((i) => {
          const d = decisions.get(i.applicationId)!;
          return {
            applicationId: i.applicationId,
            reference: refs.get(i.applicationId)?.reference ?? null,
            organisationName: orgs.get(i.organisationId) ?? '',
            outcome: d.outcome,
            amountPence: d.amountPence === null ? null : parsePence(d.amountPence),
            conditions: d.conditions,
            feedback: d.feedback,
            reason: d.reason,
            notTakingPart: conflicted.get(i.applicationId) ?? [],
          };
        })
        .sort((a, b) => (a.reference ?? '').localeCompare(b.reference ?? '')),
    };
  }

  private async views(panels: Panel[]): Promise<PanelView[]> {
    if (!panels.length) return [];
    const ids = panels.map((p) => p.id);
    const members = await this.dataSource.manager.find(PanelMember, { where: { panelId: In(ids) } });
    const names = await this.people.byIds(members.map((x) => x.userId));
    const counts: { panel_id: string; agenda: string; decided: string }[] = await this.dataSource.query(
      `SELECT a.panel_id, count(*)::text AS agenda, count(d.id)::text AS decided FROM panel_agenda_items a
         LEFT JOIN panel_decisions d ON d.panel_id = a.panel_id AND d.application_id = a.application_id
        WHERE a.panel_id = ANY($1::uuid[]) GROUP BY a.panel_id`,
      [ids],
    );
    const count = new Map(counts.map((c) => [c.panel_id, c]));
    return panels.map((p) => {
      const mine = members.filter((x) => x.panelId === p.id);
      return {
        id: p.id,
        roundId: p.roundId,
        title: p.title,
        meetingAt: new Date(p.meetingAt).toISOString(),
        status: p.status,
        chairId: mine.find((x) => x.chair)?.userId ?? null,
        members: mine
          .map((x) => ({ userId: x.userId, fullName: names.get(x.userId)?.fullName ?? '', chair: x.chair }))
          .sort((a, b) => Number(b.chair) - Number(a.chair) || a.fullName.localeCompare(b.fullName)),
        agendaCount: Number(count.get(p.id)?.agenda ?? 0),
        decidedCount: Number(count.get(p.id)?.decided ?? 0),
        confirmedAt: p.confirmedAt ? new Date(p.confirmedAt).toISOString() : null,
      };
    });
  }
}
