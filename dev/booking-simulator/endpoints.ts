// The booking API the simulator serves: three irreversible actions and their undos. Paths and names
// are the contract the booking activities (activities/booking/booking-api.ts) call.

export const ENDPOINTS = {
  'reserve-flight': { method: 'POST', path: '/v1/flights' },
  'reserve-hotel': { method: 'POST', path: '/v1/hotels' },
  'charge-card': { method: 'POST', path: '/v1/charges' },
  'cancel-flight': { method: 'POST', path: '/v1/flights/cancel' },
  'cancel-hotel': { method: 'POST', path: '/v1/hotels/cancel' },
  'refund-charge': { method: 'POST', path: '/v1/charges/refund' },
} as const;

export type BookingEndpoint = keyof typeof ENDPOINTS;
export const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as BookingEndpoint[];

export type BookingKind = 'flight' | 'hotel' | 'charge';

/** What each endpoint acts on, and for undos which action they undo. */
export const ENDPOINT_KIND: Record<BookingEndpoint, BookingKind> = {
  'reserve-flight': 'flight',
  'reserve-hotel': 'hotel',
  'charge-card': 'charge',
  'cancel-flight': 'flight',
  'cancel-hotel': 'hotel',
  'refund-charge': 'charge',
};

export const UNDO_OF: Partial<Record<BookingEndpoint, BookingEndpoint>> = {
  'cancel-flight': 'reserve-flight',
  'cancel-hotel': 'reserve-hotel',
  'refund-charge': 'charge-card',
};

export function endpointFor(method: string, path: string): BookingEndpoint | undefined {
  return ENDPOINT_NAMES.find((name) => ENDPOINTS[name].method === method && ENDPOINTS[name].path === path);
}
