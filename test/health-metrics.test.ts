// /healthz, /readyz and /metrics of the bridge, the worker and the relay, as a probe and a scraper
// see them, over real HTTP against the shared stack.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { readiness, samplesOf, scrapeMetrics, sumOf } from '../dev/metrics-scrape';
import { freePort } from '../dev/stack/ports';
import { startService } from '../lib/service-process';
import { createScenario, type Scenario } from './helpers/scenario';
import { uniqueName } from './helpers/unique';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const url = (port: number) => `http://127.0.0.1:${port}`;

test('a bridge that cannot reach Temporal is live but not ready, and its /readyz says what it waits for', { timeout: 60_000 }, async () => {
  const s = await createScenario('unready');
  scenarios.push(s);
  const nowhere = `127.0.0.1:${await freePort()}`;
  const bridge = await s.startBridge({ TEMPORAL_ADDRESS: nowhere });
  const health = await waitFor(() => fetch(`${url(bridge.metricsPort)}/healthz`).then(async (r) => ({ status: r.status, body: await r.text() })), (h) => h.status === 200, { message: 'the bridge answers /healthz' });
  assert.equal(health.body, 'ok');
  const ready = await readiness(url(bridge.metricsPort));
  assert.equal(ready.status, 503);
  assert.equal(ready.reason, `not ready: connecting to Temporal at ${nowhere}`);
  await waitFor(() => bridge.log(), (log) => log.includes('Temporal not reachable yet'), { message: 'the bridge was in fact retrying Temporal' });
  assert.equal((await readiness(url(bridge.metricsPort))).status, 503, 'still not ready after a failed attempt');
  await bridge.stop();
});

test('/readyz turns ready once the bridge holds its partitions and the worker polls; the lag gauge counts the held records per partition and the worker counts model calls and tokens as the ledger does', { timeout: 180_000 }, async () => {
  const RECORDS = 12;
  const BOUND = 4;
  const s = await createScenario('health', { partitions: 2 });
  scenarios.push(s);
  const routes = JSON.parse(s.env.ROUTES) as Record<string, unknown>[];
  s.env.ROUTES = JSON.stringify([{ ...routes[0], maxOpenRuns: BOUND }]);
  await s.produceReviews(RECORDS);

  // No worker yet: the bridge starts up to the bound, then holds the topic, so records wait in Kafka.
  const bridge = await s.startBridge({ BRIDGE_OPEN_RUNS_POLL_MS: '250', BRIDGE_MAX_STARTS_IN_FLIGHT: '2' });
  const bridgeUrl = url(bridge.metricsPort);
  const ready = await waitFor(() => readiness(bridgeUrl), (r) => r.ready, { timeoutMs: 60_000, message: 'the bridge is ready' });
  assert.match(ready.reason, new RegExp(`^ready: connected to Temporal at ${s.env.TEMPORAL_ADDRESS.replace(/\./g, '\\.')}; in its consumer group, holding 2 partitions$`));

  // The gauge is read at scrape time, and the bridge commits the runs it started shortly after it
  // pauses, so scrape and committed offsets are read together until the bridge has committed.
  const totalOf = (offsets: Record<string, number>) => Object.values(offsets).reduce((a, c) => a + Math.max(0, c), 0);
  const { m: held, c: committed } = await waitFor(
    async () => ({ m: await scrapeMetrics(bridgeUrl), c: await s.kafka.committedOffsets(s.groupId, s.topic) }),
    ({ m, c }) => sumOf(m, 'kta_bridge_paused_topics') === 1 && totalOf(c) > 0 && sumOf(m, 'kta_bridge_consumer_lag') === RECORDS - totalOf(c),
    { timeoutMs: 60_000, message: 'the bridge holds the topic, has committed the runs it started, and its lag gauge counts the records not started' },
  );
  const lagSeries = samplesOf(held, 'kta_bridge_consumer_lag');
  assert.deepEqual(lagSeries.map((l) => `${l.labels.topic}/${l.labels.partition}`).sort(), [`${s.topic}/0`, `${s.topic}/1`]);
  assert.ok(sumOf(held, 'kta_bridge_consumer_lag') > 0, `records wait in Kafka while the topic is held: lag ${JSON.stringify(lagSeries)}, committed ${JSON.stringify(committed)}`);

  const workerPort = await freePort();
  s.startWorker({ METRICS_PORT: String(workerPort) });
  const workerReady = await waitFor(() => readiness(url(workerPort)), (r) => r.ready, { timeoutMs: 60_000, message: 'the worker is ready' });
  assert.equal(workerReady.reason, `ready: polling task queue ${s.taskQueue} in namespace ${s.stack.temporal.namespace}`);

  await s.waitForCompletedRuns(RECORDS, 120_000);
  const drained = await waitFor(() => scrapeMetrics(bridgeUrl), (m) => samplesOf(m, 'kta_bridge_consumer_lag').length === 2 && sumOf(m, 'kta_bridge_consumer_lag') === 0, {
    message: 'the lag of both partitions falls to zero once every record is started and committed',
  });
  assert.equal(sumOf(drained, 'kta_bridge_workflow_starts_total'), RECORDS);

  const worker = await scrapeMetrics(url(workerPort));
  const { rows: [ledger] } = await s.pool.query<{ calls: number; input: number; output: number }>(
    'SELECT count(*)::int AS calls, sum(prompt_tokens)::int AS input, sum(completion_tokens)::int AS output FROM llm_calls WHERE route_topic = $1',
    [s.topic],
  );
  assert.equal(s.simulator.stats().calls, RECORDS);
  assert.equal(sumOf(worker, 'kta_model_calls_total', { outcome: 'ok', task: 'review_tags' }), RECORDS);
  assert.equal(sumOf(worker, 'kta_model_calls_total'), ledger.calls);
  assert.ok(ledger.input > 0 && ledger.output > 0, `the ledger holds tokens (${JSON.stringify(ledger)})`);
  assert.equal(sumOf(worker, 'kta_model_tokens_total', { direction: 'input' }), ledger.input);
  assert.equal(sumOf(worker, 'kta_model_tokens_total', { direction: 'output' }), ledger.output);
  assert.equal(sumOf(worker, 'kta_model_call_latency_seconds_count'), RECORDS);
  assert.equal(sumOf(worker, 'kta_model_failures_total'), 0);
  assert.equal(sumOf(worker, 'kta_model_limiter_wait_seconds_count'), 0, 'without limits no call waits for the limiter');
});

test('calls that find no room in the shared rate limiter are counted as limiter waits, with their wait; calls that found room are not', { timeout: 120_000 }, async () => {
  const RECORDS = 4;
  const s = await createScenario('limiter-metrics');
  scenarios.push(s);
  // Two calls per 3 s window, on a limiter key of this test's own (provider:model).
  const limits = { LLM_MODEL: `sim-${s.topic}`, LLM_REQUESTS_PER_WINDOW: '2', LLM_WINDOW_MS: '3000' };
  const workerPort = await freePort();
  s.startWorker({ ...limits, METRICS_PORT: String(workerPort) });
  await s.startBridge(limits);
  await s.produceReviews(RECORDS);
  await s.waitForCompletedRuns(RECORDS, 90_000);
  const worker = await scrapeMetrics(url(workerPort));
  const waits = sumOf(worker, 'kta_model_limiter_wait_seconds_count');
  assert.equal(sumOf(worker, 'kta_model_calls_total', { outcome: 'ok' }), RECORDS);
  assert.ok(waits >= 1 && waits <= RECORDS - 2, `${waits} of ${RECORDS} calls waited; two fit the first window`);
  const { rows: [ledger] } = await s.pool.query<{ waited: number }>('SELECT count(*)::int AS waited FROM llm_calls WHERE route_topic = $1 AND limiter_wait_ms >= 1000', [s.topic]);
  assert.ok(ledger.waited >= 1, 'the ledger records at least one call that waited a second or more');
  assert.ok(sumOf(worker, 'kta_model_limiter_wait_seconds_sum') >= 1, 'the waits add up to at least that second');
});

test('the relay answers /healthz, turns ready once it has fenced older relays and recovered, and serves its counters', { timeout: 60_000 }, async () => {
  const s = await createScenario('relay-health');
  scenarios.push(s);
  const port = await freePort();
  const relay = startService('relay', { ...s.env, METRICS_PORT: String(port), RELAY_TOPICS: uniqueName('t-relay-out'), RELAY_TRANSACTIONAL_ID: uniqueName('relay-health') }, s.logDir, 'relay');
  try {
    const ready = await waitFor(() => readiness(url(port)), (r) => r.ready, { timeoutMs: 45_000, message: 'the relay is ready' });
    assert.match(ready.reason, /^ready: publishing the outbox as relay-health-/);
    assert.equal(await (await fetch(`${url(port)}/healthz`)).text(), 'ok');
    const metrics = await scrapeMetrics(url(port));
    assert.equal(samplesOf(metrics, 'kta_relay_published_total').length, 1);
    assert.equal(sumOf(metrics, 'kta_relay_published_total'), 0);
  } finally {
    await relay.stop();
  }
});
