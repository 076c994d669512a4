import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { AwardOffersService } from '../awards/award-offers.service.js';
import { AgreementTermsService } from '../awards/agreement-terms.service.js';
import { DecisionsService } from '../panels/decisions.service.js';
import { PanelsService } from '../panels/panels.service.js';
import { StandardConditionsService } from '../panels/standard-conditions.service.js';
import { daysFromToday } from './demo-funding.js';

type Person = AuthenticatedUser & { actor: Actor };

export const DEMO_STANDARD_CONDITIONS = [
  'Provide an up-to-date safeguarding policy before the first payment',
  'Send evidence that the venue is booked before the first payment',
  'Acknowledge the Police and Crime Commissioner’s funding in your publicity',
];

/** What the demo's confirmed panel decided for each of its bids, and what the organisation then did with the offer. */
export type DemoPanelPlan =
  | { decision: 'approve'; answer: 'accept' | 'decline' | 'none'; conditions?: readonly string[] }
  | { decision: 'approve_in_part'; amountPence: number; conditions: readonly string[]; answer: 'none' }
  | { decision: 'reject'; feedback: string }
  | { decision: 'next_panel' };

export interface DemoPanelBid {
  applicationId: string;
  owner: Person;
  plan: DemoPanelPlan;
}

/**
 * The demo round's panels, through the panels and awards services: the fund's standard conditions,
 * a confirmed meeting a fortnight ago (an approval accepted online, an approval in part with a
 * condition and an approval both waiting for an answer, an approval declined, a rejection with
 * feedback) and next month's meeting with one decision recorded and not yet confirmed (its award
 * provisional). What is left assessed waits for the person trying the demo to put it on an agenda.
 */
export async function loadDemoPanels(app: INestApplicationContext, input: { roundId: string; fundId: string; officer: Person; chair: Person; bids: DemoPanelBid[]; recordedNext: string }): Promise<void> {
  const panels = app.get(PanelsService);
  const decisions = app.get(DecisionsService);
  const { officer, chair } = input;
  await app.get(StandardConditionsService).put(officer.actor, input.fundId, DEMO_STANDARD_CONDITIONS);
  const past = await panels.create(officer.actor, {
    roundId: input.roundId, title: 'Round 22 panel: first meeting', meetingAt: daysFromToday(-14, 10).toISOString(), memberIds: [chair.id], chairId: chair.id,
  });
  const decided = input.bids.filter((b) => b.plan.decision !== 'next_panel');
  await panels.addToAgenda(officer.actor, officer, past.id, { applicationIds: decided.map((b) => b.applicationId) });
  const awardOf = new Map<string, string>();
  for (const bid of decided) {
    const plan = bid.plan;
    const body =
      plan.decision === 'reject'
        ? { applicationId: bid.applicationId, outcome: 'reject' as const, feedback: plan.feedback }
        : plan.decision === 'approve_in_part'
          ? { applicationId: bid.applicationId, outcome: 'approve_in_part' as const, amountPence: plan.amountPence, conditions: [...plan.conditions] }
          : { applicationId: bid.applicationId, outcome: 'approve' as const, conditions: plan.decision === 'approve' ? [...(plan.conditions ?? [])] : [] };
    const answer = await decisions.decide(officer.actor, officer, past.id, body, `demo-${bid.applicationId}`);
    if (answer.body.awardId) awardOf.set(bid.applicationId, answer.body.awardId);
  }
  await decisions.confirm(officer.actor, officer, past.id, `demo-confirm-${past.id}`);

  const offers = app.get(AwardOffersService);
  const terms = await app.get(AgreementTermsService).current(input.fundId);
  for (const bid of decided) {
    const awardId = awardOf.get(bid.applicationId);
    if (!awardId || !('answer' in bid.plan)) continue;
    if (bid.plan.answer === 'accept') {
      await offers.accept(bid.owner, bid.owner.actor, awardId, { signatoryName: bid.owner.fullName, signatoryRole: 'Chair of the trustees', agreementVersion: terms.version, acceptTerms: true });
    }
    if (bid.plan.answer === 'decline') await offers.decline(bid.owner, bid.owner.actor, awardId, 'Another funder has since paid for the kits and the training.');
  }

  const next = await panels.create(officer.actor, {
    roundId: input.roundId, title: 'Round 22 panel: second meeting', meetingAt: daysFromToday(21, 10).toISOString(), memberIds: [chair.id], chairId: chair.id,
  });
  await panels.addToAgenda(officer.actor, officer, next.id, { applicationIds: [input.recordedNext] });
  await decisions.decide(officer.actor, officer, next.id, { applicationId: input.recordedNext, outcome: 'approve', conditions: [DEMO_STANDARD_CONDITIONS[2]] }, `demo-${input.recordedNext}`);
}
