import { createRequire } from 'node:module';
import { DomainError, type FieldError } from '../common/errors.js';

/** uk-modulus-checking (Vocalink's modulus rules) is CommonJS without types: its one class, typed here. */
type ModulusChecker = new (input: { accountNumber: string; sortCode: string }) => { isValid(): boolean };
const modulusModule = createRequire(import.meta.url)('uk-modulus-checking') as ModulusChecker | { default: ModulusChecker };
const ModulusCheck: ModulusChecker = 'default' in modulusModule ? modulusModule.default : modulusModule;

export interface BankDetails {
  accountName: string;
  /** Six digits, no separators. */
  sortCode: string;
  /** Eight digits. */
  accountNumber: string;
}

/**
 * Bank details as people type them, checked: a sort code of six digits (dashes or spaces allowed),
 * an account number of eight digits, a name; then the UK modulus rules. Every field error at once:
 * 422 FINANCE.SORT_CODE_INVALID / FINANCE.ACCOUNT_NUMBER_INVALID / FINANCE.ACCOUNT_NAME_INVALID,
 * and FINANCE.ACCOUNT_FAILS_MODULUS when the formats are right but the pair cannot exist.
 */
export function checkBankDetails(input: { accountName?: unknown; sortCode?: unknown; accountNumber?: unknown }): BankDetails {
  const errors: FieldError[] = [];
  const accountName = typeof input.accountName === 'string' ? input.accountName.trim() : '';
  if (accountName.length < 1 || accountName.length > 140) {
    errors.push({ field: 'accountName', code: 'FINANCE.ACCOUNT_NAME_INVALID', message: 'Enter the name on the account (up to 140 characters)' });
  }
  const rawSort = typeof input.sortCode === 'string' ? input.sortCode.trim() : '';
  const sortCode = /^\d{2}([- ]?)\d{2}\1\d{2}$/.test(rawSort) ? rawSort.replace(/[- ]/g, '') : null;
  if (!sortCode) errors.push({ field: 'sortCode', code: 'FINANCE.SORT_CODE_INVALID', message: 'Enter a sort code of 6 digits, like 30-94-57' });
  const rawAccount = typeof input.accountNumber === 'string' ? input.accountNumber.trim().replace(/ /g, '') : '';
  const accountNumber = /^\d{8}$/.test(rawAccount) ? rawAccount : null;
  if (!accountNumber) errors.push({ field: 'accountNumber', code: 'FINANCE.ACCOUNT_NUMBER_INVALID', message: 'Enter an account number of 8 digits' });
  if (errors.length) throw new DomainError('validation', errors[0].code, 'The bank details have errors', errors);
  if (!new ModulusCheck({ accountNumber: accountNumber!, sortCode: sortCode! }).isValid()) {
    const message = 'The sort code and account number do not match: check them against a bank statement';
    throw new DomainError('validation', 'FINANCE.ACCOUNT_FAILS_MODULUS', message, [{ field: 'accountNumber', code: 'FINANCE.ACCOUNT_FAILS_MODULUS', message }]);
  }
  return { accountName, sortCode: sortCode!, accountNumber: accountNumber! };
}

export const maskedAccountNumber = (lastFour: string) => `****${lastFour}`;
export const maskedSortCode = (lastTwo: string) => `**-**-${lastTwo}`;
export const formattedSortCode = (sortCode: string) => `${sortCode.slice(0, 2)}-${sortCode.slice(2, 4)}-${sortCode.slice(4, 6)}`;
