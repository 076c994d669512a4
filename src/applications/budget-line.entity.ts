import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Application } from './application.entity.js';
import { oneOf } from '../database/checks.js';

export const BUDGET_CATEGORIES = ['staff', 'volunteers', 'equipment', 'venue', 'activities', 'training', 'publicity', 'travel', 'overheads', 'other'] as const;
export type BudgetCategory = (typeof BUDGET_CATEGORIES)[number];

/** A line of a bid's budget, in integer pence. */
@Entity('budget_lines')
@Check('chk_budget_lines_category', oneOf('category', BUDGET_CATEGORIES))
@Check('chk_budget_lines_amounts', '"amount_pence" > 0 AND "other_funding_pence" >= 0')
export class BudgetLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_budget_lines_application')
  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @ManyToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'fk_budget_lines_application' })
  application?: Relation<Application>;

  @Column({ type: 'varchar', length: 200 })
  item: string;

  @Column({ type: 'varchar', length: 30 })
  category: BudgetCategory;

  /** Asked of this fund. */
  @Column({ name: 'amount_pence', type: 'bigint' })
  amountPence: string;

  /** Other funding towards this line. */
  @Column({ name: 'other_funding_pence', type: 'bigint', default: 0 })
  otherFundingPence: string;

  @Column({ name: 'other_funding_source', type: 'varchar', length: 200, nullable: true })
  otherFundingSource: string | null;

  @Column({ type: 'int', default: 0 })
  position: number;

  /** Optimistic locking: a change or removal names the version it was made from. */
  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
