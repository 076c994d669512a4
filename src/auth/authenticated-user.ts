import type { StaffRole } from './roles.js';

/** The person making a request, as the rest of the code sees them. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  fullName: string;
  roles: StaffRole[];
  emailVerified: boolean;
  /** How they proved it: a browser session or an API token. */
  via: 'session' | 'token';
}

export const isStaff = (user: AuthenticatedUser | null | undefined): boolean => !!user && user.roles.length > 0;

export const hasRole = (user: AuthenticatedUser | null | undefined, ...roles: StaffRole[]): boolean =>
  !!user && user.roles.some((r) => roles.includes(r));
