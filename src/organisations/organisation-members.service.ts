import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors.js';
import type { MemberRole } from './organisation-member.entity.js';
import { isUuid } from '../common/ids.js';
import { PeopleReader } from '../accounts/people-reader.js';
import { OrganisationMembershipReader } from './membership-reader.js';
import { OrganisationsService } from './organisations.service.js';

export interface MemberView {
  userId: string;
  fullName: string;
  email: string;
  role: MemberRole;
  joinedAt: Date;
}

const memberNotFound = () => new DomainError('not_found', 'ORGANISATION.MEMBER_NOT_FOUND', 'That person is not a member of this organisation');

/** Who belongs to an organisation, and leaving or being removed from it. */
@Injectable()
export class OrganisationMembersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsService,
    private readonly memberships: OrganisationMembershipReader,
    private readonly people: PeopleReader,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthenticatedUser, organisationId: string): Promise<MemberView[]> {
    await this.organisations.access(this.dataSource.manager, user, organisationId);
    const members = await this.memberships.membersOf(organisationId);
    const people = await this.people.byIds(members.map((m) => m.userId));
    const views = members.map((m) => {
      const person = people.get(m.userId);
      return { userId: m.userId, fullName: person?.fullName ?? '', email: person?.email ?? '', role: m.role, joinedAt: m.joinedAt };
    });
    // Owners first, then by when they joined, then by name.
    const rank = (v: MemberView) => (v.role === 'owner' ? 0 : 1);
    return views.sort((a, b) => rank(a) - rank(b) || a.joinedAt.getTime() - b.joinedAt.getTime() || a.fullName.localeCompare(b.fullName));
  }

  /**
   * An owner removes a member, or a member leaves (removes themselves). An organisation always
   * keeps at least one owner: the only owner can neither leave nor be removed.
   */
  async remove(actor: Actor, user: AuthenticatedUser, organisationId: string, memberUserId: string): Promise<{ left: boolean }> {
    return this.dataSource.transaction(async (m) => {
      const access = await this.organisations.access(m, user, organisationId, { lock: true });
      const leaving = memberUserId === user.id;
      if (!leaving) this.organisations.requireOwner(access, 'remove members');
      if (!isUuid(memberUserId)) throw memberNotFound();
      const [row]: { role: MemberRole }[] = await m.query(`SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [
        organisationId,
        memberUserId,
      ]);
      if (!row) throw memberNotFound();
      const person = (await this.people.byIds([memberUserId], m)).get(memberUserId);
      const member = { role: row.role, email: person?.email ?? '', full_name: person?.fullName ?? '' };
      if (member.role === 'owner') {
        const [{ owners }]: { owners: number }[] = await m.query(
          `SELECT count(*)::int AS owners FROM organisation_members WHERE organisation_id = $1 AND role = 'owner'`,
          [organisationId],
        );
        if (owners <= 1) {
          throw new DomainError(
            'conflict',
            'ORGANISATION.LAST_OWNER',
            leaving
              ? 'You are the only owner of this organisation, so you cannot leave it'
              : 'This person is the only owner of the organisation, so they cannot be removed',
          );
        }
      }
      await m.query(`DELETE FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [organisationId, memberUserId]);
      await this.audit.record(m, actor, {
        action: leaving ? 'organisation.member_left' : 'organisation.member_removed',
        entityType: 'organisation',
        entityId: organisationId,
        before: { userId: memberUserId, email: member.email, fullName: member.full_name, role: member.role },
        after: null,
      });
      return { left: leaving };
    });
  }
}
