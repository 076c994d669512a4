import { followTotal } from './payment-plan.js';

const i = (id: string, amountPence: number, floorPence = 0) => ({ id, amountPence, floorPence });

describe('followTotal: a schedule following its award’s new amount', () => {
  it('puts an increase on the last instalment not fully paid', () => {
    expect(followTotal([i('a', 500, 500), i('b', 500, 0)], 1300)).toEqual({ amounts: new Map([['b', 800]]), addPence: 0, shortPence: 0 });
    expect(followTotal([i('a', 500, 0), i('b', 500, 500)], 1300)).toEqual({ amounts: new Map([['a', 800]]), addPence: 0, shortPence: 0 });
  });

  it('adds a new instalment when every instalment is fully paid', () => {
    expect(followTotal([i('a', 500, 500), i('b', 500, 500)], 1200)).toEqual({ amounts: new Map(), addPence: 200, shortPence: 0 });
  });

  it('takes a decrease off the last instalments first, never below what was paid, removing one brought to nothing', () => {
    expect(followTotal([i('a', 500, 500), i('b', 300, 0), i('c', 200, 0)], 700)).toEqual({ amounts: new Map([['c', 0], ['b', 200]]), addPence: 0, shortPence: 0 });
    expect(followTotal([i('a', 500, 200), i('b', 500, 450)], 700)).toEqual({ amounts: new Map([['b', 450], ['a', 250]]), addPence: 0, shortPence: 0 });
  });

  it('says what could not come off because payments hold it', () => {
    expect(followTotal([i('a', 500, 500), i('b', 500, 400)], 800)).toEqual({ amounts: new Map([['b', 400]]), addPence: 0, shortPence: 100 });
  });

  it('changes nothing when the total already matches', () => {
    expect(followTotal([i('a', 500), i('b', 500)], 1000)).toEqual({ amounts: new Map(), addPence: 0, shortPence: 0 });
  });
});
