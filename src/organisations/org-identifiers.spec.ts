import { DomainError } from '../common/errors.js';
import { LEGAL_FORMS, type LegalForm } from './organisation.entity.js';
import {
  COMPANY_NUMBER_PREFIXES,
  ORG_ID_ERROR_CODES,
  ORG_ID_MAX_LENGTH,
  deriveOrgId,
  normaliseCharityNumber,
  normaliseCompanyNumber,
  normalisePostcode,
  postcodeDistrict,
  requiresCharityNumber,
  requiresCompanyNumber,
  validateCharityNumber,
  validateCompanyNumber,
  validatePostcode,
  type OrgIdSource,
} from './org-identifiers.js';

const CHARITY_INVALID = 'ORGANISATION.CHARITY_NUMBER_INVALID';
const CHARITY_REQUIRED = 'ORGANISATION.CHARITY_NUMBER_REQUIRED';
const CHARITY_SUBSIDIARY = 'ORGANISATION.CHARITY_NUMBER_SUBSIDIARY';
const COMPANY_INVALID = 'ORGANISATION.COMPANY_NUMBER_INVALID';
const COMPANY_REQUIRED = 'ORGANISATION.COMPANY_NUMBER_REQUIRED';
const POSTCODE_INVALID = 'ORGANISATION.POSTCODE_INVALID';
const POSTCODE_REQUIRED = 'ORGANISATION.POSTCODE_REQUIRED';

/** Runs fn, expects a DomainError, returns it for further checks. */
function catchDomainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError to be thrown');
}

describe('error codes', () => {
  it('are the published, stable strings', () => {
    expect(ORG_ID_ERROR_CODES).toEqual({
      charityNumberRequired: CHARITY_REQUIRED,
      charityNumberInvalid: CHARITY_INVALID,
      charityNumberSubsidiary: CHARITY_SUBSIDIARY,
      companyNumberRequired: COMPANY_REQUIRED,
      companyNumberInvalid: COMPANY_INVALID,
      postcodeRequired: POSTCODE_REQUIRED,
      postcodeInvalid: POSTCODE_INVALID,
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('normaliseCharityNumber', () => {
  it.each([
    ['1123456', '1123456'],
    ['  1123456  ', '1123456'],
    ['1 123 456', '1123456'],
    ['sc012345', 'SC012345'],
    [' Sc 012 345 ', 'SC012345'],
    ['nic100002', 'NIC100002'],
    ['\t1123456\n', '1123456'],
    ['1\u00a0123\u00a0456', '1123456'], // non-breaking spaces pasted from a document
    ['', ''],
    ['   ', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseCharityNumber(input)).toBe(expected);
  });
});

describe('validateCharityNumber', () => {
  describe('accepts', () => {
    it.each([
      // England and Wales: 6 or 7 digits
      ['1123456', '1123456', 'CHC'],
      ['220949', '220949', 'CHC'],
      ['202918', '202918', 'CHC'],
      ['1000000', '1000000', 'CHC'],
      [' 1123456 ', '1123456', 'CHC'],
      ['1 123 456', '1123456', 'CHC'],
      // Scotland: SC + 6 digits
      ['SC012345', 'SC012345', 'SC'],
      ['sc012345', 'SC012345', 'SC'],
      ['Sc012345', 'SC012345', 'SC'],
      ['SC 012345', 'SC012345', 'SC'],
      ['  sc 012 345 ', 'SC012345', 'SC'],
      ['SC000587', 'SC000587', 'SC'],
      // Northern Ireland: NIC + 6 digits
      ['NIC100002', 'NIC100002', 'NIC'],
      ['nic100002', 'NIC100002', 'NIC'],
      ['NIC 100002', 'NIC100002', 'NIC'],
      ['NIC106666', 'NIC106666', 'NIC'],
    ])('%j as %j (%s)', (input, value, register) => {
      expect(validateCharityNumber(input)).toEqual({ ok: true, value, register });
    });
  });

  describe('asks for a number when there is none', () => {
    it.each([[''], ['   '], ['\t\n'], [null], [undefined]])('%j', (input) => {
      expect(validateCharityNumber(input)).toEqual({
        ok: false,
        code: CHARITY_REQUIRED,
        message: 'Enter a charity number',
      });
    });
  });

  describe('rejects the wrong format', () => {
    it.each([
      ['12345', 'too short: 5 digits'],
      ['1', 'too short: 1 digit'],
      ['11234567', 'too long: 8 digits'],
      ['112345678', 'too long: 9 digits'],
      ['0123456', 'England and Wales numbers never start with 0 (7 digits)'],
      ['012345', 'England and Wales numbers never start with 0 (6 digits)'],
      ['112345A', 'letter in an England and Wales number'],
      ['11234S6', 'letter in the middle'],
      ['A123456', 'letter at the start'],
      ['112O456', 'letter O instead of zero'],
      ['1123.456', 'punctuation'],
      ['1,123,456', 'commas'],
      ['SC12345', 'Scottish number with 5 digits'],
      ['SC0123456', 'Scottish number with 7 digits'],
      ['SCO12345', 'Scottish number with letter O instead of zero'],
      ['S012345', 'half a Scottish prefix'],
      ['SC', 'prefix on its own'],
      ['SC-012345', 'hyphen after the Scottish prefix'],
      ['NIC10002', 'Northern Ireland number with 5 digits'],
      ['NIC1000021', 'Northern Ireland number with 7 digits'],
      ['NI100002', 'NI instead of NIC'],
      ['N1C100002', 'digit 1 instead of letter I'],
      ['NIC', 'prefix on its own'],
      ['XX123456', 'unknown prefix'],
      ['CHC1123456', 'org-id register code used as a prefix'],
      ['GB-CHC-1123456', 'a whole org-id identifier'],
      ['SC012345A', 'trailing letter'],
      ['1123456-', 'hyphen with nothing after it'],
      ['12345-1', 'suffix on a number that is itself too short'],
      ['-1', 'suffix alone'],
    ])('%j (%s)', (input) => {
      expect(validateCharityNumber(input)).toEqual({
        ok: false,
        code: CHARITY_INVALID,
        message: 'Enter a charity number in the correct format, like 1123456 or SC012345',
      });
    });
  });

  describe('asks for the main number instead of a subsidiary (linked charity) number', () => {
    it.each([
      ['1123456-1', '1123456', '-1'],
      ['220949-12', '220949', '-12'],
      ['1123456 - 1', '1123456', '-1'],
      [' 1123456-3 ', '1123456', '-3'],
    ])('%j', (input, main, suffix) => {
      expect(validateCharityNumber(input)).toEqual({
        ok: false,
        code: CHARITY_SUBSIDIARY,
        message: `Enter the main charity number without ${suffix} on the end, like ${main}`,
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('normaliseCompanyNumber', () => {
  it.each([
    ['01234567', '01234567'],
    ['1234567', '01234567'],
    ['123456', '00123456'],
    ['445790', '00445790'],
    [' 1234567 ', '01234567'],
    ['0123 4567', '01234567'],
    ['sc123456', 'SC123456'],
    [' Sc 123 456 ', 'SC123456'],
    ['12345', '12345'], // only 6 and 7 digit numbers are padded
    ['123456789', '123456789'],
    ['SC12345', 'SC12345'], // prefixed numbers are never padded
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseCompanyNumber(input)).toBe(expected);
  });
});

describe('validateCompanyNumber', () => {
  describe('accepts England and Wales numbers (8 digits, no prefix)', () => {
    it.each([
      ['01234567', '01234567'],
      ['12345678', '12345678'],
      ['00445790', '00445790'],
      ['1234567', '01234567'],
      ['123456', '00123456'],
      [' 0123 4567 ', '01234567'],
    ])('%j as %j', (input, value) => {
      expect(validateCompanyNumber(input)).toEqual({ ok: true, value, prefix: null });
    });
  });

  describe('accepts a prefix and 6 digits', () => {
    it.each([
      ['SC123456', 'SC123456', 'SC'],
      ['sc123456', 'SC123456', 'SC'],
      ['SC 123456', 'SC123456', 'SC'],
      ['NI012345', 'NI012345', 'NI'],
      ['OC301234', 'OC301234', 'OC'],
      ['R0123456', 'R0123456', 'R0'],
      ['r0123456', 'R0123456', 'R0'],
      ['CE012345', 'CE012345', 'CE'],
      ['RS007123', 'RS007123', 'RS'],
    ])('%j as %j', (input, value, prefix) => {
      expect(validateCompanyNumber(input)).toEqual({ ok: true, value, prefix });
    });

    it.each(Object.keys(COMPANY_NUMBER_PREFIXES))('every published prefix: %s', (prefix) => {
      expect(validateCompanyNumber(`${prefix}123456`)).toEqual({ ok: true, value: `${prefix}123456`, prefix });
      expect(validateCompanyNumber(`${prefix.toLowerCase()}123456`)).toEqual({
        ok: true,
        value: `${prefix}123456`,
        prefix,
      });
    });

    it('the published list includes the prefixes UK community organisations use', () => {
      const expected = [
        'SC', 'NI', 'OC', 'SO', 'NC', 'R0', 'IP', 'SP', 'RS', 'NP', 'NO', 'FC', 'GE', 'LP', 'SL', 'CE', 'CS', 'RC', 'SR',
        'AC', 'ZC', 'SE', 'SA', 'SZ', 'SF', 'GS', 'ES', 'NA', 'NZ', 'NF', 'GN', 'NL', 'EN', 'SG', 'NR', 'IC', 'OE',
      ];
      for (const prefix of expected) expect(Object.keys(COMPANY_NUMBER_PREFIXES)).toContain(prefix);
      for (const prefix of Object.keys(COMPANY_NUMBER_PREFIXES)) expect(prefix).toMatch(/^[A-Z][A-Z0-9]$/);
    });
  });

  describe('asks for a number when there is none', () => {
    it.each([[''], ['   '], [null], [undefined]])('%j', (input) => {
      expect(validateCompanyNumber(input)).toEqual({
        ok: false,
        code: COMPANY_REQUIRED,
        message: 'Enter a company number',
      });
    });
  });

  describe('rejects the wrong format', () => {
    it.each([
      ['12345', 'too short: 5 digits (only 6-7 digits are padded)'],
      ['1', 'too short: 1 digit'],
      ['123456789', 'too long: 9 digits'],
      ['0123456789', 'too long: 10 digits'],
      ['SC12345', 'prefix and only 5 digits'],
      ['SC1234567', 'prefix and 7 digits'],
      ['SC', 'prefix alone'],
      ['SC-123456', 'hyphen after the prefix'],
      ['0123456A', 'trailing letter on a digit number'],
      ['012345A7', 'letter in the middle'],
      ['01234567A', '9 characters'],
      ['1A234567', 'digit then letter'],
      ['SC12345A', 'prefix, 5 digits and a letter'],
      ['OC30123P', 'letter at the end of a prefixed number'],
      ['S1234567', 'one letter and 7 digits'],
      ['R1234567', 'R and a digit other than 0'],
      ['00000000', 'all zeros'],
      ['0000000', 'all zeros, padded'],
      ['SC000000', 'prefix and all zeros'],
      ['01234.567', 'punctuation'],
      ['GB-COH-01234567', 'a whole org-id identifier'],
      ['NIC12345', 'a Northern Ireland charity number is not a company number'],
    ])('%j (%s)', (input) => {
      expect(validateCompanyNumber(input)).toEqual({
        ok: false,
        code: COMPANY_INVALID,
        message: 'Enter a company number in the correct format, like 01234567 or SC123456',
      });
    });
  });

  describe('rejects prefixes Companies House does not use', () => {
    it.each([
      ['XX123456', 'XX'],
      ['AB123456', 'AB'],
      ['QQ123456', 'QQ'],
      ['RO123456', 'RO'], // letter O instead of the zero in R0
      ['CH123456', 'CH'],
      ['xx123456', 'XX'],
    ])('%j', (input, prefix) => {
      expect(validateCompanyNumber(input)).toEqual({
        ok: false,
        code: COMPANY_INVALID,
        message: `${prefix} is not a Companies House prefix. Enter a company number in the correct format, like 01234567 or SC123456`,
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('requiresCharityNumber / requiresCompanyNumber', () => {
  const expected: Record<LegalForm, { charity: boolean; company: boolean }> = {
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

  it('covers every legal form in LEGAL_FORMS', () => {
    expect(Object.keys(expected).sort()).toEqual([...LEGAL_FORMS].sort());
  });

  it.each(LEGAL_FORMS.map((form) => [form, expected[form].charity, expected[form].company] as const))(
    '%s: charity number %s, company number %s',
    (form, charity, company) => {
      expect(requiresCharityNumber(form)).toBe(charity);
      expect(requiresCompanyNumber(form)).toBe(company);
    },
  );

  it('refuses a legal form it does not know', () => {
    expect(() => requiresCharityNumber('trust' as LegalForm)).toThrow('Unknown legal form: trust');
    expect(() => requiresCompanyNumber('trust' as LegalForm)).toThrow('Unknown legal form: trust');
    expect(() => requiresCharityNumber('toString' as LegalForm)).toThrow('Unknown legal form');
  });
});

// ---------------------------------------------------------------------------------------------
describe('deriveOrgId', () => {
  const options = { unregisteredPrefix: '360G-wypcc', fallbackId: '5b0f3c4e-1d2a-4e8b-9c7d-0a1b2c3d4e5f' };
  const org = (overrides: Partial<OrgIdSource>): OrgIdSource => ({
    legalForm: 'other',
    charityNumber: null,
    companyNumber: null,
    name: 'Holme Valley Youth Project',
    ...overrides,
  });

  describe('uses the registered number with the org-id.guide list code', () => {
    it.each([
      ['England and Wales charity', org({ legalForm: 'registered_charity_unincorporated', charityNumber: '1123456' }), 'GB-CHC-1123456'],
      ['6-digit England and Wales charity', org({ legalForm: 'registered_charity_unincorporated', charityNumber: '220949' }), 'GB-CHC-220949'],
      ['CIO', org({ legalForm: 'charitable_incorporated_organisation', charityNumber: '1187654' }), 'GB-CHC-1187654'],
      ['Scottish charity keeps SC', org({ legalForm: 'charitable_incorporated_organisation', charityNumber: 'SC012345' }), 'GB-SC-SC012345'],
      ['Scottish charity typed in lower case', org({ legalForm: 'registered_charity_unincorporated', charityNumber: ' sc 012345 ' }), 'GB-SC-SC012345'],
      ['Northern Ireland charity drops NIC', org({ legalForm: 'registered_charity_unincorporated', charityNumber: 'NIC100002' }), 'GB-NIC-100002'],
      ['Northern Ireland charity typed in lower case', org({ legalForm: 'registered_charity_unincorporated', charityNumber: 'nic 100002' }), 'GB-NIC-100002'],
      ['company', org({ legalForm: 'company_limited_by_guarantee', companyNumber: '01234567' }), 'GB-COH-01234567'],
      ['company number with dropped leading zero', org({ legalForm: 'company_limited_by_guarantee', companyNumber: '1234567' }), 'GB-COH-01234567'],
      ['Scottish company', org({ legalForm: 'community_interest_company', companyNumber: 'sc123456' }), 'GB-COH-SC123456'],
      ['community benefit society with a company number', org({ legalForm: 'community_benefit_society', companyNumber: 'RS007123' }), 'GB-COH-RS007123'],
      ['statutory body with a company number', org({ legalForm: 'statutory_body', companyNumber: '01234567' }), 'GB-COH-01234567'],
    ])('%s', (_label, source, expected) => {
      expect(deriveOrgId(source, options)).toBe(expected);
    });
  });

  describe('prefers the charity number when there is also a company number', () => {
    it.each([
      ['charitable company', org({ legalForm: 'charitable_company', charityNumber: '1123456', companyNumber: '01234567' }), 'GB-CHC-1123456'],
      ['Scottish charitable company', org({ legalForm: 'charitable_company', charityNumber: 'SC012345', companyNumber: 'SC123456' }), 'GB-SC-SC012345'],
      ['NI charitable company', org({ legalForm: 'charitable_company', charityNumber: 'NIC100002', companyNumber: 'NI012345' }), 'GB-NIC-100002'],
      ['CIO with its CE number', org({ legalForm: 'charitable_incorporated_organisation', charityNumber: '1187654', companyNumber: 'CE012345' }), 'GB-CHC-1187654'],
      ['company limited by guarantee that is also a charity', org({ legalForm: 'company_limited_by_guarantee', charityNumber: '1123456', companyNumber: '01234567' }), 'GB-CHC-1123456'],
    ])('%s', (_label, source, expected) => {
      expect(deriveOrgId(source, options)).toBe(expected);
    });
  });

  describe('gives unregistered groups the funder-prefixed 360G identifier', () => {
    it.each([
      ['unincorporated association', org({ legalForm: 'unincorporated_association' })],
      ['statutory body', org({ legalForm: 'statutory_body' })],
      ['other', org({ legalForm: 'other' })],
      ['community benefit society without a company number', org({ legalForm: 'community_benefit_society' })],
      ['blank numbers count as none', org({ legalForm: 'unincorporated_association', charityNumber: '  ', companyNumber: '' })],
      ['undefined numbers count as none', { legalForm: 'unincorporated_association' } as OrgIdSource],
    ])('%s', (_label, source) => {
      expect(deriveOrgId(source, options)).toBe('360G-wypcc-5b0f3c4e-1d2a-4e8b-9c7d-0a1b2c3d4e5f');
    });

    it('uses the options it is given (nothing West Yorkshire-specific)', () => {
      expect(deriveOrgId(org({}), { unregisteredPrefix: '360G-nypcc', fallbackId: 'grp-42' })).toBe('360G-nypcc-grp-42');
    });

    it('trims the prefix and the fallback id', () => {
      expect(deriveOrgId(org({}), { unregisteredPrefix: ' 360G-wypcc ', fallbackId: ' grp-42 ' })).toBe('360G-wypcc-grp-42');
    });

    it('does not use the name (identifiers must survive a change of name)', () => {
      const a = deriveOrgId(org({ name: 'Old name' }), options);
      const b = deriveOrgId(org({ name: 'New name' }), options);
      expect(a).toBe(b);
      expect(a).not.toContain('name');
    });
  });

  describe('refuses a malformed number rather than falling back', () => {
    it.each([
      ['bad charity number', org({ legalForm: 'registered_charity_unincorporated', charityNumber: '12345' }), 'charityNumber', CHARITY_INVALID],
      ['subsidiary charity number', org({ legalForm: 'registered_charity_unincorporated', charityNumber: '1123456-1' }), 'charityNumber', CHARITY_SUBSIDIARY],
      ['bad charity number although the company number is good', org({ legalForm: 'charitable_company', charityNumber: 'SC12345', companyNumber: '01234567' }), 'charityNumber', CHARITY_INVALID],
      ['bad company number although the charity number is good', org({ legalForm: 'charitable_company', charityNumber: '1123456', companyNumber: 'XX123456' }), 'companyNumber', COMPANY_INVALID],
      ['bad company number on an unregistered form', org({ legalForm: 'unincorporated_association', companyNumber: '123' }), 'companyNumber', COMPANY_INVALID],
      ['bad charity number on a form that does not need one', org({ legalForm: 'other', charityNumber: 'ABC' }), 'charityNumber', CHARITY_INVALID],
    ])('%s', (_label, source, field, code) => {
      const error = catchDomainError(() => deriveOrgId(source, options));
      expect(error.kind).toBe('validation');
      expect(error.errors).toEqual([expect.objectContaining({ field, code })]);
    });
  });

  describe('refuses to give a registered legal form a 360G identifier', () => {
    it.each([
      ['CIO without a charity number', org({ legalForm: 'charitable_incorporated_organisation' }), 'charityNumber', CHARITY_REQUIRED],
      ['registered charity without a charity number', org({ legalForm: 'registered_charity_unincorporated', companyNumber: '01234567' }), 'charityNumber', CHARITY_REQUIRED],
      ['charitable company without a charity number', org({ legalForm: 'charitable_company', companyNumber: '01234567' }), 'charityNumber', CHARITY_REQUIRED],
      ['charitable company without a company number', org({ legalForm: 'charitable_company', charityNumber: '1123456' }), 'companyNumber', COMPANY_REQUIRED],
      ['company limited by guarantee without a company number', org({ legalForm: 'company_limited_by_guarantee', charityNumber: '   ' }), 'companyNumber', COMPANY_REQUIRED],
      ['CIC without a company number', org({ legalForm: 'community_interest_company' }), 'companyNumber', COMPANY_REQUIRED],
    ])('%s', (_label, source, field, code) => {
      const error = catchDomainError(() => deriveOrgId(source, options));
      expect(error.kind).toBe('validation');
      expect(error.errors).toEqual([expect.objectContaining({ field, code })]);
    });
  });

  describe('refuses unusable options for unregistered groups', () => {
    it.each([
      ['prefix without 360G-', { ...options, unregisteredPrefix: 'wypcc' }, /unregisteredPrefix/],
      ['prefix in the wrong case', { ...options, unregisteredPrefix: '360g-wypcc' }, /unregisteredPrefix/],
      ['360G- and nothing else', { ...options, unregisteredPrefix: '360G-' }, /unregisteredPrefix/],
      ['prefix ending in a hyphen', { ...options, unregisteredPrefix: '360G-wypcc-' }, /unregisteredPrefix/],
      ['prefix with a space', { ...options, unregisteredPrefix: '360G-wy pcc' }, /unregisteredPrefix/],
      ['empty fallback id', { ...options, fallbackId: '' }, /fallbackId/],
      ['blank fallback id', { ...options, fallbackId: '   ' }, /fallbackId/],
      ['fallback id with a space', { ...options, fallbackId: 'holme valley' }, /fallbackId/],
      ['identifier longer than the org_id column', { ...options, fallbackId: 'x'.repeat(ORG_ID_MAX_LENGTH) }, /longer than 80/],
    ])('%s', (_label, badOptions, message) => {
      expect(() => deriveOrgId(org({ legalForm: 'unincorporated_association' }), badOptions)).toThrow(message);
    });

    it('accepts an identifier of exactly the column length', () => {
      const fallbackId = 'x'.repeat(ORG_ID_MAX_LENGTH - '360G-wypcc-'.length);
      expect(deriveOrgId(org({}), { ...options, fallbackId })).toHaveLength(ORG_ID_MAX_LENGTH);
    });

    it('does not look at the options when there is a registered number', () => {
      expect(deriveOrgId(org({ charityNumber: '1123456' }), { unregisteredPrefix: '', fallbackId: '' })).toBe('GB-CHC-1123456');
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('normalisePostcode', () => {
  it.each([
    ['LS1 4AB', 'LS1 4AB'],
    ['ls14ab', 'LS1 4AB'],
    ['  LS1   4AB  ', 'LS1 4AB'],
    ['ls1\u00a04ab', 'LS1 4AB'],
    ['sw1a1aa', 'SW1A 1AA'],
    ['BD109AA', 'BD10 9AA'],
    ['m11ae', 'M1 1AE'],
    ['L S 1 4 A B', 'LS1 4AB'],
    ['LS1', 'LS1'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected);
  });
});

describe('validatePostcode', () => {
  describe('accepts every UK postcode shape', () => {
    it.each([
      ['M1 1AE', 'M1 1AE'], // A9 9AA
      ['B33 8TH', 'B33 8TH'], // A99 9AA
      ['LS1 4AB', 'LS1 4AB'], // AA9 9AA
      ['BD10 9AA', 'BD10 9AA'], // AA99 9AA
      ['W1A 0AX', 'W1A 0AX'], // A9A 9AA
      ['SW1A 1AA', 'SW1A 1AA'], // AA9A 9AA
      ['EC1A 1BB', 'EC1A 1BB'],
      ['HX1 1UJ', 'HX1 1UJ'],
      ['HD1 2TA', 'HD1 2TA'],
      ['WF1 2DA', 'WF1 2DA'],
      ['GIR 0AA', 'GIR 0AA'],
      ['gir0aa', 'GIR 0AA'],
      ['ls14ab', 'LS1 4AB'],
      [' ls1  4ab ', 'LS1 4AB'],
    ])('%j as %j', (input, value) => {
      expect(validatePostcode(input)).toEqual({ ok: true, value });
    });
  });

  describe('asks for a postcode when there is none', () => {
    it.each([[''], ['   '], [null], [undefined]])('%j', (input) => {
      expect(validatePostcode(input)).toEqual({ ok: false, code: POSTCODE_REQUIRED, message: 'Enter a postcode' });
    });
  });

  describe('rejects what is not a full UK postcode', () => {
    it.each([
      ['LS1', 'outward code only'],
      ['LS', 'area only'],
      ['LS1 4A', 'inward code too short'],
      ['LS1 4ABC', 'inward code too long'],
      ['LS123 4AB', 'district with 3 digits'],
      ['LS1-4AB', 'hyphen'],
      ['LS1.4AB', 'full stop'],
      ['90210', 'US zip code'],
      ['123 456', 'digits only'],
      ['1S1 4AB', 'starts with a digit'],
      ['LSA 4AB', 'no digit in the outward code'],
      ['LS1 A4B', 'inward code starts with a letter'],
      ['LS1 44B', 'inward code with two digits'],
      ['QS1 4AB', 'Q is never first'],
      ['VS1 4AB', 'V is never first'],
      ['XS1 4AB', 'X is never first'],
      ['AI1 1AA', 'I is never second'],
      ['AJ1 1AA', 'J is never second'],
      ['AZ1 1AA', 'Z is never second'],
      ['W1I 0AX', 'I is not used in A9A districts'],
      ['W1Q 0AX', 'Q is not used in A9A districts'],
      ['EC1C 1BB', 'C is not used in AA9A districts'],
      ['EC1Z 1BB', 'Z is not used in AA9A districts'],
      ['LS1 4CB', 'C is not used in the inward code'],
      ['LS1 4IB', 'I is not used in the inward code'],
      ['LS1 4KB', 'K is not used in the inward code'],
      ['LS1 4AM', 'M is not used in the inward code'],
      ['LS1 4AO', 'O is not used in the inward code'],
      ['LS1 4VB', 'V is not used in the inward code'],
      ['GIR 0AB', 'GIR is only valid as GIR 0AA'],
      ['LS1 4AB UK', 'trailing words'],
    ])('%j (%s)', (input) => {
      expect(validatePostcode(input)).toEqual({
        ok: false,
        code: POSTCODE_INVALID,
        message: 'Enter a full UK postcode, like LS1 4AB',
      });
    });
  });
});

describe('postcodeDistrict', () => {
  it.each([
    ['LS1 4AB', 'LS1'],
    ['ls14ab', 'LS1'],
    ['BD10 9AA', 'BD10'],
    ['SW1A 1AA', 'SW1A'],
    ['M1 1AE', 'M1'],
    ['W1A 0AX', 'W1A'],
    ['  wf1 2da ', 'WF1'],
  ])('%j -> %j', (input, expected) => {
    expect(postcodeDistrict(input)).toBe(expected);
  });

  it.each([['LS1'], ['not a postcode'], ['']])('refuses %j with a postcode field error', (input) => {
    const error = catchDomainError(() => postcodeDistrict(input));
    expect(error.kind).toBe('validation');
    expect(error.errors).toEqual([expect.objectContaining({ field: 'postcode', code: input ? POSTCODE_INVALID : POSTCODE_REQUIRED })]);
  });
});
