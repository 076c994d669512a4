import { isIsoDate } from '../common/dates.js';
import { DomainError, type FieldError } from '../common/errors.js';
import { formatPence } from '../common/money.js';
import type { ApprovedBudgetLine } from './award.entity.js';
import type { VariationTerms } from './award-variation.entity.js';
import { isVariationKind, type VariationKind } from './variation-lifecycle.js';

/** What an owner asks for (POST /api/v1/awards/{id}/variations). */
export interface VariationRequest {
  kind: VariationKind;
  reason: string;
  budgetLines?: { budgetLineId: string; amountPence: number }[];
  endsOn?: string;
  amountPence?: number;
}

/** What the rules need to know about the award now. */
export interface VariableAward {
  amountPence: number;
  paidPence: number;
  releasedPence: number;
  budgetLines: ApprovedBudgetLine[];
  startsOn: string | null;
  endsOn: string | null;
}

const CODE = 'VARIATION.INVALID_INPUT';
const invalid = (errors: FieldError[]) => new DomainError('validation', CODE, errors[0].message, errors);
const problem = (field: string, message: string, code = CODE): FieldError => ({ field, code, message });

/**
 * The award's new lines: exactly the approved lines (same ids, each once) with new amounts in
 * whole pence, adding up to `total`. Returns the lines in the award's order, keeping item and category.
 */
function newLines(award: VariableAward, given: VariationRequest['budgetLines'], total: number): ApprovedBudgetLine[] {
  // An award kept no lines (one made before awards kept their budget): only its amount can change.
  if (award.budgetLines.length === 0 && (!Array.isArray(given) || given.length === 0)) return [];
  if (!Array.isArray(given) || given.length === 0) throw invalid([problem('budgetLines', 'Give the new amount of every budget line')]);
  const errors: FieldError[] = [];
  const byId = new Map<string, number>();
  given.forEach((line, i) => {
    if (typeof line?.budgetLineId !== 'string' || !award.budgetLines.some((l) => l.budgetLineId === line.budgetLineId)) {
      errors.push(problem(`budgetLines[${i}].budgetLineId`, 'Each budget line must be one of the award’s approved lines', 'VARIATION.UNKNOWN_BUDGET_LINE'));
    } else if (byId.has(line.budgetLineId)) {
      errors.push(problem(`budgetLines[${i}].budgetLineId`, 'Each budget line may be given only once', 'VARIATION.DUPLICATE_BUDGET_LINE'));
    }
    if (!Number.isSafeInteger(line?.amountPence) || line.amountPence < 0) errors.push(problem(`budgetLines[${i}].amountPence`, 'Each line’s amount must be a whole number of pence, 0 or more'));
    if (typeof line?.budgetLineId === 'string') byId.set(line.budgetLineId, line?.amountPence);
  });
  if (errors.length) throw invalid(errors);
  const missing = award.budgetLines.filter((l) => !byId.has(l.budgetLineId));
  if (missing.length) throw invalid([problem('budgetLines', `Give a new amount for every approved line: ${missing.map((l) => l.item).join(', ')} missing`, 'VARIATION.BUDGET_LINES_MISSING')]);
  const lines = award.budgetLines.map((l) => ({ ...l, amountPence: byId.get(l.budgetLineId)! }));
  const sum = lines.reduce((s, l) => s + l.amountPence, 0);
  if (sum !== total) {
    throw invalid([problem('budgetLines', `The budget lines add up to ${formatPence(sum)}, but they must add up to ${formatPence(total)}`, 'VARIATION.BUDGET_LINES_SUM')]);
  }
  return lines;
}

const sameLines = (a: ApprovedBudgetLine[], b: ApprovedBudgetLine[]) => a.length === b.length && a.every((l, i) => l.budgetLineId === b[i].budgetLineId && l.amountPence === b[i].amountPence);

/**
 * THE rules of a variation request, pure: what the award would become. Budget: the approved lines
 * with money moved between them (same total). End date: later than the current end (or the start,
 * if no end is known). Amount: a different amount, never below paid + released, with lines adding up to it.
 */
export function proposedTerms(award: VariableAward, request: VariationRequest): { before: VariationTerms; proposed: VariationTerms } {
  const before: VariationTerms = { amountPence: award.amountPence, budgetLines: award.budgetLines, endsOn: award.endsOn };
  if (!isVariationKind(request.kind)) throw invalid([problem('kind', 'Choose what you want to change')]);
  if (typeof request.reason !== 'string' || !request.reason.trim()) throw invalid([problem('reason', 'Say why you need the change')]);
  switch (request.kind) {
    case 'budget': {
      if (award.budgetLines.length === 0) throw invalid([problem('budgetLines', 'This grant has no budget lines to move money between', 'VARIATION.NO_BUDGET_LINES')]);
      const budgetLines = newLines(award, request.budgetLines, award.amountPence);
      if (sameLines(budgetLines, award.budgetLines)) throw invalid([problem('budgetLines', 'The new budget is the same as the current one', 'VARIATION.NO_CHANGE')]);
      return { before, proposed: { ...before, budgetLines } };
    }
    case 'end_date': {
      if (!isIsoDate(request.endsOn)) throw invalid([problem('endsOn', 'Enter the new end date as a real date, for example 2031-03-31')]);
      const after = award.endsOn ?? award.startsOn;
      if (after && request.endsOn <= after) throw invalid([problem('endsOn', `The new end date must be after ${award.endsOn ? 'the current end date' : 'the start date'} (${after})`, 'VARIATION.END_NOT_LATER')]);
      return { before, proposed: { ...before, endsOn: request.endsOn } };
    }
    case 'amount': {
      const amount = request.amountPence;
      if (!Number.isSafeInteger(amount) || amount! <= 0) throw invalid([problem('amountPence', 'Enter the new grant amount as a whole number of pence, more than 0')]);
      if (amount === award.amountPence) throw invalid([problem('amountPence', 'The new amount is the same as the current one', 'VARIATION.NO_CHANGE')]);
      const floor = award.paidPence + award.releasedPence;
      if (amount! < floor) throw invalid([problem('amountPence', `The grant cannot go below what has been paid and given back (${formatPence(floor)})`, 'VARIATION.BELOW_PAID')]);
      return { before, proposed: { amountPence: amount!, budgetLines: newLines(award, request.budgetLines, amount!), endsOn: award.endsOn } };
    }
  }
}
