import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUuid } from '../common/ids.js';
import { OrganisationMember, type MemberRole } from './organisation-member.entity.js';
import { Organisation } from './organisation.entity.js';

export type { MemberRole } from './organisation-member.entity.js';

/** An organisation a person belongs to, as other modules need it. */
export interface MemberOrganisation {
  id: string;
  name: string;
  contactEmail: string;
  role: MemberRole;
}

/** One person's membership of an organisation (their name and email are accounts' to give). */
export interface Membership {
  userId: string;
  role: MemberRole;
  joinedAt: Date;
}

/**
 * The one door to organisation membership for every other module: who belongs to which
 * organisation. Pass the use case's manager to read inside its transaction.
 */
@Injectable()
export class OrganisationMembershipReader {
  constructor(private readonly dataSource: DataSource) {}

  /** True when the person is a member (either role) of the organisation; false for a malformed id. */
  async isMember(userId: string, organisationId: string, manager?: EntityManager): Promise<boolean> {
    if (!isUuid(userId) || !isUuid(organisationId)) return false;
    return (manager ?? this.dataSource.manager).exists(OrganisationMember, { where: { userId, organisationId } });
  }

  /** The organisations a person belongs to, by name. */
  async organisationsOf(userId: string, manager?: EntityManager): Promise<MemberOrganisation[]> {
    if (!isUuid(userId)) return [];
    const rows = await (manager ?? this.dataSource.manager)
      .createQueryBuilder(OrganisationMember, 'm')
      .innerJoin(Organisation, 'o', 'o.id = m.organisation_id')
      .select(['o.id AS id', 'o.name AS name', 'o.contact_email AS "contactEmail"', 'm.role AS role'])
      .where('m.user_id = :userId', { userId })
      .orderBy('o.name')
      .addOrderBy('o.id')
      .getRawMany<MemberOrganisation>();
    return rows;
  }

  /** The ids of the organisations a person belongs to (for scoping a list to them). */
  async organisationIdsOf(userId: string, manager?: EntityManager): Promise<string[]> {
    if (!isUuid(userId)) return [];
    const rows = await (manager ?? this.dataSource.manager).find(OrganisationMember, { where: { userId }, select: { organisationId: true } });
    return rows.map((r) => r.organisationId);
  }

  /** Everyone who belongs to an organisation: owners first, then in the order they joined. */
  async membersOf(organisationId: string, manager?: EntityManager): Promise<Membership[]> {
    if (!isUuid(organisationId)) return [];
    const rows = await (manager ?? this.dataSource.manager)
      .createQueryBuilder(OrganisationMember, 'm')
      .where('m.organisation_id = :organisationId', { organisationId })
      .orderBy(`(m.role = 'owner')`, 'DESC')
      .addOrderBy('m.created_at')
      .addOrderBy('m.user_id')
      .getMany();
    return rows.map((r) => ({ userId: r.userId, role: r.role, joinedAt: r.createdAt }));
  }
}
