// Reads every committed record of a topic, up to its end at the time of the call, as a consumer of an
// output topic would see them (read_committed: aborted transactions are invisible).
import { Kafka, logLevel } from 'kafkajs';
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
  const pending = new Map(offsets.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high) - 1]));
  const records: TopicRecord[] = [];
  if (pending.size === 0) return records;
  const consumer = kafka.consumer({ groupId: uniqueName('g-reader'), readUncommitted: false, maxWaitTimeInMs: 250 });
  let finished!: () => void;
  const allRead = new Promise<void>((resolve) => (finished = resolve));
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const last = pending.get(payload.partition);
    if (last !== undefined && Number(payload.lastOffset) >= last) {
      pending.delete(payload.partition);
      if (pending.size === 0) finished();
    }
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        records.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
    });
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    if ((await Promise.race([allRead, timedOut])) === 'timeout') {
      throw new Error(`reading topic ${topic} to its end took more than ${timeoutMs} ms (partitions left: ${[...pending.keys()].join(', ')})`);
    }
    return records;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}
