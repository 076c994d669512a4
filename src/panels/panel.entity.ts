import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { oneOf } from '../database/checks.js';

export const PANEL_STATUSES = ['open', 'confirmed'] as const;
export type PanelStatus = (typeof PANEL_STATUSES)[number];

export const DECISION_OUTCOMES = ['approve', 'approve_in_part', 'reject', 'defer'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const DECISION_STATUSES = ['recorded', 'changed', 'confirmed'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

/** Who attended, who was conflicted on each bid and each decision: written once, at confirmation. */
export interface PanelMinutes {
  confirmedAt: string;
  confirmedBy: string;
  attendees: { userId: string; fullName: string; chair: boolean }[];
  items: {
    applicationId: string;
    reference: string | null;
    organisationName: string;
    outcome: DecisionOutcome;
    amountPence: number | null;
    conditions: string[];
    feedback: string | null;
    reason: string | null;
    notTakingPart: { userId: string; fullName: string }[];
  }[];
}

/** A panel meeting of a round: its members decide the bids on its agenda until it is confirmed. */
@Entity('panels')
@Check('chk_panels_status', oneOf('status', PANEL_STATUSES))
@Index('ix_panels_round', ['roundId'])
export class Panel {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('rounds', { name: 'fk_panels_round', onDelete: 'RESTRICT' })
  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'meeting_at', type: 'timestamptz' })
  meetingAt: Date;

  @Column({ type: 'varchar', length: 20, default: 'open' })
  status: PanelStatus;

  @Column({ type: 'jsonb', nullable: true })
  minutes: PanelMinutes | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A member of a panel meeting (each holds the panel_member role); exactly one is the chair. */
@Entity('panel_members')
@Index('ix_panel_members_user', ['userId'])
@Index('uq_panel_members_one_chair', ['panelId'], { unique: true, where: '"chair"' })
export class PanelMember {
  @PrimaryColumn({ name: 'panel_id', type: 'uuid' })
  @ForeignKey('panels', { name: 'fk_panel_members_panel', onDelete: 'CASCADE' })
  panelId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  @ForeignKey('users', { name: 'fk_panel_members_user', onDelete: 'RESTRICT' })
  userId: string;

  @Column({ type: 'boolean', default: false })
  chair: boolean;
}

/** A bid on a meeting's agenda (copied facts so the pack lists it without asking applications per bid). */
@Entity('panel_agenda_items')
@Index('ix_panel_agenda_items_application', ['applicationId'])
export class PanelAgendaItem {
  @PrimaryColumn({ name: 'panel_id', type: 'uuid' })
  @ForeignKey('panels', { name: 'fk_panel_agenda_items_panel', onDelete: 'CASCADE' })
  panelId: string;

  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  @ForeignKey('applications', { name: 'fk_panel_agenda_items_application', onDelete: 'RESTRICT' })
  applicationId: string;

  @Column({ name: 'pot_id', type: 'uuid' })
  potId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'amount_requested_pence', type: 'bigint' })
  amountRequestedPence: string;

  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' })
  addedAt: Date;
}

/**
 * The one current decision on a bid at a meeting. Recording again changes it (version + 1) until
 * the meeting is confirmed; the ledger keys of its money carry the version.
 */
@Entity('panel_decisions')
@Unique('uq_panel_decisions_panel_application', ['panelId', 'applicationId'])
@Check('chk_panel_decisions_outcome', oneOf('outcome', DECISION_OUTCOMES))
@Check('chk_panel_decisions_status', oneOf('status', DECISION_STATUSES))
@Check('chk_panel_decisions_amount', `"amount_pence" IS NULL OR "amount_pence" > 0`)
export class PanelDecision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('panels', { name: 'fk_panel_decisions_panel', onDelete: 'CASCADE' })
  @Column({ name: 'panel_id', type: 'uuid' })
  panelId: string;

  @ForeignKey('applications', { name: 'fk_panel_decisions_application', onDelete: 'RESTRICT' })
  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ type: 'varchar', length: 20 })
  outcome: DecisionOutcome;

  @Column({ type: 'varchar', length: 20, default: 'recorded' })
  status: DecisionStatus;

  @Column({ name: 'amount_pence', type: 'bigint', nullable: true })
  amountPence: string | null;

  @Column({ name: 'reduced_budget_lines', type: 'jsonb', default: () => "'[]'" })
  reducedBudgetLines: { budgetLineId: string; amountPence: number }[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  conditions: string[];

  @Column({ type: 'text', nullable: true })
  feedback: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'award_id', type: 'uuid', nullable: true })
  awardId: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;
}

/** A fund's list of standard conditions a panel may attach to an approval (panels keeps it, keyed by fund). */
@Entity('panel_standard_conditions')
export class StandardConditions {
  @PrimaryColumn({ name: 'fund_id', type: 'uuid' })
  @ForeignKey('funds', { name: 'fk_panel_standard_conditions_fund', onDelete: 'CASCADE' })
  fundId: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  conditions: string[];

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
