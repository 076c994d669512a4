import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';
import type { ApprovedBudgetLine } from './award.entity.js';
import { VARIATION_KINDS, VARIATION_STATUSES, type VariationKind, type VariationStatus } from './variation-lifecycle.js';

/** The award's terms a variation changes, as they were when it was asked for and as it proposes them. */
export interface VariationTerms {
  amountPence: number;
  budgetLines: ApprovedBudgetLine[];
  endsOn: string | null;
}

/**
 * An owner's request to change an accepted award's budget lines, end date or amount, and a grants
 * officer's decision on it. At most one is open per award (the partial unique index); an approved
 * amount change moves money through the pot ledger in the decision's transaction.
 */
@Entity('award_variations')
@Check('chk_award_variations_kind', oneOf('kind', VARIATION_KINDS))
@Check('chk_award_variations_status', oneOf('status', VARIATION_STATUSES))
@Index('ix_award_variations_award', ['awardId', 'createdAt'])
@Index('ix_award_variations_status', ['status', 'createdAt'])
@Index('uq_award_variations_open', ['awardId'], { unique: true, where: `"status" = 'requested'` })
export class AwardVariation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('awards', { name: 'fk_award_variations_award', onDelete: 'RESTRICT' })
  @Column({ name: 'award_id', type: 'uuid' })
  awardId: string;

  @Column({ type: 'varchar', length: 20 })
  kind: VariationKind;

  @Column({ type: 'varchar', length: 20, default: 'requested' })
  status: VariationStatus;

  @Column({ type: 'text' })
  reason: string;

  /** The award's amount, lines and end date when the variation was asked for. */
  @Column({ type: 'jsonb' })
  before: VariationTerms;

  /** What the variation proposes (the same three, the unchanged ones copied from `before`). */
  @Column({ type: 'jsonb' })
  proposed: VariationTerms;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ name: 'requested_by_label', type: 'varchar', length: 254 })
  requestedByLabel: string;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_by_label', type: 'varchar', length: 254, nullable: true })
  decidedByLabel: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** The grants officer's note (needed when refusing), or the owner's reason for withdrawing. */
  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
