import { ApplicationTransitions } from '../../src/applications/application-transitions.service.js';
import type { Actor } from '../../src/auth/actor.js';
import { createOrganisation, createUser, tokenFor, type TestUser } from './factories.js';
import { completeApplication, createOpenRound, startApplication, type TestRound } from './funding-factories.js';
import type { ApiClient } from './http.js';
import type { TestApp } from './test-app.js';

export const TEST_CRITERIA = [
  { key: 'need', name: 'Evidence of need', guidance: 'How well is the need shown?', weight: 3, allowNotApplicable: false },
  { key: 'delivery', name: 'Delivery', guidance: 'Can they deliver it?', weight: 2, allowNotApplicable: false },
  { key: 'partners', name: 'Partnership', guidance: 'Who else is involved?', weight: 1, allowNotApplicable: true },
];

export interface AssessmentCast {
  round: TestRound;
  officer: TestUser;
  officerToken: string;
  assessors: TestUser[];
  assessorTokens: string[];
}

/** An open round with criteria and a pool of `poolSize` assessors (capacity 10 each). */
export async function assessmentRound(t: TestApp, api: ApiClient, options: { poolSize?: number; assessorsPerBid?: number; moderationThreshold?: number; capacity?: number } = {}): Promise<AssessmentCast> {
  const round = await createOpenRound(t.db);
  const officer = await createUser(t.db, { roles: ['grants_officer'] });
  const officerToken = await tokenFor(t, officer);
  const assessors: TestUser[] = [];
  for (let i = 0; i < (options.poolSize ?? 3); i++) assessors.push(await createUser(t.db, { roles: ['assessor'], fullName: `Assessor ${i + 1}` }));
  const assessorTokens = await Promise.all(assessors.map((a) => tokenFor(t, a)));
  const c = await api.put(
    `/api/v1/rounds/${round.roundId}/criteria`,
    { criteria: TEST_CRITERIA, assessorsPerBid: options.assessorsPerBid ?? 2, moderationThreshold: options.moderationThreshold ?? 20 },
    { token: officerToken },
  );
  if (c.status !== 200) throw new Error(`criteria: ${c.status} ${c.text}`);
  const p = await api.put(`/api/v1/rounds/${round.roundId}/assessors`, { assessors: assessors.map((a) => ({ userId: a.id, capacity: options.capacity ?? 10 })) }, { token: officerToken });
  if (p.status !== 200) throw new Error(`pool: ${p.status} ${p.text}`);
  return { round, officer, officerToken, assessors, assessorTokens };
}

/** A submitted bid of a new organisation, moved submitted → screening → in_assessment by a grants officer (screening is built elsewhere). */
export async function bidInAssessment(t: TestApp, api: ApiClient, round: TestRound, amountPence = 250050): Promise<{ id: string; organisationId: string; owner: TestUser; ownerToken: string }> {
  const owner = await createUser(t.db);
  const ownerToken = await tokenFor(t, owner);
  const org = await createOrganisation(t.db, owner);
  const app = await startApplication(api, ownerToken, round, org.id);
  await completeApplication(api, ownerToken, round, app.id, amountPence);
  const sent = await api.post(`/api/v1/applications/${app.id}/submit`, { declaration: { name: 'Test Owner', confirmed: true } }, { token: ownerToken });
  if (sent.status !== 200) throw new Error(`submit: ${sent.status} ${sent.text}`);
  await moveToAssessment(t, app.id);
  return { id: app.id, organisationId: org.id, owner, ownerToken };
}

export async function moveToAssessment(t: TestApp, applicationId: string): Promise<void> {
  const transitions = t.app.get(ApplicationTransitions);
  const actor: Actor = { userId: null, label: 'test:screening' };
  await t.db.transaction(async (m) => {
    await transitions.move(m, applicationId, 'screening', 'grants_officer', actor);
    await transitions.move(m, applicationId, 'in_assessment', 'grants_officer', actor);
  });
  await t.settle();
}
