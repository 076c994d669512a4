import { assertReturnMove, canMoveReturn, RETURN_ACTORS, RETURN_STATUSES, returnCan } from './return-lifecycle.js';

describe('the return lifecycle table', () => {
  const allowed = RETURN_STATUSES.flatMap((from) => RETURN_STATUSES.flatMap((to) => RETURN_ACTORS.filter((by) => canMoveReturn(from, to, by)).map((by) => `${from}->${to} by ${by}`)));

  it('allows exactly these moves', () => {
    expect(allowed.sort()).toEqual(
      [
        'due->draft by applicant',
        'draft->submitted by applicant',
        'submitted->accepted by grants_officer',
        'submitted->changes_requested by grants_officer',
        'changes_requested->submitted by applicant',
      ].sort(),
    );
  });

  it('refuses a missing move with 409 and the wrong actor with 403', () => {
    const refusal = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return e as { code: string; status: number };
      }
      return null;
    };
    expect(refusal(() => assertReturnMove('accepted', 'submitted', 'applicant'))).toMatchObject({ code: 'MONITORING.ILLEGAL_TRANSITION', status: 409 });
    expect(refusal(() => assertReturnMove('submitted', 'accepted', 'applicant'))).toMatchObject({ code: 'MONITORING.TRANSITION_NOT_PERMITTED', status: 403 });
    expect(() => assertReturnMove('draft', 'submitted', 'applicant')).not.toThrow();
  });

  it('lets the organisation edit until it is sent in, and again when changes are asked for; reminders stop once it was sent', () => {
    expect(RETURN_STATUSES.filter((s) => returnCan(s).editable)).toEqual(['due', 'draft', 'changes_requested']);
    expect(RETURN_STATUSES.filter((s) => returnCan(s).reviewable)).toEqual(['submitted']);
    expect(RETURN_STATUSES.filter((s) => returnCan(s).reminded)).toEqual(['due', 'draft']);
  });
});
