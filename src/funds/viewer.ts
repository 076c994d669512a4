import { hasRole, type AuthenticatedUser } from '../auth/authenticated-user.js';
import type { Viewer } from './round-setup.service.js';

/** Grants officers and the auditor see draft rounds; everyone else sees only published ones. */
export const viewerOf = (user: AuthenticatedUser | null | undefined): Viewer => ({ canSeeDrafts: hasRole(user, 'grants_officer', 'auditor') });
