import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';
import { CLAWBACK_STATUSES, type ClawbackStatus } from './clawback-lifecycle.js';

export const REPAYMENT_REASONS = ['underspend', 'clawback', 'other'] as const;
export type RepaymentReason = (typeof REPAYMENT_REASONS)[number];

/** Money an organisation must pay back (raised by a grants officer); repayments against it move it to repaid. */
@Entity('clawbacks')
@Check('chk_clawbacks_status', oneOf('status', CLAWBACK_STATUSES))
@Check('chk_clawbacks_amounts', '"amount_pence" > 0 AND "repaid_pence" >= 0 AND "repaid_pence" <= "amount_pence"')
@Index('ix_clawbacks_award', ['awardId', 'createdAt'])
export class Clawback {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('awards', { name: 'fk_clawbacks_award', onDelete: 'RESTRICT' })
  @Column({ name: 'award_id', type: 'uuid' })
  awardId: string;

  @Column({ name: 'amount_pence', type: 'bigint' })
  amountPence: string;

  /** What has come in against it so far (the sum of its repayments). */
  @Column({ name: 'repaid_pence', type: 'bigint', default: '0' })
  repaidPence: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ type: 'varchar', length: 20, default: 'raised' })
  status: ClawbackStatus;

  @Column({ name: 'raised_by', type: 'uuid', nullable: true })
  raisedBy: string | null;

  @Column({ name: 'raised_by_label', type: 'varchar', length: 254 })
  raisedByLabel: string;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Money received back from an organisation (an underspend, a clawback, or other), recorded once by finance. */
@Entity('repayments')
@Check('chk_repayments_reason', oneOf('reason', REPAYMENT_REASONS))
@Check('chk_repayments_amount', '"amount_pence" > 0')
@Check('chk_repayments_clawback_reason', `"clawback_id" IS NULL OR "reason" = 'clawback'`)
@Index('ix_repayments_award', ['awardId', 'createdAt'])
export class Repayment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('awards', { name: 'fk_repayments_award', onDelete: 'RESTRICT' })
  @Column({ name: 'award_id', type: 'uuid' })
  awardId: string;

  @Index('ix_repayments_clawback')
  @ForeignKey('clawbacks', { name: 'fk_repayments_clawback', onDelete: 'RESTRICT' })
  @Column({ name: 'clawback_id', type: 'uuid', nullable: true })
  clawbackId: string | null;

  @Column({ name: 'amount_pence', type: 'bigint' })
  amountPence: string;

  @Column({ name: 'received_on', type: 'date' })
  receivedOn: string;

  /** The bank reference the money came in under. */
  @Column({ type: 'varchar', length: 100 })
  reference: string;

  @Column({ type: 'varchar', length: 20 })
  reason: RepaymentReason;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @Column({ name: 'recorded_by_label', type: 'varchar', length: 254 })
  recordedByLabel: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
