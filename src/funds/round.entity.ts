import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { oneOf } from '../database/checks.js';
import { Fund } from './fund.entity.js';

export const ROUND_STATUSES = ['draft', 'scheduled', 'open', 'closed', 'assessing', 'decided', 'archived'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/** A funding round: a call for bids that opens and closes on its dates. Money is integer pence. */
@Entity('rounds')
@Check('chk_rounds_status', oneOf('status', ROUND_STATUSES))
@Check('chk_rounds_dates', '"closes_at" > "opens_at"')
@Check('chk_rounds_budget', '"total_budget_pence" >= 0')
@Index('uq_rounds_fund_code', ['fundId', 'code'], { unique: true })
export class Round {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_rounds_fund')
  @Column({ name: 'fund_id', type: 'uuid' })
  fundId: string;

  @ManyToOne(() => Fund, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'fund_id', foreignKeyConstraintName: 'fk_rounds_fund' })
  fund?: Relation<Fund>;

  /** Short code used in references, e.g. "R17". */
  @Column({ type: 'varchar', length: 10 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Who and what the round funds, shown on the public round page. */
  @Column({ type: 'text', nullable: true })
  criteria: string | null;

  /** What the round does not fund (e.g. general appeals, projects longer than 12 months). */
  @Column({ type: 'text', nullable: true })
  exclusions: string | null;

  @Column({ name: 'opens_at', type: 'timestamptz' })
  opensAt: Date;

  @Column({ name: 'closes_at', type: 'timestamptz' })
  closesAt: Date;

  @Column({ name: 'total_budget_pence', type: 'bigint' })
  totalBudgetPence: string;

  @Index('ix_rounds_status')
  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status: RoundStatus;

  /** The form version new applications use; frozen once the round has opened. */
  @Column({ name: 'current_form_id', type: 'uuid', nullable: true })
  currentFormId: string | null;

  /** Last application reference number issued in this round (SCF-R17-0042 is 42). */
  @Column({ name: 'last_reference_number', type: 'int', default: 0 })
  lastReferenceNumber: number;

  /** Optimistic locking: UPDATE ... WHERE version = $n. */
  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
