import { Column, CreateDateColumn, Entity, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Organisation } from './organisation.entity.js';

export type MemberRole = 'owner' | 'member';

/** A person's membership of an organisation. Applicants see only organisations they belong to. */
@Entity('organisation_members')
export class OrganisationMember {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Index('ix_organisation_members_user')
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  // The users table is accounts': a foreign key by table name, not a relation to its entity.
  @ForeignKey('users', { name: 'fk_organisation_members_user', onDelete: 'CASCADE' })
  userId: string;

  @ManyToOne(() => Organisation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'fk_organisation_members_organisation' })
  organisation?: Relation<Organisation>;

  @Column({ type: 'varchar', length: 10 })
  role: MemberRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
