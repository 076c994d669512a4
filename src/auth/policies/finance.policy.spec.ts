import type { StaffRole } from '../roles.js';
import { FINANCE_ACTIONS, judgeFinance, type FinanceAction } from './finance.policy.js';

const visible = { visibleToApplicant: true };
const hiddenAward = { visibleToApplicant: false };
const owner = { member: true, owner: true, roles: [] as StaffRole[] };
const member = { member: true, owner: false, roles: [] as StaffRole[] };
const stranger = { member: false, owner: false, roles: [] as StaffRole[] };
const staff = (role: StaffRole) => ({ member: false, owner: false, roles: [role] });

const allowed = (standing: typeof owner, facts = visible) => FINANCE_ACTIONS.filter((a) => judgeFinance(standing, facts, a) === null);

describe('the finance policy', () => {
  it('lets owners read and enter bank details, members only read, strangers nothing (hidden)', () => {
    expect(allowed(owner)).toEqual(['read', 'enter_bank_details']);
    expect(allowed(member)).toEqual(['read']);
    expect(judgeFinance(member, visible, 'enter_bank_details')).toBe('forbidden');
    for (const a of FINANCE_ACTIONS) expect(judgeFinance(stranger, visible, a)).toBe('hidden');
  });

  it('hides an award its organisation cannot see yet from its members, not from staff', () => {
    for (const a of FINANCE_ACTIONS) expect(judgeFinance(owner, hiddenAward, a)).toBe('hidden');
    expect(judgeFinance(staff('finance_officer'), hiddenAward, 'read')).toBeNull();
  });

  it('gives finance officers the money, grants officers conditions, the auditor reading only', () => {
    const everyStaffAction: FinanceAction[] = ['read', 'read_bank_details_in_full', 'verify_bank_details', 'change_schedule', 'pay', 'approve_payment', 'mark_condition_met'];
    expect(allowed(staff('finance_officer'))).toEqual(everyStaffAction);
    expect(allowed(staff('grants_officer'))).toEqual(['read', 'mark_condition_met']);
    expect(allowed(staff('auditor'))).toEqual(['read']);
    expect(judgeFinance(staff('auditor'), visible, 'pay')).toBe('forbidden');
    for (const role of ['assessor', 'panel_member', 'administrator'] as StaffRole[]) for (const a of FINANCE_ACTIONS) expect(judgeFinance(staff(role), visible, a)).toBe('hidden');
  });

  it('never lets finance staff enter an organisation’s bank details unless they are its owner', () => {
    expect(judgeFinance(staff('finance_officer'), visible, 'enter_bank_details')).toBe('forbidden');
    expect(judgeFinance({ ...owner, roles: ['finance_officer'] }, visible, 'enter_bank_details')).toBeNull();
  });
});
