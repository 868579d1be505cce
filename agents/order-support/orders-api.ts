// The shop's orders API (the booking simulator's orders routes locally; BOOKING_API_URL): read an
// order, refund it, reverse a refund by the refund's key, send an email. Every write carries the
// call's idempotency key as Idempotency-Key, so a retry after a timeout gets the first answer back.
// 4xx answers are refusals the model reads; timeouts, resets and 5xx are transient.
import { OrdersApiRefusedError, OrdersApiUnavailableError } from '../../errors';

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

const TRANSIENT_4XX = new Set([408, 425, 429]);

export function createOrdersApi({ baseUrl, requestTimeoutMs }: { baseUrl: string; requestTimeoutMs: number }) {
  async function call<T>(endpoint: string, method: 'GET' | 'POST', path: string, key?: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    let res: Response;
    try {
      res = await fetch(new URL(path, baseUrl), {
        method,
        headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      const detail = timeout.aborted ? `no answer within ${requestTimeoutMs} ms` : (err as Error).message;
      throw new OrdersApiUnavailableError(endpoint, key, undefined, detail, { cause: err });
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { error: { message: text.slice(0, 200) } };
    }
    if (res.ok) return parsed as T;
    const detail = (parsed as { error?: { code?: string; message?: string } }).error;
    const message = detail ? `${detail.code ?? 'error'}: ${detail.message ?? ''}` : text.slice(0, 200);
    if (res.status >= 500 || TRANSIENT_4XX.has(res.status)) throw new OrdersApiUnavailableError(endpoint, key, res.status, message);
    throw new OrdersApiRefusedError(endpoint, key, res.status, message);
  }
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
