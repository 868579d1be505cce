// One test's slice of the shared stack: a fresh topic, consumer group and task queue, its own LLM
// simulator, clients, and helpers to run the bridge and worker as child processes against them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import type { metricsSnapshot } from '../../bridge/metrics';
import type { Route } from '../../config';
import { startBookingSimulator, type BookingSimulator } from '../../dev/booking-simulator/server';
import type { Fixtures } from '../../dev/llm-simulator/fixtures';
import { startLlmSimulator } from '../../dev/llm-simulator/server';
import { freePort } from '../../dev/stack/ports';
import { type TemporalClientTls, temporalTlsEnv } from '../../dev/stack/temporal-tls';
import { sdkTlsOptions } from './temporal-tls';
import { kafkaTestClient, type KafkaTestClient } from './kafka';
import { createPool, stderrPoolLog } from '../../lib/pg-pool';
import { startService, type ServiceProcess } from '../../lib/service-process';
import { testStack } from './test-stack';
import { uniqueName } from './unique';
import { waitFor } from './wait-for';

export interface ScenarioOptions {
  readonly partitions?: number;
  readonly simulatorLatencyMs?: number;
  /** Overrides the shared Temporal server (tests that stop their own). */
  readonly temporalAddress?: string;
  /** Client certificate files for a frontend that requires mutual TLS: the bridge and worker get them as TEMPORAL_TLS_*_FILE, the test's client reads them. */
  readonly temporalTls?: TemporalClientTls;
  readonly workflowSettings?: Partial<Route['workflow']>;
  /** The route's workflow type (default tagReview). */
  readonly workflowType?: string;
  /** Answers of the LLM simulator by prompt hash. */
  readonly simulatorFixtures?: Fixtures;
  /** Starts a booking API simulator of the test's own; workers get its URL as BOOKING_API_URL. */
  readonly bookingApi?: boolean;
  /** A Kafka of the test's own: the test's clients (topics, producing, offsets) reach it here, in plain text. */
  readonly kafkaBrokers?: string[];
  /** Variables the bridge and the worker get on top of the scenario's (secured-connection settings). */
  readonly serviceEnv?: Record<string, string>;
}

export type Scenario = Awaited<ReturnType<typeof createScenario>>;

export async function createScenario(name: string, opts: ScenarioOptions = {}) {
  const stack = testStack();
  const topic = uniqueName(`t-${name}`);
  const groupId = uniqueName(`g-${name}`);
  const taskQueue = uniqueName(`q-${name}`);
  const logDir = join(stack.dir, 'test-logs', topic);
  mkdirSync(logDir, { recursive: true });
  const temporalAddress = opts.temporalAddress ?? stack.temporal.address;

  const simulator = await startLlmSimulator({ port: 0, seed: 7, latencyMs: opts.simulatorLatencyMs ?? 20, fixtures: opts.simulatorFixtures });
  const booking: BookingSimulator | undefined = opts.bookingApi ? await startBookingSimulator({ databaseUrl: stack.databaseUrl, instance: uniqueName(`b-${name}`) }) : undefined;
  const kafka: KafkaTestClient = await kafkaTestClient(opts.kafkaBrokers ?? stack.kafka.brokers);
  await kafka.createTopic(topic, opts.partitions ?? 1);
  const pool = createPool(stack.databaseUrl, stderrPoolLog, { name: 'test', max: 4 });
  let connection: Connection | undefined;
  const services: ServiceProcess[] = [];
  let serviceCount = 0;

  const baseEnv: Record<string, string> = {
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    ...(opts.temporalTls ? temporalTlsEnv(opts.temporalTls) : {}),
    KAFKA_BROKERS: (opts.kafkaBrokers ?? stack.kafka.brokers).join(','),
    KAFKA_GROUP_ID: groupId,
    // Short session timeouts: a killed consumer holds its partitions for the session timeout.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    KAFKA_REBALANCE_TIMEOUT_MS: '6000',
    BRIDGE_COMMIT_INTERVAL_MS: '200',
    BRIDGE_RETRY_INITIAL_MS: '200',
    BRIDGE_RETRY_MAX_MS: '2000',
    DATABASE_URL: stack.databaseUrl,
    LLM_BASE_URL: simulator.baseUrl,
    // Below the route's 10 s model timeout, so a call can wait for the limiter and still finish.
    LLM_REQUEST_TIMEOUT_MS: '5000',
    ...(booking ? { BOOKING_API_URL: booking.url } : {}),
    WORKER_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: stack.workflowBundlePath,
    ROUTES: JSON.stringify([
      {
        topic,
        workflowType: opts.workflowType ?? 'tagReview',
        taskQueue,
        workflow: { modelTimeoutMs: 10_000, effectTimeoutMs: 4_000, maxModelAttempts: 3, ...opts.workflowSettings },
      },
    ]),
    ...opts.serviceEnv,
  };

  const scenario = {
    stack,
    topic,
    groupId,
    taskQueue,
    logDir,
    simulator,
    /** The booking API simulator, when the scenario asked for one. */
    get booking(): BookingSimulator {
      if (!booking) throw new Error('this scenario has no booking API; create it with { bookingApi: true }');
      return booking;
    },
    kafka,
    pool,
    env: baseEnv,
    async client(): Promise<Client> {
      connection ??= await Connection.connect({ address: temporalAddress, ...(opts.temporalTls ? { tls: sdkTlsOptions(opts.temporalTls) } : {}) });
      return new Client({ connection, namespace: stack.temporal.namespace });
    },
    async startBridge(extraEnv: Record<string, string> = {}) {
      const metricsPort = await freePort();
      const proc = startService('bridge', { ...baseEnv, METRICS_PORT: String(metricsPort), ...extraEnv }, logDir, `bridge-${++serviceCount}`);
      services.push(proc);
      const stats = async () => {
        const res = await fetch(`http://127.0.0.1:${metricsPort}/stats`);
        return (await res.json()) as Awaited<ReturnType<typeof metricsSnapshot>>;
      };
      return Object.assign(proc, { metricsPort, stats });
    },
    startWorker(extraEnv: Record<string, string> = {}) {
      const proc = startService('worker', { ...baseEnv, ...extraEnv }, logDir, `worker-${++serviceCount}`);
      services.push(proc);
      return proc;
    },
    /** Every run of this test's topic, from Temporal visibility. */
    async runs(): Promise<WorkflowExecutionInfo[]> {
      const client = await scenario.client();
      const found: WorkflowExecutionInfo[] = [];
      for await (const wf of client.workflow.list({ query: `KafkaTopic = "${topic}"` })) found.push(wf);
      return found;
    },
    async waitForCompletedRuns(count: number, timeoutMs = 90_000) {
      return waitFor(
        () => scenario.runs(),
        (runs) => runs.filter((r) => r.status.name === 'COMPLETED').length >= count,
        { timeoutMs, intervalMs: 500, message: `${count} completed runs for topic ${topic} (logs in ${logDir})` },
      );
    },
    async produceReviews(count: number, opts: { partition?: number; startAt?: number } = {}) {
      const reviews = Array.from({ length: count }, (_, i) => {
        const n = (opts.startAt ?? 0) + i;
        return { reviewId: `${topic}-r${n}`, text: `Review number ${n}: the battery lasts, shipping was slow.`, rating: (n % 5) + 1 };
      });
      await kafka.produce(topic, reviews.map((r) => ({ key: r.reviewId, value: JSON.stringify(r), partition: opts.partition })));
      return reviews;
    },
    async indexRows() {
      const { rows } = await pool.query<{ review_id: string; tags: string[]; sentiment: string; writes: number; workflow_id: string }>(
        'SELECT review_id, tags, sentiment, writes, workflow_id FROM review_tags WHERE source_topic = $1 ORDER BY review_id',
        [topic],
      );
      return rows;
    },
    async close() {
      await Promise.allSettled(services.map((s) => s.stop('SIGKILL')));
      await Promise.allSettled([simulator.close(), booking?.close(), kafka.close(), pool.end(), connection?.close()]);
    },
  };
  return scenario;
}
