import { isIsoDate } from '../common/dates.js';

/**
 * Reading the values of a spreadsheet of past awards as people write them. Pure, so every form
 * is tested (import-values.spec.ts). Money never passes through a float: digits become pence.
 */

/** "£6,123.00", "6123", "6,123.5", " £1,000 " -> pence; null when it is not an amount in pounds. */
export function readPounds(input: string): number | null {
  const m = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(input.trim());
  if (!m) return null;
  const whole = m[1].replace(/,/g, '');
  if (whole.length > 12) return null;
  const pence = BigInt(whole) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  return pence <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(pence) : null;
}

/** "2017-11-03" or "03/11/2017" (also "3/11/2017") -> "2017-11-03"; null when it is not a real date. */
export function readDate(input: string): string | null {
  const value = input.trim();
  if (isIsoDate(value)) return value;
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** A value from a spreadsheet cell as the text a person would have typed (XLSX numbers and dates included). */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  // A number cell: its shortest decimal form ("6123.5"), read as text from here on, never summed as a float.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[] };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (typeof v.text === 'string') return v.text;
  }
  return String(value);
}

/** Splits "a; b;c" into ["a", "b", "c"] (empty parts dropped). */
export const splitList = (input: string): string[] =>
  input
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);

/** "ls11 9rt" -> "LS11 9RT"; null when it is not a UK postcode. */
export function readPostcode(input: string): string | null {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact)) return null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/** Names compared as people mean them: case, spacing and curly apostrophes ignored. */
export const sameName = (name: string) => name.toLowerCase().replace(/[’‘`]/g, "'").replace(/\s+/g, ' ').trim();
