import { validationFailed, type FieldError } from '../common/errors.js';
import { QUESTION_TYPES, type FormDefinition, type FormQuestion, type FormSection, type QuestionType } from './form.types.js';

/** Limits of a form definition. */
export const FORM_LIMITS = {
  sections: 30,
  questionsPerSection: 50,
  keyPattern: /^[a-z][a-zA-Z0-9_]{0,39}$/,
  title: 120,
  description: 2000,
  label: 300,
  hint: 1000,
  options: 30,
  option: 200,
  wordLimit: 5000,
  /** Largest bound of a number or money question (money in pence: £1bn). */
  bound: 100_000_000_000,
} as const;

const SECTION_KEYS = new Set(['key', 'title', 'description', 'questions']);
const QUESTION_KEYS = new Set(['key', 'type', 'label', 'hint', 'required', 'wordLimit', 'options', 'min', 'max']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a form definition from outside (API body or the staff page's JSON) and returns a clean
 * copy holding only known members; every problem is reported at once as field errors with paths
 * like "sections.0.questions.2.options".
 */
export function parseFormDefinition(input: unknown): FormDefinition {
  const errors: FieldError[] = [];
  const err = (field: string, code: string, message: string) => errors.push({ field, code, message });

  if (!isObject(input)) {
    err('sections', 'FORM.NOT_AN_OBJECT', 'The form must be an object with a list of sections');
    throw validationFailed(errors, 'The form has errors');
  }
  for (const k of Object.keys(input)) if (k !== 'sections') err(k, 'FIELD.UNKNOWN_FIELD', `${k} is not a field this request accepts`);
  const rawSections = input.sections;
  const sections: FormSection[] = [];
  if (!Array.isArray(rawSections) || rawSections.length === 0) {
    err('sections', 'FORM.NO_SECTIONS', 'The form needs at least one section');
  } else if (rawSections.length > FORM_LIMITS.sections) {
    err('sections', 'FORM.TOO_MANY_SECTIONS', `A form can have at most ${FORM_LIMITS.sections} sections`);
  } else {
    const sectionKeys = new Set<string>();
    const questionKeys = new Set<string>();
    rawSections.forEach((raw, i) => {
      const at = `sections.${i}`;
      if (!isObject(raw)) {
        err(at, 'FORM.SECTION_INVALID', `Section ${i + 1} must be an object`);
        return;
      }
      for (const k of Object.keys(raw)) if (!SECTION_KEYS.has(k)) err(`${at}.${k}`, 'FIELD.UNKNOWN_FIELD', `Section ${i + 1}: ${k} is not a known field`);
      const key = checkKey(raw.key, `${at}.key`, `Section ${i + 1}`, sectionKeys, err);
      const title = checkText(raw.title, `${at}.title`, `Section ${i + 1} title`, FORM_LIMITS.title, true, err);
      const description = checkText(raw.description, `${at}.description`, `Section ${i + 1} description`, FORM_LIMITS.description, false, err);
      const questions: FormQuestion[] = [];
      if (!Array.isArray(raw.questions) || raw.questions.length === 0) {
        err(`${at}.questions`, 'FORM.NO_QUESTIONS', `Section ${i + 1} needs at least one question`);
      } else if (raw.questions.length > FORM_LIMITS.questionsPerSection) {
        err(`${at}.questions`, 'FORM.TOO_MANY_QUESTIONS', `Section ${i + 1} can have at most ${FORM_LIMITS.questionsPerSection} questions`);
      } else {
        raw.questions.forEach((q, j) => {
          const question = parseQuestion(q, `${at}.questions.${j}`, `Section ${i + 1} question ${j + 1}`, questionKeys, err);
          if (question) questions.push(question);
        });
      }
      sections.push({ key: key ?? '', title: title ?? '', ...(description ? { description } : {}), questions });
    });
  }
  if (errors.length) throw validationFailed(errors, 'The form has errors');
  return { sections };
}

type Err = (field: string, code: string, message: string) => void;

function checkKey(value: unknown, field: string, what: string, seen: Set<string>, err: Err): string | null {
  if (typeof value !== 'string' || !FORM_LIMITS.keyPattern.test(value)) {
    err(field, 'FORM.KEY_INVALID', `${what}: key must start with a lower-case letter and hold only letters, digits and _ (at most 40), like matchFunding`);
    return null;
  }
  if (seen.has(value)) {
    err(field, 'FORM.KEY_DUPLICATE', `${what}: key “${value}” is used more than once`);
    return null;
  }
  seen.add(value);
  return value;
}

function checkText(value: unknown, field: string, what: string, max: number, required: boolean, err: Err): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) err(field, 'FIELD.REQUIRED', `${what} is required`);
    return null;
  }
  if (typeof value !== 'string') {
    err(field, 'FIELD.NOT_A_STRING', `${what} must be text`);
    return null;
  }
  const trimmed = value.trim();
  if (required && !trimmed) {
    err(field, 'FIELD.REQUIRED', `${what} is required`);
    return null;
  }
  if (trimmed.length > max) {
    err(field, 'FIELD.TOO_LONG', `${what} must be ${max} characters or fewer`);
    return null;
  }
  return trimmed || null;
}

function checkInt(value: unknown, field: string, what: string, min: number, max: number, err: Err): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    err(field, 'FIELD.NOT_AN_INTEGER', `${what} must be a whole number`);
    return undefined;
  }
  if (value < min || value > max) {
    err(field, 'FIELD.OUT_OF_RANGE', `${what} must be between ${min} and ${max}`);
    return undefined;
  }
  return value;
}

function parseQuestion(raw: unknown, at: string, what: string, seen: Set<string>, err: Err): FormQuestion | null {
  if (!isObject(raw)) {
    err(at, 'FORM.QUESTION_INVALID', `${what} must be an object`);
    return null;
  }
  for (const k of Object.keys(raw)) if (!QUESTION_KEYS.has(k)) err(`${at}.${k}`, 'FIELD.UNKNOWN_FIELD', `${what}: ${k} is not a known field`);
  const key = checkKey(raw.key, `${at}.key`, what, seen, err);
  const label = checkText(raw.label, `${at}.label`, `${what} label`, FORM_LIMITS.label, true, err);
  const hint = checkText(raw.hint, `${at}.hint`, `${what} hint`, FORM_LIMITS.hint, false, err);
  let required = true;
  if (raw.required !== undefined) {
    if (typeof raw.required !== 'boolean') err(`${at}.required`, 'FIELD.NOT_A_BOOLEAN', `${what}: required must be true or false`);
    else required = raw.required;
  }
  const type = raw.type as QuestionType;
  if (typeof raw.type !== 'string' || !(QUESTION_TYPES as readonly string[]).includes(raw.type)) {
    err(`${at}.type`, 'FORM.TYPE_UNKNOWN', `${what}: type must be one of ${QUESTION_TYPES.join(', ')}`);
    return null;
  }
  const question: FormQuestion = { key: key ?? '', type, label: label ?? '', required };
  if (hint) question.hint = hint;

  const notFor = (member: string) => err(`${at}.${member}`, 'FORM.MEMBER_NOT_ALLOWED', `${what}: ${member} does not apply to a ${type} question`);
  if (raw.wordLimit !== undefined) {
    if (type !== 'text') notFor('wordLimit');
    else {
      const limit = checkInt(raw.wordLimit, `${at}.wordLimit`, `${what} word limit`, 1, FORM_LIMITS.wordLimit, err);
      if (limit !== undefined) question.wordLimit = limit;
    }
  }
  if (type === 'choice') {
    const options = raw.options;
    if (!Array.isArray(options) || options.length < 2) {
      err(`${at}.options`, 'FORM.OPTIONS_REQUIRED', `${what}: a choice question needs at least 2 options`);
    } else if (options.length > FORM_LIMITS.options) {
      err(`${at}.options`, 'FORM.TOO_MANY_OPTIONS', `${what}: a choice question can have at most ${FORM_LIMITS.options} options`);
    } else {
      const clean = options.map((o) => (typeof o === 'string' ? o.trim() : ''));
      if (clean.some((o) => !o || o.length > FORM_LIMITS.option)) {
        err(`${at}.options`, 'FORM.OPTION_INVALID', `${what}: each option must be text of 1 to ${FORM_LIMITS.option} characters`);
      } else if (new Set(clean.map((o) => o.toLowerCase())).size !== clean.length) {
        err(`${at}.options`, 'FORM.OPTION_DUPLICATE', `${what}: options must be different from each other`);
      } else question.options = clean;
    }
  } else if (raw.options !== undefined) notFor('options');

  if (type === 'number' || type === 'money') {
    const lowest = type === 'money' ? 0 : -FORM_LIMITS.bound;
    const min = checkInt(raw.min, `${at}.min`, `${what} minimum`, lowest, FORM_LIMITS.bound, err);
    const max = checkInt(raw.max, `${at}.max`, `${what} maximum`, lowest, FORM_LIMITS.bound, err);
    if (min !== undefined && max !== undefined && min > max) err(`${at}.min`, 'FORM.BOUNDS_INVALID', `${what}: the minimum must not be more than the maximum`);
    if (min !== undefined) question.min = min;
    if (max !== undefined) question.max = max;
  } else {
    if (raw.min !== undefined) notFor('min');
    if (raw.max !== undefined) notFor('max');
  }
  return question;
}

/** Every question of a form, with its section key. */
export function formQuestions(definition: FormDefinition): (FormQuestion & { sectionKey: string })[] {
  return definition.sections.flatMap((s) => s.questions.map((q) => ({ ...q, sectionKey: s.key })));
}
