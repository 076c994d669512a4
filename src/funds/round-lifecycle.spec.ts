import { DomainError } from '../common/errors.js';
import { assertRoundTransition, ROUND_TRANSITIONS, roundTransitionsFrom, type RoundMover } from './round-lifecycle.js';
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
