// The booking provider's HTTP API: every call carries the step's idempotency key as the
// Idempotency-Key header, so a retry after a timeout gets the booking the first call made instead of
// a second one. 4xx answers are refusals (not retried); timeouts, resets and 5xx are transient.
import { BookingRejectedError, BookingUnavailableError } from '../../errors';
import { requestJson } from '../../lib/idempotent-http';

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

export function createBookingApi({ baseUrl, requestTimeoutMs }: { baseUrl: string; requestTimeoutMs: number }) {
  const post = <T>(endpoint: string, path: string, idempotencyKey: string, body: unknown, signal?: AbortSignal): Promise<T> =>
    requestJson<T>({ baseUrl, method: 'POST', path, idempotencyKey, body, requestTimeoutMs, signal }, (f) =>
      f.kind === 'refused'
        ? new BookingRejectedError(endpoint, idempotencyKey, f.status, f.detail)
        : new BookingUnavailableError(endpoint, idempotencyKey, f.status, f.detail, f.cause === undefined ? undefined : { cause: f.cause }));

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
