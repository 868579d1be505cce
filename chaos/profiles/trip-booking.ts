// Chaos profile of the trip saga: travel requests (a share with a declined card, which compensates),
// business-key dedup on requestId, effects in the booking simulator's books.
import { DECLINED_CARD_TOKEN } from '../../dev/booking-simulator/server';
import type { ChaosProfile } from './profile';

const CITIES = ['Paris', 'New York', 'Lisbon', 'Tokyo', 'Nairobi', 'Lima'];
/** Every 20th trip pays with a card the booking API declines: its saga compensates. */
const DECLINED_EVERY = 20;

export const tripBookingProfile: ChaosProfile = {
  workflowType: 'bookTrip',
  weight: 2,
  businessKeyDuplicates: true,
  route: () => ({ businessKey: { jsonField: 'requestId', horizonHours: 24 } }),
  record(n, rng) {
    const requestId = `chaos-trip-${n}`;
    const from = rng.pick(CITIES);
    const to = rng.pick(CITIES.filter((c) => c !== from));
    const request = `Trip ${n}: ${from} to ${to} on ${1 + rng.int(28)} May, ${1 + rng.int(6)} nights near the centre`;
    const cardToken = n % DECLINED_EVERY === DECLINED_EVERY - 1 ? DECLINED_CARD_TOKEN : `tok_chaos_${n}`;
    return { key: requestId, value: JSON.stringify({ requestId, traveler: `Traveller ${n}`, request, cardToken, currency: 'EUR' }) };
  },
  async countEffects({ booking }) {
    const rows = (await booking.bookings()).filter((b) => b.tripId?.startsWith('chaos-trip-'));
    const perTripKind = new Map<string, number>();
    for (const b of rows) perTripKind.set(`${b.tripId}/${b.kind}`, (perTripKind.get(`${b.tripId}/${b.kind}`) ?? 0) + 1);
    const duplicates = [...perTripKind.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const compensations = rows.filter((b) => b.undoneAt !== null).length;
    // A trip that was never charged must hold no live reservation: its compensation ran.
    const charged = new Set(rows.filter((b) => b.kind === 'charge' && b.status === 'charged').map((b) => b.tripId));
    const leaks = rows.filter((b) => b.kind !== 'charge' && b.status === 'reserved' && !charged.has(b.tripId)).length;
    return { effects: rows.length, duplicates, compensations, leaks, note: `${rows.length} bookings, ${charged.size} trips charged, ${compensations} undone` };
  },
};
