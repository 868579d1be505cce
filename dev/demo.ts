// The demo (`kta demo`): the main job on the local stack, end to end; test and demo infrastructure. Starts Temporal (with its UI), Kafka,
// PostgreSQL and the LLM simulator, runs a worker and the bridge as child processes, produces review
// records, redelivers part of them on purpose, and prints one JSON line whose every count comes from
// its own source: runs from Temporal visibility, model calls from the simulator's counter, index rows
// from SQL, duplicates from the bridge, redelivered from the demo's own reset.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { startLlmSimulator } from './llm-simulator/server';
import { startStack } from './stack';
import { freePort } from './stack/ports';
import { closePool, createPool } from '../lib/pg-pool';
import { startService, type ServiceProcess } from '../lib/service-process';
import { DemoServiceExitedError } from './stack/errors';
import { bundleWorkflowsTo } from '../workers/bundle';
import { demoReviews } from './demo-reviews';

export interface DemoOptions {
  readonly records: number;
  readonly partitions: number;
  readonly once?: boolean;
  readonly dir?: string;
}

/** The demo's one JSON line: each count from its own source. */
export interface DemoSummary {
  readonly records: number;
  readonly runs: number;
  readonly duplicates: number;
  readonly redelivered: number;
  readonly modelCalls: number;
  readonly indexRows: number;
  readonly uiUrl: string;
}

/** Where the demo reports: progress lines, and the summary once every count is in. */
export interface DemoOutput {
  say(line: string): void;
  summary(summary: DemoSummary): void;
}

let say: (line: string) => void = () => undefined;
/** The services the demo needs running now: one that dies ends the demo at once, with its log's tail. */
const mustRun = new Map<string, ServiceProcess>();

function checkServices(waitingFor: string): void {
  for (const [name, service] of mustRun) {
    if (service.isAlive()) continue;
    const tail = service.log().trimEnd().split('\n').slice(-8).join('\n');
    throw new DemoServiceExitedError(name, service.pid, service.logFile, waitingFor, tail);
  }
}

async function poll<T>(probe: () => Promise<T>, done: (v: T) => boolean, progress: (v: T) => string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastLine = '';
  for (;;) {
    const value = await probe();
    const line = progress(value);
    if (line !== lastLine) say(line);
    lastLine = line;
    if (done(value)) return value;
    checkServices(line);
    if (Date.now() > deadline) throw new Error(`demo timed out: ${line}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function runDemo(opts: DemoOptions, output: DemoOutput): Promise<void> {
  say = output.say;
  const dir = resolve(opts.dir ?? mkdtempSync(join(tmpdir(), 'kta-demo-')));
  mkdirSync(join(dir, 'logs'), { recursive: true });
  say(`stack data and logs in ${dir}`);
  const [stack, bundlePath] = await Promise.all([
    startStack({ dir, ui: true, log: (line) => say(line) }),
    bundleWorkflowsTo(join(dir, 'workflow-bundle.js')),
  ]);
  const simulator = await startLlmSimulator({ port: 0, seed: 42, latencyMs: 50 });
  say(`LLM simulator (not a model) at ${simulator.baseUrl}`);
  const topic = 'reviews';
  const groupId = 'kta-demo-bridge';
  const taskQueue = 'review-tagger';
  const kafka = new Kafka({ clientId: 'kta-demo', brokers: stack.kafka.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  const pool = createPool(stack.postgres.url, { warn: (_fields, message) => say(message) }, { name: 'demo', max: 2 });
  const connection = await Connection.connect({ address: stack.temporal.address });
  const client = new Client({ connection, namespace: stack.temporal.namespace });
  const metricsPort = await freePort();
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    KAFKA_BROKERS: stack.kafka.brokers.join(','),
    KAFKA_GROUP_ID: groupId,
    DATABASE_URL: stack.postgres.url,
    LLM_BASE_URL: simulator.baseUrl,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    WORKER_TASK_QUEUE: taskQueue,
    METRICS_PORT: String(metricsPort),
    ROUTES: JSON.stringify([{ topic, workflowType: 'tagReview', taskQueue }]),
  };
  const logs = join(dir, 'logs');
  const bridgeStats = async () =>
    (await (await fetch(`http://127.0.0.1:${metricsPort}/stats`)).json()) as { starts: number; duplicates: number; records: number };
  const countRuns = async (query = `KafkaTopic = "${topic}"`) => (await client.workflow.count(query)).count;
  const committedTotal = async () => {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  };

  try {
    await Promise.all([admin.connect(), producer.connect()]);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: opts.partitions, replicationFactor: 1 }] });
    // The worker serves metrics too (METRICS_PORT); the port above is the bridge's, so the worker takes none.
    const worker = startService('worker', { ...env, METRICS_PORT: '0' }, logs, 'worker');
    let bridge = startService('bridge', env, logs, 'bridge-1');
    mustRun.set('worker', worker).set('bridge', bridge);
    const reviews = demoReviews(opts.records, Date.now().toString(36));
    await producer.send({ topic, acks: -1, messages: reviews.map((r) => ({ key: r.reviewId, value: JSON.stringify(r) })) });
    say(`produced ${reviews.length} review records to ${topic} (${opts.partitions} partitions)`);

    await poll(
      async () => ({ completed: await countRuns(`KafkaTopic = "${topic}" AND ExecutionStatus = "Completed"`), committed: await committedTotal().catch(() => 0) }),
      (v) => v.completed >= opts.records && v.committed >= opts.records,
      (v) => `runs completed ${v.completed}/${opts.records}, offsets committed ${v.committed}/${opts.records}`,
      600_000,
    );

    // Redeliver on purpose: stop the bridge, move partition 0 back to its first offset, start again.
    mustRun.delete('bridge');
    await bridge.stop('SIGTERM');
    const [before] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const redelivered = Number(before.partitions.find((p) => p.partition === 0)?.offset ?? 0);
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '0' }] });
    say(`reset partition 0 of group ${groupId} to offset 0: ${redelivered} records will be delivered again`);
    bridge = startService('bridge', env, logs, 'bridge-2');
    mustRun.set('bridge', bridge);
    const stats = await poll(
      async () => bridgeStats().catch(() => ({ starts: -1, duplicates: -1, records: -1 })),
      (s) => s.duplicates >= redelivered,
      (s) => `redelivered records recognised as duplicates: ${Math.max(0, s.duplicates)}/${redelivered}`,
      300_000,
    );
    await poll(committedTotal, (c) => c >= opts.records, (c) => `offsets committed after redelivery ${c}/${opts.records}`, 120_000);

    const runs = await countRuns();
    const modelCalls = ((await (await fetch(`${simulator.url}/simulator/stats`)).json()) as { calls: number }).calls;
    const indexRows = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM review_tags')).rows[0].n);
    const uiUrl = stack.temporal.uiUrl!;
    const ui = await fetch(uiUrl);
    if (!ui.ok) throw new Error(`the Temporal UI at ${uiUrl} answered ${ui.status}; see ${join(dir, 'logs')}`);
    say(`Temporal UI: ${uiUrl}/namespaces/${stack.temporal.namespace}/workflows?query=${encodeURIComponent(`KafkaTopic="${topic}"`)}`);
    say(`index rows in PostgreSQL: ${indexRows}; model calls seen by the simulator: ${modelCalls}`);
    output.summary({ records: opts.records, runs, duplicates: stats.duplicates, redelivered, modelCalls, indexRows, uiUrl });

    if (!opts.once) {
      say('the stack stays up for inspection; press Ctrl-C to stop everything');
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
    }
    await Promise.all([bridge.stop('SIGTERM'), worker.stop('SIGTERM')]);
  } finally {
    // Every client closes before the stack stops: PostgreSQL ending a connection first would be an error.
    await Promise.allSettled([producer.disconnect(), admin.disconnect(), closePool(pool), connection.close(), simulator.close()]);
    await stack.stop();
  }
}
