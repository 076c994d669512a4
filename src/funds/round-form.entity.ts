import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { FormDefinition } from '../forms/form.types.js';
import { Round } from './round.entity.js';

/**
 * A version of a round's application form, as data. Once a round opens its current form is frozen;
 * a change makes a new version, and drafts keep the version they started on.
 */
@Entity('round_forms')
@Index('uq_round_forms_round_version', ['roundId', 'version'], { unique: true })
export class RoundForm {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ManyToOne(() => Round, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id', foreignKeyConstraintName: 'fk_round_forms_round' })
  round?: Relation<Round>;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'jsonb' })
  definition: FormDefinition;

  /** Set when the round opens with this version current: from then on it never changes. */
  @Column({ name: 'frozen_at', type: 'timestamptz', nullable: true })
  frozenAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
