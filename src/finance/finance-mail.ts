import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import type { StaffRole } from '../auth/roles.js';
import { MailService } from '../mail/mail.service.js';
import { OrganisationMembershipReader } from '../organisations/membership-reader.js';

/** Finance's emails, queued in the caller's transaction (sent only if it commits). */
@Injectable()
export class FinanceMail {
  constructor(
    private readonly mail: MailService,
    private readonly memberships: OrganisationMembershipReader,
    private readonly people: PeopleReader,
  ) {}

  /** To every owner of the organisation; returns how many were queued. */
  async toOwners(m: EntityManager, organisationId: string, template: string, data: Record<string, unknown>): Promise<number> {
    const owners = (await this.memberships.membersOf(organisationId, m)).filter((x) => x.role === 'owner').map((x) => x.userId);
    const people = await this.people.byIds(owners, m);
    const addresses = [...new Set(owners.map((id) => people.get(id)?.email?.toLowerCase()).filter((e): e is string => !!e))];
    for (const to of addresses) await this.mail.queue(m, { to, template, data, organisationId });
    return addresses.length;
  }

  /** To everyone holding the staff role; returns how many were queued. */
  async toRole(m: EntityManager, role: StaffRole, template: string, data: Record<string, unknown>): Promise<number> {
    const people = await this.people.withRole(role, m);
    const addresses = [...new Set(people.map((p) => p.email?.toLowerCase()).filter((e): e is string => !!e))];
    for (const to of addresses) await this.mail.queue(m, { to, template, data });
    return addresses.length;
  }
}
