// Publishes dead letters (idempotent producer, all in-sync replicas) and writes their audit row, as
// two steps: the bridge retries each on its own, so a failed audit insert never sends the letter again.
// The bridge commits a dead-lettered record's offset only after both resolved.
import { Kafka, Partitioners, logLevel as KafkaLogLevel, type Admin, type Producer } from 'kafkajs';
import { kafkaClientOptions, type KafkaConnectionConfig } from '../lib/kafka-client';
import type { Pool } from 'pg';
import { failAtFaultPoint } from '../lib/fault';
import type { Logger } from '../lib/logger';
import { auditDeadLetter, deadLetterMessage, type DeadLetter } from '../lib/dead-letter';
import { kafkaLogCreator } from './kafka-consumer';

export interface DeadLetterProducer {
  send(topic: string, dl: DeadLetter): Promise<void>;
  audit(topic: string, dl: DeadLetter): Promise<void>;
  close(): Promise<void>;
}

/** Creates the dead-letter topics that do not exist yet (one partition: order by arrival is enough). */
export async function ensureDeadLetterTopics(admin: Admin, topics: string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length) await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: 1 })) });
}

export async function createDeadLetterProducer(kafkaConfig: KafkaConnectionConfig, pool: Pool, log: Logger): Promise<DeadLetterProducer> {
  const kafka = new Kafka({ ...kafkaClientOptions(kafkaConfig, 'dead-letters'), logLevel: KafkaLogLevel.WARN, logCreator: kafkaLogCreator(log) });
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return {
    async send(topic, dl) {
      await producer.send({ topic, acks: -1, messages: [deadLetterMessage(dl)] });
    },
    async audit(topic, dl) {
      failAtFaultPoint('bridge:before-dead-letter-audit');
      await auditDeadLetter(pool, dl, topic);
    },
    close: () => producer.disconnect(),
  };
}
