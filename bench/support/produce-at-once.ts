// Puts the whole workload into a topic so that consumers already in the group see all of it at the
// same moment, in small record batches:
// - one transaction: kafkajs consumers read committed, so nothing is visible until the commit and
//   the first fetch is a full one, not whatever a producer had written by then;
// - small producer batches: a broker returns whole record batches, so fetch sizes
//   (maxBytesPerPartition) can only cut the log at batch boundaries.
import { Kafka, logLevel } from 'kafkajs';
import type { BenchRecord } from './review-records';

export async function produceAtOnce(brokers: string[], topic: string, records: BenchRecord[], recordsPerProducerBatch: number): Promise<void> {
  // Quiet: kafkajs logs the retried start-up errors of a fresh broker (coordinator loading); a real
  // failure still throws.
  const kafka = new Kafka({ clientId: 'kta-bench-producer', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ transactionalId: `kta-bench-${topic}`, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const byPartition = new Map<number, BenchRecord[]>();
    for (const r of records) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
    const transaction = await producer.transaction();
    try {
      const longest = Math.max(...[...byPartition.values()].map((list) => list.length));
      // One send per chunk: kafkajs writes one record batch per partition per send.
      for (let from = 0; from < longest; from += recordsPerProducerBatch) {
        const messages = [...byPartition.values()].flatMap((list) => list.slice(from, from + recordsPerProducerBatch));
        await transaction.send({ topic, acks: -1, messages: messages.map((r) => ({ key: r.key, value: r.value, partition: r.partition })) });
      }
      await transaction.commit();
    } catch (err) {
      await transaction.abort();
      throw err;
    }
  } finally {
    await producer.disconnect();
  }
}
