import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Organisation } from './organisation.entity.js';
import { oneOf } from '../database/checks.js';

export const MEMBER_ROLES = ['owner', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** A person's membership of an organisation. Applicants see only organisations they belong to. */
@Entity('organisation_members')
@Check('chk_organisation_members_role', oneOf('role', MEMBER_ROLES))
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
