import type { FieldError } from '../common/errors.js';
import { isIsoDate } from '../common/dates.js';
import { MAX_MESSAGE_LENGTH, MAX_NOTE_LENGTH, MAX_REASON_LENGTH } from './checklist-defaults.js';
import type { ChecklistItemView } from './screening-checklists.service.js';
import { CHECKLIST_RESULTS, SCREENING_OUTCOMES, type ChecklistAnswer, type ChecklistResult, type ScreeningOutcome } from './screening.entities.js';

/** A screening as asked for (the API's body, or the page's form read into the same shape). */
export interface ScreeningInput {
  outcome: ScreeningOutcome;
  checklist: { key: string; result: ChecklistResult; note?: string | null; attachmentIds?: string[] }[];
  sections?: string[];
  attachmentKinds?: string[];
  message?: string | null;
  respondBy?: string | null;
  reason?: string | null;
}

/** What the rules need to know of the bid and the round. */
export interface ScreeningContext {
  checklist: readonly ChecklistItemView[];
  sectionKeys: readonly string[];
  attachmentIds: readonly string[];
  attachmentKinds: readonly string[];
  /** Today in London (YYYY-MM-DD). */
  today: string;
}

export interface CheckedScreening {
  outcome: ScreeningOutcome;
  checklist: ChecklistAnswer[];
  sections: string[];
  attachmentKinds: string[];
  message: string | null;
  respondBy: string | null;
  reason: string | null;
}

const text = (value: string | null | undefined) => (typeof value === 'string' ? value.trim() : '');

/**
 * THE rules of a screening, pure: every checklist key is the round's, answered once; pass and
 * ineligible need every item answered; more information needs a message, a future respond-by date
 * (London) and at least one known section or kind of file; ineligible needs a reason; linked files
 * are the bid's own. Returns the answers to keep, or the field errors.
 */
export function checkScreening(input: ScreeningInput, ctx: ScreeningContext): { errors: FieldError[]; checked: CheckedScreening } {
  const errors: FieldError[] = [];
  const labels = new Map(ctx.checklist.map((i) => [i.key, i.label]));
  const seen = new Set<string>();
  const answers: ChecklistAnswer[] = [];
  if (!(SCREENING_OUTCOMES as readonly string[]).includes(input.outcome)) {
    errors.push({ field: 'outcome', code: 'SCREENING.UNKNOWN_OUTCOME', message: `Choose an outcome: ${SCREENING_OUTCOMES.join(', ')}` });
  }
  input.checklist.forEach((item, i) => {
    const field = `checklist.${i}`;
    if (!labels.has(item.key)) {
      errors.push({ field: `${field}.key`, code: 'SCREENING.UNKNOWN_CHECKLIST_ITEM', message: `${item.key} is not on this round’s checklist` });
      return;
    }
    if (seen.has(item.key)) {
      errors.push({ field: `${field}.key`, code: 'SCREENING.DUPLICATE_CHECKLIST_ITEM', message: `${labels.get(item.key)} is answered twice` });
      return;
    }
    seen.add(item.key);
    if (!(CHECKLIST_RESULTS as readonly string[]).includes(item.result)) {
      errors.push({ field: `${field}.result`, code: 'SCREENING.UNKNOWN_RESULT', message: `Choose pass, fail or not applicable for ${labels.get(item.key)}` });
    }
    const note = text(item.note);
    if (note.length > MAX_NOTE_LENGTH) errors.push({ field: `${field}.note`, code: 'SCREENING.NOTE_TOO_LONG', message: `A note must be ${MAX_NOTE_LENGTH} characters or fewer` });
    const attachmentIds = [...new Set(item.attachmentIds ?? [])];
    for (const id of attachmentIds) {
      if (!ctx.attachmentIds.includes(id)) {
        errors.push({ field: `${field}.attachmentIds`, code: 'SCREENING.ATTACHMENT_NOT_ON_BID', message: 'Link only files attached to this application' });
        break;
      }
    }
    answers.push({ key: item.key, label: labels.get(item.key)!, result: item.result, note, attachmentIds });
  });
  const outcome = input.outcome;
  if (outcome !== 'more_info') {
    const missing = ctx.checklist.filter((i) => !seen.has(i.key));
    for (const item of missing) {
      errors.push({ field: `checklist.${item.key}`, code: 'SCREENING.CHECKLIST_INCOMPLETE', message: `Answer “${item.label}” before recording this outcome` });
    }
  }
  const sections = [...new Set(input.sections ?? [])];
  const kinds = [...new Set(input.attachmentKinds ?? [])];
  const message = text(input.message);
  const reason = text(input.reason);
  const respondBy = text(input.respondBy);
  if (outcome === 'more_info') {
    for (const key of sections) {
      if (!ctx.sectionKeys.includes(key)) errors.push({ field: 'sections', code: 'SCREENING.UNKNOWN_SECTION', message: `${key} is not a section of this application` });
    }
    for (const kind of kinds) {
      if (!ctx.attachmentKinds.includes(kind)) errors.push({ field: 'attachmentKinds', code: 'SCREENING.UNKNOWN_ATTACHMENT_KIND', message: `${kind} is not a kind of document` });
    }
    if (!sections.length && !kinds.length) {
      errors.push({ field: 'sections', code: 'SCREENING.NOTHING_REOPENED', message: 'Select at least one section or kind of document the applicant must change' });
    }
    if (!message) errors.push({ field: 'message', code: 'SCREENING.MESSAGE_REQUIRED', message: 'Tell the applicant what information is needed' });
    if (!respondBy) errors.push({ field: 'respondBy', code: 'SCREENING.RESPOND_BY_REQUIRED', message: 'Enter the date the applicant must respond by' });
    else if (!isIsoDate(respondBy)) errors.push({ field: 'respondBy', code: 'SCREENING.BAD_DATE', message: 'The respond-by date must be a real date' });
    else if (respondBy <= ctx.today) errors.push({ field: 'respondBy', code: 'SCREENING.RESPOND_BY_PAST', message: 'The respond-by date must be in the future' });
  }
  if (message.length > MAX_MESSAGE_LENGTH) errors.push({ field: 'message', code: 'SCREENING.MESSAGE_TOO_LONG', message: `The message must be ${MAX_MESSAGE_LENGTH} characters or fewer` });
  if (outcome === 'ineligible' && !reason) errors.push({ field: 'reason', code: 'SCREENING.REASON_REQUIRED', message: 'Give the reason the application is ineligible' });
  if (reason.length > MAX_REASON_LENGTH) errors.push({ field: 'reason', code: 'SCREENING.REASON_TOO_LONG', message: `The reason must be ${MAX_REASON_LENGTH} characters or fewer` });
  // Kept in the round's order.
  const order = new Map(ctx.checklist.map((i, n) => [i.key, n]));
  answers.sort((a, b) => order.get(a.key)! - order.get(b.key)!);
  return {
    errors,
    checked: {
      outcome,
      checklist: answers,
      sections: outcome === 'more_info' ? sections : [],
      attachmentKinds: outcome === 'more_info' ? kinds : [],
      message: outcome === 'more_info' ? message : null,
      respondBy: outcome === 'more_info' ? respondBy : null,
      reason: outcome === 'ineligible' ? reason : null,
    },
  };
}
