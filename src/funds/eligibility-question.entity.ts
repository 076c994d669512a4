import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Round } from './round.entity.js';

/** A yes/no eligibility question of a round, with the answer that passes and why a failure fails. */
@Entity('eligibility_questions')
export class EligibilityQuestion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_eligibility_questions_round')
  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ManyToOne(() => Round, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id', foreignKeyConstraintName: 'fk_eligibility_questions_round' })
  round?: Relation<Round>;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'varchar', length: 300 })
  question: string;

  @Column({ type: 'text', nullable: true })
  hint: string | null;

  /** The answer that passes: true for "Yes", false for "No". */
  @Column({ name: 'passing_answer', type: 'boolean' })
  passingAnswer: boolean;

  /** Shown when the other answer is given, explaining why the group cannot apply. */
  @Column({ name: 'failure_message', type: 'text' })
  failureMessage: string;
}
