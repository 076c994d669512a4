/**
 * Organisation identifiers: charity numbers, Companies House numbers, UK postcodes and the
 * org-id.guide identifier that the 360Giving Data Standard expects for every recipient.
 *
 * Pure functions only (no framework, no I/O). Validators return a result rather than throwing so a
 * form can show every problem at once; the two functions that must produce a value
 * (deriveOrgId, postcodeDistrict) throw a coded validation DomainError instead.
 *
 * org-id.guide conventions used here (https://org-id.guide, register lists gb-chc, gb-sc, gb-nic,
 * gb-coh):
 *   GB-CHC-1123456   Charity Commission for England and Wales: the number as registered
 *   GB-SC-SC012345   Scottish Charity Register (OSCR): the number keeps its "SC"
 *   GB-NIC-100002    Charity Commission for Northern Ireland: the number without "NIC"
 *   GB-COH-01234567  Companies House: all 8 characters, leading zeros and prefix kept
 *   360G-<publisher prefix>-<internal id>  unregistered groups (360Giving's own scheme)
 */
import { fieldError } from '../common/errors.js';
import type { LegalForm } from './organisation.entity.js';

export const ORG_ID_ERROR_CODES = {
  charityNumberRequired: 'ORGANISATION.CHARITY_NUMBER_REQUIRED',
  charityNumberInvalid: 'ORGANISATION.CHARITY_NUMBER_INVALID',
  charityNumberSubsidiary: 'ORGANISATION.CHARITY_NUMBER_SUBSIDIARY',
  companyNumberRequired: 'ORGANISATION.COMPANY_NUMBER_REQUIRED',
  companyNumberInvalid: 'ORGANISATION.COMPANY_NUMBER_INVALID',
  postcodeRequired: 'ORGANISATION.POSTCODE_REQUIRED',
  postcodeInvalid: 'ORGANISATION.POSTCODE_INVALID',
} as const;

export type ValidationFailure = { ok: false; code: string; message: string };

const fail = (code: string, message: string): ValidationFailure => ({ ok: false, code, message });

/** Removes every kind of whitespace (spaces, tabs, non-breaking spaces pasted from documents). */
const compact = (input: string): string => input.replace(/\s+/g, '');

// ---------------------------------------------------------------------------------------------
// Charity numbers
// ---------------------------------------------------------------------------------------------

/** CHC: England and Wales; SC: Scotland (OSCR); NIC: Northern Ireland (CCNI). */
export type CharityRegister = 'CHC' | 'SC' | 'NIC';

export type CharityNumberResult = { ok: true; value: string; register: CharityRegister } | ValidationFailure;

/** England and Wales: 6 or 7 digits, never starting with 0 (e.g. 220949, 1123456). */
const CHC_NUMBER = /^[1-9]\d{5,6}$/;
/** A linked/subsidiary charity is written as the main number plus "-1", "-2"… */
const CHC_SUBSIDIARY = /^([1-9]\d{5,6})-(\d{1,3})$/;
/** Scotland: "SC" and 6 digits (SC012345). */
const OSCR_NUMBER = /^SC\d{6}$/;
/** Northern Ireland: "NIC" and 6 digits (NIC100002). */
const CCNI_NUMBER = /^NIC\d{6}$/;

const CHARITY_NUMBER_FORMAT_MESSAGE = 'Enter a charity number in the correct format, like 1123456 or SC012345';

/** Trims, upper-cases and removes spaces: " sc 012345 " -> "SC012345". */
export function normaliseCharityNumber(input: string): string {
  return compact(input).toUpperCase();
}

export function validateCharityNumber(input: string | null | undefined): CharityNumberResult {
  const value = normaliseCharityNumber(input ?? '');
  if (value === '') return fail(ORG_ID_ERROR_CODES.charityNumberRequired, 'Enter a charity number');
  if (CHC_NUMBER.test(value)) return { ok: true, value, register: 'CHC' };
  if (OSCR_NUMBER.test(value)) return { ok: true, value, register: 'SC' };
  if (CCNI_NUMBER.test(value)) return { ok: true, value, register: 'NIC' };
  const subsidiary = CHC_SUBSIDIARY.exec(value);
  if (subsidiary) {
    return fail(
      ORG_ID_ERROR_CODES.charityNumberSubsidiary,
      `Enter the main charity number without -${subsidiary[2]} on the end, like ${subsidiary[1]}`,
    );
  }
  return fail(ORG_ID_ERROR_CODES.charityNumberInvalid, CHARITY_NUMBER_FORMAT_MESSAGE);
}

// ---------------------------------------------------------------------------------------------
// Companies House numbers
// ---------------------------------------------------------------------------------------------

/**
 * Two-character prefixes Companies House puts before 6 digits. Sources: the Companies House
 * "Uniform Resource Identifiers customer guide" list of company number prefixes and the HMRC
 * Company Registration Number Formats list (COM40010), plus OE for the Register of Overseas
 * Entities. England and Wales companies have no prefix (8 digits).
 */
export const COMPANY_NUMBER_PREFIXES = {
  AC: 'Assurance company (England and Wales)',
  CE: 'Charitable incorporated organisation (England and Wales)',
  CS: 'Scottish charitable incorporated organisation',
  EN: 'European public limited-liability company (Societas Europaea) (Northern Ireland)',
  ES: 'European public limited-liability company (Societas Europaea) (Scotland)',
  FC: 'Overseas company',
  GE: 'European Economic Interest Grouping (England and Wales)',
  GN: 'European Economic Interest Grouping (Northern Ireland)',
  GS: 'European Economic Interest Grouping (Scotland)',
  IC: 'Investment company with variable capital (England and Wales)',
  IP: 'Industrial and provident society (England and Wales)',
  LP: 'Limited partnership (England and Wales)',
  NA: 'Assurance company (Northern Ireland)',
  NC: 'Limited liability partnership (Northern Ireland)',
  NF: 'Overseas company registered in Northern Ireland before 1 October 2009',
  NI: 'Northern Ireland company',
  NL: 'Limited partnership (Northern Ireland)',
  NO: 'Other company type (Northern Ireland)',
  NP: 'Industrial and provident society (Northern Ireland)',
  NR: 'Royal charter company (Northern Ireland)',
  NV: 'Investment company with variable capital (Northern Ireland)',
  NZ: 'Unregistered company, not formed under the Companies Acts (Northern Ireland)',
  OC: 'Limited liability partnership (England and Wales)',
  OE: 'Overseas entity',
  R0: 'Northern Ireland company registered before partition',
  RC: 'Royal charter company (England and Wales)',
  RS: 'Registered society',
  SA: 'Assurance company (Scotland)',
  SC: 'Scottish company',
  SE: 'European public limited-liability company (Societas Europaea) (England and Wales)',
  SF: 'Overseas company registered in Scotland before 1 October 2009',
  SG: 'Scottish qualifying partnership',
  SI: 'Investment company with variable capital (Scotland)',
  SL: 'Limited partnership (Scotland)',
  SO: 'Limited liability partnership (Scotland)',
  SP: 'Industrial and provident society (Scotland)',
  SR: 'Royal charter company (Scotland)',
  SZ: 'Unregistered company, not formed under the Companies Acts (Scotland)',
  ZC: 'Unregistered company, not formed under the Companies Acts (England and Wales)',
} as const;

export type CompanyNumberPrefix = keyof typeof COMPANY_NUMBER_PREFIXES;

export type CompanyNumberResult =
  | { ok: true; value: string; prefix: CompanyNumberPrefix | null }
  | ValidationFailure;

const COMPANY_NUMBER_FORMAT_MESSAGE = 'Enter a company number in the correct format, like 01234567 or SC123456';

const isCompanyPrefix = (prefix: string): prefix is CompanyNumberPrefix =>
  Object.prototype.hasOwnProperty.call(COMPANY_NUMBER_PREFIXES, prefix);

/**
 * Trims, upper-cases, removes spaces and restores the leading zeros people drop from
 * England and Wales numbers: "1234567" -> "01234567", " sc 123456 " -> "SC123456".
 */
export function normaliseCompanyNumber(input: string): string {
  const value = compact(input).toUpperCase();
  return /^\d{6,7}$/.test(value) ? value.padStart(8, '0') : value;
}

export function validateCompanyNumber(input: string | null | undefined): CompanyNumberResult {
  const value = normaliseCompanyNumber(input ?? '');
  if (value === '') return fail(ORG_ID_ERROR_CODES.companyNumberRequired, 'Enter a company number');
  const match = /^([A-Z][A-Z0-9]|\d{2})(\d{6})$/.exec(value);
  if (!match) return fail(ORG_ID_ERROR_CODES.companyNumberInvalid, COMPANY_NUMBER_FORMAT_MESSAGE);
  const [, head, digits] = match;
  if (/^\d{2}$/.test(head)) {
    if (/^0+$/.test(value)) return fail(ORG_ID_ERROR_CODES.companyNumberInvalid, COMPANY_NUMBER_FORMAT_MESSAGE);
    return { ok: true, value, prefix: null };
  }
  if (!isCompanyPrefix(head)) {
    // Name the prefix only when it looks like one (two letters); "S1234567" is just the wrong format.
    if (!/^[A-Z]{2}$/.test(head)) return fail(ORG_ID_ERROR_CODES.companyNumberInvalid, COMPANY_NUMBER_FORMAT_MESSAGE);
    return fail(
      ORG_ID_ERROR_CODES.companyNumberInvalid,
      `${head} is not a Companies House prefix. Enter a company number in the correct format, like 01234567 or SC123456`,
    );
  }
  if (/^0+$/.test(digits)) return fail(ORG_ID_ERROR_CODES.companyNumberInvalid, COMPANY_NUMBER_FORMAT_MESSAGE);
  return { ok: true, value, prefix: head };
}

// ---------------------------------------------------------------------------------------------
// Which numbers each legal form must give
// ---------------------------------------------------------------------------------------------

/**
 * Registration numbers each legal form must supply. A community benefit society is registered
 * with the FCA (Mutuals Public Register), not Companies House, so its company number is optional.
 * Typed as Record<LegalForm, …> so a new legal form cannot be added without deciding here.
 */
const REQUIRED_NUMBERS: Record<LegalForm, { charity: boolean; company: boolean }> = {
  charitable_incorporated_organisation: { charity: true, company: false },
  registered_charity_unincorporated: { charity: true, company: false },
  charitable_company: { charity: true, company: true },
  company_limited_by_guarantee: { charity: false, company: true },
  community_interest_company: { charity: false, company: true },
  community_benefit_society: { charity: false, company: false },
  unincorporated_association: { charity: false, company: false },
  statutory_body: { charity: false, company: false },
  other: { charity: false, company: false },
};

function numbersRequiredFor(legalForm: LegalForm): { charity: boolean; company: boolean } {
  if (!Object.prototype.hasOwnProperty.call(REQUIRED_NUMBERS, legalForm)) {
    throw new Error(`Unknown legal form: ${String(legalForm)}`);
  }
  return REQUIRED_NUMBERS[legalForm];
}

export function requiresCharityNumber(legalForm: LegalForm): boolean {
  return numbersRequiredFor(legalForm).charity;
}

export function requiresCompanyNumber(legalForm: LegalForm): boolean {
  return numbersRequiredFor(legalForm).company;
}

// ---------------------------------------------------------------------------------------------
// org-id.guide identifier
// ---------------------------------------------------------------------------------------------

/** Length of organisations.org_id (varchar(80)). */
export const ORG_ID_MAX_LENGTH = 80;

export interface OrgIdSource {
  legalForm: LegalForm;
  charityNumber?: string | null;
  companyNumber?: string | null;
  /** Not used in the identifier (names change; identifiers must not), accepted for convenience. */
  name?: string | null;
}

export interface OrgIdOptions {
  /** The funder's 360Giving publisher prefix for unregistered groups, e.g. "360G-wypcc". */
  unregisteredPrefix: string;
  /** A stable id for the organisation that never changes or gets reused, e.g. its uuid. */
  fallbackId: string;
}

const isBlank = (value: string | null | undefined): boolean => value == null || compact(value) === '';

/**
 * The organisation's org-id.guide identifier. A charity number wins over a company number
 * (360Giving prefers the charity number for charities); with neither, `${unregisteredPrefix}-${fallbackId}`.
 * Throws a validation DomainError if a number is malformed or the legal form requires a number
 * that is missing, so a registered organisation never silently gets a 360G identifier.
 */
export function deriveOrgId(source: OrgIdSource, options: OrgIdOptions): string {
  const hasCharity = !isBlank(source.charityNumber);
  const hasCompany = !isBlank(source.companyNumber);

  if (!hasCharity && requiresCharityNumber(source.legalForm)) {
    throw fieldError('charityNumber', ORG_ID_ERROR_CODES.charityNumberRequired, 'Enter a charity number');
  }
  if (!hasCompany && requiresCompanyNumber(source.legalForm)) {
    throw fieldError('companyNumber', ORG_ID_ERROR_CODES.companyNumberRequired, 'Enter a company number');
  }

  // Validate both numbers even though only one is used: a bad number is never stored silently.
  const charity = hasCharity ? validateCharityNumber(source.charityNumber) : null;
  if (charity && !charity.ok) throw fieldError('charityNumber', charity.code, charity.message);
  const company = hasCompany ? validateCompanyNumber(source.companyNumber) : null;
  if (company && !company.ok) throw fieldError('companyNumber', company.code, company.message);

  if (charity?.ok) {
    switch (charity.register) {
      case 'CHC':
        return `GB-CHC-${charity.value}`;
      case 'SC':
        return `GB-SC-${charity.value}`;
      case 'NIC':
        return `GB-NIC-${charity.value.slice('NIC'.length)}`;
    }
  }
  if (company?.ok) return `GB-COH-${company.value}`;

  const prefix = options.unregisteredPrefix.trim();
  const id = options.fallbackId.trim();
  if (!/^360G-[A-Za-z0-9][A-Za-z0-9_-]*$/.test(prefix) || prefix.endsWith('-')) {
    throw new Error(`unregisteredPrefix must look like "360G-wypcc", got "${options.unregisteredPrefix}"`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id)) {
    throw new Error(`fallbackId must be a non-empty id without spaces, got "${options.fallbackId}"`);
  }
  const orgId = `${prefix}-${id}`;
  if (orgId.length > ORG_ID_MAX_LENGTH) {
    throw new Error(`The identifier ${orgId} is longer than ${ORG_ID_MAX_LENGTH} characters`);
  }
  return orgId;
}

// ---------------------------------------------------------------------------------------------
// Postcodes
// ---------------------------------------------------------------------------------------------

export type PostcodeResult = { ok: true; value: string } | ValidationFailure;

/**
 * UK postcode shape (outward code, space, inward code). Letters are restricted as Royal Mail
 * allocates them: no Q, V or X first; no I, J or Z second; only certain letters in A9A and AA9A
 * districts; no C, I, K, M, O or V in the inward code. GIR 0AA is the one historic exception.
 */
const POSTCODE =
  /^(?:GIR 0AA|(?:[A-PR-UWYZ]\d{1,2}|[A-PR-UWYZ][A-HK-Y]\d{1,2}|[A-PR-UWYZ]\d[A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRV-Y]) \d[ABD-HJLNP-UW-Z]{2})$/;

/**
 * Upper-case with exactly one space before the last three characters: " ls14ab " -> "LS1 4AB".
 * Does not check the result is a postcode (see validatePostcode).
 */
export function normalisePostcode(input: string): string {
  const value = compact(input).toUpperCase();
  return value.length > 3 ? `${value.slice(0, -3)} ${value.slice(-3)}` : value;
}

export function validatePostcode(input: string | null | undefined): PostcodeResult {
  const value = normalisePostcode(input ?? '');
  if (value === '') return fail(ORG_ID_ERROR_CODES.postcodeRequired, 'Enter a postcode');
  if (!POSTCODE.test(value)) return fail(ORG_ID_ERROR_CODES.postcodeInvalid, 'Enter a full UK postcode, like LS1 4AB');
  return { ok: true, value };
}

/** The outward code (postcode district): "LS1 4AB" -> "LS1". Throws a validation error if not a postcode. */
export function postcodeDistrict(postcode: string): string {
  const result = validatePostcode(postcode);
  if (!result.ok) throw fieldError('postcode', result.code, result.message);
  return result.value.split(' ')[0];
}
