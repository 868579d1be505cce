// The orders the simulated shop knows: derived from a seed, so every simulator started with the same
// seed holds the same orders (IDs, customers, items, totals), and a test can name them in its
// records before the simulator starts. Tests may add their own orders too. Test and demo data only.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export interface OrderItem {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

export interface Order {
  readonly orderId: string;
  readonly customerEmail: string;
  readonly customerName: string;
  readonly currency: string;
  readonly totalCents: number;
  readonly items: readonly OrderItem[];
  readonly placedAt: string;
}

export const DEFAULT_ORDER_SEED = 1;
export const DEFAULT_ORDER_COUNT = 50;
/** Seeded orders are numbered from here: `ord-1001`, `ord-1002`, ... */
export const FIRST_ORDER_NUMBER = 1001;
// The one shape of an order ID; the LLM simulator's scripts and the injection records find orders
// in free text by it, so keep them in step when changing it.
export const ORDER_ID_PATTERN = /\bord-\d{3,9}\b/g;

const PRODUCTS = [
  ['kb-01', 'Mechanical keyboard', 8_900], ['ms-02', 'Wireless mouse', 2_900], ['hp-03', 'Headphones', 14_900],
  ['mn-04', '27-inch monitor', 32_900], ['cb-05', 'USB-C cable', 1_200], ['st-06', 'Laptop stand', 4_500],
  ['wc-07', 'Webcam', 6_900], ['lp-08', 'Desk lamp', 3_900],
] as const;
const FIRST_NAMES = ['ada', 'grace', 'alan', 'edsger', 'barbara', 'ken', 'margaret', 'linus', 'radia', 'donald'];
const LAST_NAMES = ['lovelace', 'hopper', 'turing', 'dijkstra', 'liskov', 'thompson', 'hamilton', 'torvalds', 'perlman', 'knuth'];
const CURRENCIES = ['EUR', 'USD', 'GBP'];

/** Deterministic numbers from (seed, order number, what): no state, same answer in every process. */
function draw(seed: number, n: number, what: string, modulo: number): number {
  return createHash('sha256').update(`${seed}/${n}/${what}`).digest().readUInt32BE(0) % modulo;
}

export function seededOrder(seed: number, n: number): Order {
  const first = FIRST_NAMES[draw(seed, n, 'first', FIRST_NAMES.length)];
  const last = LAST_NAMES[draw(seed, n, 'last', LAST_NAMES.length)];
  const count = 1 + draw(seed, n, 'items', 3);
  const items = Array.from({ length: count }, (_, i) => {
    const [sku, name, unitPriceCents] = PRODUCTS[draw(seed, n, `product${i}`, PRODUCTS.length)];
    return { sku, name, quantity: 1 + draw(seed, n, `quantity${i}`, 2), unitPriceCents };
  });
  return {
    orderId: `ord-${n}`,
    customerEmail: `${first}.${last}.${n}@example.com`,
    customerName: `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}`,
    currency: CURRENCIES[draw(seed, n, 'currency', CURRENCIES.length)],
    totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
    items,
    placedAt: new Date(Date.UTC(2026, 0, 1) + draw(seed, n, 'day', 300) * 86_400_000).toISOString(),
  };
}

/** The `count` seeded orders `ord-1001` onwards. */
export function seedOrders(seed = DEFAULT_ORDER_SEED, count = DEFAULT_ORDER_COUNT): Order[] {
  return Array.from({ length: count }, (_, i) => seededOrder(seed, FIRST_ORDER_NUMBER + i));
}

export const orderSchema = z.strictObject({
  orderId: z.string().regex(/^ord-\d{3,9}$/, 'an order ID is ord- and 3 to 9 digits'),
  customerEmail: z.email(),
  customerName: z.string().min(1).max(200),
  currency: z.string().length(3),
  totalCents: z.number().int().positive(),
  items: z.array(z.strictObject({ sku: z.string().min(1), name: z.string().min(1), quantity: z.number().int().positive(), unitPriceCents: z.number().int().positive() })).min(1),
  placedAt: z.string().min(1),
});

/** The orders of one simulator: the seeded ones plus those a test added. */
export class OrderBook {
  private readonly orders = new Map<string, Order>();

  constructor(orders: readonly Order[]) {
    this.add(orders);
  }

  add(orders: readonly Order[]): void {
    for (const order of orders) this.orders.set(order.orderId, order);
  }

  get(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }

  list(): Order[] {
    return [...this.orders.values()];
  }
}
