import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { oneOf } from '../database/checks.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './application.types.js';

export { APPLICATION_STATUSES, type ApplicationStatus };

/**
 * A bid by an organisation for a grant from one pot of a round. Rounds, pots, forms, organisations,
 * districts and priorities belong to other modules: the bid holds their ids (with the database's
 * foreign keys) and reads them through those modules' services, never through a TypeORM relation.
 */
@Entity('applications')
@Check('chk_applications_status', oneOf('status', APPLICATION_STATUSES))
@Check('chk_applications_dates', '"project_end_date" IS NULL OR "project_start_date" IS NULL OR "project_end_date" >= "project_start_date"')
@Index('ix_applications_round_status', ['roundId', 'status'])
export class Application {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('rounds', { name: 'fk_applications_round', onDelete: 'RESTRICT' })
  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @Index('ix_applications_pot')
  @ForeignKey('pots', { name: 'fk_applications_pot', onDelete: 'RESTRICT' })
  @Column({ name: 'pot_id', type: 'uuid' })
  potId: string;

  @Index('ix_applications_organisation')
  @ForeignKey('organisations', { name: 'fk_applications_organisation', onDelete: 'RESTRICT' })
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** The form version this bid was started on (drafts never break when the form changes). */
  @ForeignKey('round_forms', { name: 'fk_applications_form', onDelete: 'RESTRICT' })
  @Column({ name: 'form_id', type: 'uuid' })
  formId: string;

  /** e.g. SCF-R17-0042, issued at submission, unique. */
  @Index('uq_applications_reference', { unique: true })
  @Column({ type: 'varchar', length: 30, nullable: true })
  reference: string | null;

  @Column({ name: 'project_title', type: 'varchar', length: 200, nullable: true })
  projectTitle: string | null;

  @Column({ name: 'project_summary', type: 'text', nullable: true })
  projectSummary: string | null;

  @Column({ name: 'project_start_date', type: 'date', nullable: true })
  projectStartDate: string | null;

  @Column({ name: 'project_end_date', type: 'date', nullable: true })
  projectEndDate: string | null;

  /** Sum of budget lines' amounts, kept in step with them. */
  @Column({ name: 'amount_requested_pence', type: 'bigint', default: 0 })
  amountRequestedPence: string;

  @Index('ix_applications_status')
  @Column({ type: 'varchar', length: 30, default: 'draft' })
  status: ApplicationStatus;

  /** Optimistic locking for the application's own fields. */
  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ name: 'declaration_name', type: 'varchar', length: 120, nullable: true })
  declarationName: string | null;

  @Column({ name: 'declaration_accepted_at', type: 'timestamptz', nullable: true })
  declarationAcceptedAt: Date | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'submitted_by', type: 'uuid', nullable: true })
  submittedBy: string | null;

  @Column({ name: 'withdrawn_at', type: 'timestamptz', nullable: true })
  withdrawnAt: Date | null;

  /** While more information is asked for: the section keys its members may change again (set by ApplicationTransitions). */
  @Column({ name: 'reopened_sections', type: 'text', array: true, default: () => "'{}'" })
  reopenedSections: string[];

  /** While more information is asked for: the attachment kinds its members may add or remove again. */
  @Column({ name: 'reopened_attachment_kinds', type: 'text', array: true, default: () => "'{}'" })
  reopenedAttachmentKinds: string[];

  /** The officer's message to the applicant while more information is asked for. */
  @Column({ name: 'more_info_message', type: 'text', nullable: true })
  moreInfoMessage: string | null;

  /** The date (London) the applicant is asked to respond by. */
  @Column({ name: 'respond_by', type: 'date', nullable: true })
  respondBy: string | null;

  /** When the applicant last resubmitted after a request for more information (the screening queue puts these first). */
  @Column({ name: 'resubmitted_at', type: 'timestamptz', nullable: true })
  resubmittedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The districts a bid's project serves. */
@Entity('application_districts')
export class ApplicationDistrict {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Index('ix_application_districts_district')
  @ForeignKey('districts', { name: 'fk_application_districts_district', onDelete: 'RESTRICT' })
  @PrimaryColumn({ name: 'district_id', type: 'uuid' })
  districtId: string;

  @ManyToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'fk_application_districts_application' })
  application?: Relation<Application>;
}

/** The Police and Crime Plan priorities a bid's project serves. */
@Entity('application_priorities')
export class ApplicationPriority {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Index('ix_application_priorities_priority')
  @ForeignKey('priorities', { name: 'fk_application_priorities_priority', onDelete: 'RESTRICT' })
  @PrimaryColumn({ name: 'priority_id', type: 'uuid' })
  priorityId: string;

  @ManyToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'fk_application_priorities_application' })
  application?: Relation<Application>;
}
