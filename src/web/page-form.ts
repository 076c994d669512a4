import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';
import { flattenValidationErrors } from '../common/validation.js';
import { formErrorsOf, type FormErrors } from './page-renderer.js';

/**
 * Pages validate what people send through the same DTOs as the API (class-transformer and
 * class-validator, the API's codes), and show every error at once as the page's error summary.
 * The HTTP status of a page with errors is the DomainError's own (422, 409), never re-derived.
 */

/** A friendlier message for a page's field, or per field and code (`FIELD.REQUIRED`, ...). */
export type PageMessages = Record<string, string | Record<string, string>>;

export interface PageFormOptions {
  /** Errors the page found reading its own inputs (a date's parts, pounds): shown with the DTO's, and in their place. */
  parseErrors?: FieldError[];
  /** DTO field (or its first segment) -> the page's input name. */
  rename?: Record<string, string>;
  /** Messages in the page's words, by the page's field name. */
  messages?: PageMessages;
  /** The page's fields in order, so the summary lists errors as the page shows them. */
  order?: readonly string[];
}

/** Runs a DTO's rules on a plain object; field errors carry `prefix.` (for answers nested in a body). */
export async function validateDto<T extends object>(cls: new () => T, plain: unknown, prefix = ''): Promise<T> {
  const instance = plainToInstance(cls, plain ?? {});
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: false, value: false } });
  if (errors.length) throw validationFailed(flattenValidationErrors(errors, prefix));
  return instance;
}

/** A DTO's field errors for a plain object (none if it is valid; `onValid` gets the checked instance). */
export async function dtoFieldErrors<T extends object>(cls: new () => T, plain: unknown, onValid?: (instance: T) => void): Promise<FieldError[]> {
  try {
    onValid?.(await validateDto(cls, plain));
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.errors;
  }
}

/**
 * A page body, built by the page into the DTO's shape, checked by the DTO. Throws one validation
 * DomainError with the page's own parse errors and the DTO's, one per field, in page order.
 */
export async function pageForm<T extends object>(cls: new () => T, plain: Record<string, unknown>, options: PageFormOptions = {}): Promise<T> {
  const parse = options.parseErrors ?? [];
  let instance: T | undefined;
  const dtoErrors = await dtoFieldErrors(cls, plain, (valid) => (instance = valid));
  const rename = options.rename ?? {};
  const seen = new Set(parse.map((e) => e.field));
  const errors = [...parse];
  for (const e of dtoErrors) {
    const field = rename[e.field] ?? rename[e.field.split('.')[0]] ?? e.field;
    if (seen.has(field)) continue;
    seen.add(field);
    const custom = options.messages?.[field];
    const message = typeof custom === 'string' ? custom : (custom?.[e.code] ?? custom?.default ?? e.message);
    errors.push({ field, code: e.code, message });
  }
  if (options.order) {
    const position = (field: string) => {
      const i = options.order!.findIndex((f) => field === f || field.startsWith(`${f}.`));
      return i < 0 ? options.order!.length : i;
    };
    errors.sort((a, b) => position(a.field) - position(b.field));
  }
  throwIfAny(errors);
  return instance!;
}

/** Throws the page's own parse errors, if any, as one validation error. */
export function throwIfAny(errors: FieldError[]): void {
  if (errors.length) throw validationFailed(errors);
}

/** Errors a person can put right on the page they are on: validation and conflicts. */
export const isPageFormError = (error: unknown): error is DomainError => error instanceof DomainError && (error.kind === 'validation' || error.kind === 'conflict');

/**
 * A service error as a page's error summary and field messages, with its status. API field names
 * are renamed to the page's inputs (totalBudgetPence -> totalBudget), and links go to the first
 * input of a group (a date's day box). Anything that is not a form error is rethrown to the error page.
 */
export function pageErrors(error: unknown, rename: Record<string, string> = {}, anchors: Record<string, string> = {}): FormErrors & { status: number } {
  if (!isPageFormError(error)) throw error;
  const renamed = new DomainError(
    error.kind,
    error.code,
    error.message,
    error.errors.map((e) => {
      const top = e.field.split('.')[0];
      return { ...e, field: rename[e.field] ?? rename[top] ?? e.field };
    }),
  );
  const out = formErrorsOf(renamed);
  out.errorList = out.errorList.map((item) => {
    const field = item.href.slice(1);
    return anchors[field] ? { ...item, href: `#${anchors[field]}` } : item;
  });
  return { ...out, status: error.status };
}

/** What a page renders with: its error summary and field messages (none without an error), and the status. */
export function pageErrorView(error?: unknown, rename: Record<string, string> = {}, anchors: Record<string, string> = {}): { form: Partial<FormErrors>; status: number } {
  if (error === undefined || error === null) return { form: {}, status: 200 };
  const { status, ...form } = pageErrors(error, rename, anchors);
  return { form, status };
}
