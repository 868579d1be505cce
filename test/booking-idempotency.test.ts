import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { BookTripResult } from '../agents/trip-booking/workflow';
import { scheduledActivities } from './helpers/history';
import { createScenario, type Scenario } from './helpers/scenario';
import { agentStatus, produceTravelRequests } from './helpers/trips';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('a flight whose booking call timed out after the API committed it exists exactly once: the retry sends the same key', { timeout: 180_000 }, async () => {
  const s = await createScenario('tripkey', { workflowType: 'bookTrip', bookingApi: true, workflowSettings: { effectTimeoutMs: 4_000 } });
  scenarios.push(s);
  s.booking.configure({ faults: [{ endpoint: 'reserve-flight', kind: 'timeout-after-commit', times: 1 }] });
  const [trip] = await produceTravelRequests(s, 1);
  // The client gives up on the hung call after 1.5 s; Temporal retries the activity 1 s later.
  s.startWorker({ BOOKING_REQUEST_TIMEOUT_MS: '1500' });
  await s.startBridge();
  const [run] = await s.waitForCompletedRuns(1);
  const client = await s.client();

  const stats = s.booking.stats();
  assert.equal(stats.faults['reserve-flight:timeout-after-commit'], 1, 'the API committed the flight and never answered');
  const flightCalls = s.booking.requests().filter((r) => r.endpoint === 'reserve-flight');
  assert.equal(flightCalls.length, 2, 'the timed-out call and its retry');
  assert.equal(flightCalls[0].status, null, 'the first call got no answer');
  assert.deepEqual(flightCalls.map((r) => r.idempotencyKey), [`${run.workflowId}/reserve-flight`, `${run.workflowId}/reserve-flight`], 'both carried the step key');
  assert.equal(flightCalls[1].replayed, true, 'the retry was answered from the recorded booking');

  const flights = (await s.booking.bookings({ tripId: trip.requestId })).filter((b) => b.kind === 'flight');
  assert.equal(flights.length, 1, 'exactly one flight in the booking store');
  assert.equal(stats.bookingsCreated.flight, 1);
  const result = (await client.workflow.getHandle(run.workflowId).result()) as BookTripResult;
  assert.equal(result.flight.bookingId, flights[0].bookingId, 'the run holds the flight the first call made');
  assert.equal(result.charge.amountCents, result.flight.amountCents + result.hotel.amountCents);
  assert.equal(await agentStatus(client, run.workflowId), 'Completed');

  const reserveFlight = (await scheduledActivities(client, run.workflowId)).filter((a) => a.activityType === 'reserveFlight');
  assert.equal(reserveFlight.length, 1, 'one activity, retried by Temporal');
  const [ask] = s.simulator.requests(1);
  assert.ok((ask.messages as { content: string }[]).some((m) => m.content.includes(trip.request)), 'the model received the travel request');
});
