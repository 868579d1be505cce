// Chaos profile of the tool-using order-support agent: one complaint per seeded order (the chaos
// stack's orders API knows an order for every record number), the LLM simulator's `support` script
// (look the order up, refund its first item, email the customer, answer), business-key dedup on the
// order ID. Effects are the orders API's refunds and emails, counted per order: a second refund or
// email for one order is an effect applied twice, whichever run made it.
import { FIRST_ORDER_NUMBER, seededOrder } from '../../dev/booking-simulator/server';
import { DEFAULT_ORDER_SEED } from '../../dev/booking-simulator/orders';
import type { ChaosProfile } from './profile';

const COMPLAINTS = ['arrived damaged', 'is missing a part', 'stopped working after two days', 'is not what I ordered'];

/** The order a record number is about: `ord-1001` for record 0, one order per record. */
export const chaosOrderFor = (n: number) => seededOrder(DEFAULT_ORDER_SEED, FIRST_ORDER_NUMBER + n);

/** The workflow ID inside an effect's idempotency key (`workflowId/step`). */
const runOfKey = (key: string) => key.slice(0, key.lastIndexOf('/'));

export const orderSupportProfile: ChaosProfile = {
  workflowType: 'supportOrder',
  weight: 2,
  businessKeyDuplicates: true,
  // An email after a refund above 100.00 waits for a human; under chaos nobody answers, so the deadline
  // approves it after 2 s.
  route: () => ({ businessKey: { jsonField: 'orderId', horizonHours: 24 }, workflow: { review: { deadlineMs: 2_000, defaultDecision: 'approve' } } }),
  record(n, rng) {
    const order = chaosOrderFor(n);
    const message = `Complaint ${n}: my order ${order.orderId} ${rng.pick(COMPLAINTS)}; please refund the first item. sim-script: support`;
    return { key: order.orderId, value: JSON.stringify({ orderId: order.orderId, customerEmail: order.customerEmail, message }) };
  },
  async countEffects({ booking, failedRuns }) {
    const [refunds, emails] = await Promise.all([booking.refunds(), booking.emails()]);
    const perOrder = (rows: readonly { orderId: string | null }[]) => {
      const counts = new Map<string, number>();
      for (const r of rows) if (r.orderId) counts.set(r.orderId, (counts.get(r.orderId) ?? 0) + 1);
      return counts;
    };
    const extra = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const duplicates = extra(perOrder(refunds)) + extra(perOrder(emails));
    const compensations = refunds.filter((r) => r.status === 'reversed').length;
    // A run that failed after refunding must have reversed the refund (its saga's compensation).
    const leaks = refunds.filter((r) => r.status === 'refunded' && failedRuns.has(runOfKey(r.idempotencyKey))).length;
    return {
      effects: refunds.length + emails.length,
      duplicates,
      compensations,
      leaks,
      note: `${refunds.length} refunds (${compensations} reversed) and ${emails.length} emails`,
    };
  },
};
