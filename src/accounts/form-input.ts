import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors.js';
import { formErrorsOf, type FormErrors, type PageRenderer } from '../web/page-renderer.js';
import '../auth/session-data.js';

/** Reading HTML form posts (application/x-www-form-urlencoded), whatever a client actually sent. */
export function formBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** One text field: a repeated field counts as its first value; anything else as empty. */
export function textField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return '';
}

/** A field that may repeat (checkboxes). */
export function listField(body: Record<string, unknown>, name: string): string[] {
  const value = body[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** One query parameter as text ('' when missing or repeated oddly). */
export function queryText(request: FastifyRequest, name: string): string {
  const query = request.query as Record<string, unknown> | undefined;
  const value = query?.[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
}

/** Only paths on this site ("/x", never "//host" or "/\\host"), and never the sign-in pages themselves. */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(value)) return null;
  if (/^\/(sign-in|sign-out|signed-out)(\/|\?|$)/.test(value)) return null;
  return value;
}

export const seeOther = (reply: FastifyReply, url: string) => reply.redirect(url, 303);

/** Form errors for one message shown against one field. */
export const oneError = (field: string, message: string): FormErrors => ({
  errorList: [{ text: message, href: `#${field}` }],
  errors: { [field]: message },
});

/**
 * Re-renders a form after a validation (422) or rule (409) error from a service; anything else
 * (not found, forbidden...) is left for the error pages.
 */
export async function renderFormError(
  pages: PageRenderer,
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
  error: unknown,
): Promise<FastifyReply> {
  if (error instanceof DomainError && (error.kind === 'validation' || error.kind === 'conflict')) {
    return pages.render(request, reply, template, { ...context, ...formErrorsOf(error) }, error.status);
  }
  throw error;
}

/** Keeps a small value in the session for the next page (e.g. which address we emailed). */
export function remember(request: FastifyRequest, key: string, value: Record<string, unknown>): void {
  request.session.journeys = { ...(request.session.journeys ?? {}), [key]: value };
}

/** Reads and forgets a remembered value. */
export function recall(request: FastifyRequest, key: string): Record<string, unknown> | null {
  const journeys = request.session?.journeys;
  const value = journeys?.[key];
  if (!journeys || !value) return null;
  const rest = { ...journeys };
  delete rest[key];
  request.session.journeys = rest;
  return value;
}
