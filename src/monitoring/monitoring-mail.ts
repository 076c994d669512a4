import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import type { AwardView } from '../awards/award-reader.js';
import { formatDate } from '../common/dates.js';
import { MailService } from '../mail/mail.service.js';
import { OrganisationMembershipReader } from '../organisations/membership-reader.js';
import type { MonitoringReturn } from './monitoring.entity.js';

/** The emails about monitoring returns, queued in the caller's transaction (sent only if it commits). */
@Injectable()
export class MonitoringMail {
  constructor(
    private readonly mail: MailService,
    private readonly memberships: OrganisationMembershipReader,
    private readonly people: PeopleReader,
  ) {}

  private data(ret: MonitoringReturn, award: AwardView) {
    return {
      reference: award.reference,
      organisationName: award.organisation.name || 'the organisation',
      periodLabel: ret.periodLabel.toLowerCase(),
      dueOn: formatDate(`${ret.dueOn}T12:00:00Z`),
      returnPath: `/returns/${ret.id}`,
      reviewPath: `/staff/returns/${ret.id}`,
    };
  }

  /** Every owner of the award's organisation (one email per address). */
  private async owners(m: EntityManager, organisationId: string): Promise<{ id: string; email: string }[]> {
    const ids = (await this.memberships.membersOf(organisationId, m)).filter((x) => x.role === 'owner').map((x) => x.userId);
    const people = await this.people.byIds(ids, m);
    const seen = new Set<string>();
    return ids.flatMap((id) => {
      const email = people.get(id)?.email?.toLowerCase();
      if (!email || seen.has(email)) return [];
      seen.add(email);
      return [{ id, email }];
    });
  }

  private async officers(m: EntityManager): Promise<{ id: string; email: string }[]> {
    return (await this.people.withRole('grants_officer', m)).map((p) => ({ id: p.id, email: p.email }));
  }

  async reminder(m: EntityManager, ret: MonitoringReturn, award: AwardView, kind: 'before' | 'overdue'): Promise<void> {
    const data = { ...this.data(ret, award), escalation: false };
    const template = kind === 'before' ? 'return-reminder' : 'return-overdue';
    for (const owner of await this.owners(m, award.organisation.id)) await this.mail.queue(m, { to: owner.email, template, data, userId: owner.id, organisationId: award.organisation.id });
    if (kind === 'overdue') {
      for (const officer of await this.officers(m)) await this.mail.queue(m, { to: officer.email, template, data: { ...data, escalation: true }, userId: officer.id });
    }
  }

  async submitted(m: EntityManager, ret: MonitoringReturn, award: AwardView): Promise<void> {
    for (const officer of await this.officers(m)) await this.mail.queue(m, { to: officer.email, template: 'return-submitted', data: this.data(ret, award), userId: officer.id });
  }

  async reviewed(m: EntityManager, ret: MonitoringReturn, award: AwardView, accepted: boolean, note: string | null): Promise<void> {
    const data = { ...this.data(ret, award), accepted, note: note ?? '' };
    for (const owner of await this.owners(m, award.organisation.id)) await this.mail.queue(m, { to: owner.email, template: 'return-reviewed', data, userId: owner.id, organisationId: award.organisation.id });
  }
}
