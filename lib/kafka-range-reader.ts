// The project's one reader of Kafka offset ranges (the audit, shadow and reprocess read what the bridge
// saw; the outbox relay reads the tail of its topics on recovery; tests read output topics). A consumer
// with a throwaway group ID that commits nothing, so no real group is ever touched; committed records
// only (read_committed, kafkajs' default), so aborted transactions are invisible.
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';

/** Offsets `from` up to, not including, `to`, of one partition. */
export interface OffsetRange {
  readonly partition: number;
  readonly from: number;
  readonly to: number;
}

/** Where a partition's read stood when the time ran out. */
export interface RangeLeft {
  readonly partition: number;
  /** The next offset the reader would have handed out. */
  readonly at: number;
  /** The last offset wanted, inclusive. */
  readonly last: number;
}

export interface RangeReadOptions {
  readonly topic: string;
  readonly ranges: readonly OffsetRange[];
  /** A fresh group ID per read: its offsets are never committed. */
  readonly groupId: string;
  /** Gets each range's messages in offset order, at most `pageSize` at a time; a rejection ends the read with it. */
  readonly onPage: (partition: number, messages: KafkaMessage[]) => Promise<void>;
  readonly pageSize?: number;
  /** `total`: the whole read must finish within `ms`; `stall`: the read may last as long as it progresses. */
  readonly timeout: { readonly ms: number; readonly measure: 'total' | 'stall' };
  /** The error a timed-out read rejects with. */
  readonly timeoutError: (left: RangeLeft[]) => Error;
  /** Consumer settings beyond the group ID (session timeout, heartbeat...). */
  readonly consumer?: { readonly sessionTimeout?: number; readonly heartbeatInterval?: number };
}

const CHECK_EVERY_MS = 250;

/** Reads every range to its end; resolves when all were handed to `onPage`. */
export async function readKafkaRanges(kafka: Kafka, opts: RangeReadOptions): Promise<void> {
  const wanted = opts.ranges.filter((r) => r.to > r.from);
  if (wanted.length === 0) return;
  const consumer = kafka.consumer({ ...opts.consumer, groupId: opts.groupId, readUncommitted: false, maxWaitTimeInMs: 250 });
  await readWithConsumer(consumer, opts, wanted);
}

async function readWithConsumer(consumer: Consumer, opts: RangeReadOptions, ranges: OffsetRange[]): Promise<void> {
  const { topic, onPage, pageSize = Number.POSITIVE_INFINITY, timeout } = opts;
  const pending = new Map(ranges.map((r) => [r.partition, r]));
  // The next offset to hand out per partition: a batch fetched again (after a rebalance of this
  // one-member group, or a fetch that started before the seek) is never handed out twice.
  const next = new Map(ranges.map((r) => [r.partition, r.from]));
  let settle!: (err?: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => (settle = (err) => (err === undefined ? resolve() : reject(err as Error))));
  const startedAtMs = Date.now();
  let lastProgressAtMs = startedAtMs;
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    lastProgressAtMs = Date.now();
    const range = pending.get(payload.partition);
    // lastOffset counts control records and aborted messages too, so a range ending in a transaction marker ends.
    if (payload.topic !== topic || !range || Number(payload.lastOffset) < range.to - 1) return;
    pending.delete(payload.partition);
    consumer.pause([{ topic, partitions: [payload.partition] }]);
    if (pending.size === 0) settle();
  });
  const timer = setInterval(() => {
    const sinceMs = timeout.measure === 'total' ? startedAtMs : lastProgressAtMs;
    if (Date.now() - sinceMs < timeout.ms) return;
    settle(opts.timeoutError([...pending.values()].map((r) => ({ partition: r.partition, at: next.get(r.partition)!, last: r.to - 1 }))));
  }, Math.min(CHECK_EVERY_MS, timeout.ms));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const range = pending.get(batch.partition);
        if (!range) {
          // A partition outside the ranges, or one already read: fetch nothing more from it.
          consumer.pause([{ topic, partitions: [batch.partition] }]);
          return;
        }
        const messages = batch.messages.filter((m) => Number(m.offset) >= next.get(batch.partition)! && Number(m.offset) < range.to);
        for (let i = 0; i < messages.length; i += pageSize) {
          const page = messages.slice(i, i + pageSize);
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
    await finished;
  } finally {
    clearInterval(timer);
    await consumer.disconnect();
  }
}
