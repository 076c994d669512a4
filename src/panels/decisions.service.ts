import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import { ApplicationReader } from '../applications/application-reader.js';
import { ApplicationTransitions } from '../applications/application-transitions.service.js';
import { ConflictsService } from '../assessment/conflicts.service.js';
import type { Actor } from '../auth/actor.js';
import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { formatPence, parsePence } from '../common/money.js';
import { PotLedger } from '../funds/pot-ledger.service.js';
import { IdempotencyService, type StoredResponse } from '../idempotency/idempotency.service.js';
import { MailService } from '../mail/mail.service.js';
import { AwardsPort } from './awards.port.js';
import { assertDecisionMove, checkDecision, checkReducedLines, commitsMoney, OUTCOME_TO_STATUS, type DecisionActor } from './decision-lifecycle.js';
import type { DecisionChangeDto, DecisionDto } from './panels.dto.js';
import { Panel, PanelAgendaItem, PanelDecision } from './panel.entity.js';
import { decisionView, panelNotFound, PanelsService, type DecisionView } from './panels.service.js';

/** What POST /panels/{id}/decisions answers (API.md), with the rest of the decision. */
export type DecisionAnswer = Pick<DecisionView, 'id' | 'applicationId' | 'outcome' | 'amountPence' | 'awardId'> & Omit<DecisionView, 'id' | 'applicationId' | 'outcome' | 'amountPence' | 'awardId'>;

export interface ConfirmAnswer {
  panelId: string;
  status: 'confirmed';
  confirmedAt: string;
  approved: number;
  rejected: number;
  deferred: number;
  awardIds: string[];
}

/**
 * Decisions at a meeting: recording and changing them (the money committed and released through
 * the pot ledger in the same transaction, the provisional award through AwardsPort) and confirming
 * the meeting (decisions final, bids moved, offers made, rejection emails queued, minutes kept).
 * Every call runs under the caller's Idempotency-Key when one is sent.
 */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly panels: PanelsService,
    private readonly applications: ApplicationReader,
    private readonly transitions: ApplicationTransitions,
    private readonly conflicts: ConflictsService,
    private readonly ledger: PotLedger,
    private readonly awards: AwardsPort,
    private readonly idempotency: IdempotencyService,
    private readonly mail: MailService,
    private readonly people: PeopleReader,
    private readonly audit: AuditService,
  ) {}

  /** Records the bid's decision, or changes the current one (POST /panels/{id}/decisions). */
  async decide(actor: Actor, user: AuthenticatedUser, panelId: string, body: DecisionDto, key?: string | null): Promise<StoredResponse<DecisionAnswer>> {
    return this.dataSource.transaction((m) =>
      this.idempotency.run(m, { key, callerId: user.id, scope: `POST /api/v1/panels/${panelId}/decisions`, body }, 201, () => this.record(m, actor, user, panelId, body.applicationId, body)),
    );
  }

  /** Changes a recorded decision by its id (PUT /panels/{id}/decisions/{decisionId}). */
  async change(actor: Actor, user: AuthenticatedUser, panelId: string, decisionId: string, body: DecisionChangeDto, key?: string | null): Promise<StoredResponse<DecisionAnswer>> {
    return this.dataSource.transaction((m) =>
      this.idempotency.run(m, { key, callerId: user.id, scope: `PUT /api/v1/panels/${panelId}/decisions/${decisionId}`, body }, 200, async () => {
        await this.panels.visible(user, panelId, m);
        const existing = isUuid(decisionId) ? await m.findOne(PanelDecision, { where: { id: decisionId, panelId } }) : null;
        if (!existing) throw new DomainError('not_found', 'DECISION.NOT_FOUND', 'Decision was not found');
        return this.record(m, actor, user, panelId, existing.applicationId, body);
      }),
    );
  }

  async list(user: AuthenticatedUser, panelId: string): Promise<{ items: DecisionView[] }> {
    await this.panels.visible(user, panelId);
    const rows = await this.dataSource.manager.find(PanelDecision, { where: { panelId }, order: { recordedAt: 'ASC', id: 'ASC' } });
    return { items: rows.map(decisionView) };
  }

  async get(user: AuthenticatedUser, panelId: string, decisionId: string): Promise<DecisionView> {
    await this.panels.visible(user, panelId);
    const row = isUuid(decisionId) ? await this.dataSource.manager.findOne(PanelDecision, { where: { id: decisionId, panelId } }) : null;
    if (!row) throw new DomainError('not_found', 'DECISION.NOT_FOUND', 'Decision was not found');
    return decisionView(row);
  }

  private actorKind(user: AuthenticatedUser): Extract<DecisionActor, 'grants_officer' | 'panel_member'> {
    return hasRole(user, 'grants_officer') ? 'grants_officer' : 'panel_member';
  }

  /**
   * The one path that writes a decision. Locks: the meeting (shared, so confirmation waits for
   * decisions in flight and none start after it), then the agenda bid (so two recordings of one
   * bid queue), then the pot row inside PotLedger.commit. Money: what this decision committed
   * before is released in full, then the new approval's amount committed: a budget overrun throws
   * POT.BUDGET_EXCEEDED and the whole transaction (decision, award, entries) is undone.
   */
  private async record(m: EntityManager, actor: Actor, user: AuthenticatedUser, panelId: string, applicationId: string, body: DecisionChangeDto): Promise<DecisionAnswer> {
    const panel = await this.panels.visible(user, panelId, m, 'share');
    if (panel.status !== 'open') throw new DomainError('conflict', 'PANEL.CONFIRMED', 'The meeting is confirmed: its decisions are final');
    const [item] = isUuid(applicationId)
      ? await m
          .createQueryBuilder(PanelAgendaItem, 'a')
          .setLock('pessimistic_write')
          .where('a.panel_id = :panelId AND a.application_id = :applicationId', { panelId, applicationId })
          .getMany()
      : [];
    if (!item) {
      throw new DomainError('validation', 'PANEL.NOT_ON_AGENDA', 'This bid is not on the meeting’s agenda', [{ field: 'applicationId', code: 'PANEL.NOT_ON_AGENDA', message: 'Not on the agenda' }]);
    }
    const conflicted = await this.conflicts.conflictedAmong([user.id], [item.organisationId], m);
    if (conflicted.length) {
      throw new DomainError('forbidden', 'PANEL.CONFLICTED', 'You declared a conflict of interest with this organisation: you take no part in this decision');
    }
    const by = this.actorKind(user);
    const requested = parsePence(item.amountRequestedPence);
    const checked = checkDecision(body, requested);
    const bidLines = commitsMoney(checked.outcome) ? await this.applications.budgetLines(applicationId, m) : [];
    if (checked.outcome === 'approve_in_part' && checked.reducedBudgetLines.length) {
      checked.reducedBudgetLines = checkReducedLines(checked.reducedBudgetLines, bidLines, checked.amountPence!);
    }
    // The award's approved budget: the bid's lines, each reduced where the panel reduced it.
    const approvedLines = bidLines.map((l) => ({
      budgetLineId: l.id,
      item: l.item,
      category: l.category,
      amountPence: checked.reducedBudgetLines.find((r) => r.budgetLineId === l.id)?.amountPence ?? l.amountPence,
    }));
    const existing = await m.findOne(PanelDecision, { where: { panelId, applicationId } });
    if (existing) assertDecisionMove(existing.status, 'changed', by);
    const version = existing ? existing.version + 1 : 1;
    const fields = {
      outcome: checked.outcome,
      amountPence: checked.amountPence === null ? null : String(checked.amountPence),
      reducedBudgetLines: checked.reducedBudgetLines,
      conditions: checked.conditions,
      feedback: checked.feedback,
      reason: checked.reason,
      version,
      recordedBy: actor.userId,
      recordedAt: new Date(),
    };
    let decision: PanelDecision;
    if (existing) {
      await m.update(PanelDecision, { id: existing.id }, { ...fields, status: 'changed' });
      decision = Object.assign(existing, fields, { status: 'changed' as const });
    } else {
      decision = await m.save(m.create(PanelDecision, { panelId, applicationId, ...fields, status: 'recorded', awardId: null }));
    }
    const source = { potId: item.potId, sourceType: 'decision', sourceId: decision.id, applicationId };
    const held = existing ? await this.ledger.netCommitted(m, { sourceType: 'decision', sourceId: decision.id }) : 0;
    if (held > 0) await this.ledger.release(m, { ...source, amountPence: held, key: `decision:${decision.id}:release:${version}`, note: 'Decision changed before the meeting was confirmed' }, actor);
    let awardId = existing?.awardId ?? null;
    if (commitsMoney(checked.outcome)) {
      await this.ledger.commit(m, { ...source, amountPence: checked.amountPence!, key: `decision:${decision.id}:commit:${version}`, note: `Panel approval (${checked.outcome.replace(/_/g, ' ')})` }, actor);
      if (awardId) {
        await this.awards.changeProvisional(m, awardId, { amountPence: checked.amountPence!, conditions: checked.conditions, budgetLines: approvedLines }, actor);
      } else {
        const created = await this.awards.createProvisional(
          m,
          { decisionId: decision.id, applicationId, roundId: panel.roundId, potId: item.potId, organisationId: item.organisationId, amountPence: checked.amountPence!, conditions: checked.conditions, budgetLines: approvedLines },
          actor,
        );
        awardId = created.awardId;
      }
    } else if (awardId) {
      await this.awards.cancelProvisional(m, awardId, actor);
      awardId = null;
    }
    if (awardId !== (existing?.awardId ?? null) || !existing) await m.update(PanelDecision, { id: decision.id }, { awardId });
    decision.awardId = awardId;
    await this.audit.record(m, actor, {
      action: existing ? 'decision.changed' : 'decision.recorded',
      entityType: 'panel_decision',
      entityId: decision.id,
      before: existing ? { outcome: existing.outcome, amountPence: existing.amountPence } : undefined,
      after: { panelId, applicationId, outcome: checked.outcome, amountPence: checked.amountPence, conditions: checked.conditions, version },
      reason: checked.reason ?? checked.feedback,
    });
    const { id, applicationId: appId, outcome, amountPence, awardId: award, ...rest } = decisionView(decision);
    return { id, applicationId: appId, outcome, amountPence, awardId: award, ...rest };
  }

  /**
   * Confirms the meeting: every agenda bid must have a decision (422 PANEL.DECISIONS_MISSING
   * listing them); each decision becomes final, each bid moves to approved / rejected / deferred,
   * the awards are offered (awards sends the offer emails), rejection emails with the feedback are
   * queued, and the minutes are written. Grants officers, or the meeting's chair.
   */
  async confirm(actor: Actor, user: AuthenticatedUser, panelId: string, key?: string | null): Promise<StoredResponse<ConfirmAnswer>> {
    return this.dataSource.transaction((m) =>
      this.idempotency.run(m, { key, callerId: user.id, scope: `POST /api/v1/panels/${panelId}/confirm`, body: {} }, 200, async () => {
        const panel = await this.panels.visible(user, panelId, m, 'update');
        if (!hasRole(user, 'grants_officer')) {
          const [{ chair }]: { chair: boolean }[] = await m.query(`SELECT EXISTS (SELECT 1 FROM panel_members WHERE panel_id = $1 AND user_id = $2 AND chair) AS chair`, [panelId, user.id]);
          if (!chair) throw new DomainError('forbidden', 'PANEL.NOT_CHAIR', 'Only a grants officer or the chair confirms the meeting');
        }
        if (panel.status !== 'open') throw new DomainError('conflict', 'PANEL.ALREADY_CONFIRMED', 'The meeting is already confirmed');
        const items = await m.find(PanelAgendaItem, { where: { panelId }, order: { applicationId: 'ASC' } });
        if (!items.length) throw new DomainError('validation', 'PANEL.AGENDA_EMPTY', 'The meeting has no bids on its agenda');
        const decisions = new Map((await m.find(PanelDecision, { where: { panelId } })).map((d) => [d.applicationId, d]));
        const missing = items.filter((i) => !decisions.has(i.applicationId));
        if (missing.length) {
          const refs = new Map((await this.applications.refsByIds(missing.map((i) => i.applicationId), m)).map((r) => [r.id, r.reference]));
          throw new DomainError(
            'validation',
            'PANEL.DECISIONS_MISSING',
            `${missing.length} bid${missing.length === 1 ? ' has' : 's have'} no decision yet`,
            missing.map((i) => ({ field: 'applicationIds', code: 'PANEL.DECISION_MISSING', message: `${refs.get(i.applicationId) ?? i.applicationId} has no decision` })),
            { missing: missing.map((i) => ({ applicationId: i.applicationId, reference: refs.get(i.applicationId) ?? null })) },
          );
        }
        const by = this.actorKind(user);
        const counts = { approved: 0, rejected: 0, deferred: 0 };
        const awardIds: string[] = [];
        const confirmedAt = new Date();
        for (const item of items) {
          const d = decisions.get(item.applicationId)!;
          assertDecisionMove(d.status, 'confirmed', 'confirmation');
          await m.update(PanelDecision, { id: d.id }, { status: 'confirmed' });
          d.status = 'confirmed';
          const to = OUTCOME_TO_STATUS[d.outcome];
          counts[to] += 1;
          await this.transitions.move(m, item.applicationId, to, by, actor, {
            expectedFrom: 'at_panel',
            // The bid's history is what its applicant reads (dashboard → History): the rejection feedback
            // goes there; a deferral's reason (a reserve list, say) stays in the minutes and the audit.
            reason: to === 'rejected' ? d.feedback : null,
            auditAfter: { panelId, decisionId: d.id, amountPence: d.amountPence === null ? null : parsePence(d.amountPence) },
          });
          if (d.awardId) awardIds.push(d.awardId);
          if (to === 'rejected') await this.rejectionEmail(m, item.applicationId, d.feedback ?? '');
        }
        if (awardIds.length) await this.awards.offer(m, awardIds, actor);
        await m.update(Panel, { id: panelId }, { status: 'confirmed', confirmedAt });
        const minutes = await this.panels.buildMinutes(m, Object.assign(panel, { status: 'confirmed', confirmedAt }), actor);
        await m.update(Panel, { id: panelId }, { minutes });
        await this.audit.record(m, actor, { action: 'panel.confirmed', entityType: 'panel', entityId: panelId, after: { ...counts, awardIds } });
        return { panelId, status: 'confirmed' as const, confirmedAt: confirmedAt.toISOString(), ...counts, awardIds };
      }),
    );
  }

  /** The applicant's email when the bid is not funded: to the submitter and the organisation's contact, with the panel's feedback. */
  private async rejectionEmail(m: EntityManager, applicationId: string, feedback: string): Promise<void> {
    const [app, ref] = [await this.applications.detailById(applicationId, m), await this.applications.find(applicationId, m)];
    if (!app || !ref) throw panelNotFound();
    const submitter = ref.submittedBy ? (await this.people.byIds([ref.submittedBy], m)).get(ref.submittedBy)?.email : undefined;
    const to = [...new Set([submitter, app.organisation.contactEmail].filter((e): e is string => !!e).map((e) => e.toLowerCase()))];
    const data = {
      organisationName: app.organisation.name,
      reference: app.reference,
      projectTitle: app.projectTitle ?? 'untitled',
      roundTitle: app.round.title,
      amountRequested: formatPence(app.amountRequestedPence),
      feedback,
      applicationPath: `/applications/${app.id}`,
    };
    for (const address of to) await this.mail.queue(m, { to: address, template: 'panel-rejected', data, organisationId: app.organisation.id });
  }
}
