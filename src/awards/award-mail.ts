import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import { formatDate } from '../common/dates.js';
import { formatPence } from '../common/money.js';
import { MailService } from '../mail/mail.service.js';
import { OrganisationMembershipReader } from '../organisations/membership-reader.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import type { AwardRecord } from './award-moves.js';

/** An offer's deadline in words: it runs to midnight, so it is "the end of" the day before (London time). */
export const deadlineText = (expiresAt: Date | null): string => (expiresAt ? `the end of ${formatDate(new Date(expiresAt.getTime() - 1))}` : '');

/** The emails about an award, queued in the caller's transaction (sent only if it commits). */
@Injectable()
export class AwardMail {
  constructor(
    private readonly mail: MailService,
    private readonly memberships: OrganisationMembershipReader,
    private readonly organisations: OrganisationsService,
    private readonly people: PeopleReader,
  ) {}

  /** The offer, to every owner of the organisation (members who are not owners cannot answer it). */
  async offer(m: EntityManager, award: AwardRecord, roundTitle: string): Promise<number> {
    return this.toOwners(m, award.organisationId, 'award-offer', (organisationName) => ({
      organisationName,
      reference: award.reference,
      roundTitle,
      amount: formatPence(award.amountPence),
      conditions: award.conditions,
      deadline: deadlineText(award.offerExpiresAt),
      awardPath: `/awards/${award.id}`,
    }));
  }

  /**
   * An email about one of the organisation's awards to every owner (a variation decided, a
   * clawback raised): `data` gets the organisation's name. Returns how many were queued.
   */
  async toOwners(m: EntityManager, organisationId: string, template: string, data: (organisationName: string) => Record<string, unknown>): Promise<number> {
    const owners = (await this.memberships.membersOf(organisationId, m)).filter((x) => x.role === 'owner').map((x) => x.userId);
    const people = await this.people.byIds(owners, m);
    const [organisation] = await this.organisations.summariesByIds([organisationId], m);
    const filled = data(organisation?.name ?? 'your organisation');
    const addresses = [...new Set(owners.map((id) => people.get(id)?.email?.toLowerCase()).filter((e): e is string => !!e))];
    for (const to of addresses) await this.mail.queue(m, { to, template, data: filled, organisationId });
    return addresses.length;
  }
}
