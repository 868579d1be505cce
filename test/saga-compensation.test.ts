import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { DECLINED_CARD_TOKEN } from '../dev/booking-simulator/server';
import { readDeadLetters } from './helpers/dead-letters';
import { createScenario, type Scenario } from './helpers/scenario';
import { agentStatus, agentStatusHistory, currentDetails, produceTravelRequests, waitForRunStatus } from './helpers/trips';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

async function scenario(name: string) {
  const s = await createScenario(name, { workflowType: 'bookTrip', bookingApi: true, workflowSettings: { effectTimeoutMs: 4_000 } });
  scenarios.push(s);
  return s;
}

test('a declined charge cancels the hotel then the flight, each exactly once, even when each cancellation fails twice first', { timeout: 180_000 }, async () => {
  const s = await scenario('sagafail');
  s.booking.configure({
    faults: [
      { endpoint: 'charge-card', kind: 'fail', status: 402 },
      { endpoint: 'cancel-hotel', kind: 'fail', status: 503, times: 2 },
      { endpoint: 'cancel-flight', kind: 'fail', status: 503, times: 2 },
    ],
  });
  const [trip] = await produceTravelRequests(s, 1);
  s.startWorker();
  await s.startBridge();
  const [run] = await waitForRunStatus(s, 'FAILED');
  const client = await s.client();

  const stats = s.booking.stats();
  assert.equal(stats.faults['charge-card:fail'], 1, 'the charge was refused once (not retried)');
  assert.equal(stats.faults['cancel-hotel:fail'], 2, 'the hotel cancellation failed twice');
  assert.equal(stats.faults['cancel-flight:fail'], 2, 'the flight cancellation failed twice');

  const undos = (await s.booking.events()).filter((e) => e.action === 'cancel' || e.action === 'refund');
  assert.deepEqual(undos.map((e) => `${e.action} ${e.kind}`), ['cancel hotel', 'cancel flight'], 'the hotel, then the flight; no refund of a charge that never happened');
  assert.equal(new Set(undos.map((e) => e.bookingId)).size, 2, 'each booking cancelled once');
  const bookings = await s.booking.bookings({ tripId: trip.requestId });
  assert.deepEqual(bookings.map((b) => `${b.kind}:${b.status}`).sort(), ['flight:cancelled', 'hotel:cancelled']);
  assert.deepEqual(stats.cancellations, { flight: 1, hotel: 1 });
  assert.equal(stats.refunds, 0);

  const handle = client.workflow.getHandle(run.workflowId);
  const failure = await handle.result().then(() => assert.fail('the run must fail'), (err: unknown) => err);
  assert.ok(failure instanceof WorkflowFailedError, 'the run failed');
  assert.ok(failure.cause instanceof ActivityFailure, 'with the original activity failure');
  const original = failure.cause.cause;
  assert.ok(original instanceof ApplicationFailure);
  assert.equal(original.type, 'BookingRejectedError');
  assert.match(original.message, new RegExp(`refused charge-card for idempotency key ${run.workflowId}/charge-card \\(HTTP 402`));
  assert.equal(await agentStatus(client, run.workflowId), 'Compensated');
  assert.deepEqual(await agentStatusHistory(client, run.workflowId), ['Compensating', 'Compensated'], 'Compensating, then Compensated');
  const details = await currentDetails(client, run.workflowId);
  assert.match(details, /Compensated\. Undone, in order: refund .*: nothing-to-refund; cancel hotel .*: cancelled ht_\w+; cancel flight .*: cancelled fl_\w+/, details);
  const [dl] = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 1);
  assert.equal(dl.class, 'COMPENSATE', 'the compensated run is a COMPENSATE dead letter');
  assert.equal(dl.workflowId, run.workflowId);
});

test('a travel request redelivered after its saga compensated starts nothing and books nothing', { timeout: 180_000 }, async () => {
  const s = await scenario('sagaredeliver');
  await produceTravelRequests(s, 1, { cardToken: DECLINED_CARD_TOKEN });
  s.startWorker();
  const first = await s.startBridge();
  const [run] = await waitForRunStatus(s, 'FAILED');
  const client = await s.client();
  await waitFor(() => agentStatus(client, run.workflowId), (st) => st === 'Compensated', { message: 'the first run compensated' });
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === 1, { message: 'the first bridge committed the record' });
  const before = { stats: s.booking.stats(), bookings: await s.booking.bookings(), modelCalls: s.simulator.stats().calls };
  assert.equal(before.stats.refused, 1, 'the card was declined');
  assert.deepEqual(before.stats.cancellations, { flight: 1, hotel: 1 });
  assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null });

  await s.kafka.resetToEarliest(s.groupId, s.topic);
  const second = await s.startBridge();
  const stats = await waitFor(() => second.stats(), (st) => st.duplicates === 1, { message: 'the second bridge counted the redelivered record as a duplicate' });
  assert.equal(stats.starts, 0, 'the second bridge started nothing');
  assert.equal((await s.runs()).length, 1, 'one run for the offset');
  assert.deepEqual(s.booking.stats(), before.stats, 'the booking API received nothing more');
  assert.deepEqual(await s.booking.bookings(), before.bookings, 'the books did not change');
  assert.equal(s.simulator.stats().calls, before.modelCalls, 'the model was not asked again');
});
