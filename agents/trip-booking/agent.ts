// The travel booking saga: reserve flight -> reserve hotel -> charge card, compensated in reverse.
import { fileURLToPath } from 'node:url';
import { defineAgent } from '../agent-definition';
import { createBookingActivities } from './activities';
import { createBookingApi, type Booking, type Undo } from './booking-api';
import { TRIP_BOOKING_OUTPUTS } from './output';
import { travelRequestRecordSchema } from './record';

const booked = (kind: Booking['kind']) => (req: { idempotencyKey: string; amountCents?: number }): Booking =>
  ({ bookingId: `shadow-${kind}-${req.idempotencyKey}`, kind, status: kind === 'charge' ? 'charged' : 'reserved', amountCents: req.amountCents ?? 0 });
const undone = (kind: Undo['kind'], status: string) => (req: { originalKey: string }): Undo =>
  ({ bookingId: `shadow-${kind}-${req.originalKey}`, kind, status });

export const tripBooking = defineAgent({
  workflowType: 'bookTrip',
  workflowModule: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
  recordSchema: travelRequestRecordSchema,
  outputs: TRIP_BOOKING_OUTPUTS,
  createActivities: ({ pool, config }) => createBookingActivities({ pool, api: createBookingApi(config.booking) }),
  shadow: {
    reserveFlight: { stub: 'books a flight at the booking API and records the effect in PostgreSQL', answer: booked('flight') },
    reserveHotel: { stub: 'books a hotel at the booking API and records the effect in PostgreSQL', answer: booked('hotel') },
    chargeCard: { stub: 'charges a card at the booking API and records the effect in PostgreSQL', answer: booked('charge') },
    cancelFlight: { stub: 'cancels a booking at the booking API (a compensation)', answer: undone('flight', 'cancelled') },
    cancelHotel: { stub: 'cancels a booking at the booking API (a compensation)', answer: undone('hotel', 'cancelled') },
    refundCharge: { stub: 'refunds a charge at the booking API (a compensation)', answer: undone('charge', 'refunded') },
  },
  // Its effects live in the shared effects table (activities/sinks/effects.ts).
  tables: [],
  historiesDir: fileURLToPath(new URL('./histories', import.meta.url)),
});
