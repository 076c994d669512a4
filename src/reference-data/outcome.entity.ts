import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A Police and Crime Plan outcome grouping priorities, e.g. "Safeguard vulnerable people". */
@Entity('outcomes')
export class Outcome {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_outcomes_code', { unique: true })
  @Column({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'int', default: 0 })
  position: number;
}
