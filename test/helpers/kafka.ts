// Kafka helpers for tests: a fresh topic per test, producing, and reading the group's committed offsets.
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';

export interface KafkaTestClient {
  readonly admin: Admin;
  readonly producer: Producer;
  createTopic(topic: string, partitions: number): Promise<void>;
  produce(topic: string, messages: { key?: string; value: string | Buffer | null; partition?: number; headers?: Record<string, string> }[]): Promise<void>;
  committedOffsets(groupId: string, topic: string): Promise<Record<number, number>>;
  endOffsets(topic: string): Promise<Record<number, number>>;
  resetToEarliest(groupId: string, topic: string): Promise<void>;
  close(): Promise<void>;
}

export async function kafkaTestClient(brokers: string[]): Promise<KafkaTestClient> {
  const kafka = new Kafka({ clientId: 'kta-test', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([admin.connect(), producer.connect()]);
  const toMap = (list: { partition: number; offset: string }[]) =>
    Object.fromEntries(list.map((p) => [p.partition, Number(p.offset)]));
  return {
    admin,
    producer,
    async createTopic(topic, partitions) {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
    },
    async produce(topic, messages) {
      // A topic created a moment ago may not be in every broker's metadata yet; retry a few times.
      for (let attempt = 1; ; attempt++) {
        try {
          await producer.send({ topic, acks: -1, messages });
          return;
        } catch (err) {
          if (attempt >= 5 || !/does not host this topic-partition|leader/i.test((err as Error).message)) throw err;
          await new Promise((r) => setTimeout(r, 500 * attempt));
        }
      }
    },
    async committedOffsets(groupId, topic) {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return toMap(entry.partitions);
    },
    async endOffsets(topic) {
      return toMap((await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.high })));
    },
    async resetToEarliest(groupId, topic) {
      await admin.resetOffsets({ groupId, topic, earliest: true });
    },
    async close() {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}
