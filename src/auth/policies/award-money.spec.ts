import type { AwardMoneyStanding } from './award-money.js';
import { CLAWBACK_ACTIONS, judgeClawback } from './clawback.policy.js';
import { judgeRepayment, REPAYMENT_ACTIONS } from './repayment.policy.js';

describe('the clawback and repayment policies, for every standing, visibility and action', () => {
  const standings: [string, AwardMoneyStanding][] = [
    ['member', { member: true, readsAll: false, grantsOfficer: false, financeOfficer: false }],
    ['stranger', { member: false, readsAll: false, grantsOfficer: false, financeOfficer: false }],
    ['grants officer', { member: false, readsAll: true, grantsOfficer: true, financeOfficer: false }],
    ['finance officer', { member: false, readsAll: true, grantsOfficer: false, financeOfficer: true }],
    ['auditor', { member: false, readsAll: true, grantsOfficer: false, financeOfficer: false }],
  ];
  //                       clawback visible: read raise cancel | hidden: read raise cancel || repayment visible: read record | hidden: read record
  const EXPECTED: Record<string, (string | null)[]> = {
    member: [null, 'not_officer', 'not_officer', 'hidden', 'hidden', 'hidden', null, 'not_finance', 'hidden', 'hidden'],
    stranger: ['hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden', 'hidden'],
    'grants officer': [null, null, null, null, null, null, null, 'not_finance', null, 'not_finance'],
    'finance officer': [null, 'not_officer', 'not_officer', null, 'not_officer', 'not_officer', null, null, null, null],
    auditor: [null, 'not_officer', 'not_officer', null, 'not_officer', 'not_officer', null, 'not_finance', null, 'not_finance'],
  };

  it.each(standings)('%s', (name, standing) => {
    const clawback = [true, false].flatMap((visibleToApplicant) => CLAWBACK_ACTIONS.map((a) => judgeClawback(standing, { visibleToApplicant }, a)));
    const repayment = [true, false].flatMap((visibleToApplicant) => REPAYMENT_ACTIONS.map((a) => judgeRepayment(standing, { visibleToApplicant }, a)));
    expect([...clawback, ...repayment]).toEqual(EXPECTED[name]);
  });
});
