// Produces the planned records: most at a steady rate in bursts every two seconds (as upstream batch
// jobs do), and one burst right before each fault, so every fault lands while the bridges have
// starts in flight and offsets not yet committed, the moment the invariants are about. Every send is
// retried until acknowledged (the broker may be down for a fault); the producers are idempotent, so
// a retried send is never written twice.
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { sleep } from '../lib/backoff';
import type { PlannedRecord } from './record-plan';

export interface ProducerProgress {
  produced: number;
  done: boolean;
}

const SLICE_MS = 2_000;

/** Sends records and resolves once the broker acknowledged them, however long that takes. */
export type Sender = (records: readonly PlannedRecord[]) => Promise<void>;

export function retryingSender(kafka: Kafka, progress: ProducerProgress, log: (line: string) => void): { send: Sender; close(): Promise<void> } {
  // One producer per sender for the whole run: its idempotence (producer ID and sequence numbers) is
  // what keeps a retried send from being written twice, so it is never replaced.
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const connected = producer.connect();
  return {
    async send(records) {
      await connected;
      const byTopic = new Map<string, PlannedRecord[]>();
      for (const r of records) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      for (let attempt = 1; ; attempt++) {
        try {
          await producer.sendBatch({
            topicMessages: [...byTopic].map(([topic, rs]) => ({ topic, messages: rs.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) })),
          });
          break;
        } catch (err) {
          if (attempt === 1 || attempt % 10 === 0) log(`producer: ${records.length} records not acknowledged (${(err as Error).message}); retrying`);
          await sleep(1_000);
        }
      }
      progress.produced += records.length;
    },
    close: () => connected.then(() => producer.disconnect()),
  };
}

export function chaosProducer(brokers: string[], log: (line: string) => void) {
  const progress: ProducerProgress = { produced: 0, done: false };
  const kafka = new Kafka({ clientId: 'chaos-producer', brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const steady = retryingSender(kafka, progress, log);
  const bursts = retryingSender(kafka, progress, log);
  return {
    progress,
    /** Sends `plan` at `recordsPerSecond`, in a burst every two seconds. */
    async steadily(plan: readonly PlannedRecord[], recordsPerSecond: number): Promise<void> {
      const perSlice = Math.max(1, Math.round((recordsPerSecond * SLICE_MS) / 1000));
      const startedAt = Date.now();
      for (let i = 0; i < plan.length; i += perSlice) {
        await steady.send(plan.slice(i, i + perSlice));
        const dueAt = startedAt + ((i + perSlice) / recordsPerSecond) * 1000;
        if (dueAt > Date.now()) await sleep(dueAt - Date.now());
      }
    },
    burst: bursts.send,
    async close() {
      progress.done = true;
      await Promise.allSettled([steady.close(), bursts.close()]);
    },
  };
}
