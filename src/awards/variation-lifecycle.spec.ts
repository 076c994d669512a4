import { DomainError } from '../common/errors.js';
import { assertVariationMove, canMoveVariation, OPEN_VARIATION_STATUSES, VARIATION_ACTORS, VARIATION_CAPABILITIES, VARIATION_STATUSES, type VariationActor } from './variation-lifecycle.js';

/** The moves the issue names, written out by hand: the table must say exactly this. */
const EXPECTED: Record<string, VariationActor[]> = {
  'requested>approved': ['grants_officer'],
  'requested>refused': ['grants_officer'],
  'requested>withdrawn': ['applicant'],
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

describe('the variation lifecycle table', () => {
  it('answers every (from, to, by) as the issue says', () => {
    const wrong: string[] = [];
    for (const from of VARIATION_STATUSES) {
      for (const to of VARIATION_STATUSES) {
        for (const by of VARIATION_ACTORS) {
          const allowed = EXPECTED[`${from}>${to}`];
          const expected = !allowed ? '409 VARIATION.ILLEGAL_TRANSITION' : allowed.includes(by) ? null : '403 VARIATION.TRANSITION_NOT_PERMITTED';
          const got = codeOf(() => assertVariationMove(from, to, by));
          if (got !== expected) wrong.push(`${from} -> ${to} by ${by}: expected ${expected ?? 'allowed'}, got ${got ?? 'allowed'}`);
          if (canMoveVariation(from, to, by) !== (expected === null)) wrong.push(`${from} -> ${to} by ${by}: canMoveVariation disagrees`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('gives each status its capabilities: only a requested variation is open, decidable and withdrawable', () => {
    expect(OPEN_VARIATION_STATUSES).toEqual(['requested']);
    expect(VARIATION_STATUSES.filter((s) => VARIATION_CAPABILITIES[s].decidable)).toEqual(['requested']);
    expect(VARIATION_STATUSES.filter((s) => VARIATION_CAPABILITIES[s].withdrawable)).toEqual(['requested']);
  });
});
