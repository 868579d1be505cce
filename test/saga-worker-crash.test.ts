import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createScenario, type Scenario } from './helpers/scenario';
import { agentStatus, produceTravelRequests, waitForRunStatus } from './helpers/trips';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('a worker killed in the middle of the compensations is replaced and no compensation runs twice against the booking store', { timeout: 240_000 }, async () => {
  const s = await createScenario('sagacrash', { workflowType: 'bookTrip', bookingApi: true, workflowSettings: { effectTimeoutMs: 3_000 } });
  scenarios.push(s);
  s.booking.configure({ faults: [{ endpoint: 'charge-card', kind: 'fail', status: 402 }] });
  const marker = join(s.logDir, 'fault-marker');
  const [trip] = await produceTravelRequests(s, 1);
  // Compensations run refund (1st), cancel hotel (2nd), cancel flight: the worker dies right after
  // the hotel was cancelled at the API and before the activity recorded it.
  const doomed = s.startWorker({ KTA_FAULT: 'worker:after-compensation-call@2', KTA_FAULT_MARKER: marker });
  await s.startBridge();
  const exit = await doomed.exited;
  assert.equal(exit.signal, 'SIGKILL', 'the worker died by SIGKILL');
  assert.ok(existsSync(marker) && readFileSync(marker, 'utf8').includes('worker:after-compensation-call'), 'the fault point was hit');
  const atCrash = (await s.booking.bookings({ tripId: trip.requestId })).map((b) => `${b.kind}:${b.status}`).sort();
  assert.deepEqual(atCrash, ['flight:reserved', 'hotel:cancelled'], 'killed between the two cancellations');

  s.startWorker();
  const [run] = await waitForRunStatus(s, 'FAILED', 1, 120_000);
  const client = await s.client();
  assert.equal(await agentStatus(client, run.workflowId), 'Compensated');

  const undos = (await s.booking.events()).filter((e) => e.action === 'cancel' || e.action === 'refund');
  assert.deepEqual(undos.map((e) => `${e.action} ${e.kind}`), ['cancel hotel', 'cancel flight'], 'each cancellation happened once, in order');
  const stats = s.booking.stats();
  assert.deepEqual(stats.cancellations, { flight: 1, hotel: 1 });
  const hotelCancels = s.booking.requests().filter((r) => r.endpoint === 'cancel-hotel');
  assert.equal(hotelCancels.length, 2, 'the new worker retried the hotel cancellation');
  assert.deepEqual(hotelCancels.map((r) => r.idempotencyKey), [`${run.workflowId}/cancel-hotel`, `${run.workflowId}/cancel-hotel`], 'with the same key');
  assert.equal(hotelCancels[1].replayed, true, 'and got the recorded answer instead of a second cancellation');
  assert.equal(s.booking.requests().filter((r) => r.endpoint === 'cancel-flight').length, 1, 'the flight was cancelled by the new worker, once');
  assert.deepEqual((await s.booking.bookings({ tripId: trip.requestId })).map((b) => `${b.kind}:${b.status}`).sort(), ['flight:cancelled', 'hotel:cancelled']);
});
