import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Round } from './round.entity.js';

/** A pot within a round, with its own minimum and maximum grant and budget (integer pence). */
@Entity('pots')
@Check('chk_pots_grant_bounds', '"min_grant_pence" >= 0 AND "min_grant_pence" <= "max_grant_pence"')
@Check('chk_pots_committed_within_budget', '"committed_pence" >= 0 AND "committed_pence" <= "budget_pence"')
export class Pot {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('ix_pots_round')
  @Column({ name: 'round_id', type: 'uuid' })
  roundId: string;

  @ManyToOne(() => Round, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'round_id', foreignKeyConstraintName: 'fk_pots_round' })
  round?: Relation<Round>;

  @Column({ type: 'varchar', length: 160 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'min_grant_pence', type: 'bigint' })
  minGrantPence: string;

  @Column({ name: 'max_grant_pence', type: 'bigint' })
  maxGrantPence: string;

  @Column({ name: 'budget_pence', type: 'bigint' })
  budgetPence: string;

  /** Money committed by approvals (never above budget_pence; enforced by a CHECK). */
  @Column({ name: 'committed_pence', type: 'bigint', default: 0 })
  committedPence: string;

  /** Optional restriction to named wards (free text names or GSS ward codes). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  wards: string[];

  /** Optional restriction to postcode districts (outward codes, e.g. "LS9"). */
  @Column({ name: 'postcode_districts', type: 'text', array: true, default: () => "'{}'" })
  postcodeDistricts: string[];

  @Column({ type: 'int', default: 0 })
  position: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** The districts a pot funds (districts are reference data's: an id with its foreign key, no relation). */
@Entity('pot_districts')
export class PotDistrict {
  @PrimaryColumn({ name: 'pot_id', type: 'uuid' })
  potId: string;

  @Index('ix_pot_districts_district')
  @ForeignKey('districts', { name: 'fk_pot_districts_district', onDelete: 'RESTRICT' })
  @PrimaryColumn({ name: 'district_id', type: 'uuid' })
  districtId: string;

  @ManyToOne(() => Pot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pot_id', foreignKeyConstraintName: 'fk_pot_districts_pot' })
  pot?: Relation<Pot>;
}

/** The Police and Crime Plan priorities a pot funds. */
@Entity('pot_priorities')
export class PotPriority {
  @PrimaryColumn({ name: 'pot_id', type: 'uuid' })
  potId: string;

  @Index('ix_pot_priorities_priority')
  @ForeignKey('priorities', { name: 'fk_pot_priorities_priority', onDelete: 'RESTRICT' })
  @PrimaryColumn({ name: 'priority_id', type: 'uuid' })
  priorityId: string;

  @ManyToOne(() => Pot, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pot_id', foreignKeyConstraintName: 'fk_pot_priorities_pot' })
  pot?: Relation<Pot>;
}
