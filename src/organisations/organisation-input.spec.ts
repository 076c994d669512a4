import { validateOrganisationFields, type OrganisationInput } from './organisation-input.js';

const DISTRICT = '5b0f3c4e-1d2a-4e8b-9c7d-0a1b2c3d4e5f';

const valid: OrganisationInput = {
  name: '  Holme   Valley Youth Project ',
  legalForm: 'unincorporated_association',
  charityNumber: '',
  companyNumber: null,
  addressLine1: '12 Station Road',
  addressLine2: '',
  town: 'Holmfirth',
  postcode: 'hd93ab',
  districtId: DISTRICT.toUpperCase(),
  contactName: 'Sam Jones',
  contactEmail: ' Sam@Example.ORG ',
  contactPhone: '',
};

const codes = (input: OrganisationInput, fields?: Parameters<typeof validateOrganisationFields>[1]) =>
  validateOrganisationFields(input, fields).errors.map((e) => `${e.field}:${e.code}`);

describe('validateOrganisationFields', () => {
  it('normalises what people type: spaces, case, postcode, empty optional fields', () => {
    const { values, errors } = validateOrganisationFields(valid);
    expect(errors).toEqual([]);
    expect(values).toEqual({
      name: 'Holme Valley Youth Project',
      legalForm: 'unincorporated_association',
      charityNumber: null,
      companyNumber: null,
      addressLine1: '12 Station Road',
      addressLine2: null,
      town: 'Holmfirth',
      postcode: 'HD9 3AB',
      districtId: DISTRICT,
      contactName: 'Sam Jones',
      contactEmail: 'sam@example.org',
      contactPhone: null,
    });
  });

  it('asks for everything required, in the order of the form', () => {
    expect(codes({})).toEqual([
      'name:ORGANISATION.NAME_REQUIRED',
      'legalForm:ORGANISATION.LEGAL_FORM_REQUIRED',
      'addressLine1:ORGANISATION.ADDRESS_LINE1_REQUIRED',
      'town:ORGANISATION.TOWN_REQUIRED',
      'postcode:ORGANISATION.POSTCODE_REQUIRED',
      'districtId:ORGANISATION.DISTRICT_REQUIRED',
      'contactName:ORGANISATION.CONTACT_NAME_REQUIRED',
      'contactEmail:ORGANISATION.CONTACT_EMAIL_REQUIRED',
    ]);
  });

  it('requires the numbers the legal form needs, and checks optional numbers when given', () => {
    expect(codes({ ...valid, legalForm: 'charitable_company' })).toEqual([
      'charityNumber:ORGANISATION.CHARITY_NUMBER_REQUIRED',
      'companyNumber:ORGANISATION.COMPANY_NUMBER_REQUIRED',
    ]);
    expect(codes({ ...valid, companyNumber: 'XX123456' })).toEqual(['companyNumber:ORGANISATION.COMPANY_NUMBER_INVALID']);
    expect(validateOrganisationFields({ ...valid, companyNumber: '1234567' }).values.companyNumber).toBe('01234567');
  });

  it('checks only the fields asked for, but uses the legal form for the numbers', () => {
    expect(codes({ legalForm: 'charitable_incorporated_organisation' }, ['charityNumber', 'companyNumber'])).toEqual([
      'charityNumber:ORGANISATION.CHARITY_NUMBER_REQUIRED',
    ]);
    expect(codes({ name: 'A name' }, ['name'])).toEqual([]);
  });

  it.each([
    [{ name: 'x'.repeat(161) }, 'name:ORGANISATION.NAME_TOO_LONG'],
    [{ name: 42 }, 'name:ORGANISATION.NAME_INVALID'],
    [{ legalForm: 'trust' }, 'legalForm:ORGANISATION.LEGAL_FORM_INVALID'],
    [{ legalForm: 'toString' }, 'legalForm:ORGANISATION.LEGAL_FORM_INVALID'],
    [{ town: 'x'.repeat(81) }, 'town:ORGANISATION.TOWN_TOO_LONG'],
    [{ districtId: 'leeds' }, 'districtId:ORGANISATION.DISTRICT_INVALID'],
    [{ contactEmail: 'sam@' }, 'contactEmail:ORGANISATION.CONTACT_EMAIL_INVALID'],
    [{ contactEmail: ['sam@example.org'] }, 'contactEmail:ORGANISATION.CONTACT_EMAIL_INVALID'],
    [{ contactPhone: '12345' }, 'contactPhone:ORGANISATION.CONTACT_PHONE_INVALID'],
    [{ contactPhone: '0113 496 0000 ext 2' }, 'contactPhone:ORGANISATION.CONTACT_PHONE_INVALID'],
    [{ postcode: { value: 'LS1 4AB' } }, 'postcode:ORGANISATION.POSTCODE_INVALID'],
  ])('refuses %j', (override, code) => {
    expect(codes({ ...valid, ...override })).toEqual([code]);
  });

  it.each(['0113 496 0000', '+44 113 496 0000', '(0113) 496-0000', '07700900982'])('accepts the telephone number %j', (phone) => {
    expect(codes({ ...valid, contactPhone: phone })).toEqual([]);
  });
});
