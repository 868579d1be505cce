// A tool-using run survives its worker: SIGKILLed after turn 2's refund reached the orders API and
// before turn 3, a replacement worker finishes the run without asking the model again for turns 1-2
// and without a second refund (the retried call carries the same key and gets the recorded answer).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { workflowIdFor } from '../core/workflow-id';
import { activityCounts, orderRecord, orderWithFirstItemAtMost, produceOrderRecords } from './helpers/orders';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitForRunStatus } from './helpers/trips';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

/** The model turn a logged request was: one more than the assistant messages it carried. */
const turnOf = (messages: readonly unknown[]) => 1 + messages.filter((m) => (m as { role?: string }).role === 'assistant').length;

test('a worker SIGKILLed after turn 2\'s refund is replaced: no model call repeats for turns 1-2 and the orders API shows one refund', { timeout: 240_000 }, async () => {
  const s = await createScenario('agent-crash', { workflowType: 'supportOrder', bookingApi: true, workflowSettings: { effectTimeoutMs: 3_000 } });
  scenarios.push(s);
  const marker = join(s.logDir, 'fault-marker');
  const order = orderWithFirstItemAtMost(9_000, 1);
  await produceOrderRecords(s, [orderRecord(order, 'support')]);
  const doomed = s.startWorker({ KTA_FAULT: 'worker:after-refund', KTA_FAULT_MARKER: marker });
  await s.startBridge();
  const exit = await doomed.exited;
  assert.equal(exit.signal, 'SIGKILL', 'the worker died by SIGKILL');
  assert.ok(existsSync(marker) && readFileSync(marker, 'utf8').includes('worker:after-refund'), 'the fault point was hit');
  assert.equal((await s.booking.refunds({ orderId: order.orderId })).length, 1, 'the refund reached the orders API before the kill');
  assert.deepEqual(s.simulator.requests(100).map((r) => turnOf(r.messages)), [1, 2], 'killed before turn 3 asked the model');

  s.startWorker();
  await waitForRunStatus(s, 'COMPLETED', 1, 120_000);
  const workflowId = workflowIdFor(s.topic, 0, '0');
  assert.deepEqual(s.simulator.requests(100).map((r) => turnOf(r.messages)), [1, 2, 3, 4], 'each turn asked the model exactly once');
  assert.equal(s.simulator.stats().calls, 4);
  const refundCalls = s.booking.requests().filter((r) => r.endpoint === 'refund-order');
  assert.deepEqual(refundCalls.map((r) => r.idempotencyKey), [`${workflowId}/t2.c1.issueRefund`, `${workflowId}/t2.c1.issueRefund`], 'the replacement worker retried the refund with the same key');
  assert.equal(refundCalls[1].replayed, true, 'and got the recorded answer');
  assert.equal((await s.booking.refunds({ orderId: order.orderId })).length, 1, 'one refund in the orders API');
  assert.equal(s.booking.stats().orders.refundsCreated, 1, 'the orders API created one refund');
  assert.deepEqual(await activityCounts(await s.client(), workflowId), { callModel: 4, lookupOrder: 1, issueRefund: 1, sendEmail: 1 });
});
