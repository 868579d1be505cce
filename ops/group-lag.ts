// The bridge group's lag per topic and partition: committed offsets against each partition's end.
// Shared by `kta doctor` (its consumer-group check) and `kta status`, so both count lag the same way.
import type { Admin } from 'kafkajs';
import { sleep } from '../lib/backoff';

export interface PartitionLag {
  readonly partition: number;
  /** The group's committed offset (the next record it reads); null when it never committed one. */
  readonly committed: number | null;
  /** The log end: the offset the next record will get. */
  readonly end: number;
  readonly lag: number;
}

export interface TopicLag {
  readonly topic: string;
  readonly lag: number;
  readonly committedPartitions: number;
  readonly partitions: PartitionLag[];
}

// On a cluster where no group has committed yet, the broker creates __consumer_offsets on the first
// coordinator lookup and has no coordinator for a moment; clients with retries off see that as an error.
const COORDINATOR_WAIT_MS = 3_000;
const COORDINATOR_RECHECK_MS = 250;

async function committedOffsets(admin: Admin, groupId: string, topics: string[]) {
  const deadline = Date.now() + COORDINATOR_WAIT_MS;
  for (;;) {
    try {
      return await admin.fetchOffsets({ groupId, topics });
    } catch (err) {
      if ((err as Error).name !== 'KafkaJSGroupCoordinatorNotFound' || Date.now() >= deadline) throw err;
      await sleep(COORDINATOR_RECHECK_MS);
    }
  }
}

/** Kafka's own topic of committed offsets: created with the first group coordinator lookup. */
export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets';

/** Lag of `groupId` on each of `topics` (which must exist). */
export async function groupLag(admin: Admin, groupId: string, topics: string[], fromBeginning: boolean): Promise<TopicLag[]> {
  const committed = topics.length ? await committedOffsets(admin, groupId, topics) : [];
  return lagFrom(admin, committed, fromBeginning);
}

/** Lag of a group that has committed nothing (on a cluster where no group has): no coordinator is asked. */
export function lagBeforeAnyCommit(admin: Admin, topics: string[], fromBeginning: boolean): Promise<TopicLag[]> {
  return lagFrom(admin, topics.map((topic) => ({ topic, partitions: [] })), fromBeginning);
}

function lagFrom(admin: Admin, committed: { topic: string; partitions: { partition: number; offset: string }[] }[], fromBeginning: boolean): Promise<TopicLag[]> {
  return Promise.all(committed.map(async ({ topic, partitions }) => {
    const ends = await admin.fetchTopicOffsets(topic);
    const rows = [...ends].sort((a, b) => a.partition - b.partition).map((e) => {
      const offset = Number(partitions.find((p) => p.partition === e.partition)?.offset ?? -1);
      // Without a commit the bridge starts at the earliest record (KAFKA_FROM_BEGINNING) or the end.
      const from = offset >= 0 ? offset : fromBeginning ? Number(e.low) : Number(e.high);
      return { partition: e.partition, committed: offset >= 0 ? offset : null, end: Number(e.high), lag: Number(e.high) - from };
    });
    return { topic, lag: rows.reduce((sum, r) => sum + r.lag, 0), committedPartitions: rows.filter((r) => r.committed !== null).length, partitions: rows };
  }));
}
