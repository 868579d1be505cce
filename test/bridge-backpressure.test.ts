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

test('while the model limiter is saturated the bridge pauses the topic and starts nothing, lag stays visible, and it resumes once the window has room', { timeout: 300_000 }, async () => {
  const FIRST = 6;
  const SECOND = 10;
  const s = await createScenario('limiter-pause', { simulatorLatencyMs: 50 });
  scenarios.push(s);
  // Two calls per 3 s window, on a limiter key of this test's own (the key is provider:model). A 5 s
  // request timeout leaves room in the route's 10 s model timeout for a call to wait for the limiter.
  const limits = { LLM_MODEL: `sim-${s.topic}`, LLM_REQUESTS_PER_WINDOW: '2', LLM_WINDOW_MS: '3000', LLM_REQUEST_TIMEOUT_MS: '5000' };
  s.startWorker(limits);
  const bridge = await s.startBridge({ ...limits, BRIDGE_OPEN_RUNS_POLL_MS: '200' });
  const client = await s.client();
  const startedRuns = async () => (await client.workflow.count(`KafkaTopic = "${s.topic}"`)).count;

  await s.produceReviews(FIRST);
  await waitFor(startedRuns, (n) => n === FIRST, { message: `${FIRST} runs started` });
  // Six calls against two per window: four wait for room, and the bridge must notice.
  const paused = await waitFor(() => bridge.stats(), (st) => st.pausedTopics === 1 && (st.pausesByReason['model-saturated'] ?? 0) >= 1, {
    timeoutMs: 20_000,
    message: 'the bridge paused the topic on model saturation',
  });
  await s.produceReviews(SECOND, { startAt: FIRST });

  // While the topic stays paused (no resume between two reads of the bridge's stats), no run starts
  // and the new records wait in Kafka, uncommitted.
  // The hold is over at its first resume, even one that paused again between two samples (runs may
  // then have started rightly), so every sample is compared with the resume count the hold began with.
  let heldSamples = 0;
  let lastLag = 0;
  const resumesAtHold = paused.resumes;
  for (;;) {
    const before = await bridge.stats();
    if (before.pausedTopics !== 1 || before.resumes !== resumesAtHold) break;
    const runs = await startedRuns();
    const committed = (await s.kafka.committedOffsets(s.groupId, s.topic))[0] ?? 0;
    const after = await bridge.stats();
    if (after.pausedTopics !== 1 || after.resumes !== resumesAtHold) break;
    heldSamples++;
    assert.equal(runs, FIRST, `no run started while the topic was paused on model saturation (saw ${runs})`);
    lastLag = FIRST + SECOND - committed;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(heldSamples >= 3, `the pause held long enough to be observed (${heldSamples} samples)`);
  assert.equal(lastLag, SECOND, 'the held records stayed uncommitted in Kafka: lag visible');

  const runs = await s.waitForCompletedRuns(FIRST + SECOND, 180_000);
  assert.equal(runs.length, FIRST + SECOND, 'every record finished');
  const stats = await bridge.stats();
  assert.ok((stats.resumesByReason['model-saturated'] ?? 0) >= 1, `the topic resumed (${JSON.stringify(stats.resumesByReason)})`);
  assert.equal(stats.pausesByReason['open-runs'] ?? 0, 0, 'no open-run bound was set: every pause came from the limiter');
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === FIRST + SECOND, { message: 'every offset committed' });
  assert.equal(s.simulator.stats().calls, FIRST + SECOND, 'one model call per record');
});
