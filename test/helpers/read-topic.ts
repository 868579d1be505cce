// Reads every committed record of a topic, up to its end at the time of the call, as a consumer of an
// output topic would see them (read_committed: aborted transactions are invisible).
import { Kafka, logLevel } from 'kafkajs';
import { readKafkaRanges } from '../../lib/kafka-range-reader';
import { uniqueName } from './unique';

export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export async function readTopic(brokers: string[], topic: string, timeoutMs = 30_000): Promise<TopicRecord[]> {
  const kafka = new Kafka({ clientId: 'kta-test-reader', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const records: TopicRecord[] = [];
  await readKafkaRanges(kafka, {
    topic,
    ranges: offsets.map((p) => ({ partition: p.partition, from: Number(p.low), to: Number(p.high) })),
    groupId: uniqueName('g-reader'),
    timeout: { ms: timeoutMs, measure: 'total' },
    timeoutError: (left) => new Error(`reading topic ${topic} to its end took more than ${timeoutMs} ms (partitions left: ${left.map((l) => l.partition).join(', ')})`),
    onPage: async (partition, messages) => {
      for (const message of messages) {
        records.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      }
    },
  });
  return records;
}
