import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { parsePence } from '../common/money.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { FundsService } from '../funds/funds.service.js';
import { RoundsService } from '../funds/rounds.service.js';
import { FundPaymentRule, RoundPaymentPlan } from './finance.entity.js';
import { checkPlan, DEFAULT_PLAN, type PlanStep } from './payment-plan.js';

export interface RoundPlanView {
  roundId: string;
  fundId: string;
  steps: PlanStep[];
  /** False while the round uses the default plan (everything on acceptance). */
  set: boolean;
}

export interface ApprovalRuleView {
  fundId: string;
  /** The fund's own threshold, or null for the service's. */
  approvalThresholdPence: number | null;
  approveEveryPayment: boolean;
  /** What applies now: payments above this need a second finance officer (0 with approveEveryPayment: every payment). */
  effectiveThresholdPence: number;
}

const roundNotFound = () => new DomainError('not_found', 'ROUND.NOT_FOUND', 'Round was not found');
const fundNotFound = () => new DomainError('not_found', 'FUND.NOT_FOUND', 'Fund was not found');

/** Finance's settings: each round's payment plan (how new schedules are made) and each fund's approval rule. */
@Injectable()
export class PaymentSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: RoundsService,
    private readonly funds: FundsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async roundPlan(roundId: string, m: EntityManager = this.dataSource.manager): Promise<RoundPlanView> {
    const round = await this.rounds.findRound(roundId, m);
    if (!round) throw roundNotFound();
    const row = await m.findOne(RoundPaymentPlan, { where: { roundId } });
    return { roundId, fundId: round.fundId, steps: row?.steps ?? DEFAULT_PLAN.map((s) => ({ ...s })), set: !!row };
  }

  async putRoundPlan(actor: Actor, roundId: string, steps: unknown): Promise<RoundPlanView> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.roundPlan(roundId, m);
      const checked = checkPlan(steps);
      await m.upsert(RoundPaymentPlan, { roundId, steps: checked }, ['roundId']);
      await this.audit.record(m, actor, { action: 'finance.round_plan_set', entityType: 'round', entityId: roundId, before: { steps: before.steps }, after: { steps: checked } });
      return { roundId, fundId: before.fundId, steps: checked, set: true };
    });
  }

  async approvalRule(fundId: string, m: EntityManager = this.dataSource.manager): Promise<ApprovalRuleView> {
    if (!isUuid(fundId)) throw fundNotFound();
    await this.funds.getFund(fundId, m);
    const row = await m.findOne(FundPaymentRule, { where: { fundId } });
    const own = row?.approvalThresholdPence == null ? null : parsePence(row.approvalThresholdPence);
    const every = row?.approveEveryPayment ?? false;
    return { fundId, approvalThresholdPence: own, approveEveryPayment: every, effectiveThresholdPence: every ? 0 : (own ?? this.config.paymentApprovalThresholdPence) };
  }

  /** Whether a payment of `pence` from this fund needs a second finance officer. */
  async needsApproval(fundId: string, pence: number, m: EntityManager): Promise<boolean> {
    const rule = await this.approvalRule(fundId, m);
    return rule.approveEveryPayment || pence > rule.effectiveThresholdPence;
  }

  async putApprovalRule(actor: Actor, fundId: string, input: { approvalThresholdPence?: number | null; approveEveryPayment: boolean }): Promise<ApprovalRuleView> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.approvalRule(fundId, m);
      const threshold = input.approvalThresholdPence ?? null;
      await m.upsert(FundPaymentRule, { fundId, approvalThresholdPence: threshold === null ? null : String(threshold), approveEveryPayment: input.approveEveryPayment }, ['fundId']);
      const after = await this.approvalRule(fundId, m);
      await this.audit.record(m, actor, {
        action: 'finance.approval_rule_set',
        entityType: 'fund',
        entityId: fundId,
        before: { approvalThresholdPence: before.approvalThresholdPence, approveEveryPayment: before.approveEveryPayment },
        after: { approvalThresholdPence: after.approvalThresholdPence, approveEveryPayment: after.approveEveryPayment },
      });
      return after;
    });
  }
}
