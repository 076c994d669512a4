import { checkSectionAnswers as checkAnswers } from '../applications/application-rules.js';
import type { FormDefinition } from '../forms/form.types.js';

/**
 * The answers of one section of imported history, checked by the same rule the service applies
 * when a section is completed; throws (the demo would not load) if the form would refuse them.
 */
export function checkSectionAnswers(form: FormDefinition, key: string, answers: Record<string, unknown>): Record<string, unknown> {
  const section = form.sections.find((s) => s.key === key);
  if (!section) throw new Error(`demo history: the form has no section "${key}"`);
  const errors = checkAnswers(section, answers, true);
  if (errors.length) throw new Error(`demo history: section "${key}" would be refused: ${errors.map((e) => `${e.field} ${e.code}`).join(', ')}`);
  return answers;
}
