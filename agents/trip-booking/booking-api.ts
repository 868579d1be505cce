// The booking provider's HTTP API: every call carries the step's idempotency key as the
// Idempotency-Key header, so a retry after a timeout gets the booking the first call made instead of
// a second one. 4xx answers are refusals (not retried); timeouts, resets and 5xx are transient.
import { BookingRejectedError, BookingUnavailableError } from '../../errors';

export interface FlightRequest { readonly tripId: string; readonly from: string; readonly to: string; readonly date: string; readonly passenger: string }
export interface HotelRequest { readonly tripId: string; readonly city: string; readonly checkIn: string; readonly nights: number; readonly guest: string }
export interface ChargeRequest { readonly tripId: string; readonly amountCents: number; readonly currency: string; readonly cardToken: string }

export interface Booking {
  readonly bookingId: string;
  readonly kind: 'flight' | 'hotel' | 'charge';
  readonly status: string;
  readonly amountCents: number;
}

export interface Undo {
  readonly bookingId: string | null;
  readonly kind: 'flight' | 'hotel' | 'charge';
  /** cancelled / refunded, or nothing-to-cancel / nothing-to-refund when the action never happened. */
  readonly status: string;
}

// Request timeouts (408) and throttling (429) pass; every other 4xx is the request's own fault.
const TRANSIENT_4XX = new Set([408, 425, 429]);

export function createBookingApi({ baseUrl, requestTimeoutMs }: { baseUrl: string; requestTimeoutMs: number }) {
  async function post<T>(endpoint: string, path: string, idempotencyKey: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    let res: Response;
    try {
      res = await fetch(new URL(path, baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      const detail = timeout.aborted ? `no answer within ${requestTimeoutMs} ms` : `${(err as Error).message}${(err as { cause?: Error }).cause ? ` (${(err as { cause: Error }).cause.message})` : ''}`;
      throw new BookingUnavailableError(endpoint, idempotencyKey, undefined, detail, { cause: err });
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
    if (res.status >= 500 || TRANSIENT_4XX.has(res.status)) throw new BookingUnavailableError(endpoint, idempotencyKey, res.status, message);
    throw new BookingRejectedError(endpoint, idempotencyKey, res.status, message);
  }

  return {
    reserveFlight: (key: string, req: FlightRequest, signal?: AbortSignal) => post<Booking>('reserve-flight', '/v1/flights', key, req, signal),
    reserveHotel: (key: string, req: HotelRequest, signal?: AbortSignal) => post<Booking>('reserve-hotel', '/v1/hotels', key, req, signal),
    chargeCard: (key: string, req: ChargeRequest, signal?: AbortSignal) => post<Booking>('charge-card', '/v1/charges', key, req, signal),
    /** Cancels whatever the reservation key booked; voids the key when nothing was booked under it. */
    cancelFlight: (key: string, reservationKey: string, signal?: AbortSignal) => post<Undo>('cancel-flight', '/v1/flights/cancel', key, { reservationKey }, signal),
    cancelHotel: (key: string, reservationKey: string, signal?: AbortSignal) => post<Undo>('cancel-hotel', '/v1/hotels/cancel', key, { reservationKey }, signal),
    refundCharge: (key: string, chargeKey: string, signal?: AbortSignal) => post<Undo>('refund-charge', '/v1/charges/refund', key, { chargeKey }, signal),
  };
}

export type BookingApi = ReturnType<typeof createBookingApi>;
