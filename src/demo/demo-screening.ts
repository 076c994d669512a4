import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import { ScreeningService } from '../screening/screening.service.js';
import { addCalendarDays, londonDate } from '../common/dates.js';

/** The screening states demo bids are put in, through ScreeningService (never by writing the tables). */
export type DemoScreeningState = 'screening' | 'more_info' | 'in_assessment';

/**
 * Screens a submitted demo bid as the demo's grants officer: started (screening), sent back for
 * more information about its project details and safeguarding policy, or passed to assessment
 * with every checklist item answered.
 */
export async function screenDemoBid(app: INestApplicationContext, officer: AuthenticatedUser & { actor: Actor }, applicationId: string, state: DemoScreeningState): Promise<void> {
  const screening = app.get(ScreeningService);
  const record = await screening.start(officer, officer.actor, applicationId);
  if (state === 'screening') return;
  const registered = record.registration?.charityNumber ?? record.registration?.companyNumber;
  if (registered) {
    await screening.recordRegisterCheck(officer, officer.actor, applicationId, {
      registeredNumber: registered,
      nameShown: record.registration!.name,
      registerStatus: 'Registered',
      checkedAt: new Date(Date.now() - 3_600_000),
    });
  }
  const policy = record.application.attachments.find((a) => a.kind === 'safeguarding_policy');
  if (state === 'more_info') {
    await screening.screen(officer, officer.actor, applicationId, {
      outcome: 'more_info',
      checklist: [{ key: 'safeguarding_policy', result: 'fail', note: 'The policy was last reviewed in 2019.', attachmentIds: policy ? [policy.id] : [] }],
      sections: ['_project'],
      attachmentKinds: ['safeguarding_policy'],
      message: 'Please upload a safeguarding policy reviewed in the last two years, and tell us which streets the walkabouts will cover in your project summary.',
      respondBy: addCalendarDays(londonDate(new Date()), 14),
    });
    return;
  }
  await screening.screen(officer, officer.actor, applicationId, {
    outcome: 'pass',
    checklist: record.checklist.map((item) => ({
      key: item.key,
      result: item.key === 'registered_number' && !registered ? 'not_applicable' : 'pass',
      note: item.key === 'safeguarding_policy' ? 'Policy reviewed this year.' : '',
      attachmentIds: item.key === 'safeguarding_policy' && policy ? [policy.id] : [],
    })),
  });
}
