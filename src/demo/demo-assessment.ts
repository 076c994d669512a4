import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AssessmentSetupService } from '../assessment/assessment-setup.service.js';
import { AssignmentService } from '../assessment/assignment.service.js';
import { ConflictsService } from '../assessment/conflicts.service.js';
import { ScoringService } from '../assessment/scoring.service.js';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';

type Person = AuthenticatedUser & { actor: Actor };

export const DEMO_CRITERIA = [
  { key: 'need', name: 'Evidence of need', guidance: 'How well does the bid show the local need, with evidence (crime figures, surveys, partners’ views)?', weight: 3, allowNotApplicable: false },
  { key: 'delivery', name: 'Delivery and value for money', guidance: 'Is the plan realistic, the budget reasonable and the organisation able to deliver it?', weight: 3, allowNotApplicable: false },
  { key: 'outcomes', name: 'Outcomes', guidance: 'Will the project make people safer, and how will the organisation know?', weight: 2, allowNotApplicable: false },
  { key: 'partnership', name: 'Partnership working', guidance: 'Does the project work with police, the council or other groups? Not applicable for very small projects.', weight: 1, allowNotApplicable: true },
];

/** Scores for every criterion at one level, with a comment each. */
const scoresAt = (score: number, comment: string) => ({
  scores: DEMO_CRITERIA.map((c) => ({ criterionKey: c.key, score, comment: `${c.name}: ${comment}` })),
  recommendation: score >= 3 ? ('fund' as const) : ('do_not_fund' as const),
});

/**
 * The demo round's assessment, through the assessment services: criteria, a pool of
 * assessor1–3@demo.test, a declared conflict (assessor3 with Wakefield Street Angels), and the bids
 * in assessment assigned: the first with one score in, the second flagged for moderation (scores far
 * apart), the third assessed; then any more given scores (the panel demo's bids, assessed).
 */
export async function loadDemoAssessment(
  app: INestApplicationContext,
  input: { roundId: string; officer: Person; person: (email: string) => Person; inAssessment: string[]; conflictOrganisationId: string; moreScores?: readonly (readonly number[])[] },
): Promise<void> {
  const setup = app.get(AssessmentSetupService);
  await setup.putCriteria(input.officer.actor, input.roundId, { criteria: DEMO_CRITERIA, assessorsPerBid: 2, moderationThreshold: 20, dueDays: 14 });
  const assessors = ['assessor1@demo.test', 'assessor2@demo.test', 'assessor3@demo.test'].map(input.person);
  await setup.putPool(input.officer.actor, input.roundId, { assessors: assessors.map((a) => ({ userId: a.id, capacity: 10 })) });
  const third = assessors[2];
  await app.get(ConflictsService).declare(third.actor, third, { organisationId: input.conflictOrganisationId, reason: 'I volunteer with Wakefield Street Angels on Saturday nights.' });
  const assignment = app.get(AssignmentService);
  const scoring = app.get(ScoringService);
  const byId = new Map(assessors.map((a) => [a.id, a]));
  // Hand each arrival to assessment as the job would (it is idempotent), then fill it from the pool:
  // where workers run during the seed (a test's app), the job may have recorded the bid before the
  // pool existed, leaving it unassigned, and a second arrival does not fill it again.
  const dataSource = app.get(DataSource);
  for (const applicationId of input.inAssessment) {
    await assignment.onStatusChanged({ applicationId, transitionId: 'demo', from: 'screening', to: 'in_assessment' });
    await dataSource.transaction((m) => assignment.fill(m, applicationId, input.officer.actor));
  }
  const plans: (readonly number[])[] = [[4], [5, 1], [4, 3], ...(input.moreScores ?? [])];
  for (const [i, applicationId] of input.inAssessment.entries()) {
    const current = await assignment.assessmentsOf(applicationId);
    for (const [j, level] of (plans[i] ?? []).entries()) {
      const a = current[j];
      const person = a && byId.get(a.assessorId);
      if (!person) continue;
      await scoring.confirmNoConflict(person.actor, person, a.id);
      await scoring.save(person.actor, person, a.id, scoresAt(level, level >= 3 ? 'well evidenced.' : 'little evidence given.'));
      await scoring.submit(person.actor, person, a.id);
    }
  }
}
