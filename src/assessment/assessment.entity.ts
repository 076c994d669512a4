import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';
import type { CriterionDef, Recommendation, ScoreInput } from './assessment-rules.js';

/** A round's scoring set-up (criteria, assessors per bid, moderation threshold, due days). */
@Entity('assessment_settings')
export class AssessmentSettings {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  criteria: CriterionDef[];

  @Column({ name: 'assessors_per_bid', type: 'int', default: 2 })
  assessorsPerBid: number;

  @Column({ name: 'moderation_threshold', type: 'int', default: 20 })
  moderationThreshold: number;

  @Column({ name: 'due_days', type: 'int', default: 14 })
  dueDays: number;
}

/** A member of a round's assessor pool. */
@Entity('assessor_pool')
export class AssessorPoolMember {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'int' })
  capacity: number;

  @Column({ name: 'added_at', type: 'timestamptz', default: () => 'now()' })
  addedAt: Date;
}

/** A person's declared conflict of interest with an organisation (assessors now, panels later). */
@Entity('conflicts_of_interest')
@Index('ix_conflicts_person_organisation', ['userId', 'organisationId'])
export class ConflictOfInterest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  reason: string;

  @CreateDateColumn({ name: 'declared_at', type: 'timestamptz' })
  declaredAt: Date;
}

export const BID_STATES = ['unassigned', 'assessing', 'flagged', 'assessed'] as const;
export type BidState = (typeof BID_STATES)[number];

/** Assessment's record of a bid in assessment (one row per bid: handling its arrival twice does nothing). */
@Entity('assessment_bids')
@Check('chk_assessment_bids_state', oneOf('state', BID_STATES))
export class AssessmentBid {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Index('ix_assessment_bids_round')
  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Column({ name: 'pot_id', type: 'uuid' })
  potId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'varchar', length: 20 })
  state: BidState;

  @Column({ name: 'moderated_score', type: 'numeric', precision: 5, scale: 2, nullable: true })
  moderatedScore: string | null;

  @Column({ name: 'moderation_reason', type: 'text', nullable: true })
  moderationReason: string | null;

  @CreateDateColumn({ name: 'arrived_at', type: 'timestamptz' })
  arrivedAt: Date;
}

export const ASSESSMENT_STATUSES = ['open', 'submitted', 'removed'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/** One assessor's assessment of one bid. */
@Entity('assessments')
@Check('chk_assessments_status', oneOf('status', ASSESSMENT_STATUSES))
@Index('uq_assessments_bid_assessor', ['applicationId', 'assessorId'], { unique: true, where: `status <> 'removed'` })
@Index('ix_assessments_assessor_due', ['assessorId', 'dueOn'])
export class Assessment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Column({ name: 'assessor_id', type: 'uuid' })
  assessorId: string;

  @Column({ type: 'varchar', length: 20, default: 'open' })
  status: AssessmentStatus;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  scores: ScoreInput[];

  @Column({ type: 'varchar', length: 20, nullable: true })
  recommendation: Recommendation | null;

  @Column({ name: 'recommended_pence', type: 'bigint', nullable: true })
  recommendedPence: string | null;

  @Column({ name: 'weighted_score', type: 'numeric', precision: 5, scale: 2, nullable: true })
  weightedScore: string | null;

  @Column({ name: 'no_conflict_confirmed_at', type: 'timestamptz', nullable: true })
  noConflictConfirmedAt: Date | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt: Date;
}

/** A reminder sent (or due): a job delivered twice finds its row and sends once. */
@Entity('assessment_reminders')
export class AssessmentReminder {
  @PrimaryColumn({ name: 'assessment_id', type: 'uuid' })
  assessmentId: string;

  @PrimaryColumn({ type: 'varchar', length: 20 })
  kind: string;

  @PrimaryColumn({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ name: 'sent_at', type: 'timestamptz', default: () => 'now()' })
  sentAt: Date;
}
