// The order-support agent end to end on the real stack: a four-turn run (lookup, refund, email,
// answer) on both wire formats, a redelivered record and `kta replay` that ask the model and the
// orders API nothing, and the agent's first recorded history for the replay suite.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { workflowIdFor } from '../../core/workflow-id';
import type { ReplayReport } from '../../ops/replay/report';
import { saveFirstHistory } from '../../test/helpers/history';
import { runKta } from '../../test/helpers/kta-cli';
import { activityCounts, guardMemo, orderRecord, orderWithFirstItemAtMost, produceOrderRecords, SEEDED_ORDERS } from '../../test/helpers/orders';
import { createScenario, type Scenario } from '../../test/helpers/scenario';
import { agentStatus, waitForRunStatus } from '../../test/helpers/trips';
import { waitFor } from '../../test/helpers/wait-for';
import { decisionUpdate, pendingReviewQuery } from '../../workflows/review-messages';
import { ORDER_SUPPORT_LIMITS } from './tools';
import type { SupportOrderResult } from './workflow';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const FOUR_TURNS = { callModel: 4, lookupOrder: 1, issueRefund: 1, sendEmail: 1 };

async function fourTurnRun(name: string, workerEnv: (s: Scenario) => Record<string, string>) {
  const s = await createScenario(name, { workflowType: 'supportOrder', bookingApi: true });
  scenarios.push(s);
  // Its first item is below the refund limit and the email-approval threshold: nothing is held.
  const order = orderWithFirstItemAtMost(9_000);
  await produceOrderRecords(s, [orderRecord(order, 'support')]);
  s.startWorker(workerEnv(s));
  const bridge = await s.startBridge();
  await waitForRunStatus(s, 'COMPLETED');
  const workflowId = workflowIdFor(s.topic, 0, '0');
  const client = await s.client();
  const result = (await client.workflow.getHandle(workflowId).result()) as SupportOrderResult;
  return { s, order, bridge, client, workflowId, result };
}

test('a four-turn run (lookup, refund, email, answer) completes with exactly 4 model calls, one refund and one email', { timeout: 180_000 }, async () => {
  const { s, order, bridge, client, workflowId, result } = await fourTurnRun('order-support', () => ({}));
  assert.equal(s.simulator.stats().calls, 4, 'the simulator counted 4 model calls');
  assert.deepEqual(await activityCounts(client, workflowId), FOUR_TURNS);
  assert.equal(result.turns, 4);
  assert.equal(result.toolCalls, 3);
  assert.equal(result.refusals, 0);
  const refunds = await s.booking.refunds({ orderId: order.orderId });
  assert.equal(refunds.length, 1, 'one refund in the orders API');
  assert.equal(refunds[0].amountCents, order.items[0].unitPriceCents);
  assert.equal(refunds[0].idempotencyKey, `${workflowId}/t2.c1.issueRefund`, 'the refund carries the key of run, turn and call');
  const emails = await s.booking.emails({ to: order.customerEmail });
  assert.equal(emails.length, 1, 'one email to the record\'s customer');
  await saveFirstHistory(new URL('./histories/', import.meta.url), client, workflowId);

  // Redelivery: a second bridge in a new consumer group reads the topic from the start.
  const ordersRequests = s.booking.stats().requests;
  await bridge.stop('SIGTERM');
  const second = await s.startBridge({ KAFKA_GROUP_ID: `${s.groupId}-again` });
  const stats = await waitFor(() => second.stats(), (st) => st.duplicates === 1, { message: 'the second bridge met the run as a duplicate' });
  assert.equal(stats.starts, 0, 'the redelivered record started nothing');
  assert.equal(s.simulator.stats().calls, 4, 'a redelivered record makes 0 model calls');
  assert.equal(s.booking.stats().requests, ordersRequests, 'a redelivered record makes 0 tool calls');

  // kta replay runs the history through today's workflow code: no worker, no activity runs.
  const replay = await runKta(['replay', '--json', '--workflow-id', workflowId], s.env, 180_000);
  assert.equal(replay.code, 0, `kta replay exit code; stderr: ${replay.stderr}`);
  assert.deepEqual((JSON.parse(replay.stdout) as ReplayReport).summary, { replayed: 1, ok: 1, failed: 0 });
  assert.equal(s.simulator.stats().calls, 4, 'kta replay makes 0 model calls');
  assert.equal(s.booking.stats().requests, ordersRequests, 'kta replay makes 0 tool calls');
  assert.deepEqual(await activityCounts(client, workflowId), FOUR_TURNS, 'the history is unchanged');
});

test('the same four-turn run on the Anthropic wire format (tool_use / tool_result) makes 4 model calls', { timeout: 180_000 }, async () => {
  const { s, order, result } = await fourTurnRun('order-support-anthropic', (sc) => ({ LLM_PROVIDER: 'anthropic', LLM_BASE_URL: sc.simulator.url, LLM_API_KEY: 'simulator' }));
  const stats = s.simulator.stats();
  assert.equal(stats.calls, 4);
  assert.equal(stats.callsByWireFormat.anthropic, 4, 'every turn went over the Anthropic Messages API');
  assert.equal(result.turns, 4);
  assert.equal((await s.booking.refunds({ orderId: order.orderId })).length, 1);
  assert.equal((await s.booking.emails({ to: order.customerEmail })).length, 1);
});

test('an email after a refund above the approval threshold waits for a human: the reason is in the pending review and the memo, and approval sends it', { timeout: 180_000 }, async () => {
  const s = await createScenario('order-support-approval', { workflowType: 'supportOrder', bookingApi: true });
  scenarios.push(s);
  // Its first item costs more than the email threshold and less than the refund limit.
  const order = SEEDED_ORDERS.find((o) => o.items[0].unitPriceCents > ORDER_SUPPORT_LIMITS.emailApprovalAboveCents && o.items[0].unitPriceCents <= ORDER_SUPPORT_LIMITS.refundLimitCents && o.items[0].unitPriceCents <= o.totalCents);
  assert.ok(order, 'a seeded order with a first item between the thresholds');
  await produceOrderRecords(s, [orderRecord(order, 'support')]);
  s.startWorker();
  await s.startBridge();
  const client = await s.client();
  const workflowId = workflowIdFor(s.topic, 0, '0');
  const handle = client.workflow.getHandle(workflowId);
  const pending = await waitFor(() => handle.query(pendingReviewQuery), (p) => p !== null, { timeoutMs: 90_000, message: `${workflowId} awaits a review (logs in ${s.logDir})` });
  assert.match(pending!.question, new RegExp(`the email follows refunds of ${order.items[0].unitPriceCents} cents in this run, above ${ORDER_SUPPORT_LIMITS.emailApprovalAboveCents} cents`));
  assert.equal(await agentStatus(client, workflowId), 'AwaitingReview');
  assert.deepEqual((await guardMemo(client, workflowId)).map((g) => `${g.tool} ${g.verdict}`), ['sendEmail approval-requested']);
  assert.equal((await s.booking.emails({ to: order.customerEmail })).length, 0, 'nothing is sent before the approval');

  await handle.executeUpdate(decisionUpdate, { args: [{ action: 'approve', reviewer: 'alice', note: 'refund confirmed' }] });
  await waitForRunStatus(s, 'COMPLETED');
  assert.equal((await s.booking.emails({ to: order.customerEmail })).length, 1, 'the approved email was sent once');
  assert.deepEqual((await guardMemo(client, workflowId)).map((g) => `${g.tool} ${g.verdict} ${g.by ?? ''}`.trim()), ['sendEmail approval-requested', 'sendEmail approved alice']);
  assert.equal(s.simulator.stats().calls, 4);
});
