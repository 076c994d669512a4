import { APPLICATION_STATUSES, type ApplicationStatus } from '../../applications/application.types.js';
import type { AuthenticatedUser } from '../authenticated-user.js';
import { STAFF_ROLES, type StaffRole } from '../roles.js';
import {
  APPLICATION_ACTIONS,
  applicationRefusalError,
  judgeApplication,
  listScope,
  standingFrom,
  type ApplicationAction,
  type ApplicationRefusal,
} from './application.policy.js';

const person = (roles: StaffRole[]): AuthenticatedUser => ({ id: 'u', email: 'u@example.test', fullName: 'U', roles, emailVerified: true, via: 'token' });

/**
 * The rule as the brief states it, written out independently of the code: members of the owning
 * organisation, grants officers and auditors read a bid; only members change it, only while it is
 * a draft; auditors never change anything; everyone else is told it does not exist.
 */
function expected(roles: StaffRole[], member: boolean, status: ApplicationStatus, action: ApplicationAction): ApplicationRefusal | null {
  const reader = member || roles.includes('grants_officer') || roles.includes('auditor');
  if (!reader) return 'hidden';
  if (action === 'read' || action === 'read_files') return null;
  if (!member) return 'forbidden';
  if (roles.includes('auditor')) return 'read_only';
  if (action === 'act_for') return null;
  return status === 'draft' ? null : 'not_editable';
}

describe('judgeApplication', () => {
  const roleSets: StaffRole[][] = [[], ...STAFF_ROLES.map((r) => [r]), [...STAFF_ROLES]];
  it.each(roleSets.flatMap((roles) => [true, false].map((member) => [roles.join('+') || 'no role', member, roles] as const)))(
    '%s, member=%s: every status and action as the rule says',
    (_name, member, roles) => {
      const standing = standingFrom(person([...roles]), member);
      for (const status of APPLICATION_STATUSES) {
        for (const action of APPLICATION_ACTIONS) {
          expect([status, action, judgeApplication(standing, status, action)]).toEqual([status, action, expected([...roles], member, status, action)]);
        }
      }
    },
  );

  it('never lets an assessor, panel member, finance officer or administrator who is not a member see a bid or its files', () => {
    for (const role of ['assessor', 'panel_member', 'finance_officer', 'administrator'] as const) {
      for (const status of APPLICATION_STATUSES) {
        expect(judgeApplication(standingFrom(person([role]), false), status, 'read_files')).toBe('hidden');
      }
    }
  });

  it('judges staff as applicants only on their own pages (asMember): a grants officer who is not a member sees nothing there', () => {
    const officer = person(['grants_officer', 'auditor']);
    expect(judgeApplication(standingFrom(officer, false, { asMember: true }), 'submitted', 'read')).toBe('hidden');
    expect(judgeApplication(standingFrom(officer, true, { asMember: true }), 'submitted', 'read')).toBeNull();
    expect(judgeApplication(standingFrom(officer, false), 'submitted', 'read')).toBeNull();
  });

  it('keeps files closed while more information is asked for, unless their kind was reopened', () => {
    const member = standingFrom(person([]), true);
    expect(judgeApplication(member, 'more_info_requested', 'change_files')).toBe('not_editable');
    const reopened = { reopenedSections: ['need'], reopenedAttachmentKinds: ['accounts'] };
    expect(judgeApplication(member, 'more_info_requested', 'change_files', reopened)).toBeNull();
    expect(judgeApplication(member, 'more_info_requested', 'change_files', reopened, { attachmentKind: 'accounts' })).toBeNull();
    expect(judgeApplication(member, 'more_info_requested', 'change_files', reopened, { attachmentKind: 'other' })).toBe('not_editable');
    expect(judgeApplication(member, 'more_info_requested', 'change', reopened, { section: 'need' })).toBeNull();
    expect(judgeApplication(member, 'more_info_requested', 'change', reopened, { section: '_budget' })).toBe('not_editable');
    // Reopened parts never open a bid in any other status, nor to staff readers.
    expect(judgeApplication(member, 'screening', 'change', reopened, { section: 'need' })).toBe('not_editable');
    expect(judgeApplication(standingFrom(person(['auditor']), false), 'more_info_requested', 'change', reopened, { section: 'need' })).toBe('forbidden');
  });
});

describe('refusal errors', () => {
  it('map to 404, 403 and 409 with the documented codes', () => {
    expect(applicationRefusalError('hidden', 'draft', 'read_files')).toMatchObject({ status: 404, code: 'APPLICATION.NOT_FOUND' });
    expect(applicationRefusalError('forbidden', 'draft', 'change')).toMatchObject({ status: 403, code: 'APPLICATION.MEMBERS_ONLY' });
    expect(applicationRefusalError('forbidden', 'draft', 'change_files')).toMatchObject({ status: 403, code: 'ATTACHMENT.MEMBERS_ONLY' });
    expect(applicationRefusalError('read_only', 'draft', 'change')).toMatchObject({ status: 403, code: 'ACCESS.READ_ONLY' });
    expect(applicationRefusalError('not_editable', 'submitted', 'change')).toMatchObject({ status: 409, code: 'APPLICATION.NOT_EDITABLE', extra: { applicationStatus: 'submitted' } });
    expect(applicationRefusalError('not_editable', 'more_info_requested', 'change_files')).toMatchObject({ status: 409, code: 'ATTACHMENT.NOT_REOPENED' });
    expect(applicationRefusalError('not_editable', 'more_info_requested', 'change')).toMatchObject({ status: 409, code: 'APPLICATION.PART_NOT_REOPENED' });
  });
});

describe('list scope', () => {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;

  it('shows readers every bid once sent (drafts when asked for by status)', () => {
    expect(listScope(true, []).where('a', param)).toBe(`a.status <> 'draft'`);
    expect(listScope(true, []).where('a', param, { includeDrafts: true })).toBe('TRUE');
  });

  it("shows anyone else their organisations' bids, and nothing when they have none", () => {
    params.length = 0;
    expect(listScope(false, ['o1', 'o2']).where('x', param)).toBe('x.organisation_id = ANY($1::uuid[])');
    expect(params).toEqual([['o1', 'o2']]);
    expect(listScope(false, []).where('a', param)).toBe('FALSE');
  });
});

describe('an assigned assessor (standing from the assessment port)', () => {
  const assigned = { member: false, readsAll: false, readOnly: false, assigned: true };
  it('reads the bid and its files, and changes nothing', () => {
    expect(judgeApplication(assigned, 'in_assessment', 'read')).toBeNull();
    expect(judgeApplication(assigned, 'in_assessment', 'read_files')).toBeNull();
    expect(judgeApplication(assigned, 'in_assessment', 'change')).toBe('forbidden');
    expect(judgeApplication(assigned, 'in_assessment', 'act_for')).toBe('forbidden');
  });
  it('without the assignment (or with a conflict, which the port reports as not assigned) the bid is hidden', () => {
    expect(judgeApplication({ ...assigned, assigned: false }, 'in_assessment', 'read')).toBe('hidden');
  });
});

describe('a member of a panel meeting with the bid on its agenda (standing from the panels port)', () => {
  const onPanel = { member: false, readsAll: false, readOnly: false, onPanel: true };
  it('reads the bid, never its files (bank statements among them), and changes nothing', () => {
    expect(judgeApplication(onPanel, 'at_panel', 'read')).toBeNull();
    for (const action of ['read_files', 'change', 'change_files', 'act_for'] as const) expect(judgeApplication(onPanel, 'at_panel', action)).toBe('hidden');
  });
  it('off the agenda (or conflicted, which the port reports as not sitting) the bid is hidden', () => {
    expect(judgeApplication({ ...onPanel, onPanel: false }, 'at_panel', 'read')).toBe('hidden');
  });
});
