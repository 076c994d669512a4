import { DomainError } from '../common/errors.js';
import {
  assertRoundTransition,
  changeableRoundFields,
  isOpenForApplications,
  isRoundEditable,
  isRoundFormEditable,
  isRoundPublic,
  ROUND_CAPABILITIES,
  ROUND_TRANSITIONS,
  roundCan,
  roundTransitionsFrom,
  type RoundMover,
} from './round-lifecycle.js';
import { ROUND_STATUSES, type RoundStatus } from './round.entity.js';

/** Every allowed move, written out independently of the table: [from, to, movers]. */
const EXPECTED: [RoundStatus, RoundStatus, RoundMover[]][] = [
  ['draft', 'scheduled', ['grants_officer']],
  ['scheduled', 'draft', ['grants_officer']],
  ['draft', 'open', ['grants_officer']],
  ['scheduled', 'open', ['grants_officer', 'system']],
  ['open', 'closed', ['grants_officer', 'system']],
  ['closed', 'assessing', ['grants_officer']],
  ['assessing', 'decided', ['grants_officer']],
  ['decided', 'archived', ['grants_officer']],
];
const MOVERS: RoundMover[] = ['grants_officer', 'system'];

describe('round lifecycle', () => {
  const cases: [RoundStatus, RoundStatus, RoundMover][] = [];
  for (const from of ROUND_STATUSES) for (const to of ROUND_STATUSES) for (const by of MOVERS) cases.push([from, to, by]);

  it.each(cases)('%s -> %s by %s is allowed exactly when expected', (from, to, by) => {
    const allowed = EXPECTED.some(([f, t, movers]) => f === from && t === to && movers.includes(by));
    if (allowed) {
      expect(assertRoundTransition(from, to, by).to).toBe(to);
    } else {
      let error: unknown;
      try {
        assertRoundTransition(from, to, by);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).kind).toBe('conflict');
      expect((error as DomainError).code).toBe('ROUND.ILLEGAL_TRANSITION');
    }
  });

  it('has no transition the expectation does not list, and no duplicates', () => {
    expect(ROUND_TRANSITIONS).toHaveLength(EXPECTED.length);
    const keys = ROUND_TRANSITIONS.map((t) => `${t.from}>${t.to}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('never reopens a round or returns an open round to draft', () => {
    expect(() => assertRoundTransition('open', 'draft', 'grants_officer')).toThrow(DomainError);
    expect(() => assertRoundTransition('closed', 'open', 'grants_officer')).toThrow(DomainError);
    expect(() => assertRoundTransition('draft', 'open', 'system')).toThrow(DomainError);
  });

  it('offers the grants officer the moves from each status', () => {
    expect(roundTransitionsFrom('draft').map((t) => t.to).sort()).toEqual(['open', 'scheduled']);
    expect(roundTransitionsFrom('open').map((t) => t.to)).toEqual(['closed']);
    expect(roundTransitionsFrom('archived')).toEqual([]);
    expect(roundTransitionsFrom('scheduled', 'system').map((t) => t.to)).toEqual(['open']);
  });
});

describe('round capabilities, status by status', () => {
  /** Written out independently of the table: [editable, public, takes applications, form editable, fields that may change]. */
  const ALL = ['code', 'title', 'description', 'criteria', 'exclusions', 'opensAt', 'closesAt', 'totalBudgetPence'];
  const TEXTS = ['title', 'description', 'criteria', 'exclusions'];
  const EXPECTED_CAPABILITIES: Record<RoundStatus, [boolean, boolean, boolean, boolean, string[]]> = {
    draft: [true, false, false, true, ALL],
    scheduled: [false, true, false, false, [...TEXTS, 'closesAt']],
    open: [false, true, true, true, [...TEXTS, 'closesAt']],
    closed: [false, true, false, false, TEXTS],
    assessing: [false, true, false, false, TEXTS],
    decided: [false, true, false, false, TEXTS],
    archived: [false, true, false, false, []],
  };
  const closesAt = new Date('2030-01-01T12:00:00Z');

  it.each(ROUND_STATUSES.map((s) => [s]))('%s', (status) => {
    const [editable, visible, takesApplications, formEditable, fields] = EXPECTED_CAPABILITIES[status];
    expect(roundCan(status)).toMatchObject({ editable, publiclyVisible: visible, acceptsApplications: takesApplications, formEditable });
    expect(isRoundEditable(status)).toBe(editable);
    expect(isRoundPublic(status)).toBe(visible);
    expect(isRoundFormEditable(status)).toBe(formEditable);
    expect([...changeableRoundFields(status)]).toEqual(fields);
    // Open for applications: only while the status takes them, and strictly before the closing second.
    expect(isOpenForApplications({ status, closesAt }, new Date('2030-01-01T11:59:59.999Z'))).toBe(takesApplications);
    expect(isOpenForApplications({ status, closesAt }, new Date('2030-01-01T12:00:00.000Z'))).toBe(false);
    expect(isOpenForApplications({ status, closesAt: closesAt.toISOString() }, new Date('2029-06-01T00:00:00Z'))).toBe(takesApplications);
  });

  it('covers every status and no other', () => {
    expect(Object.keys(ROUND_CAPABILITIES).sort()).toEqual([...ROUND_STATUSES].sort());
  });

  it('never lets a round that is not set up yet take applications or be seen', () => {
    for (const status of ROUND_STATUSES) {
      if (roundCan(status).acceptsApplications) expect(roundCan(status).publiclyVisible).toBe(true);
      if (roundCan(status).editable) expect(roundCan(status).changeableFields).toBe('all');
    }
  });
});
