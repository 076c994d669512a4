/**
 * The typed job registry: every job's name and payload type. Adding a key here without a handler
 * fails type-checking (JOB_NAMES) and start-up (JobRegistry checks there is exactly one handler).
 */
export interface JobPayloads {
  'mail.send': { messageId: string };
  /** Every few minutes: puts back on the queue emails whose worker's lease ran out (a crashed worker). */
  'mail.reclaim': Record<string, never>;
  /** Someone asked for a password reset link for this address (done here, so the answer takes as long either way). */
  'account.password-reset': { email: string };
  /** Hourly: deletes expired sessions, old dispatched outbox rows and spent one-time tokens. */
  'maintenance.purge': Record<string, never>;
  /** Opens a scheduled round at its opening date; `at` is the date it was scheduled for (ISO). */
  'round.open': { roundId: string; at: string };
  /** Closes an open round at its closing date; `at` is the date it was scheduled for (ISO). */
  'round.close': { roundId: string; at: string };
  /** A bid moved to another status (ApplicationTransitions emits it; later domains react to it). */
  'application.status_changed': { applicationId: string; transitionId: string; from: string; to: string };
  /** The respond-by date of a request for more information has passed: remind the applicant (once; nothing if resubmitted). */
  'screening.reminder': { applicationId: string; screeningId: string };
  /** A reminder of an assessment due (`before`) or overdue (`overdue`, escalated too), for the due date it was scheduled for. */
  'assessment.reminder': { assessmentId: string; kind: 'before' | 'overdue'; dueOn: string };
  /** An offer's acceptance deadline has passed: an award still offered expires and its money goes back to the pot (once; nothing if answered). */
  'award.offer_expiry': { awardId: string };
  /** An organisation accepted its offer (AwardOffersService emits it): monitoring creates the returns the award owes. */
  'award.accepted': { awardId: string };
  /** A reminder of a monitoring return due (`before`) or overdue (`overdue`, to grants officers too), for the due date it was scheduled for. */
  'monitoring.return_reminder': { returnId: string; kind: 'before' | 'overdue'; dueOn: string };
  /** A checked, confirmed file of past awards: import its rows in one transaction, reporting progress (once; nothing if already imported). */
  'reporting.import_past_awards': { batchId: string };
  /** Nightly: reconciles every fund's awards and pots with the pot ledger; emails finance officers (once a day) only if anything is off. */
  'finance.reconciliation': Record<string, never>;
}

export type JobName = keyof JobPayloads;

/** Every job name, checked by the compiler to match JobPayloads exactly. */
export const JOB_NAMES = Object.keys({
  'mail.send': true,
  'mail.reclaim': true,
  'account.password-reset': true,
  'maintenance.purge': true,
  'round.open': true,
  'round.close': true,
  'application.status_changed': true,
  'screening.reminder': true,
  'assessment.reminder': true,
  'award.offer_expiry': true,
  'award.accepted': true,
  'monitoring.return_reminder': true,
  'reporting.import_past_awards': true,
  'finance.reconciliation': true,
} satisfies Record<JobName, true>) as JobName[];

export interface JobHandler<N extends JobName> {
  handle(payload: JobPayloads[N], context: JobContext): Promise<void>;
}

export interface JobContext {
  jobId: string;
  attempt: number;
  /** True on the last attempt BullMQ will make. */
  finalAttempt: boolean;
}

export interface EnqueueOptions {
  /** Run no earlier than this. */
  runAt?: Date;
  /** A stable key: a second job with the same key is not created while the first is kept. */
  key?: string;
}
