import { judgeAward, type AwardStanding } from './award.policy.js';

describe('the award policy (judgeAward), for every standing, visibility and action', () => {
  const standings: [string, AwardStanding][] = [
    ['owner', { member: true, owner: true, readsAll: false }],
    ['member', { member: true, owner: false, readsAll: false }],
    ['stranger', { member: false, owner: false, readsAll: false }],
    ['staff reader', { member: false, owner: false, readsAll: true }],
    ['owner who is also a staff reader', { member: true, owner: true, readsAll: true }],
  ];
  //                                             visible: read, respond          provisional: read, respond
  const EXPECTED: Record<string, [string | null, string | null, string | null, string | null]> = {
    owner: [null, null, 'hidden', 'hidden'],
    member: [null, 'not_owner', 'hidden', 'hidden'],
    stranger: ['hidden', 'hidden', 'hidden', 'hidden'],
    'staff reader': [null, 'not_owner', null, 'not_owner'],
    'owner who is also a staff reader': [null, null, null, 'not_owner'],
  };

  it.each(standings)('%s', (name, standing) => {
    const got = [true, false].flatMap((visibleToApplicant) => (['read', 'respond'] as const).map((action) => judgeAward(standing, { visibleToApplicant }, action)));
    expect(got).toEqual(EXPECTED[name]);
  });
});
