// The orders API the simulator serves beside the booking API: one read, a refund and its undo (the
// reversal), and an email. Paths and names are the contract the order-support agent's client calls.

export const ORDER_ENDPOINT_NAMES = ['get-order', 'refund-order', 'reverse-refund', 'send-email'] as const;
export type OrderEndpoint = (typeof ORDER_ENDPOINT_NAMES)[number];

export interface OrderRoute {
  readonly endpoint: OrderEndpoint;
  /** The order ID (get-order, refund-order) or the refund ID (reverse-refund) in the path. */
  readonly id: string | null;
}

const ROUTES: ReadonlyArray<{ method: string; pattern: RegExp; endpoint: OrderEndpoint }> = [
  { method: 'GET', pattern: /^\/orders\/([^/]+)$/, endpoint: 'get-order' },
  { method: 'POST', pattern: /^\/orders\/([^/]+)\/refunds$/, endpoint: 'refund-order' },
  { method: 'POST', pattern: /^\/refunds\/([^/]+)\/reverse$/, endpoint: 'reverse-refund' },
  // The undo by the refund's key, for a caller that never saw the refund's answer.
  { method: 'POST', pattern: /^\/refunds\/reverse$/, endpoint: 'reverse-refund' },
  { method: 'POST', pattern: /^\/emails$/, endpoint: 'send-email' },
];

export function orderRouteFor(method: string, path: string): OrderRoute | undefined {
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match) return { endpoint: route.endpoint, id: match[1] === undefined ? null : decodeURIComponent(match[1]) };
  }
  return undefined;
}
