// Wires the bridge: Temporal client, router, metrics, the retention warning and the consumer.
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import type { Config } from '../config';
import { backoffDelayMs, sleep } from '../lib/backoff';
import type { Logger } from '../lib/logger';
import { serveMetrics } from '../lib/metrics-server';
import { handleBatch } from './batch-handler';
import { kafkaLogCreator, runConsumer } from './kafka-consumer';
import { createBridgeMetrics, metricsSnapshot } from './metrics';
import { checkRetention } from './retention-check';
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
  const router = createRouter(config.routes);
  const metrics = createBridgeMetrics();
  const connection = await connectTemporal(config, log);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const topics = [...new Set(config.routes.map((r) => r.topic))];

  const kafka = new Kafka({ clientId: `${config.kafka.clientId}-admin`, brokers: config.kafka.brokers, logLevel: KafkaLogLevel.WARN, logCreator: kafkaLogCreator(log) });
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (const finding of await checkRetention(client, admin, config.temporal.namespace, topics)) {
      if (finding.ok) log.info({ topic: finding.topic }, finding.message);
      else log.warn({ topic: finding.topic, topicRetentionMs: finding.topicRetentionMs, namespaceRetentionMs: finding.namespaceRetentionMs }, finding.message);
    }
  } finally {
    await admin.disconnect();
  }

  const server = config.metricsPort ? await serveMetrics(config.metricsPort, metrics.registry, () => metricsSnapshot(metrics)) : undefined;
  const consumer = await runConsumer(
    {
      ...config.kafka,
      topics,
      partitionsConsumedConcurrently: 4,
    },
    log,
    (batch) =>
      handleBatch(batch, {
        client,
        router,
        metrics,
        log,
        ...config.bridge,
        heartbeatIntervalMs: config.kafka.heartbeatIntervalMs,
      }),
    () => metrics.groupJoins.inc(),
  );
  log.info({ topics, groupId: config.kafka.groupId, temporal: config.temporal.address, metricsPort: server?.port }, 'bridge running');

  return {
    metricsPort: server?.port,
    stats: () => metricsSnapshot(metrics),
    async stop() {
      // Graceful: kafkajs lets the in-flight batch finish (it commits what was started), then leaves the group.
      await consumer.stop();
      await server?.close();
      await connection.close();
      log.info({ stats: await metricsSnapshot(metrics) }, 'bridge stopped');
    },
  };
}
