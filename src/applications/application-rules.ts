import type { FieldError } from '../common/errors.js';
import { addCalendarDays, addCalendarMonths, isIsoDate as isRealIsoDate, lastDayOfMonths, londonDate } from '../common/dates.js';
import { DomainError } from '../common/errors.js';
import type { FormQuestion, FormSection } from '../forms/form.types.js';

/**
 * The rules of a bid's answers, as pure functions (no database): word limits, answer types,
 * required answers, project dates. Services call these; pages and the API share them.
 */

export const PROJECT_SUMMARY_WORD_LIMIT = 250;
export const PROJECT_MAX_MONTHS = 12;
/** Hard cap on any text answer, whatever its word limit (keeps bodies and rows small). */
export const TEXT_ANSWER_MAX_CHARS = 20000;
export const MAX_BUDGET_LINES = 100;
/** £10m: no line of a community grant budget is larger; keeps sums far inside safe integers. */
export const MAX_LINE_PENCE = 1_000_000_000;

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/u).length : 0;
}

/** True for a real calendar date written YYYY-MM-DD. */
export const isIsoDate = (value: unknown): value is string => isRealIsoDate(value);

/** Today's date in Europe/London as YYYY-MM-DD. */
export const todayInLondon = (now: Date = new Date()): string => londonDate(now);

/** Adds whole months to a YYYY-MM-DD date, clamping to the month's end (31 Jan + 1 month = 28/29 Feb). */
export const addMonths = (isoDate: string, months: number): string => addCalendarMonths(isoDate, months);

export const addDays = (isoDate: string, days: number): string => addCalendarDays(isoDate, days);

/** The last day a project starting on `start` may end: 12 months long at most (1 April to 31 March). */
export const latestEndDate = (start: string): string => lastDayOfMonths(start, PROJECT_MAX_MONTHS);

/** A validation error whose top-level code is the single kind of error it carries, if there is one. */
export function validationError(errors: FieldError[], message?: string): DomainError {
  const codes = new Set(errors.map((e) => e.code));
  const code = codes.size === 1 ? [...codes][0] : 'VALIDATION.FAILED';
  return new DomainError('validation', code, message ?? (errors.length === 1 ? errors[0].message : 'The request has errors'), errors);
}

export interface ProjectDetailsInput {
  projectTitle?: string | null;
  projectSummary?: string | null;
  projectStartDate?: string | null;
  projectEndDate?: string | null;
  districtIds?: string[];
  priorityIds?: string[];
}

export interface PotScope {
  districtIds: string[];
  priorityIds: string[];
  /** Outward codes (e.g. "LS9"); empty means no restriction. */
  postcodeDistricts: string[];
}

/**
 * Checks project details that are present (partial saves are allowed); `requireAll` adds the
 * required-answer errors (for completing the section and for submitting).
 */
export function checkProjectDetails(
  input: ProjectDetailsInput,
  pot: PotScope,
  options: { today: string; requireAll: boolean; organisationPostcodeDistrict?: string | null },
): FieldError[] {
  const errors: FieldError[] = [];
  const title = input.projectTitle?.trim() ?? '';
  const summary = input.projectSummary?.trim() ?? '';
  if (options.requireAll && !title) errors.push({ field: 'projectTitle', code: 'FIELD.REQUIRED', message: 'Enter the project title' });
  if (summary && countWords(summary) > PROJECT_SUMMARY_WORD_LIMIT) {
    errors.push({
      field: 'projectSummary',
      code: 'FIELD.WORD_LIMIT',
      message: `The project summary must be ${PROJECT_SUMMARY_WORD_LIMIT} words or fewer (it has ${countWords(summary)})`,
    });
  } else if (options.requireAll && !summary) {
    errors.push({ field: 'projectSummary', code: 'FIELD.REQUIRED', message: 'Enter a summary of the project' });
  }
  const start = input.projectStartDate ?? null;
  const end = input.projectEndDate ?? null;
  if (start !== null && !isIsoDate(start)) {
    errors.push({ field: 'projectStartDate', code: 'FIELD.INVALID_DATE', message: 'The start date must be a real date' });
  } else if (start !== null && start <= options.today) {
    errors.push({ field: 'projectStartDate', code: 'APPLICATION.START_DATE_NOT_IN_FUTURE', message: 'The project must start after today' });
  } else if (start === null && options.requireAll) {
    errors.push({ field: 'projectStartDate', code: 'FIELD.REQUIRED', message: 'Enter the date the project starts' });
  }
  if (end !== null && !isIsoDate(end)) {
    errors.push({ field: 'projectEndDate', code: 'FIELD.INVALID_DATE', message: 'The end date must be a real date' });
  } else if (end !== null && start !== null && isIsoDate(start)) {
    if (end < start) {
      errors.push({ field: 'projectEndDate', code: 'APPLICATION.END_BEFORE_START', message: 'The end date must be the same as or after the start date' });
    } else if (end > latestEndDate(start)) {
      errors.push({
        field: 'projectEndDate',
        code: 'APPLICATION.PROJECT_TOO_LONG',
        message: `The project must last ${PROJECT_MAX_MONTHS} months or less: end it on or before ${latestEndDate(start)}`,
      });
    }
  } else if (end === null && options.requireAll) {
    errors.push({ field: 'projectEndDate', code: 'FIELD.REQUIRED', message: 'Enter the date the project ends' });
  }
  const districts = input.districtIds ?? [];
  const outside = districts.filter((id) => !pot.districtIds.includes(id));
  if (outside.length) {
    errors.push({ field: 'districtIds', code: 'APPLICATION.DISTRICT_NOT_IN_POT', message: 'Choose only districts this pot funds' });
  } else if (options.requireAll && districts.length === 0) {
    errors.push({ field: 'districtIds', code: 'FIELD.REQUIRED', message: 'Select the districts the project serves' });
  }
  if (pot.postcodeDistricts.length && districts.length) {
    const own = options.organisationPostcodeDistrict?.toUpperCase() ?? null;
    if (!own || !pot.postcodeDistricts.map((p) => p.toUpperCase()).includes(own)) {
      errors.push({
        field: 'districtIds',
        code: 'APPLICATION.POSTCODE_NOT_IN_POT',
        message: `This pot only funds groups in the postcode districts ${pot.postcodeDistricts.join(', ')}`,
      });
    }
  }
  const priorities = input.priorityIds ?? [];
  if (priorities.some((id) => !pot.priorityIds.includes(id))) {
    errors.push({ field: 'priorityIds', code: 'APPLICATION.PRIORITY_NOT_IN_POT', message: 'Choose only priorities this pot funds' });
  } else if (options.requireAll && priorities.length === 0 && pot.priorityIds.length > 0) {
    errors.push({ field: 'priorityIds', code: 'FIELD.REQUIRED', message: 'Select the priorities the project serves' });
  }
  return errors;
}

/** True when a stored answer counts as given. */
export function isAnswered(question: FormQuestion, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  return true;
}

/**
 * Checks the answers given for one form section. Types, limits and unknown keys are always checked;
 * `requireAll` adds missing required answers. File questions are answered by attachments, not here.
 */
export function checkSectionAnswers(section: FormSection, answers: Record<string, unknown>, requireAll: boolean, prefix = 'answers'): FieldError[] {
  const errors: FieldError[] = [];
  const byKey = new Map(section.questions.map((q) => [q.key, q]));
  for (const key of Object.keys(answers)) {
    const question = byKey.get(key);
    if (!question || question.type === 'file') {
      errors.push({ field: `${prefix}.${key}`, code: 'FIELD.UNKNOWN_QUESTION', message: `“${key}” is not a question in this section` });
    }
  }
  for (const question of section.questions) {
    if (question.type === 'file') continue;
    const field = `${prefix}.${question.key}`;
    const value = answers[question.key];
    if (!isAnswered(question, value)) {
      if (requireAll && question.required) errors.push({ field, code: 'FIELD.REQUIRED', message: requiredMessage(question) });
      continue;
    }
    const error = checkAnswer(question, value);
    if (error) errors.push({ field, ...error });
  }
  return errors;
}

function requiredMessage(question: FormQuestion): string {
  switch (question.type) {
    case 'choice':
    case 'yes_no':
      return `Select an answer for "${question.label}"`;
    default:
      return `Answer "${question.label}"`;
  }
}

function checkAnswer(question: FormQuestion, value: unknown): { code: string; message: string } | null {
  const label = question.label;
  switch (question.type) {
    case 'text': {
      if (typeof value !== 'string') return { code: 'FIELD.NOT_A_STRING', message: `“${label}” must be text` };
      if (value.length > TEXT_ANSWER_MAX_CHARS) return { code: 'FIELD.TOO_LONG', message: `“${label}” must be ${TEXT_ANSWER_MAX_CHARS} characters or fewer` };
      const words = countWords(value);
      if (question.wordLimit && words > question.wordLimit) {
        return { code: 'FIELD.WORD_LIMIT', message: `“${label}” must be ${question.wordLimit} words or fewer (it has ${words})` };
      }
      return null;
    }
    case 'number':
    case 'money': {
      const what = question.type === 'money' ? 'a whole number of pence' : 'a whole number';
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) return { code: 'FIELD.NOT_AN_INTEGER', message: `“${label}” must be ${what}` };
      if (question.min !== undefined && value < question.min) return { code: 'FIELD.TOO_SMALL', message: `“${label}” must be ${question.min} or more` };
      if (question.max !== undefined && value > question.max) return { code: 'FIELD.TOO_LARGE', message: `“${label}” must be ${question.max} or less` };
      if (value < 0 && question.type === 'money') return { code: 'FIELD.TOO_SMALL', message: `“${label}” cannot be negative` };
      return null;
    }
    case 'date':
      return isIsoDate(value) ? null : { code: 'FIELD.INVALID_DATE', message: `“${label}” must be a real date (YYYY-MM-DD)` };
    case 'choice':
      return typeof value === 'string' && (question.options ?? []).includes(value)
        ? null
        : { code: 'FIELD.NOT_ALLOWED_VALUE', message: `“${label}” must be one of the options given` };
    case 'yes_no':
      return typeof value === 'boolean' ? null : { code: 'FIELD.NOT_A_BOOLEAN', message: `“${label}” must be yes (true) or no (false)` };
    case 'file':
      return { code: 'FIELD.UNKNOWN_QUESTION', message: `“${label}” is answered by uploading a file` };
  }
}

/** A money amount that is not whole pence, as `FIELD.NOT_AN_INTEGER`; null when fine. */
export function checkPence(field: string, value: unknown, options: { min: number; label: string }): FieldError | null {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    return { field, code: 'FIELD.NOT_AN_INTEGER', message: `${options.label} must be a whole number of pence` };
  }
  if (value < options.min) {
    return { field, code: 'FIELD.TOO_SMALL', message: options.min === 0 ? `${options.label} cannot be negative` : `${options.label} must be more than £0` };
  }
  if (value > MAX_LINE_PENCE) return { field, code: 'FIELD.TOO_LARGE', message: `${options.label} is too large` };
  return null;
}
