// The operations' one window on a route topic (audit, shadow, reprocess): each partition's retained
// range and the bridge group's committed offset, and a paged read of offset ranges through the project's
// range reader, whose throwaway group commits nothing, so the bridge's group is never touched.
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions, type KafkaConnectionConfig } from '../lib/kafka-client';
import { toKafkaRecord } from '../bridge/kafka-consumer';
import type { KafkaRecord } from '../bridge/route';
import { readKafkaRanges, type OffsetRange } from '../lib/kafka-range-reader';

export type { OffsetRange } from '../lib/kafka-range-reader';

export interface PartitionOffsets {
  readonly partition: number;
  /** The earliest offset the topic still retains. */
  readonly earliest: number;
  /** The log end: the offset the next record will get. */
  readonly end: number;
  /** The group's committed offset (the next record it would read); undefined when it never committed one. */
  readonly committed?: number;
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

export async function openAuditKafka(kafkaConfig: KafkaConnectionConfig): Promise<AuditKafka> {
  const { clientId } = kafkaConfig;
  const kafka = new Kafka({ ...kafkaClientOptions(kafkaConfig, 'audit'), logLevel: logLevel.NOTHING });
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
    readRanges: (topic, ranges, onPage) => readKafkaRanges(kafka, {
      topic,
      ranges,
      groupId: `${clientId}-audit-${randomBytes(4).toString('hex')}`,
      consumer: { sessionTimeout: 30_000, heartbeatInterval: 3_000 },
      pageSize: PAGE_RECORDS,
      timeout: { ms: STALL_TIMEOUT_MS, measure: 'stall' },
      timeoutError: (left) => new Error(`reading ${topic} made no progress for ${STALL_TIMEOUT_MS} ms; partitions left: ${left.map((l) => `${l.partition} (at ${l.at}, reading to ${l.last})`).join(', ')}. Check that the brokers are up and the offsets are still retained`),
      onPage: (partition, messages) => onPage(partition, messages.map((m) => toKafkaRecord(topic, partition, m))),
    }),
    close: () => admin.disconnect(),
  };
}
