import argon2 from 'argon2';
import { validationFailed, type FieldError } from '../common/errors.js';
import { isStaffRole, STAFF_ROLES, type StaffRole } from '../auth/roles.js';

/**
 * The rules for what people type into account forms (pages and API alike). Each check returns
 * field errors so a form can show all of them at once; `assertValid` turns them into one
 * VALIDATION.FAILED error.
 */
export const EMAIL_MAX = 254;
export const FULL_NAME_MAX = 120;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;
export const TOKEN_NAME_MAX = 100;
export const TOKEN_DAYS_MIN = 1;
export const TOKEN_DAYS_MAX = 366;

/** Long but very common passwords (and this service's own name), refused whatever their length. */
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '111111111111',
  '000000000000',
  'abcdefghijkl',
  'abc123abc123',
  'qwertyuiopas',
  'qwertyuiop123',
  'qwerty123456',
  '1qaz2wsx3edc',
  '1q2w3e4r5t6y',
  'password1234',
  'password12345',
  'password123456',
  'passwordpassword',
  'password1password1',
  'p@ssw0rd1234',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'welcome123456',
  'administrator',
  'changeme1234',
  'trustno1trustno1',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'monkey123456',
  'dragon123456',
  'correcthorsebatterystaple',
  'safercommunities',
  'safercommunitiesfund',
  'safer-communities',
  'safer communities fund',
]);

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

// One "@", something either side, a dot in the domain, no spaces: what people mistype gets caught.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function emailErrors(raw: string, field = 'email'): FieldError[] {
  const email = raw.trim();
  if (!email) return [{ field, code: 'FIELD.REQUIRED', message: 'Enter your email address' }];
  if (email.length > EMAIL_MAX) return [{ field, code: 'FIELD.TOO_LONG', message: `Email address must be ${EMAIL_MAX} characters or fewer` }];
  if (!EMAIL_PATTERN.test(email)) {
    return [{ field, code: 'FIELD.INVALID_EMAIL', message: 'Enter an email address in the correct format, like name@example.com' }];
  }
  return [];
}

export function fullNameErrors(raw: string, field = 'fullName'): FieldError[] {
  const name = raw.trim();
  if (!name) return [{ field, code: 'FIELD.REQUIRED', message: 'Enter your full name' }];
  if (name.length > FULL_NAME_MAX) return [{ field, code: 'FIELD.TOO_LONG', message: `Full name must be ${FULL_NAME_MAX} characters or fewer` }];
  if ([...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)) return [{ field, code: 'FIELD.INVALID_CHARACTERS', message: 'Full name must not contain control characters' }];
  return [];
}

export function passwordErrors(password: string, email: string, field = 'password'): FieldError[] {
  if (!password) return [{ field, code: 'FIELD.REQUIRED', message: 'Enter a password' }];
  if (password.length < PASSWORD_MIN) {
    return [{ field, code: 'PASSWORD.TOO_SHORT', message: `Password must be ${PASSWORD_MIN} characters or more` }];
  }
  if (password.length > PASSWORD_MAX) {
    return [{ field, code: 'PASSWORD.TOO_LONG', message: `Password must be ${PASSWORD_MAX} characters or fewer` }];
  }
  const lower = password.toLowerCase();
  const normalisedEmail = normaliseEmail(email);
  if (normalisedEmail && (lower === normalisedEmail || lower === normalisedEmail.split('@')[0])) {
    return [{ field, code: 'PASSWORD.SAME_AS_EMAIL', message: 'Password must not be your email address' }];
  }
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) {
    return [{ field, code: 'PASSWORD.TOO_COMMON', message: 'Choose a password that is harder to guess, for example 3 random words' }];
  }
  return [];
}

export function rolesErrors(roles: unknown[], field = 'roles', allowNone = false): FieldError[] {
  if (!allowNone && roles.length === 0) return [{ field, code: 'FIELD.REQUIRED', message: 'Select at least one role' }];
  if (roles.some((r) => typeof r !== 'string' || !isStaffRole(r))) {
    return [{ field, code: 'FIELD.NOT_ALLOWED_VALUE', message: 'Select roles from the list' }];
  }
  return [];
}

/** Roles in the canonical order of STAFF_ROLES, without repeats. */
export const canonicalRoles = (roles: readonly string[]): StaffRole[] => STAFF_ROLES.filter((role) => roles.includes(role));

export function tokenNameErrors(raw: string, field = 'name'): FieldError[] {
  const name = raw.trim();
  if (!name) return [{ field, code: 'FIELD.REQUIRED', message: 'Enter a name for the token' }];
  if (name.length > TOKEN_NAME_MAX) return [{ field, code: 'FIELD.TOO_LONG', message: `Token name must be ${TOKEN_NAME_MAX} characters or fewer` }];
  return [];
}

export function expiryDaysErrors(raw: string | number, field = 'expiresInDays'): FieldError[] {
  const text = String(raw).trim();
  if (!text) return [{ field, code: 'FIELD.REQUIRED', message: 'Enter how many days the token should last' }];
  if (!/^\d+$/.test(text)) return [{ field, code: 'FIELD.NOT_AN_INTEGER', message: 'Number of days must be a whole number, like 30' }];
  const days = Number(text);
  if (days < TOKEN_DAYS_MIN || days > TOKEN_DAYS_MAX) {
    return [{ field, code: 'FIELD.OUT_OF_RANGE', message: `Number of days must be between ${TOKEN_DAYS_MIN} and ${TOKEN_DAYS_MAX}` }];
  }
  return [];
}

export function assertValid(errors: FieldError[]): void {
  if (errors.length) throw validationFailed(errors, errors.length === 1 ? errors[0].message : 'The request has errors');
}

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });

let dummyHash: Promise<string> | null = null;

/**
 * Checks a password against a stored hash. With no hash (no such account, or an invited person
 * who has not set one), checks against a dummy so the answer takes as long either way.
 */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) {
    dummyHash ??= hashPassword('no account has this password: ' + Math.random());
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
