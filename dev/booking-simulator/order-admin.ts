// Admin routes of the orders API, for tests and the demo: list and add orders, and read the refunds
// and emails in the books (the counters are in GET /admin/stats under `orders`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BookingSimulatorRequestError } from './errors';
import { readJson, send } from './http-io';
import { orderSchema, type Order } from './orders';
import type { RouteContext } from './serve-with-faults';

export async function handleOrderAdmin(req: IncomingMessage, res: ServerResponse, ctx: RouteContext, url: URL): Promise<boolean> {
  switch (`${req.method} ${url.pathname}`) {
    case 'GET /admin/orders':
      send(res, 200, { orders: ctx.orders.orders.list() });
      return true;
    case 'POST /admin/orders': {
      try {
        const parsed = z.strictObject({ orders: z.array(orderSchema).min(1) }).safeParse(await readJson(req));
        if (!parsed.success) throw new BookingSimulatorRequestError(400, 'invalid_orders', `orders: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
        ctx.orders.orders.add(parsed.data.orders as Order[]);
        send(res, 200, { added: parsed.data.orders.length });
      } catch (err) {
        if (!(err instanceof BookingSimulatorRequestError)) throw err;
        send(res, err.status, { error: { code: err.code, message: err.message } });
      }
      return true;
    }
    case 'GET /admin/refunds':
      send(res, 200, { refunds: await ctx.orders.refunds({ orderId: url.searchParams.get('orderId') ?? undefined }) });
      return true;
    case 'GET /admin/emails':
      send(res, 200, { emails: await ctx.orders.emails({ to: url.searchParams.get('to') ?? undefined }) });
      return true;
    default:
      return false;
  }
}
