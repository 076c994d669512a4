import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A local authority district the funder covers, identified by its GSS code (e.g. E08000035 Leeds). */
@Entity('districts')
export class District {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_districts_gss_code', { unique: true })
  @Column({ name: 'gss_code', type: 'varchar', length: 9 })
  gssCode: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
