// Sends the planned records at a steady rate in bursts every two seconds (as upstream batch jobs do),
// so faults land while records are still arriving and a bridge has starts in flight. Each
// slice is retried until acknowledged (the broker may be down for a fault); the producer is
// idempotent, so a retried slice is never written twice.
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { sleep } from '../lib/backoff';
import type { PlannedRecord } from './record-plan';

export interface ProducerProgress {
  produced: number;
  firstAtMs: number | undefined;
  lastAtMs: number | undefined;
  done: boolean;
}

const SLICE_MS = 2_000;

export interface SteadyProducer {
  readonly progress: ProducerProgress;
  readonly finished: Promise<void>;
  /** Resolves once the next burst is acknowledged (at once when everything was sent). */
  nextBurst(): Promise<void>;
}

export function produceSteadily(brokers: string[], plan: readonly PlannedRecord[], recordsPerSecond: number, log: (line: string) => void): SteadyProducer {
  const progress: ProducerProgress = { produced: 0, firstAtMs: undefined, lastAtMs: undefined, done: false };
  let waiting: (() => void)[] = [];
  const burstSent = () => {
    for (const resolve of waiting) resolve();
    waiting = [];
  };
  const kafka = new Kafka({ clientId: 'chaos-producer', brokers, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  const finished = (async () => {
    // One producer for the whole run: its idempotence (producer ID and sequence numbers) is what keeps
    // a retried slice from being written twice, so it is never replaced.
    const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const perSlice = Math.max(1, Math.round((recordsPerSecond * SLICE_MS) / 1000));
    const startedAt = Date.now();
    for (let i = 0; i < plan.length; i += perSlice) {
      const slice = plan.slice(i, i + perSlice);
      const byTopic = new Map<string, PlannedRecord[]>();
      for (const r of slice) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r]);
      for (let attempt = 1; ; attempt++) {
        try {
          await producer.sendBatch({
            topicMessages: [...byTopic].map(([topic, records]) => ({ topic, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) })),
          });
          break;
        } catch (err) {
          if (attempt === 1 || attempt % 10 === 0) log(`producer: slice at record ${i} not acknowledged (${(err as Error).message}); retrying`);
          await sleep(1_000);
        }
      }
      progress.produced += slice.length;
      progress.firstAtMs ??= Date.now();
      progress.lastAtMs = Date.now();
      burstSent();
      const dueAt = startedAt + ((i + perSlice) / recordsPerSecond) * 1000;
      if (dueAt > Date.now()) await sleep(dueAt - Date.now());
    }
    await producer.disconnect();
    progress.done = true;
    burstSent();
  })();
  return {
    progress,
    finished,
    nextBurst: () => (progress.done ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
  };
}
