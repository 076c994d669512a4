import type { StaffRole } from '../auth/roles.js';

/** West Yorkshire's five districts (GSS codes). Other funders load their own. */
export const DEMO_DISTRICTS = [
  { gssCode: 'E08000032', name: 'Bradford' },
  { gssCode: 'E08000033', name: 'Calderdale' },
  { gssCode: 'E08000034', name: 'Kirklees' },
  { gssCode: 'E08000035', name: 'Leeds' },
  { gssCode: 'E08000036', name: 'Wakefield' },
];

/** One demo user per role (see README and ../shared/API.md); all share DEMO_PASSWORD. */
export const DEMO_USERS: { email: string; fullName: string; roles: StaffRole[]; description: string }[] = [
  { email: 'applicant@demo.test', fullName: 'Amina Hussain', roles: [], description: 'Applicant, owner of a demo community organisation' },
  { email: 'applicant2@demo.test', fullName: 'Gareth Jones', roles: [], description: 'Applicant of a second, unrelated organisation' },
  { email: 'officer@demo.test', fullName: 'Olivia Grant', roles: ['grants_officer'], description: 'Grants officer' },
  { email: 'assessor1@demo.test', fullName: 'Sam Patel', roles: ['assessor'], description: 'Assessor' },
  { email: 'assessor2@demo.test', fullName: 'Jo Walker', roles: ['assessor'], description: 'Assessor' },
  { email: 'assessor3@demo.test', fullName: 'Chris Evans', roles: ['assessor'], description: 'Assessor' },
  { email: 'panel@demo.test', fullName: 'Pat Morgan', roles: ['panel_member'], description: 'Panel member' },
  { email: 'finance@demo.test', fullName: 'Frances Lee', roles: ['finance_officer'], description: 'Finance officer' },
  { email: 'admin@demo.test', fullName: 'Alex Admin', roles: ['administrator'], description: 'Administrator' },
  { email: 'auditor@demo.test', fullName: 'Aud Itor', roles: ['auditor'], description: 'Auditor (read-only)' },
];
