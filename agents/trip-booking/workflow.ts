// Travel booking saga: travel request -> model plan (recorded) -> reserve flight -> reserve hotel ->
// charge card, each an irreversible call with its own idempotency key and an undo registered before
// it runs. A failure compensates the earlier steps in reverse (refund, cancel hotel, cancel flight)
// and the run fails with the original error, AgentStatus Compensated.
import { proxyActivities, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { BookingActivities } from './activities';
import type { Booking } from './booking-api';
import { askModel } from '../../workflows/ask-model';
import { tripPlanPrompt } from './prompts';
import type { TravelRequest } from './record';
import type { AgentInput, RunSettings } from '../../core/run-input';
import { deadLetterRun } from '../../workflows/dead-letter-run';
import { proxyCompensations, runSaga } from '../../workflows/saga';
import { AGENT_STATUS, AgentStatus } from '../../workflows/search-attributes';
import { formatCoordinates } from '../../core/kafka-record';

export interface BookTripResult {
  readonly requestId: string;
  readonly flight: Booking;
  readonly hotel: Booking;
  readonly charge: Booking;
  readonly model: string;
  readonly tokens: number;
}

const setStatus = (status: AgentStatus) => upsertSearchAttributes([{ key: AGENT_STATUS, value: status }]);

function actions(settings: RunSettings, summary: string) {
  return proxyActivities<BookingActivities>({
    startToCloseTimeout: settings.effectTimeoutMs,
    // Transient failures retry with the same key; a refusal (declined card) is not retried.
    retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: settings.effectRetryAttempts, nonRetryableErrorTypes: ['BookingRejectedError'] },
    summary,
  });
}

export async function bookTrip(input: AgentInput<TravelRequest>): Promise<BookTripResult> {
  try {
    return await bookTripSteps(input);
  } catch (err) {
    // A compensated saga becomes a COMPENSATE dead letter (deadLetterRun reads AgentStatus).
    throw await deadLetterRun(input, err);
  }
}

async function bookTripSteps(input: AgentInput<TravelRequest>): Promise<BookTripResult> {
  const { value: trip, source, settings } = input;
  setCurrentDetails(`Planning trip ${trip.requestId} for ${trip.traveler} from ${formatCoordinates(source)}`);
  let answer;
  try {
    answer = await askModel('trip_plan', tripPlanPrompt(trip), settings, `Ask the model for a plan of trip ${trip.requestId}`);
  } catch (err) {
    setStatus(AgentStatus.Failed);
    throw err;
  }
  const { flight, hotel } = answer.value;
  const flightText = `flight ${flight.from}->${flight.to} on ${flight.date}`;
  const hotelText = `hotel in ${hotel.city} from ${hotel.checkIn}, ${hotel.nights} nights`;
  const undo = (what: string) => proxyCompensations<BookingActivities>(settings.effectTimeoutMs, `Compensate: ${what}`);

  const booked = await runSaga(`Trip ${trip.requestId}`, async (saga) => {
    setCurrentDetails(`Trip ${trip.requestId}: reserving ${flightText}`);
    const flightBooking = await saga.effect({
      step: 'reserve-flight',
      action: (key) => actions(settings, `Reserve ${flightText}`).reserveFlight({ idempotencyKey: key, tripId: trip.requestId, ...flight, passenger: trip.traveler }),
      undoStep: 'cancel-flight',
      undo: `cancel ${flightText}`,
      compensate: (key, reservationKey) => undo(`cancel ${flightText}`).cancelFlight({ idempotencyKey: key, originalKey: reservationKey }),
    });
    setCurrentDetails(`Trip ${trip.requestId}: reserving ${hotelText}`);
    const hotelBooking = await saga.effect({
      step: 'reserve-hotel',
      action: (key) => actions(settings, `Reserve ${hotelText}`).reserveHotel({ idempotencyKey: key, tripId: trip.requestId, ...hotel, guest: trip.traveler }),
      undoStep: 'cancel-hotel',
      undo: `cancel ${hotelText}`,
      compensate: (key, reservationKey) => undo(`cancel ${hotelText}`).cancelHotel({ idempotencyKey: key, originalKey: reservationKey }),
    });
    const amountCents = flightBooking.amountCents + hotelBooking.amountCents;
    const currency = trip.currency ?? 'EUR';
    setCurrentDetails(`Trip ${trip.requestId}: charging ${amountCents} ${currency} cents`);
    const charge = await saga.effect({
      step: 'charge-card',
      action: (key) => actions(settings, `Charge ${amountCents} ${currency} cents`).chargeCard({ idempotencyKey: key, tripId: trip.requestId, amountCents, currency, cardToken: trip.cardToken }),
      undoStep: 'refund-charge',
      undo: `refund ${amountCents} ${currency} cents`,
      compensate: (key, chargeKey) => undo(`refund ${amountCents} ${currency} cents`).refundCharge({ idempotencyKey: key, originalKey: chargeKey }),
    });
    return { flight: flightBooking, hotel: hotelBooking, charge };
  });

  setStatus(AgentStatus.Completed);
  const tokens = answer.usage.promptTokens + answer.usage.completionTokens;
  setCurrentDetails(
    `Trip ${trip.requestId} booked: ${flightText} (${booked.flight.bookingId}), ${hotelText} (${booked.hotel.bookingId}), ` +
      `charged ${booked.charge.amountCents} (${booked.charge.bookingId}); plan by ${answer.model}, ${tokens} tokens`,
  );
  return { requestId: trip.requestId, ...booked, model: answer.model, tokens };
}
