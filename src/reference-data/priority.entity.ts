import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Outcome } from './outcome.entity.js';

/** A Police and Crime Plan priority that funding is reported against, e.g. "Human Trafficking and Modern Slavery". */
@Entity('priorities')
export class Priority {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stable code used in URLs and reports, e.g. "human-trafficking-modern-slavery". */
  @Index('uq_priorities_code', { unique: true })
  @Column({ type: 'varchar', length: 60 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Index('ix_priorities_outcome')
  @Column({ name: 'outcome_id', type: 'uuid' })
  outcomeId: string;

  @ManyToOne(() => Outcome, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'outcome_id', foreignKeyConstraintName: 'fk_priorities_outcome' })
  outcome?: Relation<Outcome>;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'int', default: 0 })
  position: number;
}
