import { minimalPdf } from '../fixtures/files.js';
import { createOrganisation, createUser, tokenFor, type TestUser } from '../support/factories.js';
import { COMPLETE_NEED_ANSWERS, completeApplication, createOpenRound, startApplication, type TestRound } from '../support/funding-factories.js';
import { apiClient, type ApiClient } from '../support/http.js';
import { DEFAULT_KEYS, fullChecklist, londonDaysFromNow } from '../support/screening-factories.js';
import { listRoutes, type RouteInfo } from '../support/routes.js';
import { csrfIn, csrfTokenFor, signInAs } from '../support/sessions.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The role-by-route matrix: every application and attachment route (API and pages, as the route
 * table lists them), called by each single role, answers the status written below, and a refused
 * request changes nothing. Today only members of the owning organisation, grants officers and
 * auditors read a bid; only members change it, and only while it is a draft; auditors never
 * change anything; anyone else is told the bid does not exist (404).
 */

const ROLES = ['owner', 'stranger', 'grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
type Row = Record<Role, number>;

/** The member's own success status for a route (set per route). */
const OK = 0;
const row = (...statuses: number[]): Row => Object.fromEntries(ROLES.map((role, i) => [role, statuses[i]])) as Row;

//                                 owner stranger officer assessor panel finance admin auditor anonymous
const API_READ = /*            */ row(200, 404, 200, 404, 404, 404, 404, 200, 401);
const API_CHANGE = /*          */ row(OK, 404, 403, 404, 404, 404, 404, 403, 401);
const API_CREATE = /*          */ row(201, 404, 404, 404, 404, 404, 404, 404, 401);
const API_LIST = /*            */ row(200, 200, 200, 200, 200, 200, 200, 200, 401);
const API_EXPORT = /*          */ row(403, 403, 200, 403, 403, 403, 403, 200, 401);
// Applicant pages are for members; staff read bids on the staff pages (404 here, as for strangers).
const PAGE_MEMBER = /*         */ row(OK, 404, 404, 404, 404, 404, 404, 404, 303);
const PAGE_FILES_READ = /*     */ row(200, 404, 200, 404, 404, 404, 404, 200, 303);
const PAGE_FILES_CHANGE = /*   */ row(OK, 404, 403, 404, 404, 404, 404, 403, 303);
const PAGE_STAFF = /*          */ row(403, 403, 200, 403, 403, 403, 403, 200, 303);
const PAGE_ANY_USER = /*       */ row(200, 200, 200, 200, 200, 200, 200, 200, 303);
const PAGE_CREATE = /*         */ row(303, 404, 404, 404, 404, 404, 404, 404, 303);
// Screening is grants officers' work (OK is the officer's success there); the auditor reads it.
const API_SCREEN_READ = /*     */ row(403, 403, 200, 403, 403, 403, 403, 200, 401);
const API_SCREEN_CHANGE = /*   */ row(403, 403, OK, 403, 403, 403, 403, 403, 401);
const PAGE_SCREEN_CHANGE = /*  */ row(403, 403, OK, 403, 403, 403, 403, 403, 303);
// Assessment's officer-only routes on a bid: the role is checked first (403 whatever the bid); the
// matrix's bids are not in assessment, so the officer is told so (404). Successes: assessment.test.ts.
const API_ASSESSMENT_OFFICER = row(403, 403, 404, 403, 403, 403, 403, 403, 401);
// Assessment's round set-up and lists: grants officers (OK: their success) and the auditor (reads).
const API_OFFICER_READ = /*    */ row(403, 403, 200, 403, 403, 403, 403, 200, 401);
const API_OFFICER_CHANGE = /*  */ row(403, 403, OK, 403, 403, 403, 403, 403, 401);
// An assessment's id: the matrix's ids are bids, not assessments, so whoever passes the role check is told "not found".
const API_ASSESSMENT_READ = /* */ row(403, 403, 404, 404, 403, 403, 403, 404, 401);
const API_ASSESSOR_ONLY = /*   */ row(403, 403, 403, 404, 403, 403, 403, 403, 401);
const API_MY_QUEUE = /*        */ row(403, 403, 403, 200, 403, 403, 403, 403, 401);
const API_CONFLICTS_READ = /*  */ row(403, 403, 200, 200, 200, 403, 403, 200, 401);
const API_CONFLICT_DECLARE = /**/ row(403, 403, 403, 404, 404, 403, 403, 403, 401);
const PAGE_OFFICER = /*        */ row(403, 403, 200, 403, 403, 403, 403, 403, 303);
const PAGE_OFFICER_CHANGE = /* */ row(403, 403, OK, 403, 403, 403, 403, 403, 303);
const PAGE_OFFICER_404 = /*    */ row(403, 403, 404, 403, 403, 403, 403, 403, 303);
const PAGE_STAFF_404 = /*      */ row(403, 403, 404, 403, 403, 403, 403, 404, 303);
const PAGE_ASSESSOR_QUEUE = /* */ row(403, 403, 403, 200, 403, 403, 403, 403, 303);
const PAGE_ASSESSOR_404 = /*   */ row(403, 403, 403, 404, 403, 403, 403, 403, 303);

type BidName = 'draft' | 'sent' | 'moreInfo';

interface Bid {
  id: string;
  lineId: string;
  attachmentId: string;
  reference: string | null;
}

/** What a call needs: the bid's current detail (for versions), as its owner sees it. */
type BodyOf = (detail: any) => Record<string, unknown>;

interface RouteCase {
  /** Expected status per role; OK is replaced by `ok`. */
  row: Row | 'public';
  /** The bid the route is called on (default draft). */
  bid?: BidName;
  /** The member's success status where the row says OK. */
  ok?: number;
  /** The member's success changes the bid: it runs on a fresh draft, so the shared bids stay as they are. */
  changes?: boolean;
  body?: BodyOf;
  /** A query string for the call (DELETE budget line). */
  query?: BodyOf;
  multipart?: boolean;
  /** The member's success submits the bid, so its fresh draft must be complete. */
  submits?: boolean;
  /** The member on a bid that is no longer editable: the status, and nothing changes. */
  notEditable?: { bid: BidName; status: number }[];
  /** Who sees the sent bid in the answer (lists, dashboards, exports). */
  shows?: Role[];
  /** Whose success (the row's OK) changes things: the owner unless said (screening: the grants officer). */
  changer?: Role;
  /** The state of the fresh bid the changer's success runs on (default draft). */
  freshBid?: BidName;
  /** Path parameters other than the bid's and the round's (`:key`, `:userId`); see fill(). */
  params?: () => Record<string, string>;
}

const NIL = '00000000-0000-4000-8000-000000000000';
/** The matrix round's criteria: "need" is changed through its page, "spare" removed through its own. */
const MATRIX_CRITERIA = [
  { key: 'need', name: 'Evidence of need', guidance: '', weight: 3, allowNotApplicable: false },
  { key: 'spare', name: 'Spare', guidance: '', weight: 1, allowNotApplicable: true },
];
const DEFAULT_LABELS = ['Registered number checked against the public register', 'Latest accounts seen', 'Safeguarding policy in date', "Bank account in the organisation's name", 'Project within the area', 'No excluded purpose'];
const DEFAULT_CHECKLIST_ITEMS = DEFAULT_KEYS.map((key, i) => ({ key, label: DEFAULT_LABELS[i] }));
const section = (detail: any, key: string) => detail.sections.find((s: any) => s.key === key);
const READERS_SEE: Role[] = ['owner', 'grants_officer', 'auditor'];

/** Every application and attachment route, by "METHOD path" as the route table lists it. */
const ROUTES: Record<string, RouteCase> = {
  // ---- API: applications
  'GET /api/v1/applications': { row: API_LIST, shows: READERS_SEE },
  'POST /api/v1/applications': { row: API_CREATE, changes: true },
  'GET /api/v1/applications/:id': { row: API_READ, bid: 'sent' },
  'PATCH /api/v1/applications/:id': {
    row: API_CHANGE,
    ok: 200,
    changes: true,
    body: (d) => ({ version: d.version, projectTitle: 'Changed through the matrix' }),
    notEditable: [{ bid: 'sent', status: 409 }],
  },
  'PUT /api/v1/applications/:id/sections/:key': {
    row: API_CHANGE,
    ok: 200,
    changes: true,
    body: (d) => ({ answers: { ...COMPLETE_NEED_ANSWERS, need: 'Changed through the matrix' }, version: section(d, 'need').version, completed: true }),
    notEditable: [{ bid: 'sent', status: 409 }],
  },
  'GET /api/v1/applications/:id/budget-lines': { row: API_READ, bid: 'sent' },
  'POST /api/v1/applications/:id/budget-lines': {
    row: API_CHANGE,
    ok: 201,
    changes: true,
    body: () => ({ item: 'Matrix line', category: 'other', amountPence: 100 }),
    notEditable: [{ bid: 'sent', status: 409 }],
  },
  'GET /api/v1/applications/:id/budget-lines/:lineId': { row: API_READ, bid: 'sent' },
  'PATCH /api/v1/applications/:id/budget-lines/:lineId': {
    row: API_CHANGE,
    ok: 200,
    changes: true,
    body: (d) => ({ version: d.budgetLines[0].version, item: 'Changed through the matrix' }),
    notEditable: [{ bid: 'sent', status: 409 }],
  },
  'DELETE /api/v1/applications/:id/budget-lines/:lineId': {
    row: API_CHANGE,
    ok: 200,
    changes: true,
    query: (d) => ({ version: d.budgetLines[0].version }),
    notEditable: [{ bid: 'sent', status: 409 }],
  },
  'POST /api/v1/applications/:id/submit': {
    row: API_CHANGE,
    ok: 200,
    changes: true,
    submits: true,
    body: () => ({ declaration: { name: 'Matrix Owner', confirmed: true } }),
    notEditable: [{ bid: 'sent', status: 409 }],
  },
  'POST /api/v1/applications/:id/withdraw': { row: API_CHANGE, ok: 200, changes: true, body: () => ({ reason: 'Withdrawn through the matrix' }) },
  'GET /api/v1/applications/:id/history': { row: API_READ, bid: 'sent' },
  'POST /api/v1/rounds/:id/eligibility-check': { row: 'public', body: () => ({ answers: [] }) },
  'GET /api/v1/rounds/:id/applications.csv': { row: API_EXPORT, shows: ['grants_officer', 'auditor'] },

  // ---- API: assessment (the bid's assessors and moderation)
  'POST /api/v1/applications/:id/assignments': { row: API_ASSESSMENT_OFFICER, bid: 'sent', body: () => ({ userId: '00000000-0000-4000-8000-000000000000' }) },
  'DELETE /api/v1/applications/:id/assignments/:userId': { row: API_ASSESSMENT_OFFICER, bid: 'sent' },
  'POST /api/v1/applications/:id/moderation': { row: API_ASSESSMENT_OFFICER, bid: 'sent', body: () => ({ scorePercent: 50, reason: 'Matrix' }) },

  // ---- API: attachments
  'GET /api/v1/applications/:id/attachments': { row: API_READ, bid: 'sent' },
  'POST /api/v1/applications/:id/attachments': {
    row: API_CHANGE,
    ok: 201,
    changes: true,
    multipart: true,
    notEditable: [
      { bid: 'sent', status: 409 },
      { bid: 'moreInfo', status: 409 },
    ],
  },
  'GET /api/v1/applications/:id/attachments/:attachmentId': { row: API_READ, bid: 'sent' },
  'GET /api/v1/applications/:id/attachments/:attachmentId/content': { row: API_READ, bid: 'sent' },
  'DELETE /api/v1/applications/:id/attachments/:attachmentId': {
    row: API_CHANGE,
    ok: 204,
    changes: true,
    notEditable: [
      { bid: 'sent', status: 409 },
      { bid: 'moreInfo', status: 409 },
    ],
  },

  // ---- API: screening and the more-information loop
  'POST /api/v1/applications/:id/resubmit': { row: API_CHANGE, ok: 200, changes: true, freshBid: 'moreInfo', notEditable: [{ bid: 'sent', status: 409 }] },
  'GET /api/v1/screening/queue': { row: API_SCREEN_READ, shows: ['grants_officer', 'auditor'] },
  'GET /api/v1/rounds/:id/screening-checklist': { row: API_SCREEN_READ },
  // The matrix's round has a screened bid (the moreInfo one), so its checklist is frozen: the officer is refused too (success: screening-checklist-pages.test.ts).
  'PUT /api/v1/rounds/:id/screening-checklist': { row: API_SCREEN_CHANGE, ok: 409, body: () => ({ items: DEFAULT_CHECKLIST_ITEMS }) },
  'GET /api/v1/applications/:id/screening': { row: API_SCREEN_READ, bid: 'sent' },
  'POST /api/v1/applications/:id/screening': {
    row: API_SCREEN_CHANGE,
    ok: 201,
    changes: true,
    changer: 'grants_officer',
    freshBid: 'sent',
    bid: 'sent',
    body: () => ({ outcome: 'pass', checklist: fullChecklist() }),
  },
  'POST /api/v1/applications/:id/screening/start': { row: API_SCREEN_CHANGE, ok: 200, changes: true, changer: 'grants_officer', freshBid: 'sent', bid: 'sent' },
  'POST /api/v1/applications/:id/register-checks': {
    row: API_SCREEN_CHANGE,
    ok: 201,
    changes: true,
    changer: 'grants_officer',
    freshBid: 'sent',
    bid: 'sent',
    body: () => ({ registeredNumber: '1234567', nameShown: 'Matrix Owner Group', status: 'Registered', checkedAt: new Date(Date.now() - 60_000).toISOString() }),
  },

  // ---- pages: eligibility (anyone), starting a bid, the dashboard
  'GET /rounds/:roundId/eligibility': { row: 'public' },
  'GET /rounds/:roundId/eligibility/not-eligible': { row: 'public' },
  'GET /rounds/:roundId/eligibility/result': { row: 'public' },
  'GET /rounds/:roundId/eligibility/:n': { row: 'public' },
  'POST /rounds/:roundId/eligibility/:n': { row: 'public', body: () => ({ answer: 'yes' }) },
  'GET /rounds/:roundId/apply': { row: PAGE_ANY_USER },
  'POST /rounds/:roundId/apply': { row: PAGE_CREATE, changes: true },
  'GET /dashboard': { row: PAGE_ANY_USER, shows: ['owner'] },

  // ---- pages: the applicant's journey
  'GET /applications/:id': { row: PAGE_MEMBER, ok: 200 },
  'GET /applications/:id/project': { row: PAGE_MEMBER, ok: 200 },
  'POST /applications/:id/project': {
    row: PAGE_MEMBER,
    ok: 303,
    changes: true,
    body: (d) => ({ projectTitle: 'Changed on the page', projectSummary: 'A summary', completed: 'no', version: String(d.version) }),
    notEditable: [{ bid: 'sent', status: 303 }],
  },
  'GET /applications/:id/sections/:key': { row: PAGE_MEMBER, ok: 200 },
  'POST /applications/:id/sections/:key': {
    row: PAGE_MEMBER,
    ok: 303,
    changes: true,
    body: (d) => ({ 'answers.need': 'Changed on the page', completed: 'no', version: String(section(d, 'need').version) }),
    notEditable: [{ bid: 'sent', status: 303 }],
  },
  'GET /applications/:id/budget': { row: PAGE_MEMBER, ok: 200 },
  'POST /applications/:id/budget': {
    row: PAGE_MEMBER,
    ok: 303,
    changes: true,
    body: (d) => ({ completed: 'no', version: String(section(d, '_budget').version) }),
    notEditable: [{ bid: 'sent', status: 303 }],
  },
  'GET /applications/:id/budget/add': { row: PAGE_MEMBER, ok: 200 },
  'POST /applications/:id/budget/add': {
    row: PAGE_MEMBER,
    ok: 303,
    changes: true,
    body: () => ({ item: 'Page line', category: 'other', amount: '10' }),
    notEditable: [{ bid: 'sent', status: 303 }],
  },
  'GET /applications/:id/budget/:lineId/edit': { row: PAGE_MEMBER, ok: 200 },
  'POST /applications/:id/budget/:lineId/edit': {
    row: PAGE_MEMBER,
    ok: 303,
    changes: true,
    body: (d) => ({ item: 'Changed on the page', category: 'other', amount: '20', version: String(d.budgetLines[0].version) }),
    notEditable: [{ bid: 'sent', status: 303 }],
  },
  'GET /applications/:id/budget/:lineId/remove': { row: PAGE_MEMBER, ok: 200 },
  'POST /applications/:id/budget/:lineId/remove': {
    row: PAGE_MEMBER,
    ok: 303,
    changes: true,
    body: (d) => ({ version: String(d.budgetLines[0].version) }),
    notEditable: [{ bid: 'sent', status: 303 }],
  },
  'GET /applications/:id/check-answers': { row: PAGE_MEMBER, ok: 200 },
  'POST /applications/:id/check-answers': {
    row: PAGE_MEMBER,
    ok: 303,
    changes: true,
    submits: true,
    body: () => ({ name: 'Matrix Owner', confirmed: 'yes' }),
    notEditable: [{ bid: 'sent', status: 303 }],
  },
  'GET /applications/:id/confirmation': { row: PAGE_MEMBER, ok: 200, bid: 'sent' },
  'GET /applications/:id/withdraw': { row: PAGE_MEMBER, ok: 200 },
  'POST /applications/:id/withdraw': { row: PAGE_MEMBER, ok: 303, changes: true, body: () => ({ reason: 'Withdrawn on the page' }) },
  'GET /applications/:id/history': { row: PAGE_MEMBER, ok: 200, bid: 'sent' },
  'POST /applications/:id/resubmit': { row: PAGE_MEMBER, ok: 303, changes: true, freshBid: 'moreInfo', notEditable: [{ bid: 'sent', status: 409 }] },

  // ---- pages: attachments
  'GET /applications/:id/attachments': { row: PAGE_FILES_READ, bid: 'sent' },
  'POST /applications/:id/attachments': {
    row: PAGE_FILES_CHANGE,
    ok: 303,
    changes: true,
    multipart: true,
    notEditable: [
      { bid: 'sent', status: 409 },
      { bid: 'moreInfo', status: 409 },
    ],
  },
  'GET /applications/:id/attachments/:attachmentId': { row: PAGE_FILES_READ, bid: 'sent' },
  'GET /applications/:id/attachments/:attachmentId/remove': {
    row: PAGE_FILES_CHANGE,
    ok: 200,
    notEditable: [
      { bid: 'sent', status: 409 },
      { bid: 'moreInfo', status: 409 },
    ],
  },
  'POST /applications/:id/attachments/:attachmentId/remove': {
    row: PAGE_FILES_CHANGE,
    ok: 303,
    changes: true,
    notEditable: [
      { bid: 'sent', status: 409 },
      { bid: 'moreInfo', status: 409 },
    ],
  },

  // ---- pages: staff
  'GET /staff/applications': { row: PAGE_STAFF, shows: ['grants_officer', 'auditor'] },
  'GET /staff/applications/:id': { row: PAGE_STAFF, bid: 'sent' },
  'GET /staff/rounds/:roundId/applications.csv': { row: PAGE_STAFF, shows: ['grants_officer', 'auditor'] },

  // ---- pages: screening
  'GET /staff/screening': { row: PAGE_STAFF, shows: ['grants_officer', 'auditor'] },
  'GET /staff/screening/:id': { row: PAGE_STAFF, bid: 'sent' },
  'POST /staff/screening/:id': {
    row: PAGE_SCREEN_CHANGE,
    ok: 303,
    changes: true,
    changer: 'grants_officer',
    freshBid: 'sent',
    bid: 'sent',
    body: () => ({ outcome: 'pass', ...Object.fromEntries(fullChecklist().map((c) => [`result-${c.key}`, 'pass'])) }),
  },
  'POST /staff/screening/:id/start': { row: PAGE_SCREEN_CHANGE, ok: 303, changes: true, changer: 'grants_officer', freshBid: 'sent', bid: 'sent' },
  'POST /staff/screening/:id/register-check': {
    row: PAGE_SCREEN_CHANGE,
    ok: 303,
    changes: true,
    changer: 'grants_officer',
    freshBid: 'sent',
    bid: 'sent',
    body: () => ({ registeredNumber: '1234567', nameShown: 'Matrix Owner Group', registerStatus: 'Registered' }),
  },
  'GET /staff/rounds/:roundId/screening-checklist': { row: PAGE_STAFF },
  'POST /staff/rounds/:roundId/screening-checklist': {
    row: PAGE_SCREEN_CHANGE,
    ok: 409,
    body: () => ({ key: DEFAULT_CHECKLIST_ITEMS.map((i) => i.key), label: DEFAULT_CHECKLIST_ITEMS.map((i) => i.label) }),
  },

  // ---- API: assessment set-up, conflicts, queues, assessments, lists and ranking (on the matrix's round and bids)
  'GET /api/v1/rounds/:id/criteria': { row: API_OFFICER_READ },
  'PUT /api/v1/rounds/:id/criteria': { row: API_OFFICER_CHANGE, ok: 200, changes: true, changer: 'grants_officer', body: () => ({ criteria: MATRIX_CRITERIA, assessorsPerBid: 2, moderationThreshold: 20 }) },
  'GET /api/v1/rounds/:id/assessors': { row: API_OFFICER_READ },
  'PUT /api/v1/rounds/:id/assessors': { row: API_OFFICER_CHANGE, ok: 200, changes: true, changer: 'grants_officer', body: () => ({ assessors: [{ userId: users.assessor!.id, capacity: 2 }] }) },
  'POST /api/v1/conflicts': { row: API_CONFLICT_DECLARE, body: () => ({ organisationId: NIL, reason: 'Matrix' }) },
  'GET /api/v1/conflicts': { row: API_CONFLICTS_READ },
  'GET /api/v1/me/assessments': { row: API_MY_QUEUE },
  'GET /api/v1/assessments/:id': { row: API_ASSESSMENT_READ, bid: 'sent' },
  'PUT /api/v1/assessments/:id': { row: API_ASSESSOR_ONLY, bid: 'sent', body: () => ({ scores: [], recommendation: 'fund' }) },
  'POST /api/v1/assessments/:id/no-conflict': { row: API_ASSESSOR_ONLY, bid: 'sent' },
  'POST /api/v1/assessments/:id/submit': { row: API_ASSESSOR_ONLY, bid: 'sent' },
  'PUT /api/v1/assessments/:id/due-date': { row: API_ASSESSMENT_OFFICER, bid: 'sent', body: () => ({ dueOn: londonDaysFromNow(7) }) },
  'GET /api/v1/unassigned-applications': { row: API_OFFICER_READ },
  'GET /api/v1/flagged-applications': { row: API_OFFICER_READ },
  'GET /api/v1/rounds/:id/ranking': { row: API_OFFICER_READ },
  'GET /api/v1/rounds/:id/ranking.csv': { row: API_OFFICER_READ },

  // ---- pages: the assessor's queue and scoring
  'GET /assessments': { row: PAGE_ASSESSOR_QUEUE },
  'GET /assessments/:id': { row: PAGE_ASSESSOR_404, bid: 'sent' },
  'POST /assessments/:id': { row: PAGE_ASSESSOR_404, bid: 'sent', body: () => ({ action: 'save' }) },
  'POST /assessments/:id/no-conflict': { row: PAGE_ASSESSOR_404, bid: 'sent', body: () => ({ conflict: 'none' }) },

  // ---- pages: officers' assessment lists, a bid's assessors, moderation, ranking
  'GET /staff/assessment/unassigned': { row: PAGE_STAFF },
  'GET /staff/assessment/flagged': { row: PAGE_STAFF },
  'POST /staff/assessment/flagged/:applicationId': { row: PAGE_OFFICER_404, bid: 'sent', body: () => ({ scorePercent: '50', reason: 'Matrix' }) },
  'GET /staff/assessment/applications/:applicationId': { row: PAGE_STAFF_404, bid: 'sent' },
  'POST /staff/assessment/applications/:applicationId/assignments': { row: PAGE_OFFICER_404, bid: 'sent', body: () => ({ userId: users.assessor!.id }) },
  'POST /staff/assessment/applications/:applicationId/assignments/:userId/remove': { row: PAGE_OFFICER_404, bid: 'sent', params: () => ({ userId: users.assessor!.id }) },
  'POST /staff/assessment/applications/:applicationId/assessments/:assessmentId/due-date': { row: PAGE_OFFICER_404, bid: 'sent', body: () => ({ 'dueOn-day': '1', 'dueOn-month': '1', 'dueOn-year': '2099' }) },
  'GET /staff/rounds/:id/ranking': { row: PAGE_STAFF },

  // ---- pages: a round's assessment set-up (criteria, settings, pool)
  'GET /staff/rounds/:id/assessment': { row: PAGE_STAFF },
  'GET /staff/rounds/:id/assessment/settings': { row: PAGE_OFFICER },
  'POST /staff/rounds/:id/assessment/settings': {
    row: PAGE_OFFICER_CHANGE,
    ok: 303,
    changes: true,
    changer: 'grants_officer',
    body: () => ({ assessorsPerBid: '2', moderationThreshold: '25', dueDays: '14' }),
  },
  'GET /staff/rounds/:id/assessment/criteria/new': { row: PAGE_OFFICER },
  'POST /staff/rounds/:id/assessment/criteria/new': {
    row: PAGE_OFFICER_CHANGE,
    ok: 303,
    changes: true,
    changer: 'grants_officer',
    body: () => ({ name: 'Matrix added', guidance: '', weight: '1', allowNotApplicable: 'no' }),
  },
  'GET /staff/rounds/:id/assessment/criteria/:key': { row: PAGE_OFFICER },
  'POST /staff/rounds/:id/assessment/criteria/:key': {
    row: PAGE_OFFICER_CHANGE,
    ok: 303,
    changes: true,
    changer: 'grants_officer',
    body: () => ({ name: 'Evidence of need', guidance: 'Changed through the matrix', weight: '3', allowNotApplicable: 'no' }),
  },
  'GET /staff/rounds/:id/assessment/criteria/:key/remove': { row: PAGE_OFFICER },
  'POST /staff/rounds/:id/assessment/criteria/:key/remove': { row: PAGE_OFFICER_CHANGE, ok: 303, changes: true, changer: 'grants_officer', params: () => ({ key: 'spare' }) },
  'GET /staff/rounds/:id/assessment/assessors': { row: PAGE_OFFICER },
  'POST /staff/rounds/:id/assessment/assessors': {
    row: PAGE_OFFICER_CHANGE,
    ok: 303,
    changes: true,
    changer: 'grants_officer',
    body: () => ({ userId: poolNewcomer.id, capacity: '3' }),
  },
  'POST /staff/rounds/:id/assessment/assessors/:userId': {
    row: PAGE_OFFICER_CHANGE,
    ok: 303,
    changes: true,
    changer: 'grants_officer',
    body: () => ({ capacity: '4' }),
    params: () => ({ userId: users.assessor!.id }),
  },
  'POST /staff/rounds/:id/assessment/assessors/:userId/remove': { row: PAGE_OFFICER_CHANGE, ok: 303, changes: true, changer: 'grants_officer', params: () => ({ userId: poolNewcomer.id }) },
};

/** The routes of the applications and attachments domains, found in the route table by path. */
const inScope = (r: RouteInfo) =>
  /^\/(api\/v1\/)?applications(\/|$)/.test(r.path) ||
  r.path.startsWith('/staff/applications') ||
  r.path.endsWith('/applications.csv') ||
  r.path === '/dashboard' ||
  r.path.startsWith('/staff/screening') ||
  r.path.startsWith('/api/v1/screening') ||
  r.path.endsWith('/screening-checklist') ||
  /^\/rounds\/:roundId\/(apply|eligibility)/.test(r.path) ||
  r.path === '/api/v1/rounds/:id/eligibility-check' ||
  r.controller.startsWith('Assessment') ||
  r.controller.startsWith('Screening');

// ---------------------------------------------------------------- fixtures

let t: TestApp;
let api: ApiClient;
let round: TestRound;
let ownerOrgId: string;
const users: Partial<Record<Role, TestUser>> = {};
const tokens: Partial<Record<Role, string>> = {};
const cookies: Partial<Record<Role, string>> = {};
const csrfs: Partial<Record<Role, string>> = {};
const bids = {} as Record<BidName, Bid>;
/** An assessor outside the round's pool, whom the pool page adds (and then removes). */
let poolNewcomer: TestUser;
const SECRET_FILE = 'matrix-evidence.pdf';

function fileForm(csrf?: string): FormData {
  const body = new FormData();
  if (csrf) body.append('_csrf', csrf);
  body.append('kind', 'other');
  body.append('file', new Blob([new Uint8Array(minimalPdf())], { type: 'application/pdf' }), SECRET_FILE);
  return body;
}

/**
 * A draft of the owner's organisation with one budget line and one file; complete when it is to be
 * submitted (then submitted, or asked for more information).
 */
async function makeBid(state: BidName, complete = state !== 'draft'): Promise<Bid> {
  const token = tokens.owner!;
  const started = await startApplication(api, token, round, ownerOrgId);
  if (complete) await completeApplication(api, token, round, started.id);
  else await api.post(`/api/v1/applications/${started.id}/budget-lines`, { item: 'Youth worker sessions', category: 'staff', amountPence: 250050 }, { token });
  const uploaded = await fetch(`${t.url}/api/v1/applications/${started.id}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: fileForm() });
  if (uploaded.status !== 201) throw new Error(`Could not upload: ${uploaded.status} ${await uploaded.text()}`);
  const attachmentId = ((await uploaded.json()) as { id: string }).id;
  let reference: string | null = null;
  if (state !== 'draft') {
    const sent = await api.post(`/api/v1/applications/${started.id}/submit`, { declaration: { name: 'Matrix Owner', confirmed: true } }, { token });
    if (sent.status !== 200) throw new Error(`Could not submit: ${sent.status} ${sent.text}`);
    reference = sent.body.reference;
  }
  // More information about the need section and the accounts only: the bid's file (kind "other") stays closed.
  if (state === 'moreInfo') {
    const asked = await api.post(
      `/api/v1/applications/${started.id}/screening`,
      { outcome: 'more_info', checklist: [], sections: ['need'], attachmentKinds: ['accounts'], message: 'Tell us more about the need.', respondBy: londonDaysFromNow(14) },
      { token: tokens.grants_officer },
    );
    if (asked.status !== 201) throw new Error(`Could not ask for more information: ${asked.status} ${asked.text}`);
  }
  const detail = (await api.get(`/api/v1/applications/${started.id}`, { token })).body;
  return { id: started.id, lineId: detail.budgetLines[0].id, attachmentId, reference };
}

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  api = apiClient(t.url);
  round = await createOpenRound(t.db);
  users.owner = await createUser(t.db, { fullName: 'Matrix Owner' });
  users.stranger = await createUser(t.db, { fullName: 'Matrix Stranger' });
  for (const role of ['grants_officer', 'assessor', 'panel_member', 'finance_officer', 'administrator', 'auditor'] as const) {
    users[role] = await createUser(t.db, { roles: [role] });
  }
  ownerOrgId = (await createOrganisation(t.db, users.owner, { name: 'Matrix Owner Group' })).id;
  await createOrganisation(t.db, users.stranger, { name: 'Matrix Stranger Group' });
  for (const role of ROLES) {
    const user = users[role];
    if (!user) continue;
    tokens[role] = await tokenFor(t, user);
    cookies[role] = await signInAs(t, user);
    csrfs[role] = await csrfTokenFor(t, cookies[role]!, '/account');
  }
  // An anonymous visitor with a session and its CSRF token, so a refused POST is about access, not CSRF.
  const signIn = await fetch(`${t.url}/sign-in`);
  cookies.anonymous = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
  csrfs.anonymous = csrfIn(await signIn.text());
  // The round's assessment set-up, for its pages to change: two criteria and the matrix's assessor in the pool.
  poolNewcomer = await createUser(t.db, { roles: ['assessor'], fullName: 'Pool Newcomer' });
  const criteria = await api.put(`/api/v1/rounds/${round.roundId}/criteria`, { criteria: MATRIX_CRITERIA, assessorsPerBid: 2, moderationThreshold: 20 }, { token: tokens.grants_officer });
  const poolSet = await api.put(`/api/v1/rounds/${round.roundId}/assessors`, { assessors: [{ userId: users.assessor!.id, capacity: 2 }] }, { token: tokens.grants_officer });
  if (criteria.status !== 200 || poolSet.status !== 200) throw new Error(`Could not set up assessment: ${criteria.status} ${poolSet.status}`);
  bids.draft = await makeBid('draft', true);
  bids.sent = await makeBid('sent');
  bids.moreInfo = await makeBid('moreInfo');
});

afterAll(async () => {
  await t?.close();
});

// ---------------------------------------------------------------- calling a route

/** Everything a refused request must leave alone: the organisation's bids, their parts, the audit trail. */
async function snapshot(): Promise<unknown> {
  const bidsNow = await t.db.query(
    `SELECT a.id, a.status, a.version, a.project_title, a.amount_requested_pence, a.reference, a.updated_at,
            (SELECT json_agg(json_build_array(s.section_key, s.status, s.version, s.answers) ORDER BY s.section_key) FROM application_sections s WHERE s.application_id = a.id) AS sections,
            (SELECT json_agg(json_build_array(b.id, b.version, b.item) ORDER BY b.id) FROM budget_lines b WHERE b.application_id = a.id) AS lines,
            (SELECT json_agg(f.id ORDER BY f.id) FROM attachments f WHERE f.application_id = a.id) AS files,
            (SELECT count(*)::int FROM application_transitions tr WHERE tr.application_id = a.id) AS transitions
       FROM applications a ORDER BY a.id`,
  );
  // Taking an export is recorded (who took one), and changes nothing else.
  const [{ audits }] = await t.db.query(`SELECT count(*)::int AS audits FROM audit_events WHERE action <> 'round.applications_exported'`);
  return { bids: bidsNow, audits };
}

function fill(path: string, bid: Bid, params: Record<string, string> = {}): string {
  return path
    .replace(/^(\/api\/v1\/rounds|\/rounds|\/staff\/rounds)\/:(id|roundId)/, (_m, prefix: string) => `${prefix}/${round.roundId}`)
    .replace(':id', bid.id)
    .replace(':applicationId', bid.id)
    .replace(':assessmentId', NIL)
    .replace(':userId', params.userId ?? NIL)
    .replace(':key', params.key ?? 'need')
    .replace(':lineId', bid.lineId)
    .replace(':attachmentId', bid.attachmentId)
    .replace(':n', '1');
}

interface Answer {
  status: number;
  text: string;
  location: string | null;
}

async function call(role: Role, method: string, path: string, spec: RouteCase, bid: Bid): Promise<Answer> {
  const detail = spec.body || spec.query ? (await api.get(`/api/v1/applications/${bid.id}`, { token: tokens.owner })).body : null;
  let body: Record<string, unknown> | undefined = spec.body?.(detail);
  if (method === 'POST' && path.endsWith('/api/v1/applications')) body = { roundId: round.roundId, potId: round.pots[0].id, organisationId: ownerOrgId };
  if (method === 'POST' && path.startsWith('/rounds/') && path.endsWith('/apply')) body = { organisationId: ownerOrgId, potId: round.pots[0].id };
  const url = fill(path, bid, spec.params?.()) + (spec.query ? `?${new URLSearchParams(Object.entries(spec.query(detail)).map(([k, v]): [string, string] => [k, String(v)]))}` : '');
  let response: Response;
  if (path.startsWith('/api/')) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (tokens[role]) headers.authorization = `Bearer ${tokens[role]}`;
    if (spec.multipart) {
      response = await fetch(t.url + url, { method, headers, body: fileForm(), redirect: 'manual' });
    } else {
      if (body !== undefined) headers['content-type'] = 'application/json';
      response = await fetch(t.url + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    }
  } else {
    const cookie = method === 'GET' && role === 'anonymous' ? undefined : cookies[role];
    const headers: Record<string, string> = cookie ? { cookie } : {};
    if (method === 'GET') {
      response = await fetch(t.url + url, { headers, redirect: 'manual' });
    } else if (spec.multipart) {
      // The page sends its token as the first multipart field (never in the address).
      response = await fetch(t.url + url, { method, headers, body: fileForm(csrfs[role]), redirect: 'manual' });
    } else {
      const form = new URLSearchParams({ _csrf: csrfs[role]! });
      for (const [key, value] of Object.entries(body ?? {})) {
        if (Array.isArray(value)) for (const v of value) form.append(key, String(v));
        else form.set(key, String(value));
      }
      response = await fetch(t.url + url, {
        method,
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'manual',
      });
    }
  }
  const text = Buffer.from(await response.arrayBuffer()).toString('latin1');
  return { status: response.status, text, location: response.headers.get('location') };
}

const expectedStatus = (spec: RouteCase, role: Role): number => {
  const status = (spec.row as Row)[role];
  return status === OK ? spec.ok! : status;
};

/** Calls the route as every role; returns the differences from the matrix (empty when it holds). */
async function walk(key: string): Promise<string[]> {
  const spec = ROUTES[key];
  const [method, path] = key.split(' ');
  const problems: string[] = [];
  const anonymous = spec.row === 'public' ? (await call('anonymous', method, path, spec, bids[spec.bid ?? 'draft'])).status : 0;
  for (const role of ROLES) {
    const expected = spec.row === 'public' ? anonymous : expectedStatus(spec, role);
    // The member's allowed change runs on a fresh draft; every other call must leave everything as it was.
    const fresh = role === (spec.changer ?? 'owner') && !!spec.changes;
    const freshState = spec.freshBid ?? 'draft';
    const bid = fresh ? await makeBid(freshState, freshState !== 'draft' || !!spec.submits) : bids[spec.bid ?? 'draft'];
    const before = JSON.stringify(await snapshot());
    const answer = await call(role, method, path, spec, bid);
    if (answer.status !== expected) problems.push(`${role}: expected ${expected}, got ${answer.status}`);
    if (answer.status >= 500) problems.push(`${role}: server error ${answer.text.slice(0, 200)}`);
    if (role === 'anonymous' && !path.startsWith('/api/') && answer.status === 303 && spec.row !== 'public' && answer.location !== '/sign-in') {
      problems.push(`anonymous: redirected to ${answer.location}, not /sign-in`);
    }
    const changed = JSON.stringify(await snapshot()) !== before;
    if (changed !== fresh) problems.push(`${role}: the request ${changed ? 'changed something' : 'changed nothing, although it should have'}`);
    if (answer.status >= 400 && (answer.text.includes(SECRET_FILE) || answer.text.includes('Safe evenings for young people'))) {
      problems.push(`${role}: a refusal shows the bid's contents`);
    }
    if (spec.shows && answer.status === 200) {
      const seen = await shows(role, method, path, spec, answer);
      if (seen !== spec.shows.includes(role)) problems.push(`${role}: ${seen ? 'sees' : 'does not see'} the submitted bid`);
    }
  }
  for (const { bid, status } of spec.notEditable ?? []) {
    const before = await snapshot();
    const answer = await call('owner', method, path, spec, bids[bid]);
    if (answer.status !== status) problems.push(`owner on the ${bid} bid: expected ${status}, got ${answer.status}`);
    if (JSON.stringify(await snapshot()) !== JSON.stringify(before)) problems.push(`owner on the ${bid} bid: the request changed something`);
  }
  return problems;
}

/** Whether a list, dashboard or export answer includes the submitted bid (all of its pages). */
async function shows(role: Role, method: string, path: string, spec: RouteCase, first: Answer): Promise<boolean> {
  const sent = bids.sent;
  if (path === '/api/v1/applications') {
    const res = await api.get('/api/v1/applications?status=submitted&pageSize=200', { token: tokens[role] });
    return res.body.items.some((i: { id: string }) => i.id === sent.id);
  }
  if (path.endsWith('.csv')) return first.text.includes(sent.reference!);
  let html = first.text;
  for (let page = 2; page <= 4; page++) html += (await call(role, method, `${path}?page=${page}`, spec, sent)).text;
  return html.includes(sent.id);
}

// ---------------------------------------------------------------- the matrix

describe('the route table', () => {
  it('lists exactly the routes this matrix classifies (a new route must be added here)', () => {
    const found = listRoutes(t.app).filter(inScope).map((r) => `${r.method} ${r.path}`).sort();
    expect(found).toEqual(Object.keys(ROUTES).sort());
  });
});

describe('every application and attachment route, for every single role', () => {
  it.each(Object.keys(ROUTES))('%s', async (key) => {
    expect(await walk(key)).toEqual([]);
  });
});
