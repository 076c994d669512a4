import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { oneOf } from '../database/checks.js';

/** What happened to an uploaded file of past awards: checked (errors or a clean preview), queued for import, importing, imported, failed. */
export const IMPORT_BATCH_STATUSES = ['checked', 'queued', 'importing', 'imported', 'failed'] as const;
export type ImportBatchStatus = (typeof IMPORT_BATCH_STATUSES)[number];

/** A row of an import as checked: every value resolved (ids, pence, ISO dates), ready to insert. */
export interface CheckedPastAward {
  row: number;
  roundLabel: string;
  roundId: string | null;
  organisationName: string;
  charityNumber: string | null;
  companyNumber: string | null;
  postcode: string | null;
  organisationId: string | null;
  organisationKey: string;
  districtId: string | null;
  project: string;
  priorityIds: string[];
  amountAwardedPence: number;
  decisionDate: string;
  amountPaidPence: number | null;
  rowHash: string;
}

export interface ImportRowError {
  row: number;
  /** The column (as the file names it), or null for the whole row (a duplicate). */
  column: string | null;
  code: string;
  message: string;
}

/** One uploaded spreadsheet of past awards: what the check found, and the import's progress. */
@Entity('import_batches')
@Check('chk_import_batches_status', oneOf('status', IMPORT_BATCH_STATUSES))
@Index('ix_import_batches_created', ['createdAt'])
export class ImportBatch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('funds', { name: 'fk_import_batches_fund', onDelete: 'RESTRICT' })
  @Column({ name: 'fund_id', type: 'uuid' })
  fundId: string;

  @Column({ name: 'file_name', type: 'varchar', length: 200 })
  fileName: string;

  @Column({ type: 'varchar', length: 20, default: 'checked' })
  status: ImportBatchStatus;

  /** Data rows in the file (the header is not counted). */
  @Column({ name: 'row_count', type: 'int', default: 0 })
  rowCount: number;

  /** Rows the import has worked through so far (progress for large files). */
  @Column({ name: 'processed_count', type: 'int', default: 0 })
  processedCount: number;

  /** Rows the import added (rows already imported by an earlier file are not added again). */
  @Column({ name: 'imported_count', type: 'int', default: 0 })
  importedCount: number;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  errors: ImportRowError[];

  /** The checked rows, kept until imported (then emptied). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  rows: CheckedPastAward[];

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_by_label', type: 'varchar', length: 200 })
  createdByLabel: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}

/**
 * An award made before this service held the fund, imported from a spreadsheet. Its round is kept
 * as the label the file gave (linked to the fund's round of that code when there is one); its
 * organisation as the file names it (linked to a registered organisation with the same charity or
 * company number, or name and postcode, when there is one). It counts in reports like an award.
 */
@Entity('past_awards')
@Check('chk_past_awards_amount', '"amount_awarded_pence" > 0')
@Check('chk_past_awards_paid', '"amount_paid_pence" IS NULL OR ("amount_paid_pence" >= 0 AND "amount_paid_pence" <= "amount_awarded_pence")')
@Index('ix_past_awards_fund_decided', ['fundId', 'decisionDate'])
export class PastAward {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('funds', { name: 'fk_past_awards_fund', onDelete: 'RESTRICT' })
  @Column({ name: 'fund_id', type: 'uuid' })
  fundId: string;

  @Column({ name: 'round_label', type: 'varchar', length: 100 })
  roundLabel: string;

  @ForeignKey('rounds', { name: 'fk_past_awards_round', onDelete: 'RESTRICT' })
  @Column({ name: 'round_id', type: 'uuid', nullable: true })
  roundId: string | null;

  @Column({ name: 'organisation_name', type: 'varchar', length: 160 })
  organisationName: string;

  @Column({ name: 'charity_number', type: 'varchar', length: 12, nullable: true })
  charityNumber: string | null;

  @Column({ name: 'company_number', type: 'varchar', length: 8, nullable: true })
  companyNumber: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  postcode: string | null;

  @ForeignKey('organisations', { name: 'fk_past_awards_organisation', onDelete: 'RESTRICT' })
  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  /** Who the organisation is, for counting organisations: its id, charity or company number, or name and postcode. */
  @Column({ name: 'organisation_key', type: 'varchar', length: 200 })
  organisationKey: string;

  @ForeignKey('districts', { name: 'fk_past_awards_district', onDelete: 'RESTRICT' })
  @Column({ name: 'district_id', type: 'uuid', nullable: true })
  districtId: string | null;

  @Column({ type: 'varchar', length: 300 })
  project: string;

  @Column({ name: 'amount_awarded_pence', type: 'bigint' })
  amountAwardedPence: string;

  @Column({ name: 'amount_paid_pence', type: 'bigint', nullable: true })
  amountPaidPence: string | null;

  @Column({ name: 'decision_date', type: 'date' })
  decisionDate: string;

  @ForeignKey('import_batches', { name: 'fk_past_awards_batch', onDelete: 'RESTRICT' })
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  /** The row's content, normalised: the same row imported again is recognised and skipped. */
  @Index('uq_past_awards_row_hash', { unique: true })
  @Column({ name: 'row_hash', type: 'varchar', length: 64 })
  rowHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** The priorities a past award is reported against. */
@Entity('past_award_priorities')
export class PastAwardPriority {
  @ForeignKey('past_awards', { name: 'fk_past_award_priorities_award', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'past_award_id', type: 'uuid' })
  pastAwardId: string;

  @Index('ix_past_award_priorities_priority')
  @ForeignKey('priorities', { name: 'fk_past_award_priorities_priority', onDelete: 'RESTRICT' })
  @PrimaryColumn({ name: 'priority_id', type: 'uuid' })
  priorityId: string;
}

/** Funding for a priority that does not come through the fund (never counted as an award). */
@Entity('funding_streams')
@Check('chk_funding_streams_amount', '"amount_pence" IS NULL OR "amount_pence" >= 0')
@Check('chk_funding_streams_year', `"financial_year" ~ '^[0-9]{4}/[0-9]{2}$'`)
@Index('ix_funding_streams_year', ['financialYear'])
export class FundingStream {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 500 })
  description: string;

  @Column({ name: 'amount_pence', type: 'bigint', nullable: true })
  amountPence: string | null;

  /** "2014/15" */
  @Column({ name: 'financial_year', type: 'varchar', length: 7 })
  financialYear: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  source: string | null;

  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('funding_stream_priorities')
export class FundingStreamPriority {
  @ForeignKey('funding_streams', { name: 'fk_funding_stream_priorities_stream', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'funding_stream_id', type: 'uuid' })
  fundingStreamId: string;

  @Index('ix_funding_stream_priorities_priority')
  @ForeignKey('priorities', { name: 'fk_funding_stream_priorities_priority', onDelete: 'RESTRICT' })
  @PrimaryColumn({ name: 'priority_id', type: 'uuid' })
  priorityId: string;
}

/** How the Resources and Funding section words a priority ("tackling ..."); without one, the priority's name. */
@Entity('priority_report_wordings')
export class PriorityReportWording {
  @ForeignKey('priorities', { name: 'fk_priority_report_wordings_priority', onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'priority_id', type: 'uuid' })
  priorityId: string;

  @Column({ type: 'varchar', length: 200 })
  tackling: string;
}

export const REPORTING_ENTITIES = [ImportBatch, PastAward, PastAwardPriority, FundingStream, FundingStreamPriority, PriorityReportWording];
