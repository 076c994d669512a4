import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A grant programme run by a funder, e.g. West Yorkshire's Safer Communities Fund. */
@Entity('funds')
export class Fund {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 160 })
  name: string;

  /** Who funds it, e.g. "Police and Crime Commissioner for West Yorkshire". */
  @Column({ name: 'funder_name', type: 'varchar', length: 200 })
  funderName: string;

  /** org-id of the funder for 360Giving (e.g. GB-GOR-PC000123). */
  @Column({ name: 'funder_org_id', type: 'varchar', length: 80, nullable: true })
  funderOrgId: string | null;

  /** Where the money comes from, e.g. "Proceeds of Crime Act". */
  @Column({ name: 'funding_source', type: 'varchar', length: 200 })
  fundingSource: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** Prefix of application references, e.g. "SCF" in SCF-R17-0042. */
  @Index('uq_funds_reference_prefix', { unique: true })
  @Column({ name: 'reference_prefix', type: 'varchar', length: 10 })
  referencePrefix: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
