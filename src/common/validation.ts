import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { validationFailed, type FieldError } from './errors.js';

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
