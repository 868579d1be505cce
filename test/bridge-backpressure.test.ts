import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('with an open-run bound and a slow model the bridge pauses and resumes the topic, open runs stay within the bound plus one batch, and every record finishes', { timeout: 300_000 }, async () => {
  const BOUND = 5;
  const IN_FLIGHT = 3; // the most starts one batch launches past the bound before it holds
  const RECORDS = 30;
  const s = await createScenario('backpressure', { simulatorLatencyMs: 1_200 });
  scenarios.push(s);
  const routes = JSON.parse(s.env.ROUTES) as Record<string, unknown>[];
  s.env.ROUTES = JSON.stringify([{ ...routes[0], maxOpenRuns: BOUND }]);
  await s.produceReviews(RECORDS);
  s.startWorker();
  const bridge = await s.startBridge({ BRIDGE_MAX_STARTS_IN_FLIGHT: String(IN_FLIGHT), BRIDGE_OPEN_RUNS_POLL_MS: '250' });

  // Watch open runs from Temporal ourselves, independently of the bridge's own count.
  const client = await s.client();
  let maxOpen = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { count } = await client.workflow.count(`KafkaTopic = "${s.topic}" AND ExecutionStatus = "Running"`);
      maxOpen = Math.max(maxOpen, count);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const runs = await s.waitForCompletedRuns(RECORDS, 240_000);
  sampling = false;
  await sampler;

  const stats = await bridge.stats();
  assert.equal(runs.length, RECORDS, 'every record finished');
  assert.ok(stats.pauses >= 1, `the topic was paused (${stats.pauses} pauses)`);
  assert.ok(stats.resumes >= 1, `and resumed (${stats.resumes} resumes)`);
  assert.ok(maxOpen <= BOUND + IN_FLIGHT, `open runs seen by visibility peaked at ${maxOpen}, bound ${BOUND} + one batch ${IN_FLIGHT}`);
  assert.ok(maxOpen >= BOUND - 1, `the bound was actually reached (${maxOpen})`);
  assert.ok(stats.maxOpenRuns <= BOUND + IN_FLIGHT, `the bridge's own count peaked at ${stats.maxOpenRuns}`);
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === RECORDS, { message: 'every offset committed' });
  assert.equal(s.simulator.stats().calls, RECORDS);
});
