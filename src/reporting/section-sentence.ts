import { formatPence } from '../common/money.js';

/**
 * The Resources and Funding section's sentence, from data: the fund's name, the total in pounds
 * (whole pounds when there are no pence, "£28,911.50" otherwise), how many organisations (one is
 * "1 organisation") and the priority's wording. Pure, so each case is tested.
 */
export function sectionSentence(fundName: string, totalPence: number, organisations: number, tackling: string): string {
  if (organisations === 0 || totalPence === 0) return `${fundName} has not yet awarded any money to projects which are tackling ${tackling}.`;
  return `${fundName} has awarded a total of ${formatPence(totalPence)}, between ${organisations} organisation${organisations === 1 ? '' : 's'}, to support projects which are tackling ${tackling}.`;
}
