import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AwardReader, type AwardView } from '../awards/award-reader.js';
import { awardNotFound } from '../auth/policies/award.policy.js';

/** The award a clawback or repayment belongs to, as a view (its capabilities say whether its organisation sees it). */
@Injectable()
export class AwardMoneyAccess {
  constructor(private readonly awards: AwardReader) {}

  async award(awardId: string, m?: EntityManager): Promise<AwardView> {
    const record = await this.awards.record(awardId, m);
    if (!record) throw awardNotFound();
    return (await this.awards.viewsOf([record], m))[0];
  }

  facts(award: AwardView) {
    return { organisationId: award.organisation.id, visibleToApplicant: award.capabilities.visibleToApplicant };
  }
}
