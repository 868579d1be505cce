// The outbox relay process (`kta relay`): load config, connect, recover, publish until SIGINT/SIGTERM,
// close in finally. A relay fenced by a newer one exits non-zero.
import { agentTables } from '../agents/tables';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions } from '../lib/kafka-client';
import type { Config } from '../config';
import { OutboxRelay } from '../activities/sinks/outbox-relay';
import { ensureSchema } from '../activities/sinks/schema';
import { createLogger } from '../lib/logger';
import { createPool } from '../lib/pg-pool';

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
  try {
    await ensureSchema(pool, agentTables());
    await relay.start();
    log.info({ transactionalId: config.relay.transactionalId, topics: config.relay.topics ?? 'all', recovered: relay.stats().recovered }, 'relay running');
    await relay.done();
    log.info(relay.stats(), 'relay stopped');
  } finally {
    await relay.stop();
    await pool.end();
  }
}
