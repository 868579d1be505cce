// Request handling of the booking simulator: the six booking endpoints (each needs an
// Idempotency-Key), the admin routes, and the dispatch to the orders API (order-routes.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
export type { RouteContext } from './serve-with-faults';
import type { PoolClient } from 'pg';
import { z } from 'zod';
import { ENDPOINT_KIND, endpointFor, type BookingEndpoint } from './endpoints';
import { BookingSimulatorConfigError, BookingSimulatorRequestError } from './errors';
import { readJson, send } from './http-io';
import { checkSettings } from './faults';
import { handleOrderAdmin } from './order-admin';
import { orderRouteFor } from './order-endpoints';
import { handleOrders } from './order-routes';
import { serveWithFaults, type RouteContext } from './serve-with-faults';


/** A card token that every charge declines (402), recorded under the key like a real refusal. */
export const DECLINED_CARD_TOKEN = 'tok_declined';

const tripId = z.string().min(1).max(300);
const BODY_SCHEMAS: Record<BookingEndpoint, z.ZodType> = {
  'reserve-flight': z.object({ tripId, from: z.string().min(1).max(10), to: z.string().min(1).max(10), date: z.string().min(1).max(40), passenger: z.string().min(1).max(200) }),
  'reserve-hotel': z.object({ tripId, city: z.string().min(1).max(200), checkIn: z.string().min(1).max(40), nights: z.number().int().min(1).max(365), guest: z.string().min(1).max(200) }),
  'charge-card': z.object({ tripId, amountCents: z.number().int().positive(), currency: z.string().length(3), cardToken: z.string().min(1).max(200) }),
  'cancel-flight': z.object({ reservationKey: z.string().min(1).max(500) }),
  'cancel-hotel': z.object({ reservationKey: z.string().min(1).max(500) }),
  'refund-charge': z.object({ chargeKey: z.string().min(1).max(500) }),
};

function work(ctx: RouteContext, endpoint: BookingEndpoint, key: string, body: Record<string, unknown>) {
  return async (tx: PoolClient) => {
    const { store } = ctx;
    switch (endpoint) {
      case 'reserve-flight':
      case 'reserve-hotel': {
        const { tripId: trip, ...details } = body;
        return { response: await store.create(tx, ENDPOINT_KIND[endpoint], key, trip as string, details), effect: 'created' as const };
      }
      case 'charge-card': {
        if (body.cardToken === DECLINED_CARD_TOKEN) {
          return { response: store.refusal(402, 'card_declined', `the card was declined (trip ${String(body.tripId)}); ask the traveller for another card`), effect: 'nothing' as const };
        }
        const { tripId: trip, amountCents, currency } = body;
        return { response: await store.create(tx, 'charge', key, trip as string, { currency }, amountCents as number), effect: 'created' as const };
      }
      case 'cancel-flight':
      case 'cancel-hotel':
        return store.undo(tx, endpoint, key, body.reservationKey as string);
      case 'refund-charge':
        return store.undo(tx, endpoint, key, body.chargeKey as string);
    }
  };
}

async function handleBooking(req: IncomingMessage, res: ServerResponse, ctx: RouteContext, endpoint: BookingEndpoint): Promise<void> {
  const rawKey = req.headers['idempotency-key'];
  const key = (Array.isArray(rawKey) ? rawKey.at(-1) : rawKey) ?? null;
  const entry = ctx.ledger.received(endpoint, key);
  let body: Record<string, unknown>;
  try {
    if (!key) throw new BookingSimulatorRequestError(400, 'idempotency_key_missing', `${endpoint} needs an Idempotency-Key header; send one key per action and reuse it on every retry`);
    const parsed = BODY_SCHEMAS[endpoint].safeParse(await readJson(req));
    if (!parsed.success) throw new BookingSimulatorRequestError(400, 'invalid_request', `${endpoint}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
    body = parsed.data as Record<string, unknown>;
  } catch (err) {
    if (!(err instanceof BookingSimulatorRequestError)) throw err;
    ctx.ledger.refusedBeforeBooks();
    ctx.ledger.answered(entry, err.status);
    send(res, err.status, { error: { code: err.code, message: err.message } });
    return;
  }

  await serveWithFaults(res, ctx, endpoint, entry, () => ctx.store.perform(endpoint, key, body, work(ctx, endpoint, key, body)));
}

async function handleAdmin(req: IncomingMessage, res: ServerResponse, ctx: RouteContext, url: URL): Promise<boolean> {
  const route = `${req.method} ${url.pathname}`;
  switch (route) {
    case 'GET /healthz':
      send(res, 200, { ok: true });
      return true;
    case 'GET /admin/stats':
      send(res, 200, ctx.ledger.stats());
      return true;
    case 'GET /admin/requests': {
      const limit = url.searchParams.get('limit');
      send(res, 200, { requests: ctx.ledger.requests(limit ? Number(limit) : undefined) });
      return true;
    }
    case 'GET /admin/config':
      send(res, 200, { faults: ctx.faults.list() });
      return true;
    case 'POST /admin/config': {
      try {
        const settings = checkSettings(await readJson(req));
        if (settings.faults) ctx.faults.set(settings.faults);
        send(res, 200, { faults: ctx.faults.list() });
      } catch (err) {
        if (!(err instanceof BookingSimulatorConfigError || err instanceof BookingSimulatorRequestError)) throw err;
        send(res, 400, { error: { code: 'invalid_settings', message: err.message } });
      }
      return true;
    }
    case 'POST /admin/reset':
      ctx.ledger.reset();
      send(res, 200, ctx.ledger.stats());
      return true;
    default:
      return false;
  }
}

export async function dispatch(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://booking-simulator');
  const endpoint = endpointFor(req.method ?? 'GET', url.pathname);
  if (endpoint) return handleBooking(req, res, ctx, endpoint);
  const orderRoute = orderRouteFor(req.method ?? 'GET', url.pathname);
  if (orderRoute) return handleOrders(req, res, ctx, orderRoute);
  if (await handleAdmin(req, res, ctx, url)) return;
  if (await handleOrderAdmin(req, res, ctx, url)) return;
  send(res, 404, { error: { code: 'unknown_route', message: `no route ${req.method} ${url.pathname}` } });
}
