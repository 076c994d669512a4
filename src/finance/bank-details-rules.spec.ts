import { DomainError } from '../common/errors.js';
import { checkBankDetails, maskedAccountNumber, maskedSortCode } from './bank-details-rules.js';

const errorOf = (input: Record<string, unknown>) => {
  try {
    checkBankDetails(input);
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected an error');
};

describe('bank details', () => {
  it('accepts a valid pair with dashes or spaces in the sort code', () => {
    expect(checkBankDetails({ accountName: ' Leeds Youth Club ', sortCode: '08-99-99', accountNumber: '66374958' })).toEqual({ accountName: 'Leeds Youth Club', sortCode: '089999', accountNumber: '66374958' });
    expect(checkBankDetails({ accountName: 'A', sortCode: '08 99 99', accountNumber: '66374958' }).sortCode).toBe('089999');
  });

  it('gives a field error per bad format, all at once', () => {
    const e = errorOf({ accountName: '', sortCode: '08-99-9', accountNumber: '6637495' });
    expect(e.status).toBe(422);
    expect(e.errors.map((x) => [x.field, x.code])).toEqual([
      ['accountName', 'FINANCE.ACCOUNT_NAME_INVALID'],
      ['sortCode', 'FINANCE.SORT_CODE_INVALID'],
      ['accountNumber', 'FINANCE.ACCOUNT_NUMBER_INVALID'],
    ]);
    expect(errorOf({ accountName: 'A', sortCode: '08-9999', accountNumber: '66374958' }).errors[0].code).toBe('FINANCE.SORT_CODE_INVALID');
  });

  it('refuses a pair that fails the modulus rules', () => {
    const e = errorOf({ accountName: 'A', sortCode: '089999', accountNumber: '66374959' });
    expect(e.code).toBe('FINANCE.ACCOUNT_FAILS_MODULUS');
    expect(e.errors).toEqual([expect.objectContaining({ field: 'accountNumber', code: 'FINANCE.ACCOUNT_FAILS_MODULUS' })]);
  });

  it('masks all but the last digits', () => {
    expect(maskedAccountNumber('4958')).toBe('****4958');
    expect(maskedSortCode('99')).toBe('**-**-99');
  });
});
