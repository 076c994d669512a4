import { addCalendarMonths, isIsoDate } from '../common/dates.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { formatPence } from '../common/money.js';

/** What must happen before an instalment may be paid. */
export type InstalmentCondition = { kind: 'offer_condition'; text: string } | { kind: 'return_accepted'; returnNumber: number };

/**
 * One step of a round's payment plan: a share of the award, due on acceptance or some months
 * after the project starts, optionally with a condition.
 */
export interface PlanStep {
  percent: number;
  after?: 'acceptance';
  monthsAfterStart?: number;
  condition?: InstalmentCondition | null;
}

/** The plan of a round that has none set: everything on acceptance. */
export const DEFAULT_PLAN: readonly PlanStep[] = [{ percent: 100, after: 'acceptance' }];

export interface ScheduledInstalment {
  dueOn: string;
  amountPence: number;
  condition: InstalmentCondition | null;
  /** Its step counts from the project's start (null: from acceptance). */
  monthsAfterStart: number | null;
}

const field = (f: string, code: string, message: string): FieldError => ({ field: f, code, message });

/** A condition as the API sends it, checked; field errors under `at`. */
export function checkCondition(value: unknown, at: string, errors: FieldError[]): InstalmentCondition | null {
  if (value === undefined || value === null) return null;
  const c = value as Record<string, unknown>;
  if (c && c.kind === 'offer_condition' && typeof c.text === 'string' && c.text.trim().length > 0 && c.text.length <= 2000) return { kind: 'offer_condition', text: c.text.trim() };
  if (c && c.kind === 'return_accepted' && Number.isSafeInteger(c.returnNumber) && (c.returnNumber as number) >= 1 && (c.returnNumber as number) <= 50) {
    return { kind: 'return_accepted', returnNumber: c.returnNumber as number };
  }
  errors.push(field(at, 'FINANCE.CONDITION_INVALID', 'A condition is { kind: "offer_condition", text } or { kind: "return_accepted", returnNumber } (1 or more)'));
  return null;
}

/** A round's plan as sent: whole percentages adding up to 100, each due on acceptance or 0–36 months after the start. */
export function checkPlan(value: unknown): PlanStep[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(value) || value.length === 0 || value.length > 24) throw new DomainError('validation', 'FINANCE.PLAN_INVALID', 'A plan has 1 to 24 steps', [field('steps', 'FINANCE.PLAN_INVALID', 'Give 1 to 24 steps')]);
  const steps = value.map((raw: Record<string, unknown>, i) => {
    const at = `steps.${i}`;
    if (!Number.isSafeInteger(raw?.percent) || (raw.percent as number) < 1 || (raw.percent as number) > 100) errors.push(field(`${at}.percent`, 'FINANCE.PLAN_INVALID', 'A step is a whole percentage from 1 to 100'));
    const months = raw?.monthsAfterStart;
    const hasMonths = months !== undefined && months !== null;
    if (hasMonths && (!Number.isSafeInteger(months) || (months as number) < 0 || (months as number) > 36)) errors.push(field(`${at}.monthsAfterStart`, 'FINANCE.PLAN_INVALID', 'Months after the start are 0 to 36'));
    if (!hasMonths && raw?.after !== 'acceptance') errors.push(field(`${at}.after`, 'FINANCE.PLAN_INVALID', 'A step is due after acceptance or some months after the start'));
    const condition = checkCondition(raw?.condition, `${at}.condition`, errors);
    return { percent: raw?.percent as number, ...(hasMonths ? { monthsAfterStart: months as number } : { after: 'acceptance' as const }), condition };
  });
  if (errors.length === 0 && steps.reduce((s, x) => s + x.percent, 0) !== 100) errors.push(field('steps', 'FINANCE.PLAN_SUM', 'The steps must add up to 100%'));
  if (errors.length) throw new DomainError('validation', errors.some((e) => e.code === 'FINANCE.PLAN_SUM') ? 'FINANCE.PLAN_SUM' : 'FINANCE.PLAN_INVALID', 'The payment plan has errors', errors);
  return steps;
}

/**
 * Splits `totalPence` by the plan's percentages in exact pence: each step gets the floor of its
 * share, the remainder goes on the last, so the instalments always add up to the total.
 */
export function splitByPlan(totalPence: number, steps: readonly PlanStep[], dates: { acceptedOn: string; startsOn: string | null }): ScheduledInstalment[] {
  let given = 0;
  return steps.map((step, i) => {
    const amount = i === steps.length - 1 ? totalPence - given : Math.floor((totalPence * step.percent) / 100);
    given += amount;
    const dueOn = step.monthsAfterStart !== undefined ? addCalendarMonths(dates.startsOn ?? dates.acceptedOn, step.monthsAfterStart) : dates.acceptedOn;
    return { dueOn, amountPence: amount, condition: step.condition ?? null, monthsAfterStart: step.monthsAfterStart ?? null };
  }).filter((x) => x.amountPence > 0);
}

export interface InstalmentInput {
  id?: string;
  dueOn: string;
  amountPence: number;
  condition: InstalmentCondition | null;
}

/** A schedule as sent: 1–24 instalments of positive pence on real dates, adding up to exactly `totalPence`. */
export function checkSchedule(value: unknown, totalPence: number): InstalmentInput[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(value) || value.length === 0 || value.length > 24) {
    throw new DomainError('validation', 'FINANCE.SCHEDULE_INVALID', 'A schedule has 1 to 24 instalments', [field('instalments', 'FINANCE.SCHEDULE_INVALID', 'Give 1 to 24 instalments')]);
  }
  const out = value.map((raw: Record<string, unknown>, i) => {
    const at = `instalments.${i}`;
    if (!isIsoDate(raw?.dueOn)) errors.push(field(`${at}.dueOn`, 'FINANCE.SCHEDULE_INVALID', 'Give the date it is due as YYYY-MM-DD'));
    if (!Number.isSafeInteger(raw?.amountPence) || (raw.amountPence as number) <= 0) errors.push(field(`${at}.amountPence`, 'FINANCE.SCHEDULE_INVALID', 'An instalment is a positive whole number of pence'));
    const condition = checkCondition(raw?.condition, `${at}.condition`, errors);
    return { ...(typeof raw?.id === 'string' ? { id: raw.id } : {}), dueOn: raw?.dueOn as string, amountPence: raw?.amountPence as number, condition };
  });
  if (errors.length) throw new DomainError('validation', 'FINANCE.SCHEDULE_INVALID', 'The payment schedule has errors', errors);
  const sum = out.reduce((s, x) => s + x.amountPence, 0);
  if (sum !== totalPence) {
    const message = `The instalments add up to ${formatPence(sum)}: they must add up to ${formatPence(totalPence)}, the award less what was released`;
    throw new DomainError('validation', 'FINANCE.SCHEDULE_SUM', message, [field('instalments', 'FINANCE.SCHEDULE_SUM', message)], { expectedPence: totalPence, sumPence: sum });
  }
  return out;
}

export const conditionText = (c: InstalmentCondition | null): string | null =>
  !c ? null : c.kind === 'offer_condition' ? c.text : `Monitoring return ${c.returnNumber} accepted`;

/** An instalment as the schedule follows a new total: its amount, and the least it can go down to (paid plus waiting approval). */
export interface FollowedInstalment {
  id: string;
  amountPence: number;
  floorPence: number;
}

/**
 * How a schedule follows an award whose amount changed (an approved variation), so it still adds
 * up to `targetPence`: an increase goes on the last instalment not fully paid (or, when every one
 * is, on a new instalment); a decrease comes off the last instalments first, none below what was
 * paid or waits for approval, and an instalment brought to nothing is removed. Returns the new
 * amounts of the instalments that change (0: removed) and the amount of a new instalment, if any;
 * `shortPence` is what could not come off (payments waiting for approval hold it).
 */
export function followTotal(instalments: readonly FollowedInstalment[], targetPence: number): { amounts: Map<string, number>; addPence: number; shortPence: number } {
  const amounts = new Map<string, number>();
  let diff = targetPence - instalments.reduce((sum, i) => sum + i.amountPence, 0);
  if (diff > 0) {
    const open = [...instalments].reverse().find((i) => i.floorPence < i.amountPence);
    if (open) amounts.set(open.id, open.amountPence + diff);
    return { amounts, addPence: open ? 0 : diff, shortPence: 0 };
  }
  for (const i of [...instalments].reverse()) {
    if (diff === 0) break;
    const cut = Math.min(-diff, i.amountPence - i.floorPence);
    if (cut <= 0) continue;
    amounts.set(i.id, i.amountPence - cut);
    diff += cut;
  }
  return { amounts, addPence: 0, shortPence: diff === 0 ? 0 : -diff };
}
