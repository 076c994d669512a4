import type { AuthenticatedUser } from '../auth/authenticated-user.js';
import type { StaffRole } from '../auth/roles.js';

export interface NavItem {
  text: string;
  href: string;
  active?: boolean;
}

interface NavEntry {
  text: string;
  href: string;
  /** Shown to holders of any of these roles; 'applicant' means signed-in people without a staff role. */
  for: (StaffRole | 'applicant')[];
}

/** The navigation of each kind of person, in one list. */
const ENTRIES: NavEntry[] = [
  { text: 'Your applications', href: '/dashboard', for: ['applicant'] },
  { text: 'Your grants', href: '/awards', for: ['applicant'] },
  { text: 'Your organisations', href: '/organisations', for: ['applicant'] },
  { text: 'Funding rounds', href: '/rounds', for: ['applicant'] },
  { text: 'Rounds', href: '/staff/rounds', for: ['grants_officer', 'auditor'] },
  { text: 'Applications', href: '/staff/applications', for: ['grants_officer', 'auditor'] },
  { text: 'Screening', href: '/staff/screening', for: ['grants_officer', 'auditor'] },
  { text: 'Waiting for assessors', href: '/staff/assessment/unassigned', for: ['grants_officer', 'auditor'] },
  { text: 'Moderation', href: '/staff/assessment/flagged', for: ['grants_officer', 'auditor'] },
  { text: 'Awards', href: '/staff/awards', for: ['grants_officer', 'finance_officer', 'auditor'] },
  { text: 'Payments due', href: '/staff/finance/payments-due', for: ['finance_officer', 'grants_officer', 'auditor'] },
  { text: 'Bank details to verify', href: '/staff/finance/bank-details', for: ['finance_officer'] },
  { text: 'Monitoring returns', href: '/staff/returns', for: ['grants_officer', 'finance_officer', 'auditor'] },
  { text: 'Variations', href: '/staff/variations', for: ['grants_officer', 'finance_officer', 'auditor'] },
  { text: 'Reconciliation', href: '/staff/finance/reconciliation', for: ['finance_officer', 'auditor'] },
  { text: 'My assessments', href: '/assessments', for: ['assessor'] },
  { text: 'Panels', href: '/staff/panels', for: ['grants_officer', 'panel_member', 'auditor'] },
  { text: 'Resources and Funding', href: '/staff/reports/priorities', for: ['grants_officer', 'finance_officer', 'administrator', 'auditor'] },
  { text: 'Other funding', href: '/staff/funding-streams', for: ['grants_officer', 'finance_officer', 'administrator', 'auditor'] },
  { text: 'Import past awards', href: '/staff/imports', for: ['grants_officer', 'finance_officer', 'administrator', 'auditor'] },
  { text: 'Open data', href: '/staff/open-data', for: ['grants_officer', 'finance_officer', 'administrator', 'auditor'] },
  { text: 'Funding report', href: '/staff/reports/funding', for: ['grants_officer', 'finance_officer', 'administrator', 'auditor'] },
  { text: 'Organisations', href: '/staff/organisations', for: ['grants_officer', 'finance_officer', 'auditor'] },
  { text: 'Communications', href: '/staff/communications', for: ['grants_officer', 'administrator', 'auditor'] },
  { text: 'Users', href: '/admin/users', for: ['administrator'] },
  { text: 'Reference data', href: '/admin/reference-data', for: ['administrator'] },
  { text: 'Queues', href: '/admin/queues', for: ['administrator'] },
  { text: 'Audit', href: '/staff/audit', for: ['administrator', 'auditor'] },
  { text: 'Your account', href: '/account', for: ['applicant', 'grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor'] },
];

export function navigationFor(user: AuthenticatedUser | null | undefined, currentPath: string): NavItem[] {
  if (!user) return [{ text: 'Funding rounds', href: '/rounds', active: currentPath.startsWith('/rounds') }];
  const kinds: (StaffRole | 'applicant')[] = user.roles.length ? user.roles : ['applicant'];
  return ENTRIES.filter((e) => e.for.some((k) => kinds.includes(k))).map((e) => ({
    text: e.text,
    href: e.href,
    active: currentPath === e.href || currentPath.startsWith(e.href + '/'),
  }));
}

/** Where a person lands after signing in. */
export function homeFor(user: AuthenticatedUser): string {
  if (user.roles.includes('grants_officer') || user.roles.includes('auditor')) return '/staff/applications';
  if (user.roles.includes('administrator')) return '/admin/users';
  if (user.roles.includes('assessor')) return '/assessments';
  if (user.roles.length) return '/account';
  return '/dashboard';
}
