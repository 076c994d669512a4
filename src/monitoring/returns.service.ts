import { PaymentSchedulesService } from '../finance/payment-schedules.service.js';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { MonitoringPolicy, monitoringNotFound } from '../auth/policies/monitoring.policy.js';
import { AuditService } from '../audit/audit.service.js';
import { AwardReader, type AwardView } from '../awards/award-reader.js';
import { AwardsService } from '../awards/awards.service.js';
import { Clock } from '../common/clock.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { IdempotencyService, type StoredResponse } from '../idempotency/idempotency.service.js';
import { MonitoringMail } from './monitoring-mail.js';
import { MonitoringReturn, type OutputLine, type SpendLine } from './monitoring.entity.js';
import { returnCan } from './return-lifecycle.js';
import { returnMissing, ReturnMoves } from './return-moves.js';

/** What the organisation writes in a return (the API body and the page's form alike). */
export interface ReturnInput {
  /** Which return: its id, or its period (number or label); neither = the earliest still editable. */
  returnId?: string;
  period?: string | number;
  /** When given, the chosen return must be (or not be) the final one. */
  final?: boolean;
  spend: SpendLine[];
  outputs: OutputLine[];
  narrative: string;
  outcomes: string;
  caseStudy: string;
}

export interface ReviewInput {
  outcome: 'accept' | 'changes_requested';
  note?: string | null;
}

const invalid = (errors: FieldError[], message = 'The return has errors') => new DomainError('validation', 'MONITORING.INVALID_RETURN', message, errors);

/** Checks the return's spend and outputs against the award's approved budget lines (422 naming each bad field). */
function checkInput(award: AwardView, input: ReturnInput): { spend: SpendLine[]; outputs: OutputLine[] } {
  const errors: FieldError[] = [];
  const lineIds = new Set(award.budgetLines.map((l) => l.budgetLineId));
  const seen = new Set<string>();
  (input.spend ?? []).forEach((s, i) => {
    if (!lineIds.has(s.budgetLineId)) errors.push({ field: `spend.${i}.budgetLineId`, code: 'MONITORING.UNKNOWN_BUDGET_LINE', message: 'Spend must be against one of the award’s approved budget lines' });
    else if (seen.has(s.budgetLineId)) errors.push({ field: `spend.${i}.budgetLineId`, code: 'MONITORING.DUPLICATE_BUDGET_LINE', message: 'Give each budget line’s spend once' });
    seen.add(s.budgetLineId);
    if (!Number.isSafeInteger(s.spentPence) || s.spentPence < 0) errors.push({ field: `spend.${i}.spentPence`, code: 'MONITORING.BAD_AMOUNT', message: 'Spend must be a whole number of pence, not negative' });
  });
  const keys = new Set<string>();
  (input.outputs ?? []).forEach((o, i) => {
    if (keys.has(o.key)) errors.push({ field: `outputs.${i}.key`, code: 'MONITORING.DUPLICATE_OUTPUT', message: 'Give each output once' });
    if (!o.label.trim()) errors.push({ field: `outputs.${i}.label`, code: 'MONITORING.OUTPUT_LABEL', message: 'Say what the output counts' });
    keys.add(o.key);
  });
  if (errors.length) {
    const unknown = errors.find((e) => e.code === 'MONITORING.UNKNOWN_BUDGET_LINE');
    throw unknown ? new DomainError('validation', 'MONITORING.UNKNOWN_BUDGET_LINE', unknown.message, errors) : invalid(errors);
  }
  return {
    spend: (input.spend ?? []).map((s) => ({ budgetLineId: s.budgetLineId, spentPence: s.spentPence })),
    outputs: (input.outputs ?? []).map((o) => ({ key: o.key, label: o.label.trim(), promised: o.promised, actual: o.actual })),
  };
}

/** Picks the return an input names among the award's returns (422 when it names none of them). */
function chooseReturn(returns: MonitoringReturn[], input: Pick<ReturnInput, 'returnId' | 'period' | 'final'>): MonitoringReturn {
  let chosen: MonitoringReturn | undefined;
  if (input.returnId !== undefined) {
    chosen = returns.find((r) => r.id === input.returnId);
    if (!chosen) throw invalid([{ field: 'returnId', code: 'MONITORING.UNKNOWN_RETURN', message: 'This award owes no return with that id' }]);
  } else if (input.period !== undefined && input.period !== '') {
    const p = String(input.period).trim().toLowerCase();
    chosen = returns.find((r) => String(r.number) === p || r.periodLabel.toLowerCase() === p);
    if (!chosen) throw invalid([{ field: 'period', code: 'MONITORING.UNKNOWN_PERIOD', message: `The award owes these returns: ${returns.map((r) => `${r.number} (${r.periodLabel})`).join(', ')}` }]);
  } else if (input.final === true) {
    chosen = returns.find((r) => r.final);
  } else {
    chosen = returns.find((r) => returnCan(r.status).editable);
  }
  if (!chosen) throw new DomainError('conflict', 'MONITORING.NO_RETURN_OPEN', 'The award has no return to write now');
  if (input.final !== undefined && input.final !== chosen.final) {
    throw invalid([{ field: 'final', code: 'MONITORING.NOT_THE_FINAL_RETURN', message: chosen.final ? 'This is the award’s final return' : 'This is not the award’s final return' }]);
  }
  return chosen;
}

/**
 * Writing, submitting and reviewing returns. Members and owners of the organisation write and
 * submit while the return is editable; grants officers review. Each use case is one transaction.
 */
@Injectable()
export class ReturnsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly moves: ReturnMoves,
    private readonly awardReader: AwardReader,
    private readonly awards: AwardsService,
    private readonly policy: MonitoringPolicy,
    private readonly mail: MonitoringMail,
    private readonly audit: AuditService,
    private readonly idempotency: IdempotencyService,
    private readonly clock: Clock,
    private readonly schedules: PaymentSchedulesService,
  ) {}

  /** Saves the organisation's answers as a draft (a due return becomes a draft; one sent back stays so until submitted). Returns its id. */
  async save(user: AuthenticatedUser, actor: Actor, awardId: string, input: ReturnInput): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const award = await this.awardReader.viewById(awardId, m);
      if (!award) throw monitoringNotFound('award');
      await this.policy.assert(user, { organisationId: award.organisation.id, awardVisible: award.visibleToApplicant, editable: true }, 'read', 'award', m);
      const returns = await m.find(MonitoringReturn, { where: { awardId }, order: { number: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      let ret = chooseReturn(returns, input);
      await this.policy.assert(user, { organisationId: award.organisation.id, awardVisible: award.visibleToApplicant, editable: returnCan(ret.status).editable }, 'write', 'award', m);
      const { spend, outputs } = checkInput(award, input);
      if (ret.status === 'due') ret = await this.moves.move(m, ret, 'draft', 'applicant', actor, { note: 'Started' });
      const answers = { spend, outputs, narrative: input.narrative.trim(), outcomes: input.outcomes.trim(), caseStudy: input.caseStudy.trim() };
      await m.update(MonitoringReturn, { id: ret.id }, { ...answers, version: ret.version + 1 });
      await this.audit.record(m, actor, {
        action: 'return.saved',
        entityType: 'monitoring_return',
        entityId: ret.id,
        before: { spend: ret.spend, outputs: ret.outputs },
        after: { spend, outputs, narrativeLength: answers.narrative.length },
      });
      return ret.id;
    });
  }

  /** Sends the return to the grants officers; the award's first submitted return starts its monitoring. */
  async submit(user: AuthenticatedUser, actor: Actor, returnId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const { ret, award } = await this.lockedWithAward(m, returnId);
      await this.policy.assert(user, { organisationId: award.organisation.id, awardVisible: award.visibleToApplicant, editable: returnCan(ret.status).editable }, 'write', 'return', m);
      const missing: FieldError[] = [];
      if (!ret.narrative.trim()) missing.push({ field: 'narrative', code: 'MONITORING.INCOMPLETE', message: 'Tell us how the project has gone' });
      if (!ret.outcomes.trim()) missing.push({ field: 'outcomes', code: 'MONITORING.INCOMPLETE', message: 'Tell us what difference the project has made' });
      if (!returnCan(ret.status).submittable) {
        throw new DomainError('conflict', 'MONITORING.NOT_SUBMITTABLE', 'Save the return’s answers before submitting it', [], { returnStatus: ret.status });
      }
      if (missing.length) throw new DomainError('validation', 'MONITORING.INCOMPLETE', 'The return is not complete', missing);
      const submitted = await this.moves.move(m, ret, 'submitted', 'applicant', actor, { patch: { submittedAt: this.clock.now(), submittedBy: user.id } });
      await this.awards.startMonitoring(m, award.id, actor);
      await this.mail.submitted(m, submitted, award);
    });
  }

  /** A grants officer accepts the return or asks for changes (with a note), once per submission; the owners are told. */
  async review(user: AuthenticatedUser, actor: Actor, returnId: string, input: ReviewInput, key?: string): Promise<StoredResponse<{ id: string; status: string }>> {
    return this.dataSource.transaction(async (m) =>
      this.idempotency.run(m, { key, callerId: user.id, scope: `POST /api/v1/returns/${returnId}/review`, body: input }, 200, async () => {
        const { ret, award } = await this.lockedWithAward(m, returnId);
        await this.policy.assert(user, { organisationId: award.organisation.id, awardVisible: award.visibleToApplicant, editable: returnCan(ret.status).editable }, 'review', 'return', m);
        const note = input.note?.trim() || null;
        if (input.outcome === 'changes_requested' && !note) {
          throw new DomainError('validation', 'MONITORING.NOTE_REQUIRED', 'Say what needs to change', [{ field: 'note', code: 'MONITORING.NOTE_REQUIRED', message: 'Say what needs to change' }]);
        }
        const to = input.outcome === 'accept' ? 'accepted' : 'changes_requested';
        const reviewed = await this.moves.move(m, ret, to, 'grants_officer', actor, { note, patch: { reviewedAt: this.clock.now(), reviewedBy: user.id, reviewNote: note } });
        // An instalment waiting for this return is now free to pay (in this transaction, so both or neither).
        if (to === 'accepted') await this.schedules.markReturnAccepted(m, award.id, reviewed.number, actor);
        await this.mail.reviewed(m, reviewed, award, to === 'accepted', note);
        return { id: reviewed.id, status: reviewed.status };
      }),
    );
  }

  private async lockedWithAward(m: EntityManager, returnId: string): Promise<{ ret: MonitoringReturn; award: AwardView }> {
    const ret = isUuid(returnId) ? await this.moves.locked(m, returnId) : null;
    if (!ret) throw returnMissing();
    const award = await this.awardReader.viewById(ret.awardId, m);
    if (!award) throw returnMissing();
    return { ret, award };
  }
}
