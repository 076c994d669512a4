import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, validationFailed, type FieldError } from './errors.js';

const CODES: Record<string, string> = {
  isDefined: 'REQUIRED',
  isNotEmpty: 'REQUIRED',
  maxLength: 'TOO_LONG',
  minLength: 'TOO_SHORT',
  isEmail: 'INVALID_EMAIL',
  isInt: 'NOT_AN_INTEGER',
  isString: 'NOT_A_STRING',
  isBoolean: 'NOT_A_BOOLEAN',
  isUUID: 'INVALID_ID',
  isUuid: 'INVALID_ID',
  isIn: 'NOT_ALLOWED_VALUE',
  isEnum: 'NOT_ALLOWED_VALUE',
  min: 'TOO_SMALL',
  max: 'TOO_LARGE',
  whitelistValidation: 'UNKNOWN_FIELD',
  isArray: 'NOT_AN_ARRAY',
  isDateString: 'INVALID_DATE',
  isISO8601: 'INVALID_DATE',
  matches: 'INVALID_FORMAT',
  arrayMaxSize: 'TOO_MANY',
  arrayMinSize: 'TOO_FEW',
};

export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      const code = CODES[constraint] ?? constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
      out.push({
        field,
        code: `FIELD.${code}`,
        message: constraint === 'whitelistValidation' ? `${field} is not a field this request accepts` : message,
      });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** One validation pipe for the whole API: unknown fields and wrong types are refused with codes. */
export const createValidationPipe = () =>
  new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });

/** Deepest nesting of objects and arrays a JSON body may have (the deepest real one is about 4). */
export const MAX_BODY_DEPTH = 32;

/** C0 control characters and DEL; text fields may still hold tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
/** In the address (query and path) no control character at all is meaningful. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_IN_ADDRESS = /[\u0000-\u001F\u007F]/;

const controlCharacterError = (field: string): FieldError => ({
  field,
  code: 'FIELD.CONTROL_CHARACTER',
  message: `${field || 'The value'} must not contain control characters`,
});

/**
 * Finds text with control characters (PostgreSQL refuses a NUL in text, and nothing a person
 * types holds one), walking iteratively so a hostile depth cannot overflow the stack here. Returns
 * the fields at fault, and whether the value is nested deeper than maxDepth.
 */
export function findHostileInput(value: unknown, pattern: RegExp, maxDepth = MAX_BODY_DEPTH): { fields: FieldError[]; tooDeep: boolean } {
  const fields: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (pattern.test(current)) fields.push(controlCharacterError(path));
      continue;
    }
    if (!current || typeof current !== 'object') continue;
    if (depth >= maxDepth) return { fields, tooDeep: true };
    for (const [key, inner] of Object.entries(current)) {
      const childPath = path ? `${path}.${key}` : key;
      if (CONTROL_IN_ADDRESS.test(key)) fields.push(controlCharacterError(childPath.replace(CONTROL_IN_ADDRESS, '?')));
      stack.push({ value: inner, path: childPath, depth: depth + 1 });
    }
  }
  return { fields: fields.slice(0, 20), tooDeep: false };
}

/**
 * Global input check, run on every request before validation: a body nested beyond
 * MAX_BODY_DEPTH is a 400 (class-transformer would overflow its stack on it), and control
 * characters in any query parameter, path parameter or body text are a 422 field error.
 */
export function rejectHostileInput(request: { query?: unknown; params?: unknown; body?: unknown }): void {
  const body = findHostileInput(request.body, CONTROL_IN_TEXT);
  if (body.tooDeep) {
    throw new DomainError('bad_request', 'REQUEST.TOO_DEEP', `The request body is nested more than ${MAX_BODY_DEPTH} levels deep`);
  }
  const errors = [
    ...findHostileInput(request.params, CONTROL_IN_ADDRESS, 2).fields,
    ...findHostileInput(request.query, CONTROL_IN_ADDRESS, 4).fields,
    ...body.fields,
  ];
  if (errors.length) throw validationFailed(errors, errors[0].message);
}
