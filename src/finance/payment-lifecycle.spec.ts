import { DomainError } from '../common/errors.js';
import { assertPaymentMove, canMovePayment, PAYMENT_ACTORS, PAYMENT_CAPABILITIES, PAYMENT_STATUSES, PAYMENT_TRANSITIONS, paymentCan } from './payment-lifecycle.js';

describe('the payment lifecycle', () => {
  it('allows exactly the moves of the table, each only by its actors', () => {
    const allowed: string[] = [];
    for (const from of PAYMENT_STATUSES) for (const to of PAYMENT_STATUSES) for (const by of PAYMENT_ACTORS) if (canMovePayment(from, to, by)) allowed.push(`${from}>${to}:${by}`);
    expect(allowed.sort()).toEqual(['awaiting_approval>paid:other_finance_officer', 'awaiting_approval>rejected:other_finance_officer', 'awaiting_approval>rejected:recorder', 'recorded>paid:recorder'].sort());
  });

  it('refuses the recorder approving their own payment with 403, and a move the table lacks with 409', () => {
    const own = (() => {
      try {
        assertPaymentMove('awaiting_approval', 'paid', 'recorder');
      } catch (e) {
        return e as DomainError;
      }
    })();
    expect(own).toMatchObject({ code: 'FINANCE.APPROVE_OWN_PAYMENT', status: 403 });
    expect(() => assertPaymentMove('paid', 'rejected', 'other_finance_officer')).toThrow(/cannot become rejected/);
    expect(() => assertPaymentMove('awaiting_approval', 'paid', 'other_finance_officer')).not.toThrow();
  });

  it('counts only paid money, and holds back money waiting for approval', () => {
    expect(PAYMENT_STATUSES.filter((s) => paymentCan(s).counted)).toEqual(['paid']);
    expect(PAYMENT_STATUSES.filter((s) => PAYMENT_CAPABILITIES[s].reservesMoney).sort()).toEqual(['awaiting_approval', 'paid', 'recorded']);
    // Only a payment waiting for a decision has moves out that another officer makes.
    for (const s of PAYMENT_STATUSES) expect(paymentCan(s).awaitsDecision).toBe(!!PAYMENT_TRANSITIONS[s].rejected);
  });
});
