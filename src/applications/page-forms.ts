import { penceAsPounds } from '../common/money.js';
import type { FieldError } from '../common/errors.js';
import { formatPence, poundsToPence } from '../common/money.js';
import type { FormQuestion, FormSection } from '../forms/form.types.js';
import { isIsoDate } from './application-rules.js';

/**
 * What people type in the pages (strings: pounds, day/month/year, "yes"/"no") turned into what
 * the service stores (pence, YYYY-MM-DD, booleans), and back again for showing answers.
 */

export type FormBody = Record<string, string | string[] | undefined>;

export const one = (value: unknown): string => (Array.isArray(value) ? String(value[0] ?? '') : typeof value === 'string' ? value : '');
export const many = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : []);

/** The field name of a question's input in a section page. */
export const answerField = (key: string) => `answers.${key}`;

/** Reads a GOV.UK date input (name-day, name-month, name-year): '' when empty, null when not a date. */
export function dateFrom(body: FormBody, name: string): string | null {
  const day = one(body[`${name}-day`]).trim();
  const month = one(body[`${name}-month`]).trim();
  const year = one(body[`${name}-year`]).trim();
  if (!day && !month && !year) return '';
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) return null;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** The day/month/year parts of a stored date, for a date input's values. */
export function dateParts(iso: unknown): { day: string; month: string; year: string } {
  if (typeof iso !== 'string' || !isIsoDate(iso)) return { day: '', month: '', year: '' };
  const [year, month, day] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** A section's answers from its page, and the errors of what could not be read. */
export function answersFromBody(section: FormSection, body: FormBody): { answers: Record<string, unknown>; errors: FieldError[] } {
  const answers: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const q of section.questions) {
    if (q.type === 'file') continue;
    const field = answerField(q.key);
    if (q.type === 'date') {
      const date = dateFrom(body, field);
      if (date === null) errors.push({ field, code: 'FIELD.INVALID_DATE', message: `“${q.label}” must be a real date, like 27 3 2030` });
      else if (date) answers[q.key] = date;
      continue;
    }
    const raw = one(body[field]).trim();
    if (!raw) continue;
    switch (q.type) {
      case 'text':
        answers[q.key] = one(body[field]).replace(/\r\n/g, '\n');
        break;
      case 'number':
        if (/^-?\d{1,15}$/.test(raw.replace(/,/g, ''))) answers[q.key] = Number(raw.replace(/,/g, ''));
        else errors.push({ field, code: 'FIELD.NOT_AN_INTEGER', message: `“${q.label}” must be a whole number, like 25` });
        break;
      case 'money': {
        const pence = poundsToPence(raw);
        if (pence === null) errors.push({ field, code: 'FIELD.NOT_AN_AMOUNT', message: `“${q.label}” must be an amount in pounds, like 1250 or 1250.50` });
        else answers[q.key] = pence;
        break;
      }
      case 'yes_no':
        if (raw === 'yes' || raw === 'no') answers[q.key] = raw === 'yes';
        break;
      case 'choice':
        answers[q.key] = raw;
        break;
    }
  }
  return { answers, errors };
}

/** Stored answers as the strings the inputs show. */
export function valuesOfAnswers(section: FormSection, answers: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const q of section.questions) {
    const v = answers[q.key];
    if (v === undefined || v === null) continue;
    switch (q.type) {
      case 'money':
        values[q.key] = typeof v === 'number' ? penceAsPounds(v).replace(/\.00$/, '') : String(v);
        break;
      case 'yes_no':
        values[q.key] = v === true ? 'yes' : v === false ? 'no' : '';
        break;
      case 'date':
        values[q.key] = dateParts(v);
        break;
      default:
        values[q.key] = String(v);
    }
  }
  return values;
}

/** Values straight from a submitted page, to show again after an error. */
export function valuesOfBody(section: FormSection, body: FormBody): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const q of section.questions) {
    const field = answerField(q.key);
    values[q.key] =
      q.type === 'date'
        ? { day: one(body[`${field}-day`]), month: one(body[`${field}-month`]), year: one(body[`${field}-year`]) }
        : one(body[field]);
  }
  return values;
}

/** An answer as check-your-answers shows it. */
export function displayAnswer(q: FormQuestion, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  switch (q.type) {
    case 'money':
      return typeof value === 'number' ? formatPence(value) : String(value);
    case 'yes_no':
      return value === true ? 'Yes' : value === false ? 'No' : String(value);
    case 'date': {
      if (typeof value !== 'string' || !isIsoDate(value)) return String(value);
      return new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${value}T00:00:00Z`));
    }
    case 'number':
      return typeof value === 'number' ? value.toLocaleString('en-GB') : String(value);
    default:
      return String(value);
  }
}

/** "Have you completed this section?": true, false, or null when not answered. */
export function completedFrom(body: FormBody): boolean | null {
  const v = one(body.completed);
  return v === 'yes' ? true : v === 'no' ? false : null;
}

export const COMPLETED_MISSING: FieldError = { field: 'completed', code: 'FIELD.REQUIRED', message: 'Select whether you have completed this section' };
