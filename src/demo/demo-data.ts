import type { StaffRole } from '../auth/roles.js';
import type { LegalForm } from '../organisations/organisation.types.js';

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
  { email: 'applicant3@demo.test', fullName: 'Nasreen Akhtar', roles: [], description: 'Applicant of an unregistered group (Bradford Women’s Safety Network)' },
  { email: 'applicant4@demo.test', fullName: 'Peter Fox', roles: [], description: 'Applicant of a charity (Wakefield Street Angels)' },
  { email: 'officer@demo.test', fullName: 'Olivia Grant', roles: ['grants_officer'], description: 'Grants officer' },
  { email: 'assessor1@demo.test', fullName: 'Sam Patel', roles: ['assessor'], description: 'Assessor' },
  { email: 'assessor2@demo.test', fullName: 'Jo Walker', roles: ['assessor'], description: 'Assessor' },
  { email: 'assessor3@demo.test', fullName: 'Chris Evans', roles: ['assessor'], description: 'Assessor' },
  { email: 'panel@demo.test', fullName: 'Pat Morgan', roles: ['panel_member'], description: 'Panel member' },
  { email: 'finance@demo.test', fullName: 'Frances Lee', roles: ['finance_officer'], description: 'Finance officer' },
  { email: 'finance2@demo.test', fullName: 'Dev Sharma', roles: ['finance_officer'], description: 'Second finance officer (approves payments and checks bank details the first one recorded)' },
  { email: 'admin@demo.test', fullName: 'Alex Admin', roles: ['administrator'], description: 'Administrator' },
  { email: 'auditor@demo.test', fullName: 'Aud Itor', roles: ['auditor'], description: 'Auditor (read-only)' },
];

export interface DemoOrganisation {
  name: string;
  legalForm: LegalForm;
  charityNumber: string | null;
  companyNumber: string | null;
  addressLine1: string;
  town: string;
  postcode: string;
  districtGss: string;
  contactName: string;
  contactEmail: string;
  /** Demo users who belong to it: the first is the owner. */
  members: string[];
}

/** Fictional community organisations (numbers are well-formed but made up). */
export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  {
    name: 'Holbeck Neighbourhood Watch Association',
    legalForm: 'charitable_incorporated_organisation',
    charityNumber: '1180001',
    companyNumber: null,
    addressLine1: '12 Domestic Street',
    town: 'Leeds',
    postcode: 'LS11 9RT',
    districtGss: 'E08000035',
    contactName: 'Amina Hussain',
    contactEmail: 'applicant@demo.test',
    members: ['applicant@demo.test'],
  },
  {
    name: 'Calder Valley Youth Outreach',
    legalForm: 'company_limited_by_guarantee',
    charityNumber: null,
    companyNumber: '09876543',
    addressLine1: '3 Market Street',
    town: 'Hebden Bridge',
    postcode: 'HX7 6AA',
    districtGss: 'E08000033',
    contactName: 'Gareth Jones',
    contactEmail: 'applicant2@demo.test',
    members: ['applicant2@demo.test'],
  },
  {
    name: 'Bradford Women’s Safety Network',
    legalForm: 'unincorporated_association',
    charityNumber: null,
    companyNumber: null,
    addressLine1: 'Unit 4, Carlisle Business Centre',
    town: 'Bradford',
    postcode: 'BD8 8BD',
    districtGss: 'E08000032',
    contactName: 'Nasreen Akhtar',
    contactEmail: 'contact@bwsn.example',
    members: ['applicant3@demo.test'],
  },
  {
    name: 'Wakefield Street Angels',
    legalForm: 'registered_charity_unincorporated',
    charityNumber: '1151234',
    companyNumber: null,
    addressLine1: '1 Westgate',
    town: 'Wakefield',
    postcode: 'WF1 1JY',
    districtGss: 'E08000036',
    contactName: 'Peter Fox',
    contactEmail: 'hello@wsa.example',
    members: ['applicant4@demo.test'],
  },
];

/** Bids of the open demo round that reach assessment (demo-assessment.ts scores them: one score in, flagged, assessed). */
export const DEMO_ASSESSMENT_BIDS = [
  { large: false, org: 'Holbeck Neighbourhood Watch Association', title: 'Alley gating and lighting in Holbeck', amountPence: 540000,
    summary: 'Gates and lighting for three back alleys used for drug dealing, chosen with residents and the police.', priorities: ['anti-social-behaviour'], district: 'E08000035' },
  { large: true, org: 'Bradford Women’s Safety Network', title: 'Keeping girls safe from exploitation in Bradford', amountPence: 1520000,
    summary: 'Mentoring and drop-in sessions for girls at risk of sexual exploitation, with school and police referrals.', priorities: ['child-sexual-exploitation'], district: 'E08000032' },
  { large: false, org: 'Wakefield Street Angels', title: 'Safe spaces in Wakefield city centre', amountPence: 480000,
    summary: 'Trained volunteers in six city-centre venues offering a safe space and a call for help on Friday and Saturday nights.', priorities: ['supporting-victims'], district: 'E08000036' },
];

/**
 * Bids scored by two assessors who agree, so they are assessed and ready for a panel
 * (demo-panels.ts): the first meeting decided all but the last, which waits in the ranking.
 */
export const DEMO_PANEL_BIDS = [
  { large: false, org: 'Holbeck Neighbourhood Watch Association', title: 'Lighting and cameras for the Holbeck allotments', amountPence: 520000, scores: [4, 4],
    summary: 'Solar lighting and two cameras at the allotments, where sheds are broken into every winter.', priorities: ['anti-social-behaviour'], district: 'E08000035',
    plan: { decision: 'approve', answer: 'accept', conditions: ['Provide an up-to-date safeguarding policy before the first payment'] } },
  { large: false, org: 'Calder Valley Youth Outreach', title: 'Summer holiday activities in Todmorden', amountPence: 600000, scores: [4, 3],
    summary: 'Six weeks of sport and music sessions for 11 to 16 year olds during the summer holidays, when anti-social behaviour peaks.', priorities: ['anti-social-behaviour'], district: 'E08000033',
    plan: { decision: 'approve_in_part', amountPence: 450000, conditions: ['Send evidence that the venue is booked before the first payment'], answer: 'none' } },
  // Tagged with child sexual exploitation only, so that the demo's Human Trafficking and Modern Slavery section reads as the Panel report of March 2018 (demo-reporting.ts).
  { large: true, org: 'Bradford Women’s Safety Network', title: 'Child exploitation awareness for Bradford taxi drivers', amountPence: 1950000, scores: [4, 4],
    summary: 'Training for 400 licensed drivers to spot and report signs that children are being sexually exploited, with the council’s licensing team.', priorities: ['child-sexual-exploitation'], district: 'E08000032',
    plan: { decision: 'approve', answer: 'none' } },
  { large: false, org: 'Wakefield Street Angels', title: 'First aid kits and training for volunteers', amountPence: 300000, scores: [4, 4],
    summary: 'First aid kits and a recognised first aid course for the 40 volunteers who patrol the city centre at night.', priorities: ['supporting-victims'], district: 'E08000036',
    plan: { decision: 'approve', answer: 'decline' } },
  { large: false, org: 'Calder Valley Youth Outreach', title: 'A youth council on community safety', amountPence: 250000, scores: [2, 2],
    summary: 'Monthly meetings where young people question the police and the council about safety in the valley.', priorities: ['anti-social-behaviour'], district: 'E08000033',
    plan: { decision: 'reject', feedback: 'The panel liked the idea but could not see how young people would be recruited or what would change as a result. You are welcome to apply again with a clearer plan.' } },
  { large: true, org: 'Holbeck Neighbourhood Watch Association', title: 'Cuckooing awareness in Beeston and Holbeck', amountPence: 1800000, scores: [4, 3],
    summary: 'Door-to-door visits and a helpline for vulnerable tenants whose homes are taken over by drug dealers, with housing and police partners.', priorities: ['human-trafficking-modern-slavery'], district: 'E08000035',
    plan: { decision: 'next_panel' } },
] as const;
