import { DomainError } from '../common/errors.js';
import { APPLICATION_STATUSES, type ApplicationStatus } from './application.entity.js';
import { assertTransition, canTransition, isWithdrawable, mayChangePart, TRANSITION_ACTORS, type TransitionActor } from './application-lifecycle.js';

/** The lifecycle as the brief states it, written out independently of the table. */
const EXPECTED: [ApplicationStatus, ApplicationStatus, TransitionActor[]][] = [
  ['draft', 'submitted', ['applicant']],
  ['submitted', 'screening', ['grants_officer', 'system']],
  ['screening', 'more_info_requested', ['grants_officer']],
  ['screening', 'in_assessment', ['grants_officer']],
  ['screening', 'rejected', ['grants_officer']],
  ['more_info_requested', 'screening', ['applicant', 'grants_officer']],
  ['in_assessment', 'assessed', ['grants_officer', 'system']],
  ['assessed', 'at_panel', ['grants_officer']],
  ['at_panel', 'approved', ['panel_member', 'grants_officer']],
  ['at_panel', 'rejected', ['panel_member', 'grants_officer']],
  ['at_panel', 'deferred', ['panel_member', 'grants_officer']],
  ['deferred', 'at_panel', ['grants_officer']],
  ...(['draft', 'submitted', 'screening', 'more_info_requested', 'in_assessment', 'assessed', 'at_panel', 'deferred'] as ApplicationStatus[]).map(
    (from) => [from, 'withdrawn', ['applicant']] as [ApplicationStatus, ApplicationStatus, TransitionActor[]],
  ),
];

function expectedActors(from: ApplicationStatus, to: ApplicationStatus): TransitionActor[] {
  return EXPECTED.find(([f, t]) => f === from && t === to)?.[2] ?? [];
}

function errorOf(fn: () => void): DomainError | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error as DomainError;
  }
}

describe('application lifecycle', () => {
  const pairs = APPLICATION_STATUSES.flatMap((from) => APPLICATION_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s -> %s is allowed exactly for the actors the lifecycle names', (from, to) => {
    const actors = expectedActors(from, to);
    for (const by of TRANSITION_ACTORS) {
      const allowed = actors.includes(by);
      expect(canTransition(from, to, by)).toBe(allowed);
      const error = errorOf(() => assertTransition(from, to, by));
      if (allowed) {
        expect(error).toBeNull();
      } else if (actors.length === 0) {
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ kind: 'conflict', code: 'APPLICATION.ILLEGAL_TRANSITION', status: 409 });
      } else {
        expect(error).toMatchObject({ kind: 'forbidden', code: 'APPLICATION.TRANSITION_NOT_PERMITTED', status: 403 });
      }
    }
  });

  it('lets the applicant withdraw before a decision only', () => {
    expect(APPLICATION_STATUSES.filter(isWithdrawable)).toEqual([
      'draft',
      'submitted',
      'screening',
      'more_info_requested',
      'in_assessment',
      'assessed',
      'at_panel',
      'deferred',
    ]);
    for (const decided of ['approved', 'rejected', 'withdrawn'] as ApplicationStatus[]) {
      expect(errorOf(() => assertTransition(decided, 'withdrawn', 'applicant'))).toMatchObject({ code: 'APPLICATION.ILLEGAL_TRANSITION' });
    }
  });

  it('has no way out of a final decision', () => {
    for (const final of ['approved', 'rejected', 'withdrawn'] as ApplicationStatus[]) {
      for (const to of APPLICATION_STATUSES) {
        for (const by of TRANSITION_ACTORS) expect(canTransition(final, to, by)).toBe(false);
      }
    }
  });
});

describe('mayChangePart: the one rule for what may change now', () => {
  it('opens everything in a draft, only the reopened parts while more information is asked for, nothing otherwise', () => {
    const reopened = { reopenedSections: ['need'], reopenedAttachmentKinds: ['accounts'] };
    expect(mayChangePart({ status: 'draft' }, { section: 'anything' })).toBe(true);
    expect(mayChangePart({ status: 'more_info_requested', ...reopened }, { section: 'need' })).toBe(true);
    expect(mayChangePart({ status: 'more_info_requested', ...reopened }, { section: '_budget' })).toBe(false);
    expect(mayChangePart({ status: 'more_info_requested', ...reopened }, { attachmentKind: 'accounts' })).toBe(true);
    expect(mayChangePart({ status: 'more_info_requested', ...reopened }, { attachmentKind: 'other' })).toBe(false);
    expect(mayChangePart({ status: 'more_info_requested', ...reopened }, { section: null })).toBe(true);
    expect(mayChangePart({ status: 'more_info_requested', reopenedSections: [], reopenedAttachmentKinds: ['accounts'] }, { section: null })).toBe(false);
    for (const status of ['submitted', 'screening', 'in_assessment', 'rejected', 'withdrawn'] as const) {
      expect(mayChangePart({ status, ...reopened }, { section: 'need' })).toBe(false);
    }
  });
});
