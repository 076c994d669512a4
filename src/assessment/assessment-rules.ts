import type { FieldError } from '../common/errors.js';

/** The 0–5 scale every criterion is scored on, with the label shown beside each score. */
export const SCORE_LABELS: Readonly<Record<number, string>> = {
  0: 'No evidence',
  1: 'Poor',
  2: 'Weak',
  3: 'Adequate',
  4: 'Good',
  5: 'Excellent',
};
export const MAX_SCORE = 5;
export const COMMENT_WORD_LIMIT = 250;
export const DEFAULT_DUE_DAYS = 14;
export const RECOMMENDATIONS = ['fund', 'fund_in_part', 'do_not_fund'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export interface CriterionDef {
  key: string;
  name: string;
  guidance: string;
  weight: number;
  allowNotApplicable: boolean;
}

export interface ScoreInput {
  criterionKey: string;
  score: number | null;
  comment: string;
}

export const wordCount = (text: string): number => (text.trim() ? text.trim().split(/\s+/).length : 0);

/**
 * THE weighted score of one assessment, out of 100: sum(score / 5 × weight) over the criteria
 * scored, divided by the sum of the weights of the applicable criteria (those not scored "not
 * applicable"), × 100. Not applicable leaves the weighting; it never counts as 0. Null when
 * nothing applicable was scored. Rounded to two decimal places.
 */
export function weightedScore(criteria: readonly CriterionDef[], scores: readonly ScoreInput[]): number | null {
  const byKey = new Map(scores.map((s) => [s.criterionKey, s.score]));
  let earned = 0;
  let weights = 0;
  for (const c of criteria) {
    const score = byKey.get(c.key);
    if (score === null || score === undefined) continue;
    earned += (score / MAX_SCORE) * c.weight;
    weights += c.weight;
  }
  if (!weights) return null;
  return Math.round((earned / weights) * 100 * 100) / 100;
}

/** Checks a draft's scores against the criteria; `complete` also asks every criterion to be answered. */
export function scoreErrors(criteria: readonly CriterionDef[], scores: readonly ScoreInput[], options: { complete?: boolean } = {}): FieldError[] {
  const errors: FieldError[] = [];
  const keys = new Set(criteria.map((c) => c.key));
  const seen = new Set<string>();
  scores.forEach((s, i) => {
    const field = `scores.${i}`;
    if (!keys.has(s.criterionKey)) errors.push({ field: `${field}.criterionKey`, code: 'ASSESSMENT.UNKNOWN_CRITERION', message: 'There is no such criterion' });
    else if (seen.has(s.criterionKey)) errors.push({ field: `${field}.criterionKey`, code: 'ASSESSMENT.DUPLICATE_CRITERION', message: 'Score each criterion once' });
    seen.add(s.criterionKey);
    const criterion = criteria.find((c) => c.key === s.criterionKey);
    if (s.score === null) {
      if (criterion && !criterion.allowNotApplicable) errors.push({ field: `${field}.score`, code: 'ASSESSMENT.NOT_APPLICABLE_NOT_ALLOWED', message: `${criterion.name} must be scored` });
    } else if (!Number.isInteger(s.score) || s.score < 0 || s.score > MAX_SCORE) {
      errors.push({ field: `${field}.score`, code: 'ASSESSMENT.SCORE_OUT_OF_SCALE', message: 'Score must be a whole number from 0 to 5' });
    }
    if (wordCount(s.comment ?? '') > COMMENT_WORD_LIMIT) {
      errors.push({ field: `${field}.comment`, code: 'ASSESSMENT.COMMENT_TOO_LONG', message: `Comment must be ${COMMENT_WORD_LIMIT} words or fewer` });
    }
  });
  if (options.complete) {
    for (const c of criteria) {
      const s = scores.find((x) => x.criterionKey === c.key);
      if (!s) errors.push({ field: `scores.${c.key}`, code: 'ASSESSMENT.INCOMPLETE', message: `Score ${c.name}` });
      else if (!s.comment?.trim()) errors.push({ field: `scores.${c.key}.comment`, code: 'ASSESSMENT.INCOMPLETE', message: `Comment on ${c.name}` });
    }
  }
  return errors;
}

/** Whether submitted weighted scores differ by more than the round's threshold (percentage points). */
export function needsModeration(scores: readonly number[], threshold: number): boolean {
  if (scores.length < 2) return false;
  return Math.max(...scores) - Math.min(...scores) > threshold;
}

export const meanScore = (scores: readonly number[]): number | null =>
  scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null;

// ---- assignment -------------------------------------------------------------------------------

export interface PoolMember {
  userId: string;
  capacity: number;
  /** When they joined the pool: the first tie-break. */
  addedAt: Date;
}

export interface AssignmentRequest {
  pool: readonly PoolMember[];
  /** Open (not submitted) assessments per assessor across every bid. */
  openCounts: ReadonlyMap<string, number>;
  /** People with a declared conflict with the bid's organisation. */
  conflicted: ReadonlySet<string>;
  /** Already assigned to this bid (never twice). */
  alreadyAssigned: ReadonlySet<string>;
  /** How many more assessors the bid needs. */
  needed: number;
}

/**
 * THE choice of assessors for a bid: among the pool members who are not conflicted, not already
 * on the bid and below their capacity, the ones with the fewest open assessments; ties broken by
 * the earliest added to the pool, then by user id. Pure; may return fewer than needed.
 */
export function chooseAssessors(req: AssignmentRequest): string[] {
  const eligible = req.pool
    .filter((p) => !req.conflicted.has(p.userId) && !req.alreadyAssigned.has(p.userId))
    .filter((p) => (req.openCounts.get(p.userId) ?? 0) < p.capacity);
  eligible.sort(
    (a, b) =>
      (req.openCounts.get(a.userId) ?? 0) - (req.openCounts.get(b.userId) ?? 0) ||
      a.addedAt.getTime() - b.addedAt.getTime() ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
  );
  return eligible.slice(0, Math.max(0, req.needed)).map((p) => p.userId);
}

// ---- ranking ----------------------------------------------------------------------------------

export interface RankCandidate {
  applicationId: string;
  reference: string | null;
  scorePercent: number;
  amountRequestedPence: number;
  submittedAt: Date | null;
}

export interface RankedBid extends RankCandidate {
  rank: number;
  runningTotalPence: number;
  withinBudget: boolean;
}

/**
 * THE ranking: highest final score first; ties broken by the lower amount requested, then the
 * earlier submission, then the reference. The running total adds each bid's amount; a bid is
 * within budget while the running total stays at or under the pot's budget (the line where the
 * money runs out falls after the last one within).
 */
export function rankBids(candidates: readonly RankCandidate[], availablePence: number): RankedBid[] {
  const sorted = [...candidates].sort(
    (a, b) =>
      b.scorePercent - a.scorePercent ||
      a.amountRequestedPence - b.amountRequestedPence ||
      (a.submittedAt?.getTime() ?? Infinity) - (b.submittedAt?.getTime() ?? Infinity) ||
      (a.reference ?? '').localeCompare(b.reference ?? ''),
  );
  let running = 0;
  return sorted.map((c, i) => {
    running += c.amountRequestedPence;
    return { ...c, rank: i + 1, runningTotalPence: running, withinBudget: running <= availablePence };
  });
}
