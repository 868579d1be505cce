// Budgets, bad tool calls and continue-as-new in the agent loop, on the real stack: a model that
// never stops ends at its turn budget, a wordy one at its token budget (spending at most the budget
// plus one turn), a hallucinated tool and then invalid arguments are re-asked once each and then go to
// HUMAN_REVIEW without the irreversible tool running, and the conversation, the turn count and the
// re-asks ride through continue-as-new.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { workflowIdFor } from '../core/workflow-id';
import { readDeadLetters } from './helpers/dead-letters';
import { activityCounts, orderRecord, orderWithFirstItemAtMost, produceOrderRecords } from './helpers/orders';
import { createScenario, type Scenario } from './helpers/scenario';
import { agentStatus, waitForRunStatus } from './helpers/trips';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const requestsAbout = (s: Scenario, orderId: string) => s.simulator.requests(1000).filter((r) => JSON.stringify(r.messages).includes(orderId));

/** Every execution of one workflow ID, oldest first: one per continue-as-new. */
async function executions(client: Client, workflowId: string) {
  const found = [];
  for await (const e of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) found.push(e);
  return found.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
}

test('turn budget, hallucinated tools and continue-as-new: each run stops or finishes as its script drives it', { timeout: 240_000 }, async () => {
  const s = await createScenario('agent-turns', { workflowType: 'supportOrder', bookingApi: true, workflowSettings: { agent: { maxTurns: 4, turnsPerRun: 2 } } });
  scenarios.push(s);
  const [endless, confused, helped] = [orderWithFirstItemAtMost(9_000, 0), orderWithFirstItemAtMost(9_000, 1), orderWithFirstItemAtMost(9_000, 2)];
  await produceOrderRecords(s, [orderRecord(endless, 'never-stops'), orderRecord(confused, 'hallucinate-then-invalid'), orderRecord(helped, 'support')]);
  s.startWorker();
  await s.startBridge();
  await waitForRunStatus(s, 'FAILED', 2);
  await waitForRunStatus(s, 'COMPLETED', 1);
  const client = await s.client();
  const [endlessId, confusedId, helpedId] = [0, 1, 2].map((o) => workflowIdFor(s.topic, 0, String(o)));
  const letters = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 2);
  const letterOf = (offset: string) => letters.find((l) => l.original.offset === offset);

  // A model that never stops: exactly maxTurns model calls, across a continue-as-new after 2 turns.
  assert.equal(requestsAbout(s, endless.orderId).length, 4, 'the never-stopping model was asked 4 times (maxTurns 4)');
  assert.equal(await agentStatus(client, endlessId), 'NeedsReview');
  assert.deepEqual((await executions(client, endlessId)).map((e) => e.status.name), ['CONTINUED_AS_NEW', 'FAILED'], 'continued as new after 2 turns, stopped in the second run');
  const endlessLetter = letterOf('0');
  assert.equal(endlessLetter?.class, 'HUMAN_REVIEW');
  assert.equal(endlessLetter?.reasonCode, 'NeedsReview');
  assert.match(endlessLetter?.reason ?? '', /turn budget \(maxTurns 4\) reached: 4 model calls/);

  // Hallucinated tool, then invalid arguments: each re-asked once with what was wrong, then HUMAN_REVIEW.
  const asked = requestsAbout(s, confused.orderId);
  assert.equal(asked.length, 3, 'asked 3 times: the first call, one re-ask per problem');
  assert.match(JSON.stringify(asked[1].messages), /There is no tool named/, 'the second ask tells the model the tool does not exist');
  assert.match(JSON.stringify(asked[2].messages), /do not fit its schema/, 'the third ask tells the model its arguments do not fit');
  const confusedLetter = letterOf('1');
  assert.equal(confusedLetter?.class, 'HUMAN_REVIEW');
  assert.equal(confusedLetter?.reasonCode, 'InvalidToolArgumentsError');
  assert.match(confusedLetter?.reason ?? '', /invalid arguments again in turn 3 .* after it was told once; no tool of that turn ran/);
  assert.deepEqual(await activityCounts(client, confusedId), { callModel: 3, publishRunDeadLetter: 1 }, 'no tool ran, sendEmail least of all');
  assert.equal((await s.booking.emails({ to: confused.customerEmail })).length, 0);

  // The support script across continue-as-new: 4 turns in two runs, one refund, one email.
  assert.equal(requestsAbout(s, helped.orderId).length, 4);
  assert.deepEqual((await executions(client, helpedId)).map((e) => e.status.name), ['CONTINUED_AS_NEW', 'COMPLETED']);
  assert.equal((await s.booking.refunds({ orderId: helped.orderId })).length, 1);
  assert.equal((await s.booking.emails({ to: helped.customerEmail })).length, 1);
  assert.equal(await agentStatus(client, helpedId), 'Completed');
});

test('a wordy model ends at its token budget with NeedsReview, having spent at most the budget plus one turn', { timeout: 180_000 }, async () => {
  const MAX_TOKENS = 3_000;
  const s = await createScenario('agent-tokens', { workflowType: 'supportOrder', bookingApi: true, workflowSettings: { agent: { maxTurns: 20, maxTokens: MAX_TOKENS } } });
  scenarios.push(s);
  const order = orderWithFirstItemAtMost(9_000);
  await produceOrderRecords(s, [orderRecord(order, 'token-heavy tokens=1000')]);
  s.startWorker();
  await s.startBridge();
  await waitForRunStatus(s, 'FAILED');
  const workflowId = workflowIdFor(s.topic, 0, '0');
  assert.equal(await agentStatus(await s.client(), workflowId), 'NeedsReview');
  const turns = s.simulator.requests(100).map((r) => (r.usage?.promptTokens ?? 0) + (r.usage?.completionTokens ?? 0));
  const spent = turns.reduce((a, b) => a + b, 0);
  assert.ok(spent >= MAX_TOKENS, `the run reached its budget (${spent} tokens)`);
  assert.ok(spent - turns[turns.length - 1] < MAX_TOKENS, `the budget was not reached before the last turn (${JSON.stringify(turns)})`);
  assert.ok(spent <= MAX_TOKENS + turns[turns.length - 1], 'at most the budget plus one turn');
  const [letter] = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 1);
  assert.equal(letter.class, 'HUMAN_REVIEW');
  assert.match(letter.reason, new RegExp(`token budget \\(maxTokens ${MAX_TOKENS}\\) reached: ${turns.length} model calls, ${spent} tokens`));
});
