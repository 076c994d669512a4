import { TZDate, tz } from '@date-fns/tz';
import { addDays, addMonths, format } from 'date-fns';

/**
 * Dates and times of the service, in one place: London wall-clock time (GMT or BST as it falls),
 * calendar dates (YYYY-MM-DD, no time zone), financial years and GOV.UK wording. The arithmetic is
 * date-fns with @date-fns/tz; nothing else in the code base does time-zone or calendar sums.
 */
export const LONDON = 'Europe/London';
const inLondon = tz(LONDON);
const inUtc = tz('UTC');

// ================= showing dates, as GOV.UK writes them =================

/** "9 March 2018" (London date of the instant); '' for nothing. */
export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return '';
  return format(new Date(value), 'd MMMM yyyy', { in: inLondon });
}

/** "9 March 2018 at 5:00pm", "... at midday", "... at midnight" (London time); '' for nothing. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  const time = format(d, 'h:mmaaa', { in: inLondon });
  return `${formatDate(d)} at ${time === '12:00pm' ? 'midday' : time === '12:00am' ? 'midnight' : time}`;
}

// ================= London wall-clock time =================

export interface LondonParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The London wall-clock reading of an instant. */
export function londonParts(date: Date): LondonParts & { second: number } {
  const d = new TZDate(date.getTime(), LONDON);
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
}

const samePart = (a: LondonParts, b: LondonParts) => a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

/**
 * The instant of a London wall-clock time. In the spring-forward gap (01:00–02:00 on the last
 * Sunday of March) the time does not exist and is read one hour later; in the autumn overlap
 * (01:00–02:00 on the last Sunday of October, which happens twice) the first, BST, reading is used.
 */
export function fromLondon(p: LondonParts): Date {
  const instant = new TZDate(p.year, p.month - 1, p.day, p.hour, p.minute, LONDON).getTime();
  // TZDate takes the later (GMT) reading of a repeated time; an hour earlier reads the same in BST.
  const anHourEarlier = instant - 3_600_000;
  return new Date(samePart(londonParts(new Date(anHourEarlier)), p) ? anHourEarlier : instant);
}

/** True when the numbers make a real calendar date (1900–9999) and clock time. */
export function isRealDateTime(p: LondonParts): boolean {
  return (
    [p.year, p.month, p.day, p.hour, p.minute].every(Number.isInteger) &&
    p.year >= 1900 && p.year <= 9999 &&
    p.month >= 1 && p.month <= 12 &&
    p.day >= 1 && p.day <= daysInMonth(p.year, p.month) &&
    p.hour >= 0 && p.hour <= 23 &&
    p.minute >= 0 && p.minute <= 59
  );
}

const daysInMonth = (year: number, month: number) => new TZDate(year, month, 0, 'UTC').getDate();

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO 8601 date-time: one with an offset ("Z", "+01:00") is taken as given; one without
 * is London wall-clock time. Null when it is not a real date-time.
 */
export function parseLondonDateTime(input: unknown): Date | null {
  if (typeof input !== 'string' || input.length > 40) return null;
  const m = ISO_DATE_TIME.exec(input.trim());
  if (!m) return null;
  const parts = { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5] };
  const seconds = m[6] ? +m[6] : 0;
  if (!isRealDateTime(parts) || seconds > 59) return null;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (!m[8]) return new Date(fromLondon(parts).getTime() + seconds * 1000 + millis);
  const zone = m[8].toUpperCase();
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 14 || minutes > 59) return null;
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  return new Date(Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, seconds, millis) - offsetMinutes * 60_000);
}

// ================= calendar dates (YYYY-MM-DD) =================

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD, in the years 1900 to 2200. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return y >= 1900 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

const calendarDate = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return new TZDate(y, m - 1, d, 'UTC');
};
const isoOf = (d: Date) => format(d, 'yyyy-MM-dd', { in: inUtc });

/** The London calendar date of an instant, YYYY-MM-DD (23:30 UTC on 30 June in summer is 1 July). */
export function londonDate(instant: Date): string {
  return format(instant, 'yyyy-MM-dd', { in: inLondon });
}

/** Adds whole months to a calendar date, clamping to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addCalendarMonths(isoDate: string, months: number): string {
  return isoOf(addMonths(calendarDate(isoDate), months));
}

export function addCalendarDays(isoDate: string, days: number): string {
  return isoOf(addDays(calendarDate(isoDate), days));
}

/**
 * The last day of a period of whole months starting on `start`: 12 months from 1 April 2027 end
 * on 31 March 2028 (the day before the same date a year on).
 */
export function lastDayOfMonths(start: string, months: number): string {
  return addCalendarDays(addCalendarMonths(start, months), -1);
}

// ================= financial years =================

export interface FinancialYear {
  /** "2017/18" */
  label: string;
  /** The year it starts in (2017 for 2017/18). */
  startYear: number;
  /** 1 April, 00:00 London time. */
  start: Date;
  /** The next 1 April, 00:00 London time (exclusive). */
  end: Date;
  /** First and last calendar days, YYYY-MM-DD. */
  firstDay: string;
  lastDay: string;
}

/** The financial year (April to March, in London) an instant or calendar date falls in. */
export function financialYearOf(value: Date | string): string {
  return financialYear(value).label;
}

export function financialYear(value: Date | string): FinancialYear {
  const date = typeof value === 'string' && isIsoDate(value) ? calendarDate(value) : null;
  const parts = date ? { year: date.getFullYear(), month: date.getMonth() + 1 } : londonParts(new Date(value));
  return financialYearStarting(parts.month >= 4 ? parts.year : parts.year - 1);
}

/** The financial year that starts on 1 April of `startYear`. */
export function financialYearStarting(startYear: number): FinancialYear {
  return {
    label: `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`,
    startYear,
    start: fromLondon({ year: startYear, month: 4, day: 1, hour: 0, minute: 0 }),
    end: fromLondon({ year: startYear + 1, month: 4, day: 1, hour: 0, minute: 0 }),
    firstDay: `${startYear}-04-01`,
    lastDay: `${startYear + 1}-03-31`,
  };
}
