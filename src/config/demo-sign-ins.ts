import type { StaffRole } from '../auth/roles.js';

/** Someone the start page offers to sign in as, outside production (the seeded demo users). */
export interface DemoSignIn {
  email: string;
  fullName: string;
  roles: readonly StaffRole[];
  description: string;
}

/**
 * Injection token for the demo sign-in list. The composition root (app.module.ts) provides the
 * seeded demo users outside production and an empty list in production, so no page imports the
 * demo data itself.
 */
export const DEMO_SIGN_INS = Symbol('DEMO_SIGN_INS');
