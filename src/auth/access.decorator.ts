import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { StaffRole } from './roles.js';

export const ACCESS = 'scf:access';

/**
 * Who may call a route. Every route must declare it (a test walks all routes):
 * - 'public': anyone, signed in or not;
 * - 'user': any signed-in person (applicant or staff); organisation data is then scoped by membership;
 * - staff roles: signed-in people holding at least one of them.
 */
export type AccessRule = 'public' | 'user' | StaffRole;

export const Access = (...rules: [AccessRule, ...AccessRule[]]) => applyDecorators(SetMetadata(ACCESS, rules));

/** Read-only staff views are open to the auditor as well as the roles named. */
export const StaffRead = (...roles: StaffRole[]) => Access(...(['auditor', ...roles] as [AccessRule, ...AccessRule[]]));
