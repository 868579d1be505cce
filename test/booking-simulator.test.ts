import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startBookingSimulator, type BookingSimulator } from '../dev/booking-simulator/server';
import { startPostgres } from '../dev/stack/postgres';
import { testStack } from './helpers/test-stack';
import { uniqueName } from './helpers/unique';

const simulators: BookingSimulator[] = [];
after(async () => Promise.all(simulators.map((s) => s.close())));

async function simulator() {
  const sim = await startBookingSimulator({ databaseUrl: testStack().databaseUrl, instance: uniqueName('b-sim') });
  simulators.push(sim);
  return sim;
}

async function post(sim: BookingSimulator, path: string, key: string | undefined, body: unknown) {
  const res = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', body: (await res.json()) as Record<string, unknown> };
}

const flight = { tripId: 'trip-1', from: 'CDG', to: 'JFK', date: '2026-05-01', passenger: 'Ada' };

test('the booking simulator answers a repeated Idempotency-Key with the recorded booking and refuses a key reused for another request', async () => {
  const sim = await simulator();
  const first = await post(sim, '/v1/flights', 'run-1/reserve-flight', flight);
  const again = await post(sim, '/v1/flights', 'run-1/reserve-flight', flight);
  assert.equal(first.status, 201);
  assert.deepEqual(again, { ...first, replayed: true }, 'same key, same answer, marked as a replay');
  const reused = await post(sim, '/v1/flights', 'run-1/reserve-flight', { ...flight, to: 'LAX' });
  assert.equal(reused.status, 422);
  assert.match(String((reused.body.error as { message: string }).message), /Idempotency-Key run-1\/reserve-flight was used for another request/);
  const missing = await post(sim, '/v1/flights', undefined, flight);
  assert.equal(missing.status, 400);
  assert.equal((await sim.bookings()).length, 1, 'one flight in the books');
  const stats = sim.stats();
  assert.equal(stats.bookingsCreated.flight, 1);
  assert.equal(stats.replays, 1);
  assert.equal(stats.requests, 4);
});

test('an undo that overtakes its action voids the key, so the late action books nothing', async () => {
  const sim = await simulator();
  const cancel = await post(sim, '/v1/flights/cancel', 'run-2/cancel-flight', { reservationKey: 'run-2/reserve-flight' });
  assert.equal(cancel.status, 200);
  assert.equal(cancel.body.status, 'nothing-to-cancel');
  const late = await post(sim, '/v1/flights', 'run-2/reserve-flight', flight);
  assert.equal(late.status, 409, 'the voided reservation is refused');
  assert.equal((await sim.bookings()).length, 0);
  assert.equal(sim.stats().voids, 1);
});

test('the booking simulator takes faults at run time over its admin route and counts them', async () => {
  const sim = await simulator();
  const set = await fetch(`${sim.url}/admin/config`, { method: 'POST', body: JSON.stringify({ faults: [{ endpoint: 'charge-card', kind: 'fail', status: 503, times: 1 }] }) });
  assert.equal(set.status, 200);
  const bad = await fetch(`${sim.url}/admin/config`, { method: 'POST', body: JSON.stringify({ faults: [{ endpoint: 'charge-card', kind: 'explode' }] }) });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /faults\.0\.kind/);
  const charge = { tripId: 'trip-3', amountCents: 1_000, currency: 'EUR', cardToken: 'tok_ok' };
  assert.equal((await post(sim, '/v1/charges', 'run-3/charge-card', charge)).status, 503, 'the fault fired');
  assert.equal((await post(sim, '/v1/charges', 'run-3/charge-card', charge)).status, 201, 'the retry with the same key charges once');
  const stats = (await (await fetch(`${sim.url}/admin/stats`)).json()) as { faults: Record<string, number>; bookingsCreated: { charge: number } };
  assert.deepEqual(stats.faults, { 'charge-card:fail': 1 });
  assert.equal(stats.bookingsCreated.charge, 1);
});

test('with its database down the booking simulator answers 503 (an outage the caller retries), not 500', { timeout: 120_000 }, async () => {
  const pg = await startPostgres({});
  try {
    const sim = await startBookingSimulator({ databaseUrl: pg.url, instance: uniqueName('b-sim-pg') });
    simulators.push(sim);
    await pg.stop();
    const down = await post(sim, '/v1/flights', 'run-pg/reserve-flight', flight);
    assert.equal(down.status, 503, JSON.stringify(down.body));
    assert.equal((down.body.error as { code: string }).code, 'database_unavailable');
  } finally {
    await pg.stop();
  }
});
