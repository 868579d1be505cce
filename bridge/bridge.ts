// Wires the bridge: Temporal client, PostgreSQL (claim checks, business keys, dead-letter audit),
// router, metrics, dead-letter producer, backpressure, start-up checks and the consumer.
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import pg from 'pg';
import type { Config } from '../config';
import { backoffDelayMs, sleep } from '../lib/backoff';
import type { Logger } from '../lib/logger';
import { serveMetrics } from '../lib/metrics-server';
import { TokenLimiter, limiterKeyFor } from '../activities/llm/limiter/token-limiter';
import { Backpressure } from './backpressure';
import { handleBatch } from './batch-handler';
import { ensureBridgeSchema } from './bridge-schema';
import { deadLetterTopicFor } from './dead-letter';
import { createDeadLetterProducer, ensureDeadLetterTopics } from './dead-letter-producer';
import { checkHeartbeatBudget, measureStartLatencyP99Ms } from './heartbeat-budget';
import { kafkaLogCreator, runConsumer } from './kafka-consumer';
import { createBridgeMetrics, metricsSnapshot } from './metrics';
import { checkRetention } from './retention-check';
import { assertRouteTopicsExist, connectKafkaAdmin } from './route-topics';
import { createRouter } from './route';

export interface RunningBridge {
  readonly metricsPort?: number;
  stats(): ReturnType<typeof metricsSnapshot>;
  stop(): Promise<void>;
}

/** Connects to Temporal, retrying with backoff: a bridge started before Temporal waits for it. */
async function connectTemporal(config: Config, log: Logger): Promise<Connection> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await Connection.connect({ address: config.temporal.address });
    } catch (err) {
      const delayMs = backoffDelayMs(attempt, config.bridge.retryInitialMs, config.bridge.retryMaxMs);
      log.warn({ address: config.temporal.address, attempt, retryInMs: delayMs, err: (err as Error).message }, 'Temporal not reachable yet; retrying');
      await sleep(delayMs);
    }
  }
}

export async function startBridge(config: Config, log: Logger): Promise<RunningBridge> {
  const router = createRouter(config.routes, config.bridge);
  const metrics = createBridgeMetrics();
  const connection = await connectTemporal(config, log);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const topics = [...new Set(config.routes.map((r) => r.topic))];
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 8 });
  await ensureBridgeSchema(pool);

  const p99StartMs = config.bridge.p99StartLatencyMs || (await measureStartLatencyP99Ms(client, config.temporal.namespace));
  const budget = checkHeartbeatBudget({ ...config.kafka, p99StartLatencyMs: p99StartMs });
  log.info({ ...budget }, budget.message);

  const kafka = new Kafka({ clientId: `${config.kafka.clientId}-admin`, brokers: config.kafka.brokers, logLevel: KafkaLogLevel.WARN, logCreator: kafkaLogCreator(log) });
  const admin = kafka.admin();
  await connectKafkaAdmin(admin, config.kafka.brokers);
  try {
    await assertRouteTopicsExist(admin, config.routes, config.kafka.brokers);
    await ensureDeadLetterTopics(admin, [...new Set(config.routes.map((r) => deadLetterTopicFor(r.topic, r.deadLetterTopic)))]);
    for (const finding of await checkRetention(client, admin, config.temporal.namespace, topics)) {
      if (finding.ok) log.info({ topic: finding.topic }, finding.message);
      else log.warn({ topic: finding.topic, topicRetentionMs: finding.topicRetentionMs, namespaceRetentionMs: finding.namespaceRetentionMs }, finding.message);
    }
  } finally {
    await admin.disconnect();
  }

  const deadLetters = await createDeadLetterProducer(config.kafka.brokers, config.kafka.clientId, pool, log);
  const limiter = new TokenLimiter(pool, { ...config.llm.limits, staleAfterMs: config.llm.requestTimeoutMs });
  const limiterKey = limiterKeyFor(config.llm.provider, config.llm.model);
  const backpressure = new Backpressure(client, config.routes, config.bridge.openRunsPollMs, metrics, log, () => limiter.saturation(limiterKey));
  const server = config.metricsPort ? await serveMetrics(config.metricsPort, metrics.registry, () => metricsSnapshot(metrics)) : undefined;
  const consumer = await runConsumer(
    { ...config.kafka, topics, partitionsConsumedConcurrently: 4 },
    log,
    (batch) =>
      handleBatch(batch, {
        client,
        pool,
        router,
        metrics,
        log,
        ...config.bridge,
        heartbeatIntervalMs: config.kafka.heartbeatIntervalMs,
        publishDeadLetter: (topic, dl) => deadLetters.publish(topic, dl),
        ...(backpressure.enabled ? { holdTopic: backpressure.holdTopic, onLaunched: backpressure.onLaunched, onAcknowledged: backpressure.onAcknowledged } : {}),
      }),
    () => metrics.groupJoins.inc(),
  );
  backpressure.start(consumer);
  log.info({ topics, groupId: config.kafka.groupId, temporal: config.temporal.address, metricsPort: server?.port }, 'bridge running');

  return {
    metricsPort: server?.port,
    stats: () => metricsSnapshot(metrics),
    async stop() {
      // Graceful: kafkajs lets the in-flight batch finish (it commits what was acknowledged), then leaves the group.
      backpressure.stop();
      await consumer.stop();
      await deadLetters.close();
      await server?.close();
      await connection.close();
      await pool.end();
      log.info({ stats: await metricsSnapshot(metrics) }, 'bridge stopped');
    },
  };
}
