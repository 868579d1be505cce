// After a bench's measured runs, what an operator's scraper sees: a short end-to-end pass on the same
// stack (bridge, worker, LLM simulator) that scrapes the bridge's and the worker's /metrics.
// 1. Records wait in a 2-partition topic; a bridge with an open-run bound and no worker yet starts
//    up to the bound and holds the topic: its consumer-lag series show the records not started.
// 2. A worker joins; every record is tagged; the worker's series show the model calls and tokens,
//    and the bridge's lag falls to zero.
// Not timed: it shows the series exist and count what happened (figures live in the bench proper).
import { Kafka, logLevel } from 'kafkajs';
import { sampleLines, samplesOf, scrapeMetrics, sumOf, type Sample } from '../../dev/metrics-scrape';
import { startLlmSimulator } from '../../dev/llm-simulator/server';
import { freePort } from '../../dev/stack';
import { startService } from '../../lib/service-process';
import { uniqueName } from '../../test/helpers/unique';
import type { BenchStack } from './bench-stack';
import { serviceEnv, startBenchBridge } from './bridge-services';
import { benchAdmin } from './kafka-admin';
import { mustReach } from './poll-until';
import { reviewRecords, type BenchRecord } from './review-records';

const PARTITIONS = 2;
const OPEN_RUN_BOUND = 4;
const VALUE_BYTES = 300;
const BUDGET_MS = 180_000;
const WORKER_SERIES = ['kta_model_calls_total', 'kta_model_tokens_total', 'kta_model_cost_usd_total', 'kta_model_call_latency_seconds_count', 'kta_model_limiter_wait_seconds_count', 'kta_model_failures_total', 'kta_run_dead_letters_total'];
const BRIDGE_SERIES = ['kta_bridge_consumer_lag', 'kta_bridge_workflow_starts_total', 'kta_bridge_paused_topics'];

export interface MetricsPassReport {
  readonly records: number;
  /** The bridge's scrape while it held the topic, before any worker ran. */
  readonly held: { readonly lag: number; readonly lines: string[] };
  /** The scrapes once every record was tagged. */
  readonly done: {
    readonly modelCalls: number;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly lagSeries: number;
    readonly lag: number;
    readonly workerLines: string[];
    readonly bridgeLines: string[];
  };
  /** Non-zero model calls, tokens (both directions) and lag series. */
  readonly ok: boolean;
}

// Not in a transaction: its commit marker takes an offset after the last record, which the bridge
// never commits past (it commits the last started record + 1), so the lag would stay at 1.
async function producePlain(brokers: string[], topic: string, records: BenchRecord[]): Promise<void> {
  const producer = new Kafka({ clientId: 'kta-bench-metrics-pass', brokers, logLevel: logLevel.NOTHING }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value, partition: r.partition })) });
  } finally {
    await producer.disconnect();
  }
}

export async function metricsPass(bench: BenchStack, records: number, log: (line: string) => void): Promise<MetricsPassReport> {
  const { stack, logDir } = bench;
  const simulator = await startLlmSimulator({ port: 0, seed: 7, latencyMs: 20 });
  bench.onStop(() => simulator.close());
  const admin = await benchAdmin(stack.kafka.brokers);
  bench.onStop(() => admin.close());
  const topic = uniqueName('metrics-pass');
  const taskQueue = uniqueName('q-metrics-pass');
  await admin.createTopic(topic, PARTITIONS);
  await producePlain(stack.kafka.brokers, topic, reviewRecords(records, PARTITIONS, VALUE_BYTES));
  const env = serviceEnv({
    stack, topic, taskQueue, groupId: uniqueName('g-metrics-pass'), llmBaseUrl: simulator.baseUrl, workflowBundlePath: bench.workflowBundlePath,
    extra: { ROUTES: JSON.stringify([{ topic, workflowType: 'tagReview', taskQueue, maxOpenRuns: OPEN_RUN_BOUND }]), BRIDGE_OPEN_RUNS_POLL_MS: '250' },
  });

  log(`metrics pass: ${records} records, a bridge holding the topic at ${OPEN_RUN_BOUND} open runs, no worker yet`);
  const bridge = await startBenchBridge(env, logDir, 'metrics-pass-bridge');
  bench.onStop(() => bridge.stop('SIGTERM'));
  const bridgeUrl = `http://127.0.0.1:${bridge.metricsPort}`;
  const held = await mustReach(() => scrapeMetrics(bridgeUrl), (m) => sumOf(m, 'kta_bridge_paused_topics') === 1 && sumOf(m, 'kta_bridge_consumer_lag') > 0, BUDGET_MS, 'the bridge holding the topic with lag');

  log('metrics pass: a worker joins');
  const workerPort = await freePort();
  const worker = startService('worker', { ...env, METRICS_PORT: String(workerPort) }, logDir, 'metrics-pass-worker');
  bench.onStop(() => worker.stop('SIGTERM'));
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const workerDone = await mustReach(() => scrapeMetrics(workerUrl), (m) => sumOf(m, 'kta_model_calls_total', { outcome: 'ok' }) >= records, BUDGET_MS, `${records} model calls on the worker`);
  const bridgeDone = await mustReach(() => scrapeMetrics(bridgeUrl), (m) => samplesOf(m, 'kta_bridge_consumer_lag').length === PARTITIONS && sumOf(m, 'kta_bridge_consumer_lag') === 0, BUDGET_MS, 'the lag back at zero');

  const show = (label: string, samples: Sample[], names: string[]) => {
    const lines = sampleLines(samples, names);
    for (const line of lines) log(`${label} ${line}`);
    return lines;
  };
  const report = {
    records,
    held: { lag: sumOf(held, 'kta_bridge_consumer_lag'), lines: show('bridge (held):', held, BRIDGE_SERIES) },
    done: {
      modelCalls: sumOf(workerDone, 'kta_model_calls_total'),
      inputTokens: sumOf(workerDone, 'kta_model_tokens_total', { direction: 'input' }),
      outputTokens: sumOf(workerDone, 'kta_model_tokens_total', { direction: 'output' }),
      lagSeries: samplesOf(bridgeDone, 'kta_bridge_consumer_lag').length,
      lag: sumOf(bridgeDone, 'kta_bridge_consumer_lag'),
      workerLines: show('worker:', workerDone, WORKER_SERIES),
      bridgeLines: show('bridge (done):', bridgeDone, BRIDGE_SERIES),
    },
  };
  const ok = report.done.modelCalls > 0 && report.done.inputTokens > 0 && report.done.outputTokens > 0 && report.held.lag > 0 && report.done.lagSeries > 0;
  return { ...report, ok };
}
