import { HttpException } from '@nestjs/common';
import { DomainError, FieldError } from './errors.js';

/** RFC 9457 problem document, with our stable `code` and per-field `errors`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign in required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Validation failed',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

const typeFor = (code: string) => `/problems/${code.toLowerCase().replace(/[._]/g, '-')}`;

/** Fastify's own errors (body parsing, limits) carry a code and statusCode. */
interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

const FASTIFY_CODES: Record<string, { code: string; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'REQUEST.MALFORMED_JSON', detail: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'REQUEST.MALFORMED_JSON', detail: 'The request body is empty but declared as JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'REQUEST.TOO_LARGE', detail: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE', detail: 'The request content type is not supported' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'REQUEST.BAD_CONTENT_LENGTH', detail: 'The Content-Length header does not match the body' },
  FST_REQ_FILE_TOO_LARGE: { code: 'ATTACHMENT.TOO_LARGE', detail: 'The file is larger than the limit' },
  FST_CSRF_INVALID_TOKEN: { code: 'CSRF.INVALID_TOKEN', detail: 'The form has expired or was not sent from this service. Go back, reload the page and try again.' },
  FST_CSRF_MISSING_SECRET: { code: 'CSRF.INVALID_TOKEN', detail: 'The form has expired or was not sent from this service. Go back, reload the page and try again.' },
  FST_ERR_BAD_URL: { code: 'REQUEST.BAD_URL', detail: 'The address is not valid' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'REQUEST.PARAMETER_TOO_LONG', detail: 'A value in the address is too long' },
  FST_FILES_LIMIT: { code: 'ATTACHMENT.TOO_MANY_FILES', detail: 'Send one file at a time' },
  FST_PARTS_LIMIT: { code: 'REQUEST.TOO_MANY_PARTS', detail: 'The form has too many parts' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { code: 'REQUEST.NOT_MULTIPART', detail: 'The request is not multipart/form-data' },
};

/** Seconds a client is told to wait when a dependency (PostgreSQL, Redis) is down. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 30;

/** Network errors and PostgreSQL's "cannot serve now" states (class 08, 53300, 57P01-57P03). */
const DEPENDENCY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', '53300', '57P01', '57P02', '57P03']);
const DEPENDENCY_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Connection is closed|max retries per request|Stream isn't writeable|Command timed out|the database system is (starting up|shutting down)/i;

/** Is this error a dependency being down (or not answering), rather than a fault in the request or the code? */
export function isDependencyDown(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (DEPENDENCY_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (typeof e.message === 'string' && DEPENDENCY_MESSAGES.test(e.message)) return true;
  // TypeORM wraps the driver's error; Node wraps several connection attempts in an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDependencyDown(inner, depth + 1))) return true;
  return isDependencyDown(e.driverError, depth + 1) || isDependencyDown(e.cause, depth + 1);
}

/** Maps anything thrown to a problem document. Unknown errors become a 500 without internals. */
export function toProblem(error: unknown): Problem {
  if (error instanceof DomainError) {
    // Extra members never replace the standard ones (an extra named "status" must not change the HTTP status).
    return {
      ...error.extra,
      type: typeFor(error.code),
      title: TITLES[error.status] ?? 'Error',
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.errors.length ? { errors: error.errors } : {}),
    };
  }
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own errors (body parsing, CSRF, limits) with the original as the cause.
    const cause = error.cause as FastifyLikeError | undefined;
    if (cause && typeof cause.statusCode === 'number' && cause.code) return toProblem(cause);
    const status = error.getStatus();
    const code =
      status === 404 ? 'ROUTE.NOT_FOUND' : status === 405 ? 'ROUTE.METHOD_NOT_ALLOWED' : `HTTP.${status}`;
    const response = error.getResponse();
    const detail =
      status === 404
        ? 'No such page or resource'
        : typeof response === 'object' && response && 'message' in response
          ? String((response as { message: unknown }).message)
          : error.message;
    return { type: typeFor(code), title: TITLES[status] ?? 'Error', status, detail, code };
  }
  const fastifyError = error as FastifyLikeError;
  if (fastifyError && typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
    const status = fastifyError.statusCode;
    const code = known?.code ?? `REQUEST.${status}`;
    return {
      type: typeFor(code),
      title: TITLES[status] ?? 'Bad request',
      status,
      detail: known?.detail ?? 'The request could not be processed',
      code,
    };
  }
  if (isDependencyDown(error)) {
    return {
      type: typeFor('SERVICE.UNAVAILABLE'),
      title: TITLES[503],
      status: 503,
      detail: 'The service is not available at the moment. Try again in a few minutes.',
      code: 'SERVICE.UNAVAILABLE',
      retryAfterSeconds: DEPENDENCY_RETRY_AFTER_SECONDS,
    };
  }
  return {
    type: typeFor('INTERNAL'),
    title: TITLES[500],
    status: 500,
    detail: 'Something went wrong on our side. The error has been logged.',
    code: 'INTERNAL',
  };
}
