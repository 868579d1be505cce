// Request handling of the orders API: GET /orders/:id, POST /orders/:id/refunds, the undo
// POST /refunds/:id/reverse (or POST /refunds/reverse by the refund's key) and POST /emails. Every
// POST needs an Idempotency-Key, claimed in the books with the action, so a retry never acts twice.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BookingSimulatorRequestError } from './errors';
import { readJson, send } from './http-io';
import type { OrderRoute } from './order-endpoints';
import { serveWithFaults, type RouteContext } from './serve-with-faults';
import type { OrderSubject } from './stats';
import type { PerformOutcome } from './store';

const BODY_SCHEMAS = {
  'refund-order': z.strictObject({ amountCents: z.number().int().positive(), reason: z.string().max(1_000).optional() }),
  'reverse-refund': z.strictObject({ refundKey: z.string().min(1).max(500).optional(), reason: z.string().max(1_000).optional() }),
  'send-email': z.strictObject({ to: z.email(), subject: z.string().min(1).max(300), body: z.string().min(1).max(20_000), orderId: z.string().min(1).max(100).optional() }),
};

function idempotencyKey(req: IncomingMessage): string | null {
  const raw = req.headers['idempotency-key'];
  return (Array.isArray(raw) ? raw.at(-1) : raw) ?? null;
}

async function lookup(ctx: RouteContext, orderId: string): Promise<PerformOutcome> {
  const order = ctx.orders.orders.get(orderId);
  if (!order) return { status: 404, body: { error: { code: 'order_not_found', message: `order ${orderId} does not exist; check the order ID (seeded orders are ord-1001 onwards)` } }, replayed: false, effect: 'nothing' };
  const refunds = await ctx.orders.refunds({ orderId });
  const refunded = refunds.filter((r) => r.status === 'refunded').reduce((sum, r) => sum + r.amountCents, 0);
  return {
    status: 200,
    body: { ...order, refundedCents: refunded, refundableCents: order.totalCents - refunded, refunds: refunds.map((r) => ({ refundId: r.refundId, amountCents: r.amountCents, status: r.status })) },
    replayed: false,
    effect: 'nothing',
  };
}

export async function handleOrders(req: IncomingMessage, res: ServerResponse, ctx: RouteContext, route: OrderRoute): Promise<void> {
  const { endpoint } = route;
  const key = endpoint === 'get-order' ? null : idempotencyKey(req);
  const entry = ctx.ledger.received(endpoint, key);
  if (endpoint === 'get-order') return serveWithFaults(res, ctx, endpoint, entry, () => lookup(ctx, route.id!));

  let act: () => Promise<PerformOutcome>;
  let subject: OrderSubject;
  try {
    if (!key) throw new BookingSimulatorRequestError(400, 'idempotency_key_missing', `${endpoint} needs an Idempotency-Key header; send one key per action and reuse it on every retry`);
    const parsed = BODY_SCHEMAS[endpoint].safeParse(await readJson(req));
    if (!parsed.success) throw new BookingSimulatorRequestError(400, 'invalid_request', `${endpoint}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
    const orders = ctx.orders;
    if (endpoint === 'refund-order') {
      const body = parsed.data as z.infer<(typeof BODY_SCHEMAS)['refund-order']>;
      const orderId = route.id!;
      subject = { orderId, amountCents: body.amountCents };
      act = () => ctx.store.perform(endpoint, key, { orderId, ...body }, (tx) => orders.refund(tx, key, orderId, body.amountCents, body.reason ?? null));
    } else if (endpoint === 'reverse-refund') {
      const body = parsed.data as z.infer<(typeof BODY_SCHEMAS)['reverse-refund']>;
      const refundId = route.id;
      const refundKey = body.refundKey;
      if ((refundId === null) === (refundKey === undefined)) {
        throw new BookingSimulatorRequestError(400, 'invalid_request', 'reverse-refund: name the refund by its ID in the path (POST /refunds/:id/reverse) or by its key in the body of POST /refunds/reverse, not both');
      }
      subject = {};
      act = () => ctx.store.perform(endpoint, key, { refundId, refundKey }, (tx) => (refundId !== null ? orders.reverseById(tx, refundId) : orders.reverseByKey(tx, refundKey!)));
    } else {
      const body = parsed.data as z.infer<(typeof BODY_SCHEMAS)['send-email']>;
      subject = { to: body.to, orderId: body.orderId };
      act = () => ctx.store.perform(endpoint, key, body, (tx) => orders.sendEmail(tx, key, body));
    }
  } catch (err) {
    if (!(err instanceof BookingSimulatorRequestError)) throw err;
    ctx.ledger.refusedBeforeBooks();
    ctx.ledger.answered(entry, err.status);
    send(res, err.status, { error: { code: err.code, message: err.message } });
    return;
  }
  return serveWithFaults(res, ctx, endpoint, entry, act, subject);
}
