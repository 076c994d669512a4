import { judgeVariation, VARIATION_ACTIONS, type VariationStanding } from './variation.policy.js';

describe('the variation policy (judgeVariation), for every standing, visibility and action', () => {
  const standings: [string, VariationStanding][] = [
    ['owner', { member: true, owner: true, readsAll: false, decides: false }],
    ['member', { member: true, owner: false, readsAll: false, decides: false }],
    ['stranger', { member: false, owner: false, readsAll: false, decides: false }],
    ['grants officer', { member: false, owner: false, readsAll: true, decides: true }],
    ['finance officer or auditor', { member: false, owner: false, readsAll: true, decides: false }],
    ['owner who is also a grants officer', { member: true, owner: true, readsAll: true, decides: true }],
  ];
  //                   visible: read, request, withdraw, decide          not visible: read, request, withdraw, decide
  const EXPECTED: Record<string, (string | null)[]> = {
    owner: [null, null, null, 'not_officer', 'hidden', 'hidden', 'hidden', 'hidden'],
    member: [null, 'not_owner', 'not_owner', 'not_officer', 'hidden', 'hidden', 'hidden', 'hidden'],
    stranger: ['hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden'],
    'grants officer': [null, 'not_owner', 'not_owner', null, null, 'not_owner', 'not_owner', null],
    'finance officer or auditor': [null, 'not_owner', 'not_owner', 'not_officer', null, 'not_owner', 'not_owner', 'not_officer'],
    'owner who is also a grants officer': [null, null, null, null, null, 'not_owner', 'not_owner', null],
  };

  it.each(standings)('%s', (name, standing) => {
    const got = [true, false].flatMap((visibleToApplicant) => VARIATION_ACTIONS.map((action) => judgeVariation(standing, { visibleToApplicant }, action)));
    expect(got).toEqual(EXPECTED[name]);
  });
});
