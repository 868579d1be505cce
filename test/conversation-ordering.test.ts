import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { entityWorkflowId } from '../core/workflow-id';
import { recordSignal } from '../agents/conversation/workflow';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('records of one conversation reach its entity run once each, in offset order, across continue-as-new, redelivery out of order, duplicates and the entity closing', { timeout: 300_000 }, async () => {
  const s = await createScenario('conversation', { workflowType: 'conversationAgent' });
  scenarios.push(s);
  const routes = JSON.parse(s.env.ROUTES) as Record<string, unknown>[];
  s.env.ROUTES = JSON.stringify([{ ...routes[0], ordering: 'per-key', entity: { maxTurnsPerRun: 2, idleMs: 4_000 } }]);
  const say = (key: string, text: string) => ({ key, value: JSON.stringify({ text }) });
  await s.kafka.produce(s.topic, [say('conv-1', 'hello'), say('conv-1', 'my order is late'), say('conv-2', 'other chat'), say('conv-1', 'order 42'), say('conv-1', 'thanks')]);
  s.startWorker();
  let bridge = await s.startBridge();
  const turns = async (entity: string) =>
    (await s.pool.query<{ offset: string; message: string }>('SELECT "offset", message FROM conversation_turns WHERE entity_id = $1 ORDER BY created_at', [entity])).rows;
  const conv1 = entityWorkflowId(s.topic, 'conv-1');
  await waitFor(() => turns(conv1), (t) => t.length === 4, { timeoutMs: 120_000, message: 'four turns of conv-1' });
  assert.deepEqual((await turns(conv1)).map((t) => t.offset), ['0', '1', '3', '4'], 'in offset order');
  // conv-2 is its own entity run, independent of conv-1's pace: wait for its turn rather than assume it came first.
  const conv2 = entityWorkflowId(s.topic, 'conv-2');
  await waitFor(() => turns(conv2), (t) => t.length >= 1, { timeoutMs: 60_000, message: 'the turn of conv-2' });
  assert.deepEqual((await turns(conv2)).map((t) => t.offset), ['2'], 'conv-2 got its one record');

  const client = await s.client();
  const runsOf = async (id: string) => { const r = []; for await (const w of client.workflow.list({ query: `WorkflowId = "${id}"` })) r.push(w); return r; };
  // Visibility is eventually consistent: the run the entity continued into may be listed a moment after its turns are stored.
  await waitFor(() => runsOf(conv1), (r) => r.length >= 2, { timeoutMs: 30_000, message: 'the entity continued as new (two turns per run)' });

  // Out of order and duplicated, straight at the entity: offset 3, then 1, then 3 again.
  const source = (offset: string) => ({ topic: s.topic, partition: 0, offset, key: 'conv-1', timestamp: '0', recordHash: 'x' });
  for (const o of ['3', '1', '3']) {
    await client.workflow.signalWithStart('conversationAgent', {
      workflowId: conv1, taskQueue: s.taskQueue, args: [{ entityId: conv1, settings: { modelTimeoutMs: 10_000, effectTimeoutMs: 4_000, maxModelAttempts: 3, transientRetryAttempts: 3, modelOutput: 'json' } }],
      signal: recordSignal, signalArgs: [{ value: { text: `replayed ${o}` }, source: source(o) }], workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
  // Let the entity close (idle), then redeliver everything from the start through the bridge.
  await waitFor(async () => (await runsOf(conv1)).every((r) => r.status.name !== 'RUNNING'), (closed) => closed, { timeoutMs: 60_000, message: 'the idle entity closed' });
  await bridge.stop();
  await s.kafka.resetToEarliest(s.groupId, s.topic);
  bridge = await s.startBridge();
  await s.kafka.produce(s.topic, [say('conv-1', 'one more thing')]);
  await waitFor(() => turns(conv1), (t) => t.length === 5, { timeoutMs: 120_000, message: 'the new message got its turn' });
  await new Promise((r) => setTimeout(r, 3_000)); // time for any wrong extra turn to show
  const final = await turns(conv1);
  assert.deepEqual(final.map((t) => t.offset), ['0', '1', '3', '4', '5'], 'each record once, in offset order; replays and redeliveries skipped');
  assert.ok(final.every((t) => !t.message.startsWith('replayed')), 'no replayed signal was processed');
  assert.deepEqual((await turns(conv2)).map((t) => t.offset), ['2'], 'the redelivered conv-2 record was not turned again');
  assert.equal(s.simulator.stats().calls, 6, 'one model call per new message');
});
