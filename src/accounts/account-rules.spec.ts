import { canonicalRoles, emailErrors, expiryDaysErrors, fullNameErrors, normaliseEmail, passwordErrors, rolesErrors } from './account-rules.js';
import { safeReturnTo } from './form-input.js';

const codes = (errors: { code: string }[]) => errors.map((e) => e.code);

describe('password policy', () => {
  it.each([
    ['', 'FIELD.REQUIRED'],
    ['elevenchars', 'PASSWORD.TOO_SHORT'],
    ['x'.repeat(201), 'PASSWORD.TOO_LONG'],
    ['Amina@Example.org', 'PASSWORD.SAME_AS_EMAIL'],
    ['amina.hussain', 'PASSWORD.SAME_AS_EMAIL'],
    ['Password1234', 'PASSWORD.TOO_COMMON'],
    ['zzzzzzzzzzzzzz', 'PASSWORD.TOO_COMMON'],
  ])('refuses %j with %s', (password, code) => {
    const email = password.startsWith('amina.') ? 'amina.hussain@example.org' : 'amina@example.org';
    expect(codes(passwordErrors(password, email))).toEqual([code]);
  });

  it('accepts 12 to 200 characters that are not the email or common', () => {
    expect(passwordErrors('velvet lantern orchard', 'amina@example.org')).toEqual([]);
    expect(passwordErrors('a1b2c3d4e5f6', 'amina@example.org')).toEqual([]);
    expect(passwordErrors('y'.repeat(199) + 'z', 'amina@example.org')).toEqual([]);
  });
});

describe('other account fields', () => {
  it('normalises and checks email addresses', () => {
    expect(normaliseEmail('  Amina@Example.ORG ')).toBe('amina@example.org');
    expect(emailErrors('amina@example.org')).toEqual([]);
    for (const bad of ['amina', 'amina@', '@example.org', 'amina@example', 'a b@example.org', 'a@@example.org']) {
      expect(codes(emailErrors(bad))).toEqual(['FIELD.INVALID_EMAIL']);
    }
    expect(codes(emailErrors(' '))).toEqual(['FIELD.REQUIRED']);
    expect(codes(emailErrors('a'.repeat(250) + '@x.org'))).toEqual(['FIELD.TOO_LONG']);
  });

  it('checks names, roles and token lifetimes', () => {
    expect(codes(fullNameErrors('  '))).toEqual(['FIELD.REQUIRED']);
    expect(codes(fullNameErrors('Amina\u0000'))).toEqual(['FIELD.INVALID_CHARACTERS']);
    expect(codes(rolesErrors([]))).toEqual(['FIELD.REQUIRED']);
    expect(rolesErrors([], 'roles', true)).toEqual([]);
    expect(codes(rolesErrors(['assessor', 'root']))).toEqual(['FIELD.NOT_ALLOWED_VALUE']);
    expect(canonicalRoles(['auditor', 'assessor', 'assessor', 'grants_officer'])).toEqual(['grants_officer', 'assessor', 'auditor']);
    expect(expiryDaysErrors('1')).toEqual([]);
    expect(expiryDaysErrors(366)).toEqual([]);
    expect(codes(expiryDaysErrors('367'))).toEqual(['FIELD.OUT_OF_RANGE']);
    expect(codes(expiryDaysErrors('-1'))).toEqual(['FIELD.NOT_AN_INTEGER']);
  });
});

describe('where to go after signing in', () => {
  it('keeps paths on this site', () => {
    expect(safeReturnTo('/account/tokens?x=1')).toBe('/account/tokens?x=1');
    expect(safeReturnTo('/')).toBe('/');
  });

  it.each([['//evil.example/x'], ['/\\evil.example'], ['https://evil.example/'], ['javascript:alert(1)'], ['/sign-in'], ['/sign-out'], ['/a b'], [''], [42], [undefined]])(
    'refuses %j',
    (value) => expect(safeReturnTo(value)).toBeNull(),
  );
});
