import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { PeopleReader } from '../accounts/people-reader.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { seesBankDetailsInFull } from '../auth/policies/finance.policy.js';
import { AuditService } from '../audit/audit.service.js';
import { formatDateTime } from '../common/dates.js';
import { DomainError } from '../common/errors.js';
import { isUuid } from '../common/ids.js';
import { MailService } from '../mail/mail.service.js';
import { OrganisationMembershipReader } from '../organisations/membership-reader.js';
import { OrganisationsService } from '../organisations/organisations.service.js';
import { checkBankDetails, formattedSortCode, maskedAccountNumber, maskedSortCode, type BankDetails } from './bank-details-rules.js';
import { DataCipher } from './data-cipher.js';
import { assertPayable, FinanceAccess, lockAwardMoney, type FinanceAward } from './finance-access.js';
import { BankAccount, VERIFICATION_METHODS, type VerificationMethod } from './finance.entity.js';

export interface BankAccountView {
  awardId: string;
  entered: boolean;
  accountName: string | null;
  /** In full for finance officers (12-34-56), masked for everyone else (**-**-56). */
  sortCode: string | null;
  /** In full for finance officers, masked for everyone else (****5678). */
  accountNumber: string | null;
  accountLastFour: string | null;
  masked: boolean;
  verified: boolean;
  verifiedAt: Date | null;
  verificationMethod: VerificationMethod | null;
  enteredAt: Date | null;
  enteredByUserId: string | null;
}

/** Why an award cannot be paid, as the payments and the payments-due list say it. */
export interface PaymentBlock {
  code: 'FINANCE.BANK_DETAILS_MISSING' | 'FINANCE.BANK_DETAILS_UNVERIFIED';
  message: string;
}

export const BANK_BLOCKS: Record<PaymentBlock['code'], PaymentBlock> = {
  'FINANCE.BANK_DETAILS_MISSING': { code: 'FINANCE.BANK_DETAILS_MISSING', message: 'The organisation has not entered its bank details' },
  'FINANCE.BANK_DETAILS_UNVERIFIED': { code: 'FINANCE.BANK_DETAILS_UNVERIFIED', message: 'The bank details have not been verified by finance' },
};

/**
 * Bank details per award: entered (and changed) by an owner of the organisation once the award is
 * accepted, verified by a finance officer who did not enter them; sealed at rest (DataCipher),
 * never written in clear to the audit trail or logs (the trail says "changed" and the last four).
 * A change un-verifies them, so payments stop until finance verifies again, and every owner is
 * told by email.
 */
@Injectable()
export class BankAccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: FinanceAccess,
    private readonly cipher: DataCipher,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly memberships: OrganisationMembershipReader,
    private readonly people: PeopleReader,
    private readonly organisations: OrganisationsService,
  ) {}

  async get(user: AuthenticatedUser, awardId: string): Promise<BankAccountView> {
    await this.access.award(user, awardId, 'read');
    const row = await this.dataSource.manager.findOne(BankAccount, { where: { awardId } });
    return this.view(awardId, row, seesBankDetailsInFull(user));
  }

  async put(user: AuthenticatedUser, actor: Actor, awardId: string, input: { accountName?: unknown; sortCode?: unknown; accountNumber?: unknown }): Promise<BankAccountView> {
    return this.dataSource.transaction(async (m) => {
      const { award } = await this.access.award(user, awardId, 'enter_bank_details', m);
      assertPayable(award);
      const details = checkBankDetails(input);
      // Two owners saving at once: the second waits, then changes what the first entered.
      await lockAwardMoney(m, awardId);
      const sealed = this.cipher.seal(JSON.stringify(details), awardId);
      const existing = await m.createQueryBuilder(BankAccount, 'b').setLock('pessimistic_write').where('b.award_id = :awardId', { awardId }).getOne();
      const fields = { detailsSealed: sealed, accountLastFour: details.accountNumber.slice(-4), sortCodeLastTwo: details.sortCode.slice(-2), enteredByUserId: user.id, enteredAt: new Date() };
      let row: BankAccount;
      if (existing) {
        await m.update(BankAccount, { id: existing.id }, { ...fields, verifiedAt: null, verifiedByUserId: null, verificationMethod: null, verificationNote: null, version: existing.version + 1 });
        row = (await m.findOneByOrFail(BankAccount, { id: existing.id }))!;
      } else {
        row = await m.save(m.create(BankAccount, { awardId, ...fields }));
      }
      await this.audit.record(m, actor, {
        action: existing ? 'finance.bank_details_changed' : 'finance.bank_details_entered',
        entityType: 'award',
        entityId: awardId,
        before: existing ? { bankDetails: 'entered', accountLastFour: existing.accountLastFour, verified: !!existing.verifiedAt } : null,
        after: { bankDetails: existing ? 'changed' : 'entered', accountLastFour: row.accountLastFour, verified: false },
      });
      if (existing) await this.tellOwners(m, award, row);
      return this.view(awardId, row, seesBankDetailsInFull(user), details);
    });
  }

  async verify(user: AuthenticatedUser, actor: Actor, awardId: string, input: { method: string; note?: string | null }): Promise<BankAccountView> {
    return this.dataSource.transaction(async (m) => {
      await this.access.award(user, awardId, 'verify_bank_details', m);
      await lockAwardMoney(m, awardId);
      if (!(VERIFICATION_METHODS as readonly string[]).includes(input.method)) {
        throw new DomainError('validation', 'FINANCE.VERIFICATION_METHOD_INVALID', 'Say how the details were checked', [{ field: 'method', code: 'FINANCE.VERIFICATION_METHOD_INVALID', message: `Choose one of ${VERIFICATION_METHODS.join(', ')}` }]);
      }
      const row = await m.createQueryBuilder(BankAccount, 'b').setLock('pessimistic_write').where('b.award_id = :awardId', { awardId }).getOne();
      if (!row) throw new DomainError('conflict', BANK_BLOCKS['FINANCE.BANK_DETAILS_MISSING'].code, BANK_BLOCKS['FINANCE.BANK_DETAILS_MISSING'].message);
      if (row.enteredByUserId === user.id) throw new DomainError('forbidden', 'FINANCE.VERIFY_OWN_ENTRY', 'You entered these bank details: another finance officer must verify them');
      if (row.verifiedAt) throw new DomainError('conflict', 'FINANCE.ALREADY_VERIFIED', 'These bank details are verified already');
      const note = input.note?.trim() || null;
      await m.update(BankAccount, { id: row.id }, { verifiedAt: new Date(), verifiedByUserId: user.id, verificationMethod: input.method as VerificationMethod, verificationNote: note, version: row.version + 1 });
      await this.audit.record(m, actor, {
        action: 'finance.bank_details_verified',
        entityType: 'award',
        entityId: awardId,
        after: { accountLastFour: row.accountLastFour, method: input.method, note },
      });
      return this.view(awardId, await m.findOneByOrFail(BankAccount, { id: row.id }), seesBankDetailsInFull(user));
    });
  }

  /** Why each award cannot be paid because of its bank details (missing, unverified); awards that can are left out. One query. */
  async paymentBlocks(awardIds: readonly string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, PaymentBlock>> {
    const ids = [...new Set(awardIds)].filter(isUuid);
    const out = new Map<string, PaymentBlock>();
    if (ids.length === 0) return out;
    const rows: { award_id: string; verified: boolean }[] = await m.query(`SELECT award_id, verified_at IS NOT NULL AS verified FROM bank_accounts WHERE award_id = ANY($1::uuid[])`, [ids]);
    const found = new Map(rows.map((r) => [r.award_id, r.verified]));
    for (const id of ids) {
      if (!found.has(id)) out.set(id, BANK_BLOCKS['FINANCE.BANK_DETAILS_MISSING']);
      else if (!found.get(id)) out.set(id, BANK_BLOCKS['FINANCE.BANK_DETAILS_UNVERIFIED']);
    }
    return out;
  }

  /** Bank details waiting for a finance officer's check, oldest first, masked (the verify list): award ids and views. One query. */
  async toVerify(): Promise<BankAccountView[]> {
    const rows = await this.dataSource.manager.find(BankAccount, { where: { verifiedAt: IsNull() }, order: { enteredAt: 'ASC' }, take: 500 });
    return rows.map((r) => this.view(r.awardId, r, false));
  }

  /** The masked details of several awards (the payments-due list), keyed by award. One query. */
  async masked(awardIds: readonly string[], m: EntityManager = this.dataSource.manager): Promise<Map<string, BankAccountView>> {
    const ids = [...new Set(awardIds)].filter(isUuid);
    if (ids.length === 0) return new Map();
    const rows = await m.createQueryBuilder(BankAccount, 'b').where('b.award_id = ANY(:ids)', { ids }).getMany();
    return new Map(rows.map((r) => [r.awardId, this.view(r.awardId, r, false)]));
  }

  private view(awardId: string, row: BankAccount | null, full: boolean, known?: BankDetails): BankAccountView {
    if (!row) {
      return { awardId, entered: false, accountName: null, sortCode: null, accountNumber: null, accountLastFour: null, masked: !full, verified: false, verifiedAt: null, verificationMethod: null, enteredAt: null, enteredByUserId: null };
    }
    const details: BankDetails = known ?? (JSON.parse(this.cipher.open(row.detailsSealed, awardId)) as BankDetails);
    return {
      awardId,
      entered: true,
      accountName: details.accountName,
      sortCode: full ? formattedSortCode(details.sortCode) : maskedSortCode(row.sortCodeLastTwo),
      accountNumber: full ? details.accountNumber : maskedAccountNumber(row.accountLastFour),
      accountLastFour: row.accountLastFour,
      masked: !full,
      verified: !!row.verifiedAt,
      verifiedAt: row.verifiedAt,
      verificationMethod: row.verificationMethod,
      enteredAt: row.enteredAt,
      enteredByUserId: row.enteredByUserId,
    };
  }

  /** Every owner of the organisation, at their own address: the bank details were changed (and by whom). */
  private async tellOwners(m: EntityManager, award: FinanceAward, row: BankAccount): Promise<void> {
    const owners = (await this.memberships.membersOf(award.organisationId, m)).filter((x) => x.role === 'owner').map((x) => x.userId);
    const people = await this.people.byIds([...owners, row.enteredByUserId], m);
    const [organisation] = await this.organisations.summariesByIds([award.organisationId], m);
    const data = {
      organisationName: organisation?.name ?? 'your organisation',
      reference: award.reference,
      accountLastFour: row.accountLastFour,
      changedBy: people.get(row.enteredByUserId)?.fullName ?? 'an owner of the organisation',
      changedAt: formatDateTime(row.enteredAt),
      awardPath: `/awards/${award.id}/payment-plan`,
    };
    const addresses = [...new Set(owners.map((id) => people.get(id)?.email?.toLowerCase()).filter((e): e is string => !!e))];
    for (const to of addresses) await this.mail.queue(m, { to, template: 'finance-bank-details-changed', data, organisationId: award.organisationId });
  }
}
