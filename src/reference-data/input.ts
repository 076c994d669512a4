import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { validationFailed } from '../common/errors.js';
import { flattenValidationErrors } from '../common/validation.js';

/**
 * Runs the API's class-validator DTO rules on input built by a page controller, so pages and the
 * API refuse the same things with the same codes.
 */
export async function validateInput<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<T> {
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length) throw validationFailed(flattenValidationErrors(errors));
  return instance;
}

/** PostgreSQL's unique_violation, optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e?.code ?? e?.driverError?.code;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return code === '23505' && (!constraint || name === constraint);
}

/** A form field as a trimmed string (form bodies can repeat a name, giving an array). */
export function formText(body: Record<string, unknown> | undefined, name: string): string {
  const value = body?.[name];
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** A form field that may repeat (checkboxes) as a list of strings. */
export function formList(body: Record<string, unknown> | undefined, name: string): string[] {
  const value = body?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}
