import { isUuid } from '../common/ids.js';
/**
 * The rules for an organisation's details, shared by the API, the registration journey and the
 * edit page: what is required (by legal form), formats, lengths, and the normalised values stored.
 * Pure: the district's existence is checked by the service, which has the database.
 */
import { isEmail } from 'class-validator';
import type { FieldError } from '../common/errors.js';
import type { LegalForm } from './organisation.entity.js';
import { isLegalForm } from './legal-forms.js';
import {
  requiresCharityNumber,
  requiresCompanyNumber,
  validateCharityNumber,
  validateCompanyNumber,
  validatePostcode,
} from './org-identifiers.js';

export const ORGANISATION_FIELDS = [
  'name',
  'legalForm',
  'charityNumber',
  'companyNumber',
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
  'districtId',
  'contactName',
  'contactEmail',
  'contactPhone',
] as const;
export type OrganisationField = (typeof ORGANISATION_FIELDS)[number];

/** What a caller sends: any field may be missing, blank or the wrong shape until validated. */
export type OrganisationInput = Partial<Record<OrganisationField, unknown>>;

/** Validated, normalised details, ready to store. */
export interface OrganisationDetails {
  name: string;
  legalForm: LegalForm;
  charityNumber: string | null;
  companyNumber: string | null;
  addressLine1: string;
  addressLine2: string | null;
  town: string;
  postcode: string;
  districtId: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string | null;
}

/** Column sizes (see organisation.entity.ts). */
export const MAX_LENGTHS = {
  name: 160,
  addressLine1: 120,
  addressLine2: 120,
  town: 80,
  contactName: 120,
  contactEmail: 254,
  contactPhone: 30,
} as const;


/** Trimmed text, or null when missing or blank. Non-strings are kept for the type check. */
function text(value: unknown): string | null | { wrongType: true } {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return { wrongType: true };
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}

interface TextRule {
  field: OrganisationField;
  required: boolean;
  requiredMessage: string;
  label: string;
  code: string;
}

const TEXT_RULES: Record<'name' | 'addressLine1' | 'addressLine2' | 'town' | 'contactName', TextRule> = {
  name: { field: 'name', required: true, requiredMessage: 'Enter the organisation’s name', label: 'Organisation name', code: 'NAME' },
  addressLine1: {
    field: 'addressLine1',
    required: true,
    requiredMessage: 'Enter address line 1, typically the building and street',
    label: 'Address line 1',
    code: 'ADDRESS_LINE1',
  },
  addressLine2: { field: 'addressLine2', required: false, requiredMessage: '', label: 'Address line 2', code: 'ADDRESS_LINE2' },
  town: { field: 'town', required: true, requiredMessage: 'Enter town or city', label: 'Town or city', code: 'TOWN' },
  contactName: {
    field: 'contactName',
    required: true,
    requiredMessage: 'Enter the full name of the person we should contact',
    label: 'Contact name',
    code: 'CONTACT_NAME',
  },
};

const PHONE = /^\+?[0-9 ()-]+$/;

/**
 * Validates the fields asked for (all by default) and returns every problem at once, with the
 * normalised values of the fields that passed. Which registration numbers are required depends on
 * the legal form, so those two are checked only when the legal form is valid.
 */
export function validateOrganisationFields(
  input: OrganisationInput,
  fields: readonly OrganisationField[] = ORGANISATION_FIELDS,
): { values: Partial<OrganisationDetails>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const values: Partial<OrganisationDetails> = {};
  const wants = (field: OrganisationField) => fields.includes(field);
  const err = (field: OrganisationField, code: string, message: string) => errors.push({ field, code, message });

  for (const rule of Object.values(TEXT_RULES)) {
    if (!wants(rule.field)) continue;
    const value = text(input[rule.field]);
    if (value !== null && typeof value === 'object') {
      err(rule.field, `ORGANISATION.${rule.code}_INVALID`, `${rule.label} must be text`);
    } else if (value === null) {
      if (rule.required) err(rule.field, `ORGANISATION.${rule.code}_REQUIRED`, rule.requiredMessage);
      else (values as Record<string, unknown>)[rule.field] = null;
    } else if (value.length > MAX_LENGTHS[rule.field as keyof typeof MAX_LENGTHS]) {
      err(rule.field, `ORGANISATION.${rule.code}_TOO_LONG`, `${rule.label} must be ${MAX_LENGTHS[rule.field as keyof typeof MAX_LENGTHS]} characters or fewer`);
    } else {
      (values as Record<string, unknown>)[rule.field] = value;
    }
  }

  let legalForm: LegalForm | null = null;
  if (wants('legalForm') || wants('charityNumber') || wants('companyNumber')) {
    const raw = input.legalForm;
    if (isLegalForm(raw)) legalForm = raw;
    if (wants('legalForm')) {
      if (raw === undefined || raw === null || raw === '') err('legalForm', 'ORGANISATION.LEGAL_FORM_REQUIRED', 'Select the organisation’s legal form');
      else if (!legalForm) err('legalForm', 'ORGANISATION.LEGAL_FORM_INVALID', 'Select the organisation’s legal form from the list');
      else values.legalForm = legalForm;
    }
  }

  const numbers = [
    { field: 'charityNumber' as const, required: legalForm ? requiresCharityNumber(legalForm) : false, validate: validateCharityNumber },
    { field: 'companyNumber' as const, required: legalForm ? requiresCompanyNumber(legalForm) : false, validate: validateCompanyNumber },
  ];
  for (const number of numbers) {
    if (!wants(number.field)) continue;
    const value = text(input[number.field]);
    if (value !== null && typeof value === 'object') {
      err(number.field, `ORGANISATION.${number.field === 'charityNumber' ? 'CHARITY' : 'COMPANY'}_NUMBER_INVALID`, 'Enter the number as text');
      continue;
    }
    if (value === null) {
      if (number.required) {
        const result = number.validate(null);
        if (!result.ok) err(number.field, result.code, result.message);
      } else {
        values[number.field] = null;
      }
      continue;
    }
    const result = number.validate(value);
    if (result.ok) values[number.field] = result.value;
    else err(number.field, result.code, result.message);
  }

  if (wants('postcode')) {
    const value = text(input.postcode);
    const result = validatePostcode(typeof value === 'string' ? value : null);
    if (value !== null && typeof value === 'object') err('postcode', 'ORGANISATION.POSTCODE_INVALID', 'Enter a full UK postcode, like LS1 4AB');
    else if (result.ok) values.postcode = result.value;
    else err('postcode', result.code, result.message);
  }

  if (wants('districtId')) {
    const value = input.districtId;
    if (value === undefined || value === null || value === '') {
      err('districtId', 'ORGANISATION.DISTRICT_REQUIRED', 'Select the district the organisation is based in');
    } else if (!isUuid(value)) {
      err('districtId', 'ORGANISATION.DISTRICT_INVALID', 'Select a district from the list');
    } else {
      values.districtId = value.toLowerCase();
    }
  }

  if (wants('contactEmail')) {
    const value = text(input.contactEmail);
    if (value === null) err('contactEmail', 'ORGANISATION.CONTACT_EMAIL_REQUIRED', 'Enter the contact’s email address');
    else if (typeof value === 'object' || value.length > MAX_LENGTHS.contactEmail || !isEmail(value)) {
      err('contactEmail', 'ORGANISATION.CONTACT_EMAIL_INVALID', 'Enter an email address in the correct format, like name@example.com');
    } else values.contactEmail = value.toLowerCase();
  }

  if (wants('contactPhone')) {
    const value = text(input.contactPhone);
    if (value === null) values.contactPhone = null;
    else {
      const digits = typeof value === 'string' ? value.replace(/\D/g, '') : '';
      if (typeof value === 'object' || value.length > MAX_LENGTHS.contactPhone || !PHONE.test(value) || digits.length < 10 || digits.length > 15) {
        err('contactPhone', 'ORGANISATION.CONTACT_PHONE_INVALID', 'Enter a telephone number, like 01632 960 001 or 07700 900 982');
      } else values.contactPhone = value;
    }
  }

  // Keep the order of the form, so the error summary reads top to bottom.
  errors.sort((a, b) => ORGANISATION_FIELDS.indexOf(a.field as OrganisationField) - ORGANISATION_FIELDS.indexOf(b.field as OrganisationField));
  return { values, errors };
}
