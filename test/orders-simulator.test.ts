import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { seedOrders, startBookingSimulator, type BookingSimulator } from '../dev/booking-simulator/server';
import { testStack } from './helpers/test-stack';
import { uniqueName } from './helpers/unique';

const simulators: BookingSimulator[] = [];
after(async () => Promise.all(simulators.map((s) => s.close())));

async function simulator() {
  const sim = await startBookingSimulator({ databaseUrl: testStack().databaseUrl, instance: uniqueName('o-sim') });
  simulators.push(sim);
  return sim;
}

async function call(sim: BookingSimulator, method: string, path: string, key?: string, body?: unknown, signal?: AbortSignal) {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed') === 'true', body: (await res.json()) as Record<string, unknown> };
}

test('the orders API serves the same seeded orders in every simulator and refuses an unknown order', async () => {
  const sim = await simulator();
  const order = seedOrders()[0];
  assert.equal(order.orderId, 'ord-1001');
  assert.deepEqual(sim.order('ord-1001'), order, 'the simulator holds the seeded orders');
  const found = await call(sim, 'GET', '/orders/ord-1001');
  assert.equal(found.status, 200);
  assert.equal(found.body.customerEmail, order.customerEmail);
  assert.equal(found.body.refundableCents, order.totalCents);
  const missing = await call(sim, 'GET', '/orders/ord-9');
  assert.equal(missing.status, 404);
  assert.match((missing.body.error as { message: string }).message, /order ord-9 does not exist/);
  assert.equal(sim.stats().orders.lookups, 1);
});

test('a refund repeated with its Idempotency-Key returns the same refund and never makes a second one', async () => {
  const sim = await simulator();
  const first = await call(sim, 'POST', '/orders/ord-1002/refunds', 'run-1/refund', { amountCents: 500, reason: 'late' });
  const again = await call(sim, 'POST', '/orders/ord-1002/refunds', 'run-1/refund', { amountCents: 500, reason: 'late' });
  assert.equal(first.status, 201);
  assert.deepEqual(again, { ...first, replayed: true });
  const reused = await call(sim, 'POST', '/orders/ord-1002/refunds', 'run-1/refund', { amountCents: 900 });
  assert.equal(reused.status, 422, 'the key reused for another amount is refused');
  const total = sim.order('ord-1002')!.totalCents;
  const tooMuch = await call(sim, 'POST', '/orders/ord-1002/refunds', 'run-2/refund', { amountCents: total });
  assert.equal(tooMuch.status, 422);
  assert.match((tooMuch.body.error as { message: string }).message, new RegExp(`exceeds the ${total - 500} cents left to refund`));
  assert.equal((await call(sim, 'POST', '/orders/ord-1002/refunds', undefined, { amountCents: 1 })).status, 400, 'no key, no refund');
  assert.equal((await sim.refunds({ orderId: 'ord-1002' })).length, 1);
  const stats = sim.stats();
  assert.deepEqual(stats.orders.refundsByOrder, { 'ord-1002': 1 });
  assert.equal(stats.requestsByIdempotencyKey['run-1/refund'], 3);
});

test('a refund is reversed once by its ID or by its key, and a reversal that overtakes its refund voids the key', async () => {
  const sim = await simulator();
  const refund = await call(sim, 'POST', '/orders/ord-1003/refunds', 'run-3/refund', { amountCents: 100 });
  const byId = await call(sim, 'POST', `/refunds/${String(refund.body.refundId)}/reverse`, 'run-3/reverse', {});
  assert.equal(byId.body.status, 'reversed');
  const byKey = await call(sim, 'POST', '/refunds/reverse', 'run-3/reverse-again', { refundKey: 'run-3/refund' });
  assert.equal(byKey.body.alreadyReversed, true, 'reversing twice reverses once');
  const early = await call(sim, 'POST', '/refunds/reverse', 'run-4/reverse', { refundKey: 'run-4/refund' });
  assert.equal(early.body.status, 'nothing-to-reverse');
  const late = await call(sim, 'POST', '/orders/ord-1003/refunds', 'run-4/refund', { amountCents: 100 });
  assert.equal(late.status, 409, 'the refund arriving after its reversal is refused');
  const stats = sim.stats().orders;
  assert.equal(stats.reversals, 1);
  assert.equal(stats.reversalVoids, 1);
  assert.deepEqual((await sim.refunds()).map((r) => r.status), ['reversed']);
});

test('an email is sent once per Idempotency-Key and recorded with its recipient', async () => {
  const sim = await simulator();
  const email = { to: 'ada@example.com', subject: 'Your refund', body: 'We refunded 5.00 EUR.', orderId: 'ord-1004' };
  const first = await call(sim, 'POST', '/emails', 'run-5/email', email);
  const again = await call(sim, 'POST', '/emails', 'run-5/email', email);
  assert.equal(first.status, 201);
  assert.equal(again.replayed, true);
  assert.deepEqual((await sim.emails()).map((e) => [e.to, e.subject]), [['ada@example.com', 'Your refund']]);
  assert.deepEqual(sim.stats().orders.emailsByRecipient, { 'ada@example.com': 1 });
  const bad = await call(sim, 'POST', '/emails', 'run-5/bad', { to: 'not-an-address', subject: 's', body: 'b' });
  assert.equal(bad.status, 400);
});

test('the orders API fails after N refunds, hangs, or refunds then times out, as the test tells it, and counts each fault', async () => {
  const sim = await simulator();
  const set = await fetch(`${sim.url}/admin/config`, { method: 'POST', body: JSON.stringify({ faults: [{ endpoint: 'refund-order', kind: 'fail', status: 503, after: 1, times: 1 }] }) });
  assert.equal(set.status, 200);
  assert.equal((await call(sim, 'POST', '/orders/ord-1005/refunds', 'a/1', { amountCents: 10 })).status, 201, 'the first refund passes');
  assert.equal((await call(sim, 'POST', '/orders/ord-1005/refunds', 'a/2', { amountCents: 10 })).status, 503, 'the second fails');
  assert.equal((await call(sim, 'POST', '/orders/ord-1005/refunds', 'a/2', { amountCents: 10 })).status, 201, 'its retry refunds');

  sim.configure({ faults: [{ endpoint: 'get-order', kind: 'hang', times: 1 }, { endpoint: 'refund-order', kind: 'timeout-after-commit', times: 1 }] });
  await assert.rejects(call(sim, 'GET', '/orders/ord-1005', undefined, undefined, AbortSignal.timeout(300)), { name: 'TimeoutError' });
  await assert.rejects(call(sim, 'POST', '/orders/ord-1005/refunds', 'b/1', { amountCents: 10 }, AbortSignal.timeout(1_000)), { name: 'TimeoutError' });
  const retry = await call(sim, 'POST', '/orders/ord-1005/refunds', 'b/1', { amountCents: 10 });
  assert.equal(retry.replayed, true, 'the retry gets the refund made before the timeout');
  const stats = sim.stats();
  assert.deepEqual(stats.faults, { 'refund-order:fail': 1, 'get-order:hang': 1, 'refund-order:timeout-after-commit': 1 });
  assert.deepEqual(stats.orders.refundsByOrder, { 'ord-1005': 3 });
  assert.equal((await sim.refunds({ orderId: 'ord-1005' })).length, 3);
});
