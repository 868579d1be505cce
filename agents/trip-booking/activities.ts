// The trip saga's irreversible actions and their compensations. Each activity receives the step's key
// (`workflowId/step`), sends it to the booking API as Idempotency-Key and records the answer by it
// (onceByKey): a retried attempt, or a new worker after a crash, gets the first booking back.
// createBookingActivities(deps) injects the pool and the API client, so tests swap them.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { BookingRejectedError, IdempotencyKeyError, SinkDataError } from '../../errors';
import { faultPoint } from '../../lib/fault';
import { onceByKey } from '../../activities/sinks/effects';
import type { BookingApi, ChargeRequest, FlightRequest, HotelRequest } from './booking-api';

export interface Keyed { readonly idempotencyKey: string }
/** An undo names its own key and the key of the action it undoes (known before that action ran). */
export interface UndoInput extends Keyed { readonly originalKey: string }

/**
 * Refusals (and a result PostgreSQL cannot record) fail the attempt for good; anything else is retried
 * by Temporal with the same key.
 */
async function asEffect<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof BookingRejectedError || err instanceof IdempotencyKeyError || err instanceof SinkDataError) {
      throw ApplicationFailure.create({ type: err.name, message: err.message, nonRetryable: true, cause: err });
    }
    throw err;
  }
}

const signal = () => Context.current().cancellationSignal;

export function createBookingActivities({ pool, api }: { pool: Pool; api: BookingApi }) {
  const undo = <T>(input: UndoInput, call: () => Promise<T>) =>
    asEffect(() =>
      onceByKey(pool, input.idempotencyKey, async () => {
        const result = await call();
        // Test-only: the undo happened at the API and the worker dies before it is recorded.
        faultPoint('worker:after-compensation-call');
        return result;
      }),
    );
  return {
    async reserveFlight({ idempotencyKey, ...req }: FlightRequest & Keyed) {
      return asEffect(() => onceByKey(pool, idempotencyKey, () => api.reserveFlight(idempotencyKey, req, signal())));
    },
    async reserveHotel({ idempotencyKey, ...req }: HotelRequest & Keyed) {
      return asEffect(() => onceByKey(pool, idempotencyKey, () => api.reserveHotel(idempotencyKey, req, signal())));
    },
    async chargeCard({ idempotencyKey, ...req }: ChargeRequest & Keyed) {
      return asEffect(() => onceByKey(pool, idempotencyKey, () => api.chargeCard(idempotencyKey, req, signal())));
    },
    async cancelFlight(input: UndoInput) {
      return undo(input, () => api.cancelFlight(input.idempotencyKey, input.originalKey, signal()));
    },
    async cancelHotel(input: UndoInput) {
      return undo(input, () => api.cancelHotel(input.idempotencyKey, input.originalKey, signal()));
    },
    async refundCharge(input: UndoInput) {
      return undo(input, () => api.refundCharge(input.idempotencyKey, input.originalKey, signal()));
    },
  };
}

export type BookingActivities = ReturnType<typeof createBookingActivities>;
