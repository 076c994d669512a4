import { DomainError } from '../common/errors.js';
import { assertAwardMove, AWARD_ACTORS, AWARD_CAPABILITIES, AWARD_STATUSES, AWARD_TRANSITIONS, canMoveAward, COMMITTED_STATUSES, type AwardActor, type AwardStatus } from './award-lifecycle.js';

/** The moves the issue names, written out once more by hand: the table must say exactly this. */
const EXPECTED: Record<string, AwardActor[]> = {
  'provisional>offered': ['panel'],
  'provisional>cancelled': ['panel'],
  'offered>accepted': ['applicant'],
  'offered>declined': ['applicant'],
  'offered>expired': ['system'],
  'offered>withdrawn': ['grants_officer'],
  'accepted>active': ['finance_officer', 'system'],
  'active>monitoring': ['grants_officer', 'system'],
  'monitoring>closed': ['grants_officer'],
};

const codeOf = (work: () => void): string | null => {
  try {
    work();
    return null;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return `${error.status} ${error.code}`;
  }
};

describe('the award lifecycle table', () => {
  const every: [AwardStatus, AwardStatus, AwardActor][] = AWARD_STATUSES.flatMap((from) => AWARD_STATUSES.flatMap((to) => AWARD_ACTORS.map((by): [AwardStatus, AwardStatus, AwardActor] => [from, to, by])));

  it(`answers every one of the ${AWARD_STATUSES.length}×${AWARD_STATUSES.length}×${AWARD_ACTORS.length} (from, to, by) as the issue says`, () => {
    const wrong: string[] = [];
    for (const [from, to, by] of every) {
      const allowed = EXPECTED[`${from}>${to}`];
      const expected = !allowed ? '409 AWARD.ILLEGAL_TRANSITION' : allowed.includes(by) ? null : '403 AWARD.TRANSITION_NOT_PERMITTED';
      const got = codeOf(() => assertAwardMove(from, to, by));
      if (got !== expected) wrong.push(`${from} -> ${to} by ${by}: expected ${expected ?? 'allowed'}, got ${got ?? 'allowed'}`);
      if (canMoveAward(from, to, by) !== (expected === null)) wrong.push(`${from} -> ${to} by ${by}: canMoveAward disagrees`);
    }
    expect(wrong).toEqual([]);
  });

  it('has no move beyond the ones listed, and every end state is final', () => {
    const moves = AWARD_STATUSES.flatMap((from) => Object.keys(AWARD_TRANSITIONS[from]).map((to) => `${from}>${to}`));
    expect(moves.sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const end of ['declined', 'expired', 'withdrawn', 'cancelled', 'closed'] as const) expect(AWARD_TRANSITIONS[end]).toEqual({});
  });

  it('gives each status its capabilities', () => {
    const visible = AWARD_STATUSES.filter((s) => AWARD_CAPABILITIES[s].visibleToApplicant);
    expect(visible).toEqual(['offered', 'accepted', 'declined', 'expired', 'withdrawn', 'active', 'monitoring', 'closed']);
    expect(AWARD_STATUSES.filter((s) => AWARD_CAPABILITIES[s].acceptable)).toEqual(['offered']);
    expect(AWARD_STATUSES.filter((s) => AWARD_CAPABILITIES[s].payable)).toEqual(['accepted', 'active', 'monitoring']);
    expect(AWARD_STATUSES.filter((s) => AWARD_CAPABILITIES[s].changeable)).toEqual(['provisional']);
    expect(AWARD_STATUSES.filter((s) => AWARD_CAPABILITIES[s].variable)).toEqual(['accepted', 'active', 'monitoring']);
    // The ledger invariant: these statuses' amounts are the pot's committed money.
    expect(COMMITTED_STATUSES).toEqual(['provisional', 'offered', 'accepted', 'active', 'monitoring', 'closed']);
  });

  it('a move out of the committed statuses is exactly a move that releases money', () => {
    const releasing = AWARD_STATUSES.flatMap((from) => Object.keys(AWARD_TRANSITIONS[from]).map((to) => [from, to as AwardStatus] as const)).filter(
      ([from, to]) => AWARD_CAPABILITIES[from].committed && !AWARD_CAPABILITIES[to].committed,
    );
    expect(releasing.map(([f, t]) => `${f}>${t}`).sort()).toEqual(['offered>declined', 'offered>expired', 'offered>withdrawn', 'provisional>cancelled'].sort());
  });
});
