// The shop's orders API (the booking simulator's orders routes locally; BOOKING_API_URL): read an
// order, refund it, reverse a refund by the refund's key, send an email. Every write carries the
// call's idempotency key as Idempotency-Key, so a retry after a timeout gets the first answer back.
// 4xx answers are refusals the model reads; timeouts, resets and 5xx are transient.
import { OrdersApiRefusedError, OrdersApiUnavailableError } from '../../errors';
import { requestJson } from '../../lib/idempotent-http';

export interface Order {
  readonly orderId: string;
  readonly customerEmail: string;
  readonly customerName: string;
  readonly currency: string;
  readonly totalCents: number;
  readonly refundedCents: number;
  readonly refundableCents: number;
  readonly items: readonly { sku: string; name: string; quantity: number; unitPriceCents: number }[];
}
export interface Refund { readonly refundId: string | null; readonly orderId?: string; readonly amountCents?: number; readonly status: string }
export interface Email { readonly emailId: string; readonly to: string; readonly status: string }

export function createOrdersApi({ baseUrl, requestTimeoutMs }: { baseUrl: string; requestTimeoutMs: number }) {
  const call = <T>(endpoint: string, method: 'GET' | 'POST', path: string, key?: string, body?: unknown, signal?: AbortSignal): Promise<T> =>
    requestJson<T>({ baseUrl, method, path, idempotencyKey: key, body, requestTimeoutMs, signal }, (f) =>
      f.kind === 'refused'
        ? new OrdersApiRefusedError(endpoint, key, f.status, f.detail)
        : new OrdersApiUnavailableError(endpoint, key, f.status, f.detail, f.cause === undefined ? undefined : { cause: f.cause }));
  const id = encodeURIComponent;
  return {
    getOrder: (orderId: string, signal?: AbortSignal) => call<Order>('get-order', 'GET', `/orders/${id(orderId)}`, undefined, undefined, signal),
    refundOrder: (key: string, orderId: string, req: { amountCents: number; reason: string }, signal?: AbortSignal) =>
      call<Refund>('refund-order', 'POST', `/orders/${id(orderId)}/refunds`, key, req, signal),
    /** Reverses whatever the refund key refunded; voids the key when nothing was refunded under it. */
    reverseRefund: (key: string, refundKey: string, signal?: AbortSignal) => call<Refund>('reverse-refund', 'POST', '/refunds/reverse', key, { refundKey }, signal),
    sendEmail: (key: string, email: { to: string; subject: string; body: string; orderId?: string }, signal?: AbortSignal) => call<Email>('send-email', 'POST', '/emails', key, email, signal),
  };
}

export type OrdersApi = ReturnType<typeof createOrdersApi>;
