import { DomainError } from '../common/errors.js';
import { assertClawbackMove, CLAWBACK_ACTORS, CLAWBACK_CAPABILITIES, CLAWBACK_STATUSES, clawbackStatusFor, OPEN_CLAWBACK_STATUSES, type ClawbackActor } from './clawback-lifecycle.js';

/** The moves the issue names (raised → partly_repaid → repaid | cancelled), written out by hand. */
const EXPECTED: Record<string, ClawbackActor[]> = {
  'raised>partly_repaid': ['repayment'],
  'raised>repaid': ['repayment'],
  'raised>cancelled': ['grants_officer'],
  'partly_repaid>partly_repaid': ['repayment'],
  'partly_repaid>repaid': ['repayment'],
  'partly_repaid>cancelled': ['grants_officer'],
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

describe('the clawback lifecycle table', () => {
  it('answers every (from, to, by) as the issue says', () => {
    const wrong: string[] = [];
    for (const from of CLAWBACK_STATUSES) {
      for (const to of CLAWBACK_STATUSES) {
        for (const by of CLAWBACK_ACTORS) {
          const allowed = EXPECTED[`${from}>${to}`];
          const expected = !allowed ? '409 CLAWBACK.ILLEGAL_TRANSITION' : allowed.includes(by) ? null : '403 CLAWBACK.TRANSITION_NOT_PERMITTED';
          const got = codeOf(() => assertClawbackMove(from, to, by));
          if (got !== expected) wrong.push(`${from} -> ${to} by ${by}: expected ${expected ?? 'allowed'}, got ${got ?? 'allowed'}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('is open while money is owed, and reaches repaid once all of it came in', () => {
    expect(OPEN_CLAWBACK_STATUSES).toEqual(['raised', 'partly_repaid']);
    expect(CLAWBACK_STATUSES.filter((s) => CLAWBACK_CAPABILITIES[s].cancellable)).toEqual(['raised', 'partly_repaid']);
    expect([clawbackStatusFor(1000, 0), clawbackStatusFor(1000, 1), clawbackStatusFor(1000, 999), clawbackStatusFor(1000, 1000)]).toEqual(['raised', 'partly_repaid', 'partly_repaid', 'repaid']);
  });
});
