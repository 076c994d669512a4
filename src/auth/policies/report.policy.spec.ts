import { STAFF_ROLES, type StaffRole } from '../roles.js';
import { judgeReport } from './report.policy.js';

describe('the report policy (judgeReport), for every role and action', () => {
  //                                            read   change
  const EXPECTED: Record<StaffRole | 'applicant', [boolean, boolean]> = {
    applicant: [false, false],
    grants_officer: [true, true],
    assessor: [false, false],
    panel_member: [false, false],
    finance_officer: [true, false],
    administrator: [true, true],
    auditor: [true, false],
  };

  it.each(['applicant', ...STAFF_ROLES] as const)('%s', (role) => {
    const roles: StaffRole[] = role === 'applicant' ? [] : [role];
    expect([judgeReport(roles, 'read'), judgeReport(roles, 'change')]).toEqual(EXPECTED[role]);
  });

  it('an auditor who is also a grants officer may change (roles add up)', () => {
    expect(judgeReport(['auditor', 'grants_officer'], 'change')).toBe(true);
  });
});
