import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/errors.js';
import type { AuthenticatedUser } from '../authenticated-user.js';
import type { StaffRole } from '../roles.js';

/**
 * What someone may do with reports and their data (the Resources and Funding section, other
 * funding streams, imports of past awards). Every reporting API route, page and download asks this
 * file; the route's @Access names the same roles so that nobody else gets past the guard.
 *
 * - read: see sections, funding streams and imports (and download the Word document): grants
 *   officers, finance officers, administrators and the auditor;
 * - change: record, change and remove funding streams, the section's wording of a priority, and
 *   import past awards: grants officers and administrators (never the auditor, who changes nothing).
 */
export const REPORT_ACTIONS = ['read', 'change'] as const;
export type ReportAction = (typeof REPORT_ACTIONS)[number];

export const REPORT_READER_ROLES = ['grants_officer', 'finance_officer', 'administrator', 'auditor'] as const satisfies readonly StaffRole[];
export const REPORT_CHANGER_ROLES = ['grants_officer', 'administrator'] as const satisfies readonly StaffRole[];

/** THE decision: true when a person with these roles may do this. Pure, so it is tested for every role. */
export function judgeReport(roles: readonly StaffRole[], action: ReportAction): boolean {
  const allowed: readonly StaffRole[] = action === 'read' ? REPORT_READER_ROLES : REPORT_CHANGER_ROLES;
  return roles.some((r) => allowed.includes(r));
}

@Injectable()
export class ReportPolicy {
  /** Throws 403 unless the person may do this. */
  assert(user: AuthenticatedUser, action: ReportAction): void {
    if (!judgeReport(user.roles, action)) throw new DomainError('forbidden', 'ACCESS.FORBIDDEN', 'You do not have permission to do this');
  }

  may(user: AuthenticatedUser | null | undefined, action: ReportAction): boolean {
    return !!user && judgeReport(user.roles, action);
  }
}
