import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { APPLICATION_STATUSES, Application } from './application.entity.js';
import { oneOf } from '../database/checks.js';

/** A bid's history: every change of status, who made it, when, and why. */
@Entity('application_transitions')
@Check('chk_application_transitions_from_status', oneOf('from_status', APPLICATION_STATUSES, { nullable: true }))
@Check('chk_application_transitions_to_status', oneOf('to_status', APPLICATION_STATUSES))
export class ApplicationTransition {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Index('ix_application_transitions_application')
  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @ManyToOne(() => Application, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'fk_application_transitions_application' })
  application?: Relation<Application>;

  @Column({ name: 'from_status', type: 'varchar', length: 30, nullable: true })
  fromStatus: string | null;

  @Column({ name: 'to_status', type: 'varchar', length: 30 })
  toStatus: string;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_label', type: 'varchar', length: 254 })
  actorLabel: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;
}
