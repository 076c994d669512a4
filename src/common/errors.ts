/**
 * Errors carry a stable code (e.g. APPLICATION.DEADLINE_PASSED) and are thrown from domain code.
 * The HTTP status lives here once, mapped by ProblemFilter (API) or the page error handler (HTML).
 */
export interface FieldError {
  /** Dotted path of the input field, e.g. "address.postcode". */
  field: string;
  code: string;
  message: string;
}

export type ErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation'
  | 'too_many_requests'
  | 'unavailable';

export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation: 422,
  too_many_requests: 429,
  unavailable: 503,
};

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    /** Extra members for the problem document (e.g. the current version on a conflict). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return STATUS_BY_KIND[this.kind];
  }
}

export const notFound = (what: string, code = 'RESOURCE.NOT_FOUND') =>
  new DomainError('not_found', code, `${what} was not found`);

export const validationFailed = (errors: FieldError[], message = 'The request has errors') =>
  new DomainError('validation', 'VALIDATION.FAILED', message, errors);

export const fieldError = (field: string, code: string, message: string) =>
  validationFailed([{ field, code, message }], message);
