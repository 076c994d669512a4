import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';
import { PAYMENT_STATUSES, type PaymentStatus } from './payment-lifecycle.js';
import type { InstalmentCondition, PlanStep } from './payment-plan.js';

export const VERIFICATION_METHODS = ['letter', 'bank_statement', 'call_back'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/**
 * The bank account an award is paid into. Name, sort code and account number are one AES-256-GCM
 * sealed value (`details_sealed`, see data-cipher.ts); only the last four digits of the account and
 * the last two of the sort code are kept in clear, for the masked view.
 */
@Entity('bank_accounts')
@Check('chk_bank_accounts_method', oneOf('verification_method', VERIFICATION_METHODS, { nullable: true }))
export class BankAccount {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('awards', { name: 'fk_bank_accounts_award', onDelete: 'CASCADE' })
  @Column({ name: 'award_id', type: 'uuid', unique: true })
  awardId: string;

  @Column({ name: 'details_sealed', type: 'text' })
  detailsSealed: string;

  @Column({ name: 'account_last_four', type: 'varchar', length: 4 })
  accountLastFour: string;

  @Column({ name: 'sort_code_last_two', type: 'varchar', length: 2 })
  sortCodeLastTwo: string;

  @Column({ name: 'entered_by_user_id', type: 'uuid' })
  enteredByUserId: string;

  @Column({ name: 'entered_at', type: 'timestamptz' })
  enteredAt: Date;

  @Column({ name: 'verified_by_user_id', type: 'uuid', nullable: true })
  verifiedByUserId: string | null;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt: Date | null;

  @Column({ name: 'verification_method', type: 'varchar', length: 20, nullable: true })
  verificationMethod: VerificationMethod | null;

  @Column({ name: 'verification_note', type: 'text', nullable: true })
  verificationNote: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;
}

/** One instalment of an award's payment schedule (pence); `paid_pence` moves only with a counted payment. */
@Entity('payment_instalments')
@Check('chk_payment_instalments_amounts', '"amount_pence" > 0 AND "paid_pence" >= 0 AND "paid_pence" <= "amount_pence"')
@Index('ix_payment_instalments_award', ['awardId', 'position'])
@Index('ix_payment_instalments_round', ['roundId', 'dueOn'])
export class PaymentInstalment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('awards', { name: 'fk_payment_instalments_award', onDelete: 'CASCADE' })
  @Column({ name: 'award_id', type: 'uuid' })
  awardId: string;

  /** The award's round and fund, kept here so the payments-due list filters in one query. */
  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Column({ name: 'fund_id', type: 'uuid' })
  fundId: string;

  @Column({ type: 'int' })
  position: number;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ name: 'amount_pence', type: 'bigint' })
  amountPence: string;

  @Column({ name: 'paid_pence', type: 'bigint', default: '0' })
  paidPence: string;

  @Column({ type: 'jsonb', nullable: true })
  condition: InstalmentCondition | null;

  @Column({ name: 'condition_met_at', type: 'timestamptz', nullable: true })
  conditionMetAt: Date | null;

  @Column({ name: 'condition_met_by', type: 'varchar', length: 320, nullable: true })
  conditionMetBy: string | null;

  @Column({ name: 'condition_note', type: 'text', nullable: true })
  conditionNote: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** Money paid (or to be paid, once approved) to an award's organisation. */
@Entity('payments')
@Check('chk_payments_status', oneOf('status', PAYMENT_STATUSES))
@Check('chk_payments_amount', '"amount_pence" > 0')
@Index('ix_payments_award', ['awardId', 'createdAt'])
@Index('ix_payments_status', ['status'])
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('awards', { name: 'fk_payments_award', onDelete: 'RESTRICT' })
  @Column({ name: 'award_id', type: 'uuid' })
  awardId: string;

  @ForeignKey('payment_instalments', { name: 'fk_payments_instalment', onDelete: 'SET NULL' })
  @Column({ name: 'instalment_id', type: 'uuid', nullable: true })
  instalmentId: string | null;

  @Column({ name: 'amount_pence', type: 'bigint' })
  amountPence: string;

  @Column({ name: 'paid_on', type: 'date' })
  paidOn: string;

  @Column({ type: 'varchar', length: 100 })
  reference: string;

  @Column({ type: 'varchar', length: 20 })
  status: PaymentStatus;

  @Column({ name: 'recorded_by_user_id', type: 'uuid' })
  recordedByUserId: string;

  @Column({ name: 'recorded_by', type: 'varchar', length: 320 })
  recordedBy: string;

  @Column({ name: 'decided_by_user_id', type: 'uuid', nullable: true })
  decidedByUserId: string | null;

  @Column({ name: 'decided_by', type: 'varchar', length: 320, nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A round's payment plan: how a new award's schedule is made (finance's per-round setting). */
@Entity('round_payment_plans')
export class RoundPaymentPlan {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  @ForeignKey('rounds', { name: 'fk_round_payment_plans_round', onDelete: 'CASCADE' })
  roundId: string;

  @Column({ type: 'jsonb' })
  steps: PlanStep[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A fund's rule for second approval of payments (finance's per-fund setting). */
@Entity('fund_payment_rules')
@Unique('uq_fund_payment_rules_fund', ['fundId'])
@Check('chk_fund_payment_rules_threshold', '"approval_threshold_pence" IS NULL OR "approval_threshold_pence" >= 0')
export class FundPaymentRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('funds', { name: 'fk_fund_payment_rules_fund', onDelete: 'CASCADE' })
  @Column({ name: 'fund_id', type: 'uuid' })
  fundId: string;

  /** Payments above this need a second finance officer; null: the service's PAYMENT_APPROVAL_THRESHOLD_PENCE. */
  @Column({ name: 'approval_threshold_pence', type: 'bigint', nullable: true })
  approvalThresholdPence: string | null;

  /** Every payment of the fund needs a second finance officer, whatever its amount. */
  @Column({ name: 'approve_every_payment', type: 'boolean', default: false })
  approveEveryPayment: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
