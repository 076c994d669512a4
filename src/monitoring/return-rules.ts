import { addCalendarMonths } from '../common/dates.js';
import { DomainError, type FieldError } from '../common/errors.js';

/** One return an award owes: how many months after the project starts it is due, and whether it is the final one. */
export interface ScheduledReturn {
  monthsAfterStart: number;
  final: boolean;
}

/** When a round sets none: a six-month return and a final one at twelve months. */
export const DEFAULT_RETURN_SCHEDULE: readonly ScheduledReturn[] = [
  { monthsAfterStart: 6, final: false },
  { monthsAfterStart: 12, final: true },
];

export const MAX_SCHEDULED_RETURNS = 12;
export const MAX_MONTHS_AFTER_START = 60;

/**
 * A schedule is valid when it has 1 to 12 returns, each a whole number of months (1–60) after the
 * start, strictly increasing, with exactly one final return and that the last. Field errors name
 * the entry (`returns.1.monthsAfterStart`).
 */
export function checkSchedule(input: unknown): ScheduledReturn[] {
  const errors: FieldError[] = [];
  const add = (field: string, code: string, message: string) => errors.push({ field, code, message });
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_SCHEDULED_RETURNS) {
    throw new DomainError('validation', 'MONITORING.BAD_SCHEDULE', `A return schedule has between 1 and ${MAX_SCHEDULED_RETURNS} returns`, [
      { field: 'returns', code: 'MONITORING.BAD_SCHEDULE', message: `Give between 1 and ${MAX_SCHEDULED_RETURNS} returns` },
    ]);
  }
  const out: ScheduledReturn[] = [];
  input.forEach((entry: unknown, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const months = e.monthsAfterStart;
    if (typeof months !== 'number' || !Number.isInteger(months) || months < 1 || months > MAX_MONTHS_AFTER_START) {
      add(`returns.${i}.monthsAfterStart`, 'MONITORING.BAD_MONTHS', `Months after the start must be a whole number from 1 to ${MAX_MONTHS_AFTER_START}`);
    } else if (out.length && months <= out[out.length - 1].monthsAfterStart) {
      add(`returns.${i}.monthsAfterStart`, 'MONITORING.MONTHS_NOT_INCREASING', 'Each return must be due later than the one before it');
    }
    if (typeof e.final !== 'boolean') add(`returns.${i}.final`, 'MONITORING.BAD_FINAL', 'Say whether the return is the final one');
    out.push({ monthsAfterStart: typeof months === 'number' ? months : 0, final: e.final === true });
  });
  const finals = out.filter((r) => r.final).length;
  if (finals !== 1 || !out[out.length - 1].final) add('returns', 'MONITORING.ONE_FINAL_RETURN', 'Exactly one return must be final, and it must be the last');
  if (errors.length) throw new DomainError('validation', 'MONITORING.BAD_SCHEDULE', 'The return schedule has errors', errors);
  return out;
}

const NUMBER_WORDS = ['Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten', 'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen', 'Twenty'];
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty'];

/** "Six", "Twenty-four", as a period's name is written. */
export function monthsInWords(n: number): string {
  if (n <= 20) return NUMBER_WORDS[n];
  const unit = n % 10;
  return `${TENS[Math.floor(n / 10)]}${unit ? '-' + NUMBER_WORDS[unit].toLowerCase() : ''}`;
}

/** "Six-month return", "Twelve-month return" ("final" is shown beside it). */
export const periodLabel = (months: number): string => `${monthsInWords(months)}-month return`;

/** The returns an award owes: numbered 1..n, due `monthsAfterStart` calendar months after its start (a London date). */
export function returnsOwed(schedule: readonly ScheduledReturn[], startsOn: string): { number: number; periodLabel: string; dueOn: string; final: boolean; monthsAfterStart: number }[] {
  return schedule.map((s, i) => ({ number: i + 1, periodLabel: periodLabel(s.monthsAfterStart), dueOn: addCalendarMonths(startsOn, s.monthsAfterStart), final: s.final, monthsAfterStart: s.monthsAfterStart }));
}
