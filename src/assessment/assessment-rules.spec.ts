import fc from 'fast-check';
import { chooseAssessors, needsModeration, rankBids, scoreErrors, weightedScore, type CriterionDef, type PoolMember } from './assessment-rules.js';

const criteria: CriterionDef[] = [
  { key: 'need', name: 'Need', guidance: '', weight: 3, allowNotApplicable: false },
  { key: 'delivery', name: 'Delivery', guidance: '', weight: 2, allowNotApplicable: false },
  { key: 'partners', name: 'Partners', guidance: '', weight: 1, allowNotApplicable: true },
];
const s = (criterionKey: string, score: number | null) => ({ criterionKey, score, comment: 'ok' });

describe('weighted score (hand-worked)', () => {
  it('sums score/5 × weight over the weights, out of 100', () => {
    // (4/5·3 + 3/5·2 + 5/5·1) / 6 × 100 = (2.4 + 1.2 + 1) / 6 × 100 = 76.67
    expect(weightedScore(criteria, [s('need', 4), s('delivery', 3), s('partners', 5)])).toBe(76.67);
    // all fives = 100, all zeros = 0
    expect(weightedScore(criteria, [s('need', 5), s('delivery', 5), s('partners', 5)])).toBe(100);
    expect(weightedScore(criteria, [s('need', 0), s('delivery', 0), s('partners', 0)])).toBe(0);
  });

  it('not applicable leaves the weighting instead of counting as 0', () => {
    // (4/5·3 + 3/5·2) / 5 × 100 = 3.6 / 5 × 100 = 72
    expect(weightedScore(criteria, [s('need', 4), s('delivery', 3), s('partners', null)])).toBe(72);
    // were N/A a 0: 3.6 / 6 × 100 = 60, which it is not
    expect(weightedScore(criteria, [s('need', 4), s('delivery', 3), s('partners', 0)])).toBe(60);
    expect(weightedScore(criteria, [])).toBeNull();
  });

  it('refuses scores off the scale, N/A where not allowed, long comments; submit asks for every criterion', () => {
    expect(scoreErrors(criteria, [s('need', 6)]).map((e) => e.code)).toEqual(['ASSESSMENT.SCORE_OUT_OF_SCALE']);
    expect(scoreErrors(criteria, [s('need', 2.5)]).map((e) => e.code)).toEqual(['ASSESSMENT.SCORE_OUT_OF_SCALE']);
    expect(scoreErrors(criteria, [s('need', null)]).map((e) => e.code)).toEqual(['ASSESSMENT.NOT_APPLICABLE_NOT_ALLOWED']);
    expect(scoreErrors(criteria, [s('partners', null)])).toEqual([]);
    expect(scoreErrors(criteria, [{ criterionKey: 'need', score: 3, comment: 'word '.repeat(251) }]).map((e) => e.code)).toEqual(['ASSESSMENT.COMMENT_TOO_LONG']);
    expect(scoreErrors(criteria, [{ criterionKey: 'need', score: 3, comment: 'word '.repeat(250) }])).toEqual([]);
    expect(scoreErrors(criteria, [s('need', 3)], { complete: true }).map((e) => e.code)).toEqual(['ASSESSMENT.INCOMPLETE', 'ASSESSMENT.INCOMPLETE']);
  });
});

describe('moderation threshold', () => {
  it('flags only a spread strictly over the threshold', () => {
    expect(needsModeration([60, 80], 20)).toBe(false);
    expect(needsModeration([60, 80.01], 20)).toBe(true);
    expect(needsModeration([90], 0)).toBe(false);
    expect(needsModeration([50, 55, 71], 20)).toBe(true);
  });
});

describe('ranking (hand-worked ties)', () => {
  it('ranks by score, then lower amount, then earlier submission, with the running total against the budget', () => {
    const day = (d: number) => new Date(Date.UTC(2026, 0, d));
    const ranked = rankBids(
      [
        { applicationId: 'a', reference: 'R-1', scorePercent: 70, amountRequestedPence: 5000, submittedAt: day(1) },
        { applicationId: 'b', reference: 'R-2', scorePercent: 80, amountRequestedPence: 6000, submittedAt: day(2) },
        { applicationId: 'c', reference: 'R-3', scorePercent: 70, amountRequestedPence: 4000, submittedAt: day(3) },
        { applicationId: 'd', reference: 'R-4', scorePercent: 70, amountRequestedPence: 4000, submittedAt: day(2) },
      ],
      14000,
    );
    expect(ranked.map((r) => [r.rank, r.applicationId, r.runningTotalPence, r.withinBudget])).toEqual([
      [1, 'b', 6000, true],
      [2, 'd', 10000, true],
      [3, 'c', 14000, true],
      [4, 'a', 19000, false],
    ]);
  });
});

describe('assignment (property)', () => {
  const poolArb = fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { minLength: 0, maxLength: 12 }).chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: ids.length, maxLength: ids.length }),
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: ids.length, maxLength: ids.length }),
      fc.subarray(ids),
      fc.subarray(ids),
      fc.integer({ min: 0, max: 4 }),
    ),
  );

  it('never conflicted, never twice, within capacity, and open work balanced within one', () => {
    fc.assert(
      fc.property(poolArb, ([ids, capacities, opens, conflicts, already, needed]) => {
        const pool: PoolMember[] = ids.map((id, i) => ({ userId: `u${String(id).padStart(2, '0')}`, capacity: capacities[i], addedAt: new Date(1000 + ((id * 7) % 13)) }));
        const openCounts = new Map(pool.map((p, i) => [p.userId, opens[i]]));
        const conflicted = new Set(conflicts.map((id) => `u${String(id).padStart(2, '0')}`));
        const alreadyAssigned = new Set(already.map((id) => `u${String(id).padStart(2, '0')}`));
        const chosen = chooseAssessors({ pool, openCounts, conflicted, alreadyAssigned, needed });
        expect(new Set(chosen).size).toBe(chosen.length);
        expect(chosen.length).toBeLessThanOrEqual(needed);
        for (const id of chosen) {
          expect(conflicted.has(id)).toBe(false);
          expect(alreadyAssigned.has(id)).toBe(false);
          const member = pool.find((p) => p.userId === id)!;
          expect((openCounts.get(id) ?? 0) + 1).toBeLessThanOrEqual(member.capacity);
        }
        const eligible = pool.filter((p) => !conflicted.has(p.userId) && !alreadyAssigned.has(p.userId) && (openCounts.get(p.userId) ?? 0) < p.capacity);
        expect(chosen.length).toBe(Math.min(needed, eligible.length));
        // Nobody left out had fewer open assessments than someone chosen.
        const maxChosen = Math.max(-1, ...chosen.map((id) => openCounts.get(id) ?? 0));
        for (const p of eligible) if (!chosen.includes(p.userId)) expect(openCounts.get(p.userId) ?? 0).toBeGreaterThanOrEqual(maxChosen);
      }),
      { numRuns: 500 },
    );
  });

  it('assigning bid after bid from an empty start keeps open work within one among the eligible', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 30 }), (size, perBid, bids) => {
        const pool: PoolMember[] = Array.from({ length: size }, (_, i) => ({ userId: `u${i}`, capacity: 1000, addedAt: new Date(i) }));
        const open = new Map(pool.map((p) => [p.userId, 0]));
        for (let b = 0; b < bids; b++) {
          for (const id of chooseAssessors({ pool, openCounts: open, conflicted: new Set(), alreadyAssigned: new Set(), needed: perBid })) open.set(id, open.get(id)! + 1);
        }
        const counts = [...open.values()];
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('breaks ties by the earliest added to the pool, then user id', () => {
    const pool: PoolMember[] = [
      { userId: 'b', capacity: 5, addedAt: new Date(2) },
      { userId: 'c', capacity: 5, addedAt: new Date(1) },
      { userId: 'a', capacity: 5, addedAt: new Date(2) },
    ];
    expect(chooseAssessors({ pool, openCounts: new Map(), conflicted: new Set(), alreadyAssigned: new Set(), needed: 2 })).toEqual(['c', 'a']);
  });
});
