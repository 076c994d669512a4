import { Inject, Injectable } from '@nestjs/common';
import { LEGAL_FORM_LABELS } from './legal-forms.js';
import type { LegalForm } from './organisation.entity.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { hasRole, isStaff, type AuthenticatedUser } from '../auth/authenticated-user.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';
import { OrganisationMembershipReader, type MemberOrganisation } from './membership-reader.js';
import { deriveOrgId } from './org-identifiers.js';
import type { MemberRole } from './organisation-member.entity.js';
import { Organisation } from './organisation.entity.js';
import { ORGANISATION_FIELDS, validateOrganisationFields, type OrganisationDetails, type OrganisationInput } from './organisation-input.js';
import { isUuid } from '../common/ids.js';
import { isUniqueViolation } from '../reference-data/input.js';
import { ReferenceDataService, type DistrictView } from '../reference-data/reference-data.service.js';
import {
  alreadyRegistered, organisationNotFound, ownerOnly, snapshot, toView, VIEW_FROM, VIEW_SELECT,
  type DistrictRef, type OrganisationAccess, type OrganisationListQuery, type OrganisationSummary, type OrganisationView, type PageOf, type ViewRow,
} from './organisation-views.js';

export { organisationNotFound, type DistrictRef, type OrganisationAccess, type OrganisationListQuery, type OrganisationSummary, type OrganisationView, type PageOf } from './organisation-views.js';

/** Escapes % and _ for ILIKE. */
const likePattern = (value: string) => `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Organisations: registering, reading, correcting details, and the one place that decides who
 * may see or change an organisation. Applicants see only their organisations (anything else is
 * "not found"); staff with any role may read all of them.
 */
/** How an organisation is registered, as other domains (screening) show it. */
export interface OrganisationRegistration {
  name: string;
  legalForm: LegalForm;
  legalFormLabel: string;
  charityNumber: string | null;
  companyNumber: string | null;
  orgId: string;
}

@Injectable()
export class OrganisationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly memberships: OrganisationMembershipReader,
    private readonly referenceData: ReferenceDataService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Loads an organisation for the caller, or throws ORGANISATION.NOT_FOUND when it does not exist
   * or the caller is neither a member nor staff. `lock` takes a row lock for the rest of the
   * transaction, which serialises changes to the organisation and its members.
   */
  async access(manager: EntityManager, user: AuthenticatedUser, organisationId: string, options: { lock?: boolean } = {}): Promise<OrganisationAccess> {
    if (!isUuid(organisationId)) throw organisationNotFound();
    const organisation = await manager.findOne(Organisation, {
      where: { id: organisationId },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!organisation) throw organisationNotFound();
    const [member]: { role: MemberRole }[] = await manager.query(
      `SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`,
      [organisationId, user.id],
    );
    if (!member && !isStaff(user)) throw organisationNotFound();
    return { organisation, role: member?.role ?? null };
  }

  /** Throws ORGANISATION.OWNER_ONLY unless the caller owns the organisation. */
  requireOwner(access: { role: MemberRole | null }, what: string): void {
    if (access.role !== 'owner') throw ownerOnly(what);
  }

  /** Owners change their organisation's details; grants officers may correct them (due diligence). */
  mayChangeDetails(user: AuthenticatedUser, role: MemberRole | null): boolean {
    return role === 'owner' || hasRole(user, 'grants_officer');
  }

  /** True when the caller is a member (either role) of the organisation: for other domains' scoping. */
  async isMember(manager: EntityManager, userId: string, organisationId: string): Promise<boolean> {
    return this.memberships.isMember(userId, organisationId, manager);
  }

  /** The organisations a person belongs to, by name: for other domains' scoping and choosing one. */
  async membershipsOf(manager: EntityManager, userId: string): Promise<MemberOrganisation[]> {
    return this.memberships.organisationsOf(userId, manager);
  }

  /** An organisation's name, or null when there is none by that id: for other domains' captions. */
  async nameOf(manager: EntityManager, organisationId: string): Promise<string | null> {
    if (!isUuid(organisationId)) return null;
    const [row]: { name: string }[] = await manager.query(`SELECT name FROM organisations WHERE id = $1`, [organisationId]);
    return row?.name ?? null;
  }

  /** What other domains show of organisations (no access check: the caller has decided access). */
  async summariesByIds(ids: string[], manager?: EntityManager): Promise<OrganisationSummary[]> {
    const valid = [...new Set(ids.filter((id) => isUuid(id)))];
    if (!valid.length) return [];
    const rows: { id: string; name: string; org_id: string; contact_email: string; postcode: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT id, name, org_id, contact_email, postcode FROM organisations WHERE id = ANY($1)`,
      [valid],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, orgId: r.org_id, contactEmail: r.contact_email, postcode: r.postcode }));
  }

  /** How an organisation is registered (legal form, charity and company numbers), for other domains' checks; null if unknown. */
  async registrationOf(organisationId: string, manager?: EntityManager): Promise<OrganisationRegistration | null> {
    if (!isUuid(organisationId)) return null;
    const [row]: { name: string; legal_form: LegalForm; charity_number: string | null; company_number: string | null; org_id: string }[] = await (
      manager ?? this.dataSource.manager
    ).query(`SELECT name, legal_form, charity_number, company_number, org_id FROM organisations WHERE id = $1`, [organisationId]);
    if (!row) return null;
    return {
      name: row.name,
      legalForm: row.legal_form,
      legalFormLabel: LEGAL_FORM_LABELS[row.legal_form] ?? row.legal_form,
      charityNumber: row.charity_number,
      companyNumber: row.company_number,
      orgId: row.org_id,
    };
  }

  async activeDistricts(): Promise<DistrictRef[]> {
    const districts = await this.referenceData.listDistricts(false);
    return districts.map((d) => ({ id: d.id, name: d.name, gssCode: d.gssCode }));
  }

  /** Every district's name by id, closed ones included (for history). */
  async districtNames(): Promise<Map<string, string>> {
    const districts = await this.referenceData.listDistricts(true);
    return new Map(districts.map((d) => [d.id, d.name]));
  }

  /** Validates details without storing them (each page of the registration journey). */
  async check(input: OrganisationInput, fields: readonly (typeof ORGANISATION_FIELDS)[number][]): Promise<Partial<OrganisationDetails>> {
    const { values, errors } = validateOrganisationFields(input, fields);
    if (values.districtId) errors.push(...(await this.districtErrors(this.dataSource.manager, values.districtId, null)));
    if (errors.length) throw validationFailed(errors);
    return values;
  }

  /**
   * Registers an organisation; the person registering it becomes its owner. `submissionId` (a
   * UUID the journey fixes before its check page is shown) becomes the organisation's id, so the
   * same submission sent twice registers once: the primary key refuses the second, which then
   * answers with the first.
   */
  async register(actor: Actor, user: AuthenticatedUser, input: OrganisationInput, options: { submissionId?: string } = {}): Promise<OrganisationView> {
    const details = await this.validDetails(this.dataSource.manager, input, null);
    const submissionId = options.submissionId && isUuid(options.submissionId) ? options.submissionId.toLowerCase() : null;
    if (submissionId && (await this.isMember(this.dataSource.manager, user.id, submissionId))) return this.get(user, submissionId);
    const id = submissionId ?? randomUUID();
    const orgId = deriveOrgId(details, { unregisteredPrefix: this.config.orgIdPrefix, fallbackId: id });
    try {
      await this.insertRegistration(actor, user, id, details, orgId);
    } catch (error) {
      // The same submission, registered by the request that got there first (the primary key, or
      // the org-id derived from it, refused this one): answer with it.
      if (submissionId && (isUniqueViolation(error) || (error instanceof DomainError && error.kind === 'conflict'))
        && (await this.isMember(this.dataSource.manager, user.id, id))) return this.get(user, id);
      throw error;
    }
    return this.get(user, id);
  }

  private async insertRegistration(actor: Actor, user: AuthenticatedUser, id: string, details: OrganisationDetails, orgId: string): Promise<void> {
    await this.inTransaction(async (m) => {
      await this.assertNotRegistered(m, details, null);
      const organisation = m.create(Organisation, { id, ...details, orgId });
      await m.insert(Organisation, organisation);
      await m.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [id, user.id]);
      await this.audit.record(m, actor, {
        action: 'organisation.registered',
        entityType: 'organisation',
        entityId: id,
        after: { ...snapshot(organisation), owner: { userId: user.id, email: user.email } },
      });
    });
  }

  async get(user: AuthenticatedUser, organisationId: string): Promise<OrganisationView> {
    if (!isUuid(organisationId)) throw organisationNotFound();
    const [row]: ViewRow[] = await this.dataSource.query(`${VIEW_SELECT} ${VIEW_FROM} WHERE o.id = $2`, [user.id, organisationId]);
    if (!row || (!row.my_role && !isStaff(user))) throw organisationNotFound();
    return toView(row, await this.districtsOf([row]));
  }

  /**
   * A page of organisations. `scope: 'mine'` lists only those the caller belongs to;
   * `'visible'` lists everything the caller may read (all of them for staff).
   */
  async list(user: AuthenticatedUser, query: OrganisationListQuery, scope: 'mine' | 'visible'): Promise<PageOf<OrganisationView>> {
    const where: string[] = [];
    const params: unknown[] = [user.id];
    if (scope === 'mine' || !isStaff(user)) where.push('m.user_id IS NOT NULL');
    if (query.name && query.name.trim()) {
      params.push(likePattern(query.name.trim()));
      where.push(`o.name ILIKE $${params.length}`);
    }
    if (query.districtId) {
      params.push(query.districtId);
      where.push(`o.district_id = $${params.length}`);
    }
    params.push(query.pageSize, (query.page - 1) * query.pageSize);
    const rows: ViewRow[] = await this.dataSource.query(
      `${VIEW_SELECT}, count(*) OVER () AS total ${VIEW_FROM}
        ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY lower(o.name), o.id
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    let total = rows.length ? Number(rows[0].total) : 0;
    if (!rows.length && query.page > 1) {
      // Past the last page: still report how many there are.
      const [{ count }]: { count: string }[] = await this.dataSource.query(
        `SELECT count(*) AS count ${VIEW_FROM} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}`,
        params.slice(0, params.length - 2),
      );
      total = Number(count);
    }
    const districts = await this.districtsOf(rows);
    return { items: rows.map((row) => toView(row, districts)), total, page: query.page, pageSize: query.pageSize };
  }

  /** The districts the rows name, by id (closed ones included). */
  private async districtsOf(rows: ViewRow[]): Promise<Map<string, DistrictView>> {
    const ids = [...new Set(rows.map((r) => r.district_id).filter((id): id is string => id !== null))];
    const districts = await this.referenceData.districtsByIds(ids);
    return new Map(districts.map((d) => [d.id, { id: d.id, name: d.name, gssCode: d.gssCode, active: d.active }]));
  }

  /**
   * Corrects an organisation's details: owners, and grants officers (who check due diligence).
   * Fields not given keep their values; the org-id identifier is derived again.
   */
  async update(actor: Actor, user: AuthenticatedUser, organisationId: string, input: OrganisationInput): Promise<OrganisationView> {
    await this.inTransaction(async (m) => {
      const access = await this.access(m, user, organisationId, { lock: true });
      if (!this.mayChangeDetails(user, access.role)) throw ownerOnly("change the organisation's details");
      const current = access.organisation;
      const before = snapshot(current);
      const merged: OrganisationInput = { ...before };
      for (const field of ORGANISATION_FIELDS) if (input[field] !== undefined) merged[field] = input[field];
      const details = await this.validDetails(m, merged, current.districtId);
      const orgId = deriveOrgId(details, { unregisteredPrefix: this.config.orgIdPrefix, fallbackId: current.id });
      Object.assign(current, details, { orgId });
      const after = snapshot(current);
      if (JSON.stringify(after) === JSON.stringify(before)) return; // nothing changed: nothing to record
      await this.assertNotRegistered(m, details, current.id);
      await m.update(Organisation, { id: current.id }, { ...details, orgId });
      const changed = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
      await this.audit.record(m, actor, {
        action: 'organisation.updated',
        entityType: 'organisation',
        entityId: current.id,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      });
    });
    return this.get(user, organisationId);
  }

  /** Runs a use case in one transaction; a race on the org-id index is the same conflict as the check. */
  private async inTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { constraint?: string })?.constraint === 'uq_organisations_org_id') {
        throw alreadyRegistered();
      }
      throw error;
    }
  }

  private async validDetails(manager: EntityManager, input: OrganisationInput, currentDistrictId: string | null): Promise<OrganisationDetails> {
    const { values, errors } = validateOrganisationFields(input);
    if (values.districtId) errors.push(...(await this.districtErrors(manager, values.districtId, currentDistrictId)));
    if (errors.length) throw validationFailed(errors);
    return values as OrganisationDetails;
  }

  /** The district must exist and be active (an organisation may keep a district that has since closed). */
  private async districtErrors(manager: EntityManager, districtId: string, currentDistrictId: string | null): Promise<FieldError[]> {
    const [district] = await this.referenceData.districtsByIds([districtId], manager);
    if (district && (district.active || districtId === currentDistrictId)) return [];
    return [{ field: 'districtId', code: 'ORGANISATION.DISTRICT_INVALID', message: 'Select a district from the list' }];
  }

  /**
   * One organisation per charity number and per company number. The advisory locks make two
   * registrations of the same number at the same moment wait for each other.
   */
  private async assertNotRegistered(m: EntityManager, details: OrganisationDetails, exceptId: string | null): Promise<void> {
    const keys = [
      details.charityNumber ? `charity:${details.charityNumber}` : null,
      details.companyNumber ? `company:${details.companyNumber}` : null,
    ].filter((k): k is string => k !== null);
    if (!keys.length) return;
    for (const key of keys.sort()) await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`organisation-identifier:${key}`]);
    const rows: unknown[] = await m.query(
      `SELECT 1 FROM organisations
        WHERE ((charity_number IS NOT NULL AND charity_number = $1) OR (company_number IS NOT NULL AND company_number = $2))
          AND id <> $3
        LIMIT 1`,
      [details.charityNumber ?? '', details.companyNumber ?? '', exceptId ?? '00000000-0000-0000-0000-000000000000'],
    );
    if (rows.length) throw alreadyRegistered();
  }
}
