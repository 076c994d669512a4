import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';
import { RETURN_ACTORS, RETURN_STATUSES, type ReturnActor, type ReturnStatus } from './return-lifecycle.js';
import type { ScheduledReturn } from './return-rules.js';

/** One line of spend in a return: pence spent in the return's period against an approved budget line. */
export interface SpendLine {
  budgetLineId: string;
  spentPence: number;
}

/** One output the project promised and what it delivered (counts: people reached, sessions run). */
export interface OutputLine {
  key: string;
  label: string;
  promised: number;
  actual: number;
}

/** A round's return schedule (a round without one uses DEFAULT_RETURN_SCHEDULE). */
@Entity('return_schedules')
export class ReturnSchedule {
  @ForeignKey('rounds', { name: 'fk_return_schedules_round', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Column({ type: 'jsonb' })
  returns: ScheduledReturn[];

  @Column({ name: 'updated_by', type: 'varchar', length: 320 })
  updatedBy: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** A monitoring return an award owes: created when the award is accepted, written by its organisation, reviewed by a grants officer. */
@Entity('monitoring_returns')
@Unique('uq_monitoring_returns_award_number', ['awardId', 'number'])
@Check('chk_monitoring_returns_status', oneOf('status', RETURN_STATUSES))
@Check('chk_monitoring_returns_number', '"number" >= 1')
@Index('ix_monitoring_returns_status', ['status', 'submittedAt'])
@Index('ix_monitoring_returns_due', ['dueOn'])
export class MonitoringReturn {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('awards', { name: 'fk_monitoring_returns_award', onDelete: 'RESTRICT' })
  @Column({ name: 'award_id', type: 'uuid' })
  awardId: string;

  @Column({ type: 'int' })
  number: number;

  @Column({ name: 'period_label', type: 'varchar', length: 100 })
  periodLabel: string;

  @Column({ name: 'months_after_start', type: 'int' })
  monthsAfterStart: number;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ name: 'is_final', type: 'boolean', default: false })
  final: boolean;

  @Column({ type: 'varchar', length: 20, default: 'due' })
  status: ReturnStatus;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  spend: SpendLine[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  outputs: OutputLine[];

  @Column({ type: 'text', default: '' })
  narrative: string;

  @Column({ type: 'text', default: '' })
  outcomes: string;

  @Column({ name: 'case_study', type: 'text', default: '' })
  caseStudy: string;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'submitted_by', type: 'uuid', nullable: true })
  submittedBy: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy: string | null;

  /** The grants officer's note with the last review (what to change, or a word on acceptance). */
  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Every move of a return (who, when, from, to, the note). */
@Entity('return_transitions')
@Check('chk_return_transitions_made_as', oneOf('made_as', RETURN_ACTORS))
@Index('ix_return_transitions_return', ['returnId', 'createdAt'])
export class ReturnTransition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('monitoring_returns', { name: 'fk_return_transitions_return', onDelete: 'CASCADE' })
  @Column({ name: 'return_id', type: 'uuid' })
  returnId: string;

  @Column({ name: 'from_status', type: 'varchar', length: 20 })
  fromStatus: ReturnStatus;

  @Column({ name: 'to_status', type: 'varchar', length: 20 })
  toStatus: ReturnStatus;

  @Column({ name: 'made_as', type: 'varchar', length: 20 })
  madeAs: ReturnActor;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_label', type: 'varchar', length: 320 })
  actorLabel: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A reminder sent: a job delivered twice finds its row and sends once. */
@Entity('return_reminders')
export class ReturnReminder {
  @ForeignKey('monitoring_returns', { name: 'fk_return_reminders_return', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'return_id', type: 'uuid' })
  returnId: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  kind: string;

  @PrimaryColumn({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ name: 'sent_at', type: 'timestamptz', default: () => 'now()' })
  sentAt: Date;
}
