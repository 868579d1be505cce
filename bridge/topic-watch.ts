// Notices a consumed topic that was deleted and created again while the bridge runs, and makes the
// consumer read the new topic from its first offset.
//
// Why here and how: kafkajs 2.x speaks Metadata v6, which carries no topic IDs, and it keeps each
// partition's fetch position in memory across the deletion, so it carries on at the old position
// in the new topic and the new records below it are never fetched. The broker, though, drops every
// group's committed offsets with the topic. While the bridge holds a partition nobody else commits
// for it, so before each commit the committed offset must still be the one the bridge last wrote;
// if it is gone or lower, the topic was recreated (or the offsets were reset under a running group).
// The check runs right before the commit because that commit would overwrite the evidence.
import type { Admin } from 'kafkajs';
import type { Logger } from '../lib/logger';
import type { BridgeMetrics } from './metrics';

/** The two consumer operations a rewind needs; kafka-consumer.ts binds them to kafkajs. */
export interface RewindTarget {
  commit(topic: string, partition: number, offset: string): Promise<void>;
  seek(topic: string, partition: number, offset: string): void;
}

/** What the watch needs to know about the batch that commits. */
export interface BatchMark {
  /** The watch's generation of the partition when the batch was fetched. */
  readonly generation: number;
  /** The offset of the batch's first record. */
  readonly firstOffset: string;
}

export interface TopicWatchDeps {
  readonly admin: Admin;
  readonly groupId: string;
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
}

const key = (topic: string, partition: number) => `${topic}|${partition}`;

export class TopicWatch {
  /** The next offset this member last committed, per partition. */
  private readonly lastCommitted = new Map<string, bigint>();
  /** Bumped by each rewind: a batch fetched before it must not commit (its offsets are read again). */
  private readonly generations = new Map<string, number>();

  constructor(private readonly deps: TopicWatchDeps) {}

  generation(topic: string, partition: number): number {
    return this.generations.get(key(topic, partition)) ?? 0;
  }

  /**
   * Commits `nextOffset` for a batch, unless the topic was recreated since the last commit: then the
   * partition is rewound to the new topic's earliest offset instead.
   */
  async commit(target: RewindTarget, topic: string, partition: number, nextOffset: string, batch: BatchMark): Promise<void> {
    const k = key(topic, partition);
    // Fetched before a rewind: these offsets are read again, so committing them could skip the re-read.
    if (batch.generation !== this.generation(topic, partition)) return;
    const expected = this.lastCommitted.get(k);
    if (expected !== undefined) {
      const found = await this.committedOffset(topic, partition);
      if (found === undefined || found < expected) {
        const earliest = await this.earliestOffset(topic, partition);
        this.report(topic, partition, expected, found, earliest);
        // kafkajs already restarts a partition at its earliest offset when its position lies past the
        // new topic's end (offset out of range, fromBeginning): then this batch is the re-read.
        if (BigInt(batch.firstOffset) > BigInt(earliest)) {
          await this.rewind(target, topic, partition, earliest);
          return;
        }
      }
    }
    await target.commit(topic, partition, nextOffset);
    this.lastCommitted.set(k, BigInt(nextOffset));
  }

  /** The group's committed offset at the broker; undefined when it has none (-1). */
  private async committedOffset(topic: string, partition: number): Promise<bigint | undefined> {
    const [entry] = await this.deps.admin.fetchOffsets({ groupId: this.deps.groupId, topics: [topic] });
    const offset = entry?.partitions.find((p) => p.partition === partition)?.offset;
    return offset === undefined || Number(offset) < 0 ? undefined : BigInt(offset);
  }

  private async earliestOffset(topic: string, partition: number): Promise<string> {
    return (await this.deps.admin.fetchTopicOffsets(topic)).find((p) => p.partition === partition)?.low ?? '0';
  }

  private report(topic: string, partition: number, expected: bigint, found: bigint | undefined, earliest: string): void {
    this.deps.metrics.recreatedPartitions.inc({ topic });
    this.deps.log.error(
      { topic, partition, groupId: this.deps.groupId, committedBefore: expected.toString(), committedNow: found?.toString() ?? null, readFrom: earliest },
      `Topic ${topic} was deleted and created again while the bridge consumed it: the committed offset of partition ${partition} ` +
        `went from ${expected} to ${found ?? 'none'}. Reading ${topic}[${partition}] again from offset ${earliest}; each reused offset ` +
        `whose run was started by another record becomes a COLLISION dead letter; to run those records, re-drive them with ` +
        `\`kta reprocess --topic <the route's dead-letter topic> --class COLLISION\``,
    );
  }

  private async rewind(target: RewindTarget, topic: string, partition: number, earliest: string): Promise<void> {
    const k = key(topic, partition);
    this.generations.set(k, this.generation(topic, partition) + 1);
    // Committed before the seek, so a crash before the re-read still starts the next owner at the new topic's start.
    await target.commit(topic, partition, earliest);
    this.lastCommitted.set(k, BigInt(earliest));
    target.seek(topic, partition, earliest);
  }
}
