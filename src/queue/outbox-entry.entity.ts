import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Transactional outbox: a row written in the same transaction as the change that asked for a job.
 * The relay moves committed rows into BullMQ, so a job exists if and only if its transaction committed.
 */
@Entity('outbox')
@Index('ix_outbox_pending', ['availableAt'], { where: 'dispatched_at IS NULL' })
export class OutboxEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'job_name', type: 'varchar', length: 100 })
  jobName: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  /** Not before this time (scheduled jobs). */
  @Column({ name: 'available_at', type: 'timestamptz', default: () => 'now()' })
  availableAt: Date;

  /** Optional stable BullMQ job id, so a re-dispatch cannot create a second job. */
  @Column({ name: 'job_key', type: 'varchar', length: 200, nullable: true })
  jobKey: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;
}
