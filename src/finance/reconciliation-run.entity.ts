import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The nightly reconciliation's day: how many differences it last found, and whether finance officers were emailed (once a day at most). */
@Entity('reconciliation_runs')
export class ReconciliationRun {
  /** The London date of the run. */
  @PrimaryColumn({ name: 'run_on', type: 'date' })
  runOn: string;

  @Column({ type: 'int' })
  funds: number;

  @Column({ type: 'int' })
  differences: number;

  @Column({ name: 'emailed_at', type: 'timestamptz', nullable: true })
  emailedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
