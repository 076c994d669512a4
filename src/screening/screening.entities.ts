import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { oneOf } from '../database/checks.js';

export const SCREENING_OUTCOMES = ['pass', 'more_info', 'ineligible'] as const;
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[number];

export const CHECKLIST_RESULTS = ['pass', 'fail', 'not_applicable'] as const;
export type ChecklistResult = (typeof CHECKLIST_RESULTS)[number];

/** One item of a round's screening checklist (data per round; defaults in checklist-defaults.ts). */
@Entity('screening_checklist_items')
@Unique('uq_screening_checklist_items_round_key', ['roundId', 'key'])
export class ScreeningChecklistItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('rounds', { name: 'fk_screening_checklist_items_round', onDelete: 'CASCADE' })
  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Column({ type: 'varchar', length: 60 })
  key: string;

  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'int' })
  position: number;

  /** When screening of a bid in the round started: from then on the checklist cannot change. */
  @Column({ name: 'frozen_at', type: 'timestamptz', nullable: true })
  frozenAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** What an officer answered for one checklist item. */
export interface ChecklistAnswer {
  key: string;
  label: string;
  result: ChecklistResult;
  note: string;
  attachmentIds: string[];
}

/** One screening of a bid: kept for good (a bid screened again gets a new row). */
@Entity('screenings')
@Check('chk_screenings_outcome', oneOf('outcome', SCREENING_OUTCOMES))
@Index('ix_screenings_application', ['applicationId', 'createdAt'])
export class Screening {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('applications', { name: 'fk_screenings_application', onDelete: 'CASCADE' })
  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ type: 'varchar', length: 20 })
  outcome: ScreeningOutcome;

  @Column({ type: 'jsonb' })
  checklist: ChecklistAnswer[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  sections: string[];

  @Column({ name: 'attachment_kinds', type: 'text', array: true, default: () => "'{}'" })
  attachmentKinds: string[];

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({ name: 'respond_by', type: 'date', nullable: true })
  respondBy: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'screened_by', type: 'uuid', nullable: true })
  screenedBy: string | null;

  @Column({ name: 'screened_by_label', type: 'varchar', length: 200 })
  screenedByLabel: string;

  /** Set once the "respond by has passed" reminder has been queued (the job sends it once). */
  @Column({ name: 'reminder_sent_at', type: 'timestamptz', nullable: true })
  reminderSentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** What an officer saw on a public register for a bid's organisation, and when. */
@Entity('register_checks')
@Index('ix_register_checks_application', ['applicationId', 'createdAt'])
export class RegisterCheck {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('applications', { name: 'fk_register_checks_application', onDelete: 'CASCADE' })
  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'registered_number', type: 'varchar', length: 40 })
  registeredNumber: string;

  @Column({ name: 'name_shown', type: 'varchar', length: 200 })
  nameShown: string;

  @Column({ name: 'register_status', type: 'varchar', length: 80 })
  registerStatus: string;

  @Column({ name: 'checked_at', type: 'timestamptz' })
  checkedAt: Date;

  /** Which RegisterLookup recorded it ('manual' for the officer's own record). */
  @Column({ type: 'varchar', length: 40 })
  source: string;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @Column({ name: 'recorded_by_label', type: 'varchar', length: 200 })
  recordedByLabel: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
