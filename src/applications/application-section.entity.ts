import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Application } from './application.entity.js';
import { oneOf } from '../database/checks.js';

export const SECTION_STATUSES = ['not_started', 'in_progress', 'completed'] as const;
export type SectionStatus = (typeof SECTION_STATUSES)[number];

/** One task-list section of a bid: its answers, its status, and a version for optimistic locking. */
@Entity('application_sections')
@Check('chk_application_sections_status', oneOf('status', SECTION_STATUSES))
export class ApplicationSection {
  @PrimaryColumn({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  /** A form section key, or a built-in section ("_project", "_budget": form keys cannot start with "_"). */
  @PrimaryColumn({ name: 'section_key', type: 'varchar', length: 60 })
  sectionKey: string;

  @ManyToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'fk_application_sections_application' })
  application?: Relation<Application>;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  answers: Record<string, unknown>;

  @Column({ type: 'varchar', length: 20, default: 'not_started' })
  status: SectionStatus;

  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
