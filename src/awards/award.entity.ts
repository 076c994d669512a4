import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';
import { AWARD_ACTORS, AWARD_STATUSES, type AwardActor, type AwardStatus } from './award-lifecycle.js';

/** One line of an award's approved budget (pence); `budgetLineId` is the bid's line it comes from. */
export interface ApprovedBudgetLine {
  budgetLineId: string;
  item: string;
  category: string;
  amountPence: number;
}

/**
 * A confirmed (or, until the panel confirms, provisional) approval: the grant offered to an
 * organisation. Money is integer pence; its movements are in the pot ledger (funds), never here.
 */
@Entity('awards')
@Check('chk_awards_status', oneOf('status', AWARD_STATUSES))
@Check('chk_awards_amount', '"amount_pence" > 0')
@Check('chk_awards_paid_within_amount', '"paid_pence" >= 0 AND "released_pence" >= 0 AND "paid_pence" + "released_pence" <= "amount_pence"')
@Index('ix_awards_round_status', ['roundId', 'status'])
@Index('ix_awards_organisation', ['organisationId', 'createdAt'])
@Index('ix_awards_created', ['createdAt', 'id'])
export class Award {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40, unique: true })
  reference: string;

  /** The panel's decision it comes from (one award per decision). */
  @Column({ name: 'decision_id', type: 'uuid', unique: true })
  decisionId: string;

  @ForeignKey('applications', { name: 'fk_awards_application', onDelete: 'RESTRICT' })
  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @ForeignKey('rounds', { name: 'fk_awards_round', onDelete: 'RESTRICT' })
  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ForeignKey('pots', { name: 'fk_awards_pot', onDelete: 'RESTRICT' })
  @Column({ name: 'pot_id', type: 'uuid' })
  potId: string;

  @ForeignKey('organisations', { name: 'fk_awards_organisation', onDelete: 'RESTRICT' })
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'amount_pence', type: 'bigint' })
  amountPence: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  conditions: string[];

  /** The approved budget: the bid's lines as the panel approved them (with its reductions when it approved in part). */
  @Column({ name: 'budget_lines', type: 'jsonb', default: () => "'[]'" })
  budgetLines: ApprovedBudgetLine[];

  /** The project's dates, from the bid (a variation may extend the end). */
  @Column({ name: 'starts_on', type: 'date', nullable: true })
  startsOn: string | null;

  @Column({ name: 'ends_on', type: 'date', nullable: true })
  endsOn: string | null;

  /** Paid so far, net of repayments; finance moves it through AwardsService, the CHECK keeps it within the amount. */
  @Column({ name: 'paid_pence', type: 'bigint', default: '0' })
  paidPence: string;

  /** Given back to the pot after the offer was accepted (money repaid and released, or the unpaid rest at closure); outstanding = amount − paid − released. */
  @Column({ name: 'released_pence', type: 'bigint', default: '0' })
  releasedPence: string;

  @Column({ type: 'varchar', length: 20, default: 'provisional' })
  status: AwardStatus;

  @Column({ name: 'offered_at', type: 'timestamptz', nullable: true })
  offeredAt: Date | null;

  @Column({ name: 'offer_expires_at', type: 'timestamptz', nullable: true })
  offerExpiresAt: Date | null;

  /** The grant agreement terms current when it was offered (what the applicant reads and accepts). */
  @ForeignKey('agreement_terms', { name: 'fk_awards_agreement_terms', onDelete: 'RESTRICT' })
  @Column({ name: 'agreement_terms_id', type: 'uuid', nullable: true })
  agreementTermsId: string | null;

  @Column({ name: 'agreement_version', type: 'int', nullable: true })
  agreementVersion: number | null;

  @Column({ name: 'signatory_name', type: 'varchar', length: 200, nullable: true })
  signatoryName: string | null;

  @Column({ name: 'signatory_role', type: 'varchar', length: 200, nullable: true })
  signatoryRole: string | null;

  @Column({ name: 'responded_by', type: 'uuid', nullable: true })
  respondedBy: string | null;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;

  @Column({ name: 'decline_reason', type: 'text', nullable: true })
  declineReason: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** Every move of an award's status: who, as what, when and why (its history; never changed). */
@Entity('award_transitions')
@Check('chk_award_transitions_from', oneOf('from_status', AWARD_STATUSES, { nullable: true }))
@Check('chk_award_transitions_to', oneOf('to_status', AWARD_STATUSES))
@Check('chk_award_transitions_by', oneOf('made_as', AWARD_ACTORS))
@Index('ix_award_transitions_award', ['awardId', 'createdAt'])
export class AwardTransition {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('awards', { name: 'fk_award_transitions_award', onDelete: 'CASCADE' })
  @Column({ name: 'award_id', type: 'uuid' })
  awardId: string;

  /** Null for the award's creation. */
  @Column({ name: 'from_status', type: 'varchar', length: 20, nullable: true })
  fromStatus: AwardStatus | null;

  @Column({ name: 'to_status', type: 'varchar', length: 20 })
  toStatus: AwardStatus;

  @Column({ name: 'made_as', type: 'varchar', length: 20 })
  madeAs: AwardActor;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_label', type: 'varchar', length: 200 })
  actorLabel: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** The last award number issued in a round (references are per round, like applications'). */
@Entity('award_reference_counters')
export class AwardReferenceCounter {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  @ForeignKey('rounds', { name: 'fk_award_reference_counters_round', onDelete: 'CASCADE' })
  roundId: string;

  @Column({ name: 'last_number', type: 'int' })
  lastNumber: number;
}

/** A published version of a fund's grant agreement terms: kept for good, the newest is current. */
@Entity('agreement_terms')
@Unique('uq_agreement_terms_fund_version', ['fundId', 'version'])
@Check('chk_agreement_terms_version', '"version" > 0')
export class AgreementTerms {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('funds', { name: 'fk_agreement_terms_fund', onDelete: 'CASCADE' })
  @Column({ name: 'fund_id', type: 'uuid' })
  fundId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'text' })
  text: string;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt: Date;

  @Column({ name: 'published_by', type: 'uuid', nullable: true })
  publishedBy: string | null;

  @Column({ name: 'published_by_label', type: 'varchar', length: 200 })
  publishedByLabel: string;
}
