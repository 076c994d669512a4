import { isIsoDate } from '../common/dates.js';
import type { FieldError } from '../common/errors.js';
import { poundsToPence } from '../common/money.js';

/** A form body as Fastify's formbody gives it (a repeated name is an array). */
export type FormBody = Record<string, string | string[] | undefined>;

/** One field of a form body, as trimmed text. */
export const formValue = (body: FormBody, name: string): string => {
  const v = body[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).toString().trim();
};

/** A GOV.UK date input's parts (`<name>-day`, `-month`, `-year`), as typed. */
export const dateParts = (body: FormBody, name: string) => ({ day: formValue(body, `${name}-day`), month: formValue(body, `${name}-month`), year: formValue(body, `${name}-year`) });

/** The date typed into a GOV.UK date input as YYYY-MM-DD, or the error to show on it. */
export function isoDateFrom(parts: { day: string; month: string; year: string }, field: string, what: string): { value?: string; error?: FieldError } {
  if (!parts.day && !parts.month && !parts.year) return { error: { field, code: 'FIELD.REQUIRED', message: `Enter ${what}` } };
  const iso = /^\d{1,2}$/.test(parts.day) && /^\d{1,2}$/.test(parts.month) && /^\d{4}$/.test(parts.year) ? `${parts.year}-${parts.month.padStart(2, '0')}-${parts.day.padStart(2, '0')}` : '';
  if (!isIsoDate(iso)) return { error: { field, code: 'FIELD.INVALID_DATE', message: `${what[0].toUpperCase()}${what.slice(1)} must be a real date, for example 27 3 2031` } };
  return { value: iso };
}

/** Pounds typed in ("£1,250.50", "1250") as pence, or the error to show on the field. */
export function penceFrom(text: string, field: string, what: string): { value?: number; error?: FieldError } {
  if (!text) return { error: { field, code: 'FIELD.REQUIRED', message: `Enter ${what}` } };
  const pence = poundsToPence(text);
  if (pence === null) return { error: { field, code: 'FIELD.INVALID_MONEY', message: `${what[0].toUpperCase()}${what.slice(1)} must be an amount in pounds, like 1250 or 1,250.50` } };
  return { value: pence };
}

/** An ISO date as a GOV.UK date input's parts (to show a stored date again). */
export const partsOf = (iso: string | null | undefined) => {
  const [year, month, day] = (iso ?? '').split('-');
  return { day: day ? String(Number(day)) : '', month: month ? String(Number(month)) : '', year: year ?? '' };
};
