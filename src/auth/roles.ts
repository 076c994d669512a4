/** Staff roles an administrator can grant. Applicants hold no role: they act through organisation membership. */
export const STAFF_ROLES = [
  'grants_officer',
  'assessor',
  'panel_member',
  'finance_officer',
  'administrator',
  'auditor',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_LABELS: Record<StaffRole, string> = {
  grants_officer: 'Grants officer',
  assessor: 'Assessor',
  panel_member: 'Panel member',
  finance_officer: 'Finance officer',
  administrator: 'Administrator',
  auditor: 'Auditor (read-only)',
};

export const isStaffRole = (value: string): value is StaffRole => (STAFF_ROLES as readonly string[]).includes(value);
