// The audit's one window on Kafka, and the only audit file that knows kafkajs: each partition's
// retained range and the bridge group's committed offset, and a paged read of offset ranges by a
// consumer with a throwaway group ID that commits nothing, so the bridge's group is never touched.
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { toKafkaRecord } from '../bridge/kafka-consumer';
import type { KafkaRecord } from '../bridge/route';

export interface PartitionOffsets {
  readonly partition: number;
  /** The earliest offset the topic still retains. */
  readonly earliest: number;
  /** The log end: the offset the next record will get. */
  readonly end: number;
  /** The group's committed offset (the next record it would read); undefined when it never committed one. */
  readonly committed?: number;
}

/** Offsets `from` up to, not including, `to`, of one partition. */
export interface OffsetRange {
  readonly partition: number;
  readonly from: number;
  readonly to: number;
}

export type PageHandler = (partition: number, records: KafkaRecord[]) => Promise<void>;

export interface AuditKafka {
  partitionOffsets(topic: string, groupId: string): Promise<PartitionOffsets[]>;
  /** Hands the records of each range to `onPage` in offset order, at most `PAGE_RECORDS` at a time. */
  readRanges(topic: string, ranges: OffsetRange[], onPage: PageHandler): Promise<void>;
  close(): Promise<void>;
}

/** Records per page: what the audit holds in memory and checks with one visibility query. */
export const PAGE_RECORDS = 500;
/** A read that makes no progress for this long is reported, not waited on forever. */
const STALL_TIMEOUT_MS = 60_000;

export async function openAuditKafka(brokers: string[], clientId: string): Promise<AuditKafka> {
  const kafka = new Kafka({ clientId: `${clientId}-audit`, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  return {
    async partitionOffsets(topic, groupId) {
      const [offsets, [group]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
      const committed = new Map(group.partitions.map((p) => [p.partition, Number(p.offset)]));
      return offsets
        .map((p) => ({ partition: p.partition, earliest: Number(p.low), end: Number(p.high), committed: (committed.get(p.partition) ?? -1) >= 0 ? committed.get(p.partition) : undefined }))
        .sort((a, b) => a.partition - b.partition);
    },
    async readRanges(topic, ranges, onPage) {
      const wanted = ranges.filter((r) => r.to > r.from);
      if (wanted.length === 0) return;
      const partitions = (await admin.fetchTopicOffsets(topic)).map((p) => p.partition);
      await readWithConsumer(kafka.consumer({ groupId: `${clientId}-audit-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 250, sessionTimeout: 30_000, heartbeatInterval: 3_000 }), topic, partitions, wanted, onPage);
    },
    close: () => admin.disconnect(),
  };
}

async function readWithConsumer(consumer: Consumer, topic: string, partitions: number[], ranges: OffsetRange[], onPage: PageHandler): Promise<void> {
  const pending = new Map(ranges.map((r) => [r.partition, r]));
  // The next offset to hand out per partition: a batch fetched again (after a rebalance of this
  // one-member group, or a fetch that started before the seek) is never counted twice.
  const next = new Map(ranges.map((r) => [r.partition, r.from]));
  let settle!: (err?: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => (settle = (err) => (err === undefined ? resolve() : reject(err as Error))));
  let lastProgressAtMs = Date.now();
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    lastProgressAtMs = Date.now();
    const range = pending.get(payload.partition);
    // lastOffset counts control records and aborted messages too, so a range ending in a transaction marker ends.
    if (payload.topic !== topic || !range || Number(payload.lastOffset) < range.to - 1) return;
    pending.delete(payload.partition);
    consumer.pause([{ topic, partitions: [payload.partition] }]);
    if (pending.size === 0) settle();
  });
  const stall = setInterval(() => {
    if (Date.now() - lastProgressAtMs < STALL_TIMEOUT_MS) return;
    const left = [...pending.values()].map((r) => `${r.partition} (at ${next.get(r.partition)}, reading to ${r.to - 1})`).join(', ');
    settle(new Error(`reading ${topic} made no progress for ${STALL_TIMEOUT_MS} ms; partitions left: ${left}. Check that the brokers are up and the offsets are still retained`));
  }, 1_000);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const range = pending.get(batch.partition);
        if (!range) return;
        const records = batch.messages
          .filter((m) => Number(m.offset) >= next.get(batch.partition)! && Number(m.offset) < range.to)
          .map((m) => toKafkaRecord(batch.topic, batch.partition, m));
        for (let i = 0; i < records.length; i += PAGE_RECORDS) {
          const page = records.slice(i, i + PAGE_RECORDS);
          try {
            await onPage(batch.partition, page);
          } catch (err) {
            settle(err);
            return;
          }
          next.set(batch.partition, Number(page[page.length - 1].offset) + 1);
          lastProgressAtMs = Date.now();
          await heartbeat();
        }
      },
    });
    for (const r of ranges) consumer.seek({ topic, partition: r.partition, offset: String(r.from) });
    const others = partitions.filter((p) => !pending.has(p));
    if (others.length) consumer.pause([{ topic, partitions: others }]);
    await finished;
  } finally {
    clearInterval(stall);
    await consumer.disconnect();
  }
}
