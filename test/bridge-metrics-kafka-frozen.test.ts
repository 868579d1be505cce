// A broker that stops answering (frozen, not closed: requests wait for kafkajs' timeout and retries)
// must not take the bridge's /metrics with it: the lag read is bounded, the scrape answers with the
// last lag counted and says how old it is, and the lag is counted afresh once the broker is back.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseMetrics, samplesOf, scrapeMetrics, sumOf } from '../dev/metrics-scrape';
import { startKafka, type KafkaBroker } from '../dev/stack/kafka';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const RECORDS = 6;
let broker: KafkaBroker | undefined;
let frozen = false;
const scenarios: Scenario[] = [];
const dir = mkdtempSync(join(tmpdir(), 'kta-frozen-kafka-'));
after(async () => {
  if (broker && frozen) process.kill(broker.pid, 'SIGCONT');
  await Promise.allSettled(scenarios.map((s) => s.close()));
  await broker?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('with its broker frozen, a bridge still answers /metrics within the lag read\'s bound, with the last lag counted and its age; once the broker is back the lag is counted afresh', { timeout: 240_000 }, async () => {
  broker = await startKafka({ dataDir: dir });
  const s = await createScenario('frozen-kafka', { kafkaBrokers: broker.brokers });
  scenarios.push(s);
  await s.produceReviews(RECORDS);
  // No worker: the runs are started (the bridge's job) and the offsets committed, so the lag is counted as 0.
  const bridge = await s.startBridge();
  const metricsUrl = `http://127.0.0.1:${bridge.metricsPort}`;
  const counted = await waitFor(() => scrapeMetrics(metricsUrl), (m) => sumOf(m, 'kta_bridge_workflow_starts_total') === RECORDS && samplesOf(m, 'kta_bridge_consumer_lag').length === 1 && sumOf(m, 'kta_bridge_consumer_lag') === 0,
    { timeoutMs: 90_000, message: 'the bridge started every record and its lag gauge counts 0' });
  assert.ok(sumOf(counted, 'kta_bridge_consumer_lag_age_seconds') < 5, 'the lag was just counted');

  process.kill(broker.pid, 'SIGSTOP');
  frozen = true;
  // Each scrape is given 10 s (a Prometheus default); kafkajs alone would wait 30 s per request.
  const scrapeFrozen = async () => {
    const began = Date.now();
    const res = await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) }).catch((err: Error) => {
      throw new assert.AssertionError({ message: `/metrics did not answer within 10 s with the broker frozen (${err.name})` });
    });
    assert.equal(res.status, 200);
    return { m: parseMetrics(await res.text()), ms: Date.now() - began };
  };
  const first = await scrapeFrozen();
  assert.equal(sumOf(first.m, 'kta_bridge_workflow_starts_total'), RECORDS, 'the other series are all there');
  const second = await scrapeFrozen();
  const third = await scrapeFrozen();
  for (const { m, ms } of [first, second, third]) {
    assert.ok(ms < 6_000, `a scrape with the broker frozen answered in ${ms} ms`);
    const lag = samplesOf(m, 'kta_bridge_consumer_lag');
    assert.deepEqual(lag.map((l) => [l.labels.topic, l.labels.partition, l.value]), [[s.topic, '0', 0]], 'the last lag counted stands');
  }
  const age = sumOf(third.m, 'kta_bridge_consumer_lag_age_seconds');
  assert.ok(age >= 2, `the lag's age grows while Kafka does not answer: ${age} s after three scrapes`);

  process.kill(broker.pid, 'SIGCONT');
  frozen = false;
  await s.produceReviews(2, { startAt: RECORDS });
  const back = await waitFor(() => scrapeMetrics(metricsUrl),
    (m) => sumOf(m, 'kta_bridge_workflow_starts_total') === RECORDS + 2 && sumOf(m, 'kta_bridge_consumer_lag') === 0 && sumOf(m, 'kta_bridge_consumer_lag_age_seconds') < 2,
    { timeoutMs: 120_000, message: 'the broker is back: the new records are started, committed, and the lag counted afresh' });
  assert.equal(samplesOf(back, 'kta_bridge_consumer_lag').length, 1);
  assert.deepEqual(await s.kafka.committedOffsets(s.groupId, s.topic), { 0: RECORDS + 2 }, 'what the fresh count of 0 says: every record committed');
});
