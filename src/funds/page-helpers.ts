import type { FieldError } from '../common/errors.js';
import { formatPence, poundsToPence } from '../common/money.js';
import { formText } from '../reference-data/input.js';
import { isRealDateTime, londonParts } from './london-time.js';

type Body = Record<string, unknown> | undefined;

/** What the date and time inputs of a page hold. */
export interface DateTimeInput {
  day: string;
  month: string;
  year: string;
  time: string;
}

/** A date input's parts and time from a form body ("opensAt-day", ..., "opensAt-time"). */
export function dateTimeInput(body: Body, name: string): DateTimeInput {
  return { day: formText(body, `${name}-day`), month: formText(body, `${name}-month`), year: formText(body, `${name}-year`), time: formText(body, `${name}-time`) };
}

/** The inputs for an instant, in London time ("17:00"). */
export function dateTimeInputOf(value: Date | string | null | undefined): DateTimeInput {
  if (!value) return { day: '', month: '', year: '', time: '' };
  const p = londonParts(new Date(value));
  return { day: String(p.day), month: String(p.month), year: String(p.year), time: `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` };
}

/** Reads "17:00", "5pm", "5:30pm", "9.15am", "midday" or "midnight" as hours and minutes. */
export function parseTime(text: string): { hour: number; minute: number } | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (t === 'midday' || t === 'noon') return { hour: 12, minute: 0 };
  if (t === 'midnight') return { hour: 0, minute: 0 };
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(t);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  if (m[3]) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (m[3] === 'pm' ? 12 : 0);
  } else if (!m[2]) return null;
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

/**
 * Turns a page's date and time inputs into the API's London ISO date-time ("2027-03-05T17:00"),
 * or a field error for the page.
 */
export function isoFromInput(input: DateTimeInput, field: string, what: string): { value?: string; error?: FieldError } {
  if (!input.day && !input.month && !input.year) return { error: { field, code: 'FIELD.REQUIRED', message: `Enter the ${what} date` } };
  const parts = { year: Number(input.year), month: Number(input.month), day: Number(input.day) };
  if (![input.day, input.month, input.year].every((v) => /^\d+$/.test(v)) || input.year.length !== 4) {
    return { error: { field, code: 'ROUND.INVALID_DATE', message: `The ${what} date must be a real date, like 5 3 2027` } };
  }
  const time = parseTime(input.time);
  if (!input.time) return { error: { field, code: 'FIELD.REQUIRED', message: `Enter the ${what} time, like 17:00 or 5pm` } };
  if (!time) return { error: { field, code: 'ROUND.INVALID_TIME', message: `The ${what} time must be a time, like 17:00 or 5pm` } };
  if (!isRealDateTime({ ...parts, ...time })) return { error: { field, code: 'ROUND.INVALID_DATE', message: `The ${what} date must be a real date, like 5 3 2027` } };
  const pad = (n: number) => String(n).padStart(2, '0');
  return { value: `${parts.year}-${pad(parts.month)}-${pad(parts.day)}T${pad(time.hour)}:${pad(time.minute)}` };
}

/** Pounds typed in a page ("6,000", "£6000.50") as pence, or a field error. */
export function penceFromInput(text: string, field: string, what: string): { value?: number; error?: FieldError } {
  if (!text) return { error: { field, code: 'FIELD.REQUIRED', message: `Enter ${what}` } };
  const pence = poundsToPence(text);
  if (pence === null) return { error: { field, code: 'FIELD.NOT_MONEY', message: `${what[0].toUpperCase()}${what.slice(1)} must be an amount in pounds, like 6,000 or 6000.50` } };
  return { value: pence };
}

/** Pence shown in a money input: "6,000" or "6,000.50". */
export const poundsText = (pence: number | string | null | undefined) => (pence === null || pence === undefined || pence === '' ? '' : formatPence(Number(pence)).replace('£', ''));

// The generic page-form helpers live in web/page-form.ts, shared by every module's pages.
export { pageErrors, throwIfAny } from '../web/page-form.js';

/** Splits text typed in a box into a list: one per line or comma. */
export const listFromText = (text: string) =>
  text
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
