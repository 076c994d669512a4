import type { StaffRole } from './roles.js';

/** A person's account as the access guard needs it to let them in. */
export interface AccountForAccess {
  id: string;
  email: string;
  fullName: string;
  roles: StaffRole[];
  emailVerified: boolean;
  disabled: boolean;
}

/**
 * The port through which auth reads people's accounts: accounts owns the users table and sits
 * above auth (it uses the guard and the throttle), so auth names only this and accounts provides it.
 */
export interface UserDirectory {
  /** The account with this id, or null when there is none. */
  accountForAccess(userId: string): Promise<AccountForAccess | null>;
}

/** The injection token of the UserDirectory port. */
export const USER_DIRECTORY = Symbol('UserDirectory');
