import { plainToInstance } from 'class-transformer';
import { createValidationPipe } from '../common/validation.js';
import { DomainError, validationFailed, type FieldError } from '../common/errors.js';

/**
 * Every problem with one submitted form or request body, collected before anything is refused, so
 * a person sees them all at once and in the order of the form (not a missing title only once the
 * dates are fixed, nor the business rules only once the types are right).
 *
 * Stages add to it: what the page could not read (a date typed as "next week"), what the DTO
 * refuses (the API's own validation pipe, run here), and the domain rules, each asked only about
 * fields that are still sound. `throwIfAny` refuses with them all, sorted into form order.
 */
export class FieldProblems {
  private readonly list: FieldError[] = [];

  /** @param order the form's fields, top to bottom (API field names). */
  constructor(private readonly order: readonly string[]) {}

  add(...errors: FieldError[]): this {
    this.list.push(...errors);
    return this;
  }

  /** True when no error names any of these fields (or one inside them, "questions.0.x"). */
  sound(...fields: string[]): boolean {
    return !this.list.some((e) => fields.includes(topOf(e.field)));
  }

  get errors(): FieldError[] {
    const rank = (e: FieldError) => {
      const i = this.order.indexOf(topOf(e.field));
      return i === -1 ? this.order.length : i;
    };
    return this.list.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i).map(({ e }) => e);
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  throwIfAny(message?: string): void {
    if (!this.any) return;
    const errors = this.errors;
    throw validationFailed(errors, message ?? (errors.length === 1 ? errors[0].message : 'The request has errors'));
  }
}

const topOf = (field: string) => field.split('.')[0];

const pipe = createValidationPipe();

/**
 * Checks a body against a DTO with the API's own validation pipe, adding what it refuses to
 * `problems` instead of throwing, and returns the body as the DTO (its unsound fields included:
 * ask `problems.sound(...)` before using one). Errors on a field the page already reported are
 * dropped (one message per mistake).
 */
export async function checkBody<T extends object>(cls: new () => T, body: unknown, problems: FieldProblems): Promise<T> {
  const plain = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
  try {
    return (await pipe.transform(plain, { type: 'body', metatype: cls, data: undefined })) as T;
  } catch (error) {
    if (!(error instanceof DomainError) || error.kind !== 'validation') throw error;
    const already = new Set(problems.errors.map((e) => topOf(e.field)));
    problems.add(...error.errors.filter((e) => !already.has(topOf(e.field))));
    return plainToInstance(cls, plain);
  }
}
