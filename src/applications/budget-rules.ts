import type { FieldError } from '../common/errors.js';
import { formatPence } from '../common/money.js';
import { checkPence, validationError } from './application-rules.js';
import { BUDGET_CATEGORIES, type BudgetCategory } from './budget-line.entity.js';

/**
 * THE rules of a budget line and of a complete budget, as pure functions. The API's DTO checks
 * types, the page turns pounds into pence; both then come through these, so each rule is written once.
 */

export interface BudgetLineInput {
  item?: string;
  category?: string;
  amountPence?: number;
  otherFundingPence?: number;
  otherFundingSource?: string | null;
}

export interface CheckedBudgetLine {
  item: string;
  category: BudgetCategory;
  amountPence: number;
  otherFundingPence: number;
  otherFundingSource: string | null;
}

/** Every error of a whole line at once, in the order of the page's fields. */
export function budgetLineErrors(input: BudgetLineInput): FieldError[] {
  const errors: FieldError[] = [];
  const item = input.item?.trim() ?? '';
  if (!item) errors.push({ field: 'item', code: 'FIELD.REQUIRED', message: 'Enter what the money is for' });
  if (item.length > 200) errors.push({ field: 'item', code: 'FIELD.TOO_LONG', message: 'The item must be 200 characters or fewer' });
  if (!(BUDGET_CATEGORIES as readonly string[]).includes(input.category ?? '')) {
    errors.push({ field: 'category', code: input.category ? 'FIELD.NOT_ALLOWED_VALUE' : 'FIELD.REQUIRED', message: 'Select a category' });
  }
  if (input.amountPence === undefined || input.amountPence === null) {
    errors.push({ field: 'amountPence', code: 'FIELD.REQUIRED', message: 'Enter the amount you are asking for' });
  } else {
    const amount = checkPence('amountPence', input.amountPence, { min: 1, label: 'The amount' });
    if (amount) errors.push(amount);
  }
  const other = checkPence('otherFundingPence', input.otherFundingPence ?? 0, { min: 0, label: 'Other funding' });
  if (other) errors.push(other);
  const source = input.otherFundingSource?.trim() || null;
  if (source && source.length > 200) errors.push({ field: 'otherFundingSource', code: 'FIELD.TOO_LONG', message: 'The source must be 200 characters or fewer' });
  if ((input.otherFundingPence ?? 0) > 0 && !source) {
    errors.push({ field: 'otherFundingSource', code: 'FIELD.REQUIRED', message: 'Say where the other funding comes from' });
  }
  return errors;
}

/** The fields of a line in the order a page shows them; `budget` (the whole budget's limits) comes first. */
const BUDGET_LINE_FIELDS: readonly string[] = ['budget', 'item', 'category', 'amountPence', 'otherFundingPence', 'otherFundingSource'];

/**
 * Every problem with a line, in field order: `found` (what the caller found reading its own inputs,
 * such as a page's pounds, or the bid's own limits) first for its fields, then the line's rules for
 * the fields nothing was found wrong with. Unknown fields (`version`) go last.
 */
export function budgetLineErrorsWith(input: BudgetLineInput, found: FieldError[] = []): FieldError[] {
  const fields = new Set(found.map((e) => e.field));
  const position = (field: string) => {
    const i = BUDGET_LINE_FIELDS.indexOf(field);
    return i < 0 ? BUDGET_LINE_FIELDS.length : i;
  };
  return [...found, ...budgetLineErrors(input).filter((e) => !fields.has(e.field))].sort((a, b) => position(a.field) - position(b.field));
}

/** A whole line checked and normalised (trimmed text, default other funding), or one validation error with every problem. */
export function checkBudgetLine(input: BudgetLineInput, found: FieldError[] = []): CheckedBudgetLine {
  const errors = budgetLineErrorsWith(input, found);
  if (errors.length) throw validationError(errors);
  return {
    item: input.item!.trim(),
    category: input.category as BudgetCategory,
    amountPence: input.amountPence!,
    otherFundingPence: input.otherFundingPence ?? 0,
    otherFundingSource: input.otherFundingSource?.trim() || null,
  };
}

/** Why a budget cannot be complete: no lines, or a total outside the pot's bounds. */
export function budgetProblems(lines: number, totalPence: number, pot: { minGrantPence: number; maxGrantPence: number }): FieldError[] {
  if (lines === 0) return [{ field: 'budget', code: 'APPLICATION.BUDGET_EMPTY', message: 'Add at least one budget line' }];
  if (totalPence < pot.minGrantPence || totalPence > pot.maxGrantPence) {
    return [
      {
        field: 'budget',
        code: 'APPLICATION.BUDGET_OUTSIDE_POT_LIMITS',
        message: `The total you ask for (${formatPence(totalPence)}) must be between ${formatPence(pot.minGrantPence)} and ${formatPence(pot.maxGrantPence)}`,
      },
    ];
  }
  return [];
}
