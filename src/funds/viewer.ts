import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';

/** Who is looking: staff who may see drafts (grants officers, the auditor), or anyone else. */
export interface Viewer {
  canSeeDrafts: boolean;
}

/** Grants officers and the auditor see draft rounds; everyone else sees only published ones. */
export const viewerOf = (user: AuthenticatedUser | null | undefined): Viewer => ({ canSeeDrafts: hasRole(user, 'grants_officer', 'auditor') });

/** Staff pages, which show drafts. */
export const STAFF_VIEWER: Viewer = { canSeeDrafts: true };
