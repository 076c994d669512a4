import { DomainError } from '../common/errors.js';
import type { RoundStatus } from './round.entity.js';

/** Who moves a round on: a grants officer by hand, or the system (the scheduled round.open / round.close jobs). */
export type RoundMover = 'grants_officer' | 'system';

export interface RoundTransition {
  from: RoundStatus;
  to: RoundStatus;
  /** Who may make it. */
  by: readonly RoundMover[];
  /** The audit action recorded, e.g. round.opened. */
  action: string;
  /** The button or verb a person sees. */
  label: string;
}

/**
 * THE table of a round's lifecycle. Anything not here is refused. A draft is being set up and
 * never opens by itself; "scheduled" is a round announced as upcoming (shown publicly) that the
 * system opens on its opening date. Once open, a round never goes back.
 */
export const ROUND_TRANSITIONS: readonly RoundTransition[] = [
  { from: 'draft', to: 'scheduled', by: ['grants_officer'], action: 'round.scheduled', label: 'Schedule to open on its opening date' },
  { from: 'scheduled', to: 'draft', by: ['grants_officer'], action: 'round.unscheduled', label: 'Return to draft' },
  { from: 'draft', to: 'open', by: ['grants_officer'], action: 'round.opened', label: 'Open now' },
  { from: 'scheduled', to: 'open', by: ['grants_officer', 'system'], action: 'round.opened', label: 'Open now' },
  { from: 'open', to: 'closed', by: ['grants_officer', 'system'], action: 'round.closed', label: 'Close now' },
  { from: 'closed', to: 'assessing', by: ['grants_officer'], action: 'round.assessment_started', label: 'Start assessment' },
  { from: 'assessing', to: 'decided', by: ['grants_officer'], action: 'round.decided', label: 'Mark as decided' },
  { from: 'decided', to: 'archived', by: ['grants_officer'], action: 'round.archived', label: 'Archive' },
];

/** The transition from one status to another, or undefined when the table has none. */
export function findRoundTransition(from: RoundStatus, to: RoundStatus): RoundTransition | undefined {
  return ROUND_TRANSITIONS.find((t) => t.from === from && t.to === to);
}

/** The transitions a mover may make from a status (for buttons on the staff page). */
export function roundTransitionsFrom(from: RoundStatus, by: RoundMover = 'grants_officer'): RoundTransition[] {
  return ROUND_TRANSITIONS.filter((t) => t.from === from && t.by.includes(by));
}

/** The transition if allowed; otherwise 409 ROUND.ILLEGAL_TRANSITION. */
export function assertRoundTransition(from: RoundStatus, to: RoundStatus, by: RoundMover): RoundTransition {
  const transition = findRoundTransition(from, to);
  if (!transition || !transition.by.includes(by)) {
    throw new DomainError('conflict', 'ROUND.ILLEGAL_TRANSITION', `A round that is ${from} cannot be made ${to}${transition ? ' by ' + by.replace('_', ' ') : ''}`, [], {
      from,
      to,
    });
  }
  return transition;
}

/** What a round may do in each status. Code asks this table, never compares statuses itself. */
export interface RoundCapabilities {
  /** Setting up (pots, eligibility, all round fields) is possible. */
  editable: boolean;
  /** The public sees the round (lists, its page). */
  publiclyVisible: boolean;
  /** Applicants may start and submit bids (until the closing time, by the one clock). */
  acceptsApplications: boolean;
  /** The round fields staff may still change in this status ("all" while a draft). */
  changeableFields: 'all' | readonly RoundField[];
  /** The application form may be changed (from an open round, as a new version that new drafts get). */
  formEditable: boolean;
}

/** The fields of a round, in the order its form shows them. */
export const ROUND_FIELDS = ['code', 'title', 'description', 'criteria', 'exclusions', 'opensAt', 'closesAt', 'totalBudgetPence'] as const;
export type RoundField = (typeof ROUND_FIELDS)[number];

/** What a closed round can still correct: the words people read. */
const TEXT_FIELDS: readonly RoundField[] = ['title', 'description', 'criteria', 'exclusions'];
/** Once announced (scheduled or open): the words, and the closing date (made later only). */
const ANNOUNCED_FIELDS: readonly RoundField[] = [...TEXT_FIELDS, 'closesAt'];

export const ROUND_CAPABILITIES: Readonly<Record<RoundStatus, RoundCapabilities>> = {
  draft: { editable: true, publiclyVisible: false, acceptsApplications: false, changeableFields: 'all', formEditable: true },
  scheduled: { editable: false, publiclyVisible: true, acceptsApplications: false, changeableFields: ANNOUNCED_FIELDS, formEditable: false },
  open: { editable: false, publiclyVisible: true, acceptsApplications: true, changeableFields: ANNOUNCED_FIELDS, formEditable: true },
  closed: { editable: false, publiclyVisible: true, acceptsApplications: false, changeableFields: TEXT_FIELDS, formEditable: false },
  assessing: { editable: false, publiclyVisible: true, acceptsApplications: false, changeableFields: TEXT_FIELDS, formEditable: false },
  decided: { editable: false, publiclyVisible: true, acceptsApplications: false, changeableFields: TEXT_FIELDS, formEditable: false },
  archived: { editable: false, publiclyVisible: true, acceptsApplications: false, changeableFields: [], formEditable: false },
};

export const roundCan = (status: RoundStatus): RoundCapabilities => ROUND_CAPABILITIES[status];

/** Setting up (pots, form, eligibility, all round fields) is only possible while a round is a draft. */
export const isRoundEditable = (status: RoundStatus) => ROUND_CAPABILITIES[status].editable;

/** Statuses the public sees: everything but a draft. */
export const isRoundPublic = (status: RoundStatus) => ROUND_CAPABILITIES[status].publiclyVisible;

/**
 * A round takes applications while its status accepts them and its closing time has not passed.
 * `now` comes from the one clock (the caller's transaction time or the injected clock), never a
 * second `new Date()` beside a database `now()`.
 */
export function isOpenForApplications(round: { status: RoundStatus; closesAt: Date | string }, now: Date): boolean {
  return ROUND_CAPABILITIES[round.status].acceptsApplications && now.getTime() < new Date(round.closesAt).getTime();
}

/** The round fields that may change in a status, in form order ("all" spelled out). */
export function changeableRoundFields(status: RoundStatus): readonly RoundField[] {
  const fields = ROUND_CAPABILITIES[status].changeableFields;
  return fields === 'all' ? ROUND_FIELDS : ROUND_FIELDS.filter((f) => fields.includes(f));
}

/** The application form may be changed in this status (from an open round, as a new version). */
export const isRoundFormEditable = (status: RoundStatus) => ROUND_CAPABILITIES[status].formEditable;

/** Statuses a page may ask to move a round to. */
export const ROUND_STATUSES_FOR_PAGES: readonly RoundStatus[] = [...new Set(ROUND_TRANSITIONS.map((t) => t.to))];

export const ROUND_STATUS_LABELS: Record<RoundStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  open: 'Open',
  closed: 'Closed',
  assessing: 'Assessing',
  decided: 'Decided',
  archived: 'Archived',
};
