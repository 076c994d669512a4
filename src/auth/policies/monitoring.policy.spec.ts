import { judgeMonitoring, type MonitoringStanding } from './monitoring.policy.js';

describe('the monitoring policy (judgeMonitoring), for every standing, visibility, editability and action', () => {
  const standings: [string, MonitoringStanding][] = [
    ['member', { member: true, readsAll: false, grantsOfficer: false }],
    ['stranger', { member: false, readsAll: false, grantsOfficer: false }],
    ['grants officer', { member: false, readsAll: true, grantsOfficer: true }],
    ['finance officer or auditor', { member: false, readsAll: true, grantsOfficer: false }],
    ['member who is also a grants officer', { member: true, readsAll: true, grantsOfficer: true }],
  ];
  const actions = ['read', 'write', 'review', 'close'] as const;
  //                 visible+editable: read, write, review, close | visible, not editable: ... | award hidden: ...
  const EXPECTED: Record<string, (string | null)[]> = {
    member: [null, null, 'officers_only', 'officers_only', null, 'not_editable', 'officers_only', 'officers_only', 'hidden', 'hidden', 'hidden', 'hidden'],
    stranger: ['hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden'],
    'grants officer': [null, 'members_only', null, null, null, 'members_only', null, null, null, 'members_only', null, null],
    'finance officer or auditor': [null, 'members_only', 'officers_only', 'officers_only', null, 'members_only', 'officers_only', 'officers_only', null, 'members_only', 'officers_only', 'officers_only'],
    'member who is also a grants officer': [null, null, null, null, null, 'not_editable', null, null, null, 'members_only', null, null],
  };

  it.each(standings)('%s', (name, standing) => {
    const cases = [
      { awardVisible: true, editable: true },
      { awardVisible: true, editable: false },
      { awardVisible: false, editable: true },
    ];
    const got = cases.flatMap((facts) => actions.map((action) => judgeMonitoring(standing, facts, action)));
    expect(got).toEqual(EXPECTED[name]);
  });
});
