// Produces records to a topic from lines of JSON, for working by hand on a local stack (`kta produce`):
// each non-empty line is one record value; its key is the line's `keyField` when it has one.
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { kafkaClientOptions, type KafkaConnectionConfig } from '../lib/kafka-client';
import { connectKafkaAdmin } from '../bridge/route-topics';
import { TopicMissingError } from '../errors';

export interface ProduceReport {
  readonly topic: string;
  readonly records: number;
  /** Lines that were not JSON, by line number: produced all the same (the bridge dead-letters them). */
  readonly notJsonLines: number[];
}

const SEND_BATCH = 500;

/** `lines`: the values' bytes as given (bad UTF-8 stays bad, so a hand-made bad record is the real thing). */
export async function produceRecords(kafkaConfig: KafkaConnectionConfig, topic: string, lines: Iterable<Buffer>, keyField?: string): Promise<ProduceReport> {
  const messages: { key: string | null; value: Buffer }[] = [];
  const notJsonLines: number[] = [];
  let n = 0;
  for (const line of lines) {
    n++;
    if (!line.toString('utf8').trim()) continue;
    let key: string | null = null;
    try {
      const json: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(line));
      const k = keyField && json && typeof json === 'object' ? (json as Record<string, unknown>)[keyField] : undefined;
      if (typeof k === 'string' || typeof k === 'number') key = String(k);
    } catch {
      notJsonLines.push(n);
    }
    messages.push({ key, value: line });
  }
  const { brokers } = kafkaConfig;
  const kafka = new Kafka({ ...kafkaClientOptions(kafkaConfig, 'produce'), logLevel: logLevel.NOTHING });
  // Connect through the admin client first: an unreachable KAFKA_BROKERS is one clear line, not retries.
  const admin = kafka.admin();
  await connectKafkaAdmin(admin, kafkaConfig);
  try {
    if (!(await admin.listTopics()).includes(topic)) throw new TopicMissingError(topic, [], brokers);
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    // In slices: one request per line file would pass the broker's request size limit on a large file.
    for (let i = 0; i < messages.length; i += SEND_BATCH) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + SEND_BATCH) });
  } finally {
    await producer.disconnect();
  }
  return { topic, records: messages.length, notJsonLines };
}
