// Starts and stops the booking API simulator: an HTTP server on node:http that reserves flights and
// hotels, charges cards and undoes each, and serves an orders API (lookups, refunds and their
// reversal, emails), honours Idempotency-Key (same key, same booking, recorded
// response replayed), keeps its books in PostgreSQL and fails on request. Test and demo
// infrastructure standing in for a real booking provider; BOOKING_API_URL points the workers at it.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPool, stderrPoolLog } from '../../lib/pg-pool';
import { isConnectionLoss } from '../../lib/pg-errors';
import { checkSettings, FaultBook, type BookingSimulatorSettings, type FaultSpec } from './faults';
import { dispatch } from './routes';
import { BookingLedger, type BookingStats, type LoggedBookingRequest } from './stats';
import { BookingStore, ensureBookingTables, type BookingEvent, type BookingRow } from './store';
import { ensureOrderTables, OrderStore, type EmailRow, type RefundRow } from './order-store';
import { DEFAULT_ORDER_COUNT, DEFAULT_ORDER_SEED, OrderBook, orderSchema, seedOrders, type Order } from './orders';

export { DECLINED_CARD_TOKEN } from './routes';
export { seedOrders, seededOrder, ORDER_ID_PATTERN, FIRST_ORDER_NUMBER } from './orders';
export type { BookingEvent, BookingRow, BookingStats, EmailRow, FaultSpec, LoggedBookingRequest, Order, RefundRow };

export interface BookingSimulatorOptions {
  readonly databaseUrl: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Scopes books and keys: simulators sharing one database never see each other's bookings. */
  readonly instance?: string;
  readonly faults?: readonly FaultSpec[];
  /** The seed of the orders it knows (1 by default): the same seed, the same orders. */
  readonly orderSeed?: number;
  /** How many seeded orders, `ord-1001` onwards (50 by default). */
  readonly orderCount?: number;
  /** Orders added to the seeded ones. */
  readonly orders?: readonly Order[];
}

export interface BookingSimulator {
  readonly url: string;
  readonly port: number;
  readonly instance: string;
  /** Replaces the fault list (counts start at zero); throws BookingSimulatorConfigError, changing nothing. */
  configure(settings: BookingSimulatorSettings): void;
  faults(): { spec: FaultSpec; fired: number }[];
  stats(): BookingStats;
  requests(limit?: number): LoggedBookingRequest[];
  /** Zeroes the counters and the request log; the books stay. */
  reset(): void;
  bookings(where?: { tripId?: string }): Promise<BookingRow[]>;
  /** The orders the orders API knows (seeded and added). */
  orders(): Order[];
  order(orderId: string): Order | undefined;
  /** Adds (or replaces) orders; checked like POST /admin/orders. */
  addOrders(orders: readonly Order[]): void;
  refunds(where?: { orderId?: string }): Promise<RefundRow[]>;
  emails(where?: { to?: string }): Promise<EmailRow[]>;
  events(): Promise<BookingEvent[]>;
  close(): Promise<void>;
}

export async function startBookingSimulator(opts: BookingSimulatorOptions): Promise<BookingSimulator> {
  const pool = createPool(opts.databaseUrl, stderrPoolLog, { name: 'booking-simulator', max: 8 });
  await ensureBookingTables(pool);
  await ensureOrderTables(pool);
  const instance = opts.instance ?? `booking-${randomBytes(4).toString('hex')}`;
  const store = new BookingStore(pool, instance);
  const orderBook = new OrderBook(seedOrders(opts.orderSeed ?? DEFAULT_ORDER_SEED, opts.orderCount ?? DEFAULT_ORDER_COUNT));
  const orders = new OrderStore(pool, instance, orderBook);
  if (opts.orders) orderBook.add(opts.orders.map((order) => orderSchema.parse(order) as Order));
  const faults = new FaultBook();
  if (opts.faults) faults.set(checkSettings({ faults: opts.faults }).faults ?? []);
  const ledger = new BookingLedger();
  const closing = new AbortController();
  const ctx = { store, orders, faults, ledger, closing: closing.signal };

  const server = createServer((req, res) => {
    dispatch(req, res, ctx).catch((err: unknown) => {
      if (closing.signal.aborted) return void res.destroy();
      // Its database restarting is an outage the caller retries, as with a real API: 503, one log line.
      const unavailable = isConnectionLoss(err);
      if (unavailable) console.error(`booking-simulator: ${req.method ?? ''} ${req.url ?? ''} answered 503: its database is unreachable (${(err as Error).message})`);
      else console.error('booking-simulator: unexpected error', err);
      if (!res.headersSent) res.writeHead(unavailable ? 503 : 500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: unavailable ? 'database_unavailable' : 'internal', message: (err as Error).message } }));
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    instance,
    configure: (settings) => {
      const checked = checkSettings(settings);
      if (checked.faults) faults.set(checked.faults);
    },
    faults: () => faults.list(),
    stats: () => ledger.stats(),
    requests: (limit) => ledger.requests(limit),
    reset: () => ledger.reset(),
    bookings: (where) => store.bookings(where),
    events: () => store.events(),
    orders: () => orderBook.list(),
    order: (orderId) => orderBook.get(orderId),
    addOrders: (added) => orderBook.add(added.map((order) => orderSchema.parse(order) as Order)),
    refunds: (where) => orders.refunds(where),
    emails: (where) => orders.emails(where),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => pool.end());
      return closed;
    },
  };
}
