// The outbox relay process (`kta relay`): load config, connect, recover, publish until SIGINT/SIGTERM,
// close in finally. A relay fenced by a newer one exits non-zero.
import { agentTables } from '../agents/tables';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions } from '../lib/kafka-client';
import type { Config } from '../config';
import { OutboxRelay } from '../activities/sinks/outbox-relay';
import { ensureSchema } from '../activities/sinks/schema';
import { createLogger } from '../lib/logger';
import { serveMetrics, type MetricsServer } from '../lib/metrics-server';
import { createPool } from '../lib/pg-pool';
import { createRelayMetrics } from './relay-metrics';

export async function runOutboxRelay(config: Config): Promise<void> {
  const log = createLogger('relay', config.logLevel);
  const pool = createPool(config.databaseUrl, log, { name: 'relay', max: 4 });
  const kafka = new Kafka({ ...kafkaClientOptions(config.kafka, 'relay'), logLevel: logLevel.ERROR });
  const relay = new OutboxRelay({ pool, kafka, log, ...config.relay });
  const onSignal = (signal: string) => {
    log.info({ signal }, 'stopping the relay');
    void relay.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Ready from the end of recovery (the older relay fenced, the tail read) until the loop ends.
  let state = 'starting: connecting to Kafka, fencing any older relay and recovering';
  let ready = false;
  let server: MetricsServer | undefined;
  try {
    if (config.metricsPort) {
      server = await serveMetrics({
        port: config.metricsPort,
        host: config.metricsHost,
        registry: createRelayMetrics(() => relay.stats()),
        stats: async () => relay.stats(),
        readiness: () => ({ ready, reason: state }),
      });
    }
    await ensureSchema(pool, agentTables());
    await relay.start();
    [ready, state] = [true, `publishing the outbox as ${config.relay.transactionalId}`];
    log.info({ transactionalId: config.relay.transactionalId, topics: config.relay.topics ?? 'all', recovered: relay.stats().recovered, metricsPort: server?.port }, 'relay running');
    await relay.done();
    log.info(relay.stats(), 'relay stopped');
  } finally {
    [ready, state] = [false, 'stopped'];
    await relay.stop();
    await server?.close();
    await pool.end();
  }
}
