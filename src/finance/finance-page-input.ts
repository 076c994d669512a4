import { isIsoDate } from '../common/dates.js';
import type { FieldError } from '../common/errors.js';
import { poundsToPence } from '../common/money.js';
import type { InstalmentCondition } from './payment-plan.js';

type FormBody = Record<string, string | string[] | undefined>;
export const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).toString();

/** A date as people type it: 2027-05-01, 1/5/2027 or 1 5 2027; null when it is not a real date. */
export function dateFromText(text: string): string | null {
  const t = text.trim();
  if (isIsoDate(t)) return t;
  const m = /^(\d{1,2})[/ .-](\d{1,2})[/ .-](\d{4})$/.exec(t);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** A condition as the schedule form writes it: "Monitoring return 2 accepted", other text (an offer condition), or nothing. */
export function conditionFromText(text: string): InstalmentCondition | null {
  const t = text.trim();
  if (!t) return null;
  const r = /^Monitoring return (\d{1,2}) accepted$/i.exec(t);
  return r ? { kind: 'return_accepted', returnNumber: Number(r[1]) } : { kind: 'offer_condition', text: t };
}

export interface ScheduleRowValues {
  id: string;
  dueOn: string;
  amount: string;
  condition: string;
}

/** The schedule form's rows (dueOn_N, amount_N, condition_N, id_N); rows left empty are dropped. */
export function scheduleRows(body: FormBody): ScheduleRowValues[] {
  const rows: ScheduleRowValues[] = [];
  for (let i = 0; i < 30; i++) {
    if (body[`dueOn_${i}`] === undefined && body[`amount_${i}`] === undefined) continue;
    rows.push({ id: one(body[`id_${i}`]), dueOn: one(body[`dueOn_${i}`]), amount: one(body[`amount_${i}`]), condition: one(body[`condition_${i}`]) });
  }
  return rows;
}

/** The rows as the API's instalments, with the page's own errors (by input name) for dates and pounds. */
export function instalmentsFromRows(rows: ScheduleRowValues[]): { instalments: { id?: string; dueOn: string; amountPence: number; condition: InstalmentCondition | null }[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const instalments = rows.flatMap((row, i) => {
    if (!row.dueOn.trim() && !row.amount.trim() && !row.id) return [];
    const dueOn = dateFromText(row.dueOn);
    const amountPence = poundsToPence(row.amount);
    if (!dueOn) errors.push({ field: `dueOn_${i}`, code: 'FINANCE.SCHEDULE_INVALID', message: `Enter the date instalment ${i + 1} is due, for example 1/5/2027` });
    if (amountPence === null || amountPence <= 0) errors.push({ field: `amount_${i}`, code: 'FINANCE.SCHEDULE_INVALID', message: `Enter the amount of instalment ${i + 1} in pounds, for example 1250.50` });
    return [{ ...(row.id ? { id: row.id } : {}), dueOn: dueOn ?? '', amountPence: amountPence ?? 0, condition: conditionFromText(row.condition) }];
  });
  return { instalments, errors };
}
