import { DomainError } from '../common/errors.js';
import type { DistrictView } from '../reference-data/reference-data.service.js';
import { LEGAL_FORM_LABELS } from './legal-forms.js';
import type { MemberRole } from './organisation-member.entity.js';
import type { LegalForm, Organisation } from './organisation.entity.js';

/** What the organisations service answers with, the row it reads them from, and its errors. */
export interface DistrictRef {
  id: string;
  name: string;
  gssCode: string;
}

/** An organisation as the API and pages show it, with the caller's role in it (null for staff). */
export interface OrganisationView {
  id: string;
  name: string;
  legalForm: LegalForm;
  legalFormLabel: string;
  charityNumber: string | null;
  companyNumber: string | null;
  orgId: string;
  addressLine1: string;
  addressLine2: string | null;
  town: string;
  postcode: string;
  district: DistrictRef | null;
  contactName: string;
  contactEmail: string;
  contactPhone: string | null;
  createdAt: Date;
  updatedAt: Date;
  myRole: MemberRole | null;
}

export interface OrganisationListQuery {
  page: number;
  pageSize: number;
  /** Part of the name, any case. */
  name?: string;
  districtId?: string;
}

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** An organisation as other domains show it beside their own records. */
export interface OrganisationSummary {
  id: string;
  name: string;
  orgId: string;
  contactEmail: string;
  postcode: string;
}

/** What a caller may do with one organisation, decided once per use case. */
export interface OrganisationAccess {
  organisation: Organisation;
  /** The caller's membership role, or null for staff who are not members. */
  role: MemberRole | null;
}

export interface ViewRow {
  id: string;
  name: string;
  legal_form: LegalForm;
  charity_number: string | null;
  company_number: string | null;
  org_id: string;
  address_line1: string;
  address_line2: string | null;
  town: string;
  postcode: string;
  district_id: string | null;
  contact_name: string;
  contact_email: string;
  contact_phone: string | null;
  created_at: Date;
  updated_at: Date;
  my_role: MemberRole | null;
  total?: string;
}

export const VIEW_SELECT = `
  SELECT o.id, o.name, o.legal_form, o.charity_number, o.company_number, o.org_id, o.address_line1, o.address_line2,
         o.town, o.postcode, o.district_id, o.contact_name,
         o.contact_email, o.contact_phone, o.created_at, o.updated_at, m.role AS my_role`;

export const VIEW_FROM = `
    FROM organisations o
    LEFT JOIN organisation_members m ON m.organisation_id = o.id AND m.user_id = $1`;

/** A row as the API shows it; district names come from reference data (`districts`, by id). */
export const toView = (row: ViewRow, districts: Map<string, DistrictView>): OrganisationView => ({
  id: row.id,
  name: row.name,
  legalForm: row.legal_form,
  legalFormLabel: LEGAL_FORM_LABELS[row.legal_form] ?? row.legal_form,
  charityNumber: row.charity_number,
  companyNumber: row.company_number,
  orgId: row.org_id,
  addressLine1: row.address_line1,
  addressLine2: row.address_line2,
  town: row.town,
  postcode: row.postcode,
  district: row.district_id ? districtRef(row.district_id, districts.get(row.district_id)) : null,
  contactName: row.contact_name,
  contactEmail: row.contact_email,
  contactPhone: row.contact_phone,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  myRole: row.my_role,
});

export const districtRef = (id: string, district: DistrictView | undefined): DistrictRef => ({ id, name: district?.name ?? '', gssCode: district?.gssCode ?? '' });

/** The stored details, for the audit trail. */
export const snapshot = (o: Organisation): Record<string, unknown> => ({
  name: o.name,
  legalForm: o.legalForm,
  charityNumber: o.charityNumber,
  companyNumber: o.companyNumber,
  orgId: o.orgId,
  addressLine1: o.addressLine1,
  addressLine2: o.addressLine2,
  town: o.town,
  postcode: o.postcode,
  districtId: o.districtId,
  contactName: o.contactName,
  contactEmail: o.contactEmail,
  contactPhone: o.contactPhone,
});

export const organisationNotFound = () =>
  new DomainError('not_found', 'ORGANISATION.NOT_FOUND', 'That organisation was not found');

export const ownerOnly = (what: string) =>
  new DomainError('forbidden', 'ORGANISATION.OWNER_ONLY', `Only an owner of the organisation can ${what}`);

export const alreadyRegistered = () =>
  new DomainError(
    'conflict',
    'ORGANISATION.ALREADY_REGISTERED',
    'An organisation with this charity or company number is already registered. Ask the person who registered it (an owner of the organisation) to invite you to join it.',
  );

/** Escapes % and _ for ILIKE. */
