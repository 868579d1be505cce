// Wires the bridge: Temporal client, PostgreSQL (claim checks, business keys, dead-letter audit),
// router, metrics, dead-letter producer, backpressure, start-up checks and the consumer.
import { temporalConnectionOptions } from '../lib/temporal-client';
import { checkTemporalTls, diagnoseTemporalFailure } from '../lib/temporal-failure';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import { kafkaClientOptions } from '../lib/kafka-client';
import type { Config } from '../config';
import type { RecordSpecs } from '../core/record-spec';
import { backoffDelayMs, sleep } from '../lib/backoff';
import type { Logger } from '../lib/logger';
import { serveMetrics } from '../lib/metrics-server';
import { createPool } from '../lib/pg-pool';
import type { Pool } from 'pg';
import { Backpressure, type SaturationProbe } from './backpressure';
import { handleBatch } from './batch-handler';
import { handleThroughputBatch } from './throughput-batch';
import { ensureBridgeSchema } from './bridge-schema';
import { deadLetterTopicFor } from '../lib/dead-letter';
import { createDeadLetterProducer, ensureDeadLetterTopics } from './dead-letter-producer';
import { checkHeartbeatBudget, measureStartLatencyP99Ms } from './heartbeat-budget';
import { kafkaLogCreator, runConsumer } from './kafka-consumer';
import { registerConsumerLag } from './consumer-lag';
import { GroupMembership } from './group-membership';
import { createBridgeMetrics, metricsSnapshot } from './metrics';
import { bridgeReadiness } from './readiness';
import { checkRetention } from './retention-check';
import { assertRouteTopicsExist, connectKafkaAdmin } from './route-topics';
import { createRouter } from './route';
import { StartUp } from './start-up';
import { TopicWatch } from './topic-watch';

export interface RunningBridge {
  readonly metricsPort?: number;
  stats(): ReturnType<typeof metricsSnapshot>;
  stop(): Promise<void>;
}

/** Connects to Temporal, retrying with backoff: a bridge started before Temporal waits for it, until it is stopped. */
async function connectTemporal(config: Config, log: Logger, startUp: StartUp): Promise<Connection> {
  const refusedAtOnce = await checkTemporalTls(config.temporal);
  if (refusedAtOnce) throw refusedAtOnce;
  for (let attempt = 0; ; attempt++) {
    startUp.check();
    // Lazy, so a stop can close an attempt that would otherwise wait out its connect deadline.
    const connection = Connection.lazy(temporalConnectionOptions(config.temporal));
    const abandon = () => void connection.close().catch(() => undefined);
    startUp.signal?.addEventListener('abort', abandon, { once: true });
    try {
      await connection.ensureConnected();
      return connection;
    } catch (err) {
      await connection.close().catch(() => undefined);
      startUp.check();
      // A certificate or a key the server refuses stays refused: stop now, naming the variable to fix.
      const refused = await diagnoseTemporalFailure(err, config.temporal);
      if (refused) throw refused;
      const delayMs = backoffDelayMs(attempt, config.bridge.retryInitialMs, config.bridge.retryMaxMs);
      log.warn({ address: config.temporal.address, attempt, retryInMs: delayMs, err: (err as Error).message }, 'Temporal not reachable yet; retrying');
      await sleep(delayMs, startUp.signal);
    } finally {
      startUp.signal?.removeEventListener('abort', abandon);
    }
  }
}

/**
 * Starts the bridge. A stop asked for through `signal` while it starts (or a failed step) closes what
 * was opened and rejects, with BridgeStartAbortedError for the stop.
 */
/** What the bridge gets from its composition root (cli/bridge.ts): it never imports agent or activity code. */
export interface BridgeDeps {
  /** The agents' record schemas by workflow type (agents/record-specs.ts). */
  readonly records: RecordSpecs;
  /** Reads the model limiter's state through the bridge's pool (the workers' TokenLimiter), for backpressure. */
  readonly modelSaturation?: (pool: Pool) => SaturationProbe;
}

export async function startBridge(config: Config, log: Logger, deps: BridgeDeps, signal?: AbortSignal): Promise<RunningBridge> {
  const startUp = new StartUp(signal);
  try {
    return await startSteps(config, log, deps, startUp);
  } catch (err) {
    return startUp.unwind(err);
  }
}

async function startSteps(config: Config, log: Logger, deps: BridgeDeps, startUp: StartUp): Promise<RunningBridge> {
  const router = createRouter(config.routes, config.bridge, deps.records);
  const unsafe = Object.entries(config.bridge.testOnlyUnsafe).filter(([, on]) => on).map(([name]) => name);
  if (unsafe.length) log.error({ unsafe }, `TEST-ONLY UNSAFE switches on (${unsafe.join(', ')}): this bridge breaks its own guarantees on purpose; unset KTA_TEST_UNSAFE_* outside the chaos suite`);
  const metrics = createBridgeMetrics();
  const membership = new GroupMembership();
  const temporal: { connection?: Connection } = {};
  // Served from the first moment, so a liveness probe sees a live process while it waits for Temporal.
  const server = config.metricsPort
    ? startUp.opened(
      await serveMetrics({
        port: config.metricsPort,
        host: config.metricsHost,
        registry: metrics.registry,
        stats: () => metricsSnapshot(metrics),
        readiness: () => bridgeReadiness(temporal.connection, config.temporal.address, membership),
      }),
      (s) => s.close(),
    )
    : undefined;
  const connection = startUp.opened(await connectTemporal(config, log, startUp), (c) => c.close());
  temporal.connection = connection;
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const topics = [...new Set(config.routes.map((r) => r.topic))];
  // A throughput route owns its topic (config-route-modes.ts): its batches go to the partition run.
  const throughputTopics = new Set(config.routes.filter((r) => r.mode === 'throughput').map((r) => r.topic));
  const pool = startUp.opened(createPool(config.databaseUrl, log, { name: 'bridge', max: 8 }), (p) => p.end());
  await ensureBridgeSchema(pool);
  startUp.check();

  const p99StartMs = config.bridge.p99StartLatencyMs || (await measureStartLatencyP99Ms(client, config.temporal.namespace));
  startUp.check();
  const budget = checkHeartbeatBudget({ ...config.kafka, p99StartLatencyMs: p99StartMs });
  log.info({ ...budget }, budget.message);

  const kafka = new Kafka({ ...kafkaClientOptions(config.kafka, 'admin'), logLevel: KafkaLogLevel.WARN, logCreator: kafkaLogCreator(log) });
  // One admin client: the start-up checks, then the topic watch's offset fetch before each commit.
  const admin = kafka.admin();
  await connectKafkaAdmin(admin, config.kafka);
  startUp.opened(admin, (a) => a.disconnect());
  await assertRouteTopicsExist(admin, config.routes, config.kafka.brokers);
  await ensureDeadLetterTopics(admin, [...new Set(config.routes.map((r) => deadLetterTopicFor(r.topic, r.deadLetterTopic)))]);
  for (const finding of await checkRetention(client, admin, config.temporal.namespace, topics)) {
    if (finding.ok) log.info({ topic: finding.topic }, finding.message);
    else log.warn({ topic: finding.topic, topicRetentionMs: finding.topicRetentionMs, namespaceRetentionMs: finding.namespaceRetentionMs }, finding.message);
  }
  startUp.check();

  const deadLetters = startUp.opened(await createDeadLetterProducer(config.kafka, pool, log), (d) => d.close());
  const backpressure = new Backpressure(client, config.routes, config.bridge.openRunsPollMs, metrics, log, deps.modelSaturation?.(pool));
  const topicWatch = new TopicWatch({ admin, groupId: config.kafka.groupId, metrics, log });
  registerConsumerLag({ registry: metrics.registry, admin, groupId: config.kafka.groupId, fromBeginning: config.kafka.fromBeginning, membership, log });
  const consumer = await runConsumer(
    { ...config.kafka, topics, partitionsConsumedConcurrently: 4, topicWatch, membership },
    log,
    (batch) =>
      (throughputTopics.has(batch.topic) ? handleThroughputBatch : handleBatch)(batch, {
        client,
        pool,
        router,
        metrics,
        log,
        ...config.bridge,
        heartbeatIntervalMs: config.kafka.heartbeatIntervalMs,
        deadLetters,
        ...(backpressure.enabled ? { holdTopic: backpressure.holdTopic, onLaunched: backpressure.onLaunched, onAcknowledged: backpressure.onAcknowledged } : {}),
      }),
    () => metrics.groupJoins.inc(),
  );
  startUp.opened(consumer, (c) => c.stop());
  backpressure.start(consumer);
  log.info({ topics, groupId: config.kafka.groupId, temporal: config.temporal.address, metricsPort: server?.port }, 'bridge running');

  return {
    metricsPort: server?.port,
    stats: () => metricsSnapshot(metrics),
    async stop() {
      // Graceful: kafkajs lets the in-flight batch finish (it commits what was acknowledged), then leaves the group.
      backpressure.stop();
      await consumer.stop();
      await admin.disconnect();
      await deadLetters.close();
      await server?.close();
      await connection.close();
      await pool.end();
      log.info({ stats: await metricsSnapshot(metrics) }, 'bridge stopped');
    },
  };
}
