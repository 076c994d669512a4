import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const LEGAL_FORMS = [
  'charitable_incorporated_organisation',
  'registered_charity_unincorporated',
  'charitable_company',
  'company_limited_by_guarantee',
  'community_interest_company',
  'community_benefit_society',
  'unincorporated_association',
  'statutory_body',
  'other',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

/** A community organisation that applies for grants. */
@Entity('organisations')
export class Organisation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 160 })
  name: string;

  @Column({ name: 'legal_form', type: 'varchar', length: 40 })
  legalForm: LegalForm;

  /** Charity Commission (England and Wales, 6-7 digits) or OSCR (SC + 6 digits) number. */
  @Column({ name: 'charity_number', type: 'varchar', length: 12, nullable: true })
  charityNumber: string | null;

  /** Companies House number (8 characters, e.g. 01234567 or SC123456). */
  @Column({ name: 'company_number', type: 'varchar', length: 8, nullable: true })
  companyNumber: string | null;

  /** org-id.guide identifier as 360Giving expects (GB-CHC-…, GB-COH-…, GB-SC-…, 360G-…). */
  @Index('uq_organisations_org_id', { unique: true })
  @Column({ name: 'org_id', type: 'varchar', length: 80 })
  orgId: string;

  @Column({ name: 'address_line1', type: 'varchar', length: 120 })
  addressLine1: string;

  @Column({ name: 'address_line2', type: 'varchar', length: 120, nullable: true })
  addressLine2: string | null;

  @Column({ name: 'town', type: 'varchar', length: 80 })
  town: string;

  @Column({ type: 'varchar', length: 8 })
  postcode: string;

  @Index('ix_organisations_district')
  @Column({ name: 'district_id', type: 'uuid', nullable: true })
  // The districts table is reference data's: a foreign key by table name, not a relation to its entity.
  @ForeignKey('districts', { name: 'fk_organisations_district', onDelete: 'RESTRICT' })
  districtId: string | null;

  @Column({ name: 'contact_name', type: 'varchar', length: 120 })
  contactName: string;

  @Column({ name: 'contact_email', type: 'varchar', length: 254 })
  contactEmail: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 30, nullable: true })
  contactPhone: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
