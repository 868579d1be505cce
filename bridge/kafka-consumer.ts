// The one module that knows kafkajs's consumer. It adapts a kafkajs batch to BridgeBatch, so a
// maintained client could replace kafkajs here without touching the start-then-commit loop.
import { Kafka, logLevel as KafkaLogLevel, type Consumer, type EachBatchPayload, type KafkaMessage, type LogEntry } from 'kafkajs';
import { kafkaClientOptions, type KafkaConnectionConfig } from '../lib/kafka-client';
import type { Logger } from '../lib/logger';
import type { BridgeBatch } from './batch-handler';
import type { KafkaRecord } from './route';
import type { GroupMembership } from './group-membership';
import type { RewindTarget, TopicWatch } from './topic-watch';

export interface ConsumerOptions {
  readonly brokers: string[];
  readonly clientId: string;
  readonly security: KafkaConnectionConfig['security'];
  readonly groupId: string;
  readonly topics: string[];
  readonly fromBeginning: boolean;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly maxBytesPerPartition: number;
  readonly partitionsConsumedConcurrently: number;
  /** Checks each commit for a topic deleted and recreated under the consumer (bridge/topic-watch.ts). */
  readonly topicWatch?: TopicWatch;
  /** Follows joins, rebalances and crashes for /readyz and the lag gauge (bridge/group-membership.ts). */
  readonly membership?: GroupMembership;
}

const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);

export function kafkaLogCreator(log: Logger) {
  return () => ({ level, log: entry }: { level: number; log: LogEntry['log'] }) => {
    const { message, ...fields } = entry;
    if (level <= KafkaLogLevel.ERROR) log.error({ kafka: fields }, message);
    else if (level === KafkaLogLevel.WARN) log.warn({ kafka: fields }, message);
    else log.debug({ kafka: fields }, message);
  };
}

export interface RunningConsumer {
  readonly consumer: Consumer;
  /** Stops fetching every partition of the topic this member holds (backpressure). */
  pauseTopic(topic: string): void;
  resumeTopic(topic: string): void;
  stop(): Promise<void>;
}

export async function runConsumer(
  opts: ConsumerOptions,
  log: Logger,
  onBatch: (batch: BridgeBatch) => Promise<void>,
  onGroupJoin: () => void = () => undefined,
): Promise<RunningConsumer> {
  const kafka = new Kafka({ ...kafkaClientOptions(opts, ''), logLevel: KafkaLogLevel.WARN, logCreator: kafkaLogCreator(log) });
  const consumer = kafka.consumer({
    groupId: opts.groupId,
    sessionTimeout: opts.sessionTimeoutMs,
    heartbeatInterval: opts.heartbeatIntervalMs,
    rebalanceTimeout: opts.rebalanceTimeoutMs,
    maxBytesPerPartition: opts.maxBytesPerPartition,
    allowAutoTopicCreation: false,
  });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    opts.membership?.joined(e.payload.memberAssignment);
    onGroupJoin();
  });
  const membership = opts.membership;
  if (membership) {
    consumer.on(consumer.events.REBALANCING, () => membership.rebalancing());
    consumer.on(consumer.events.CRASH, (e) => membership.left(`its consumer crashed (${e.payload.error.message})${e.payload.restart ? '; it is rejoining' : ''}`));
    consumer.on(consumer.events.STOP, () => membership.left('it is stopping'));
  }
  await consumer.connect();
  await consumer.subscribe({ topics: opts.topics, fromBeginning: opts.fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently,
    eachBatch: async (payload) => onBatch(adaptBatch(consumer, payload, opts.topicWatch)),
  });
  return {
    consumer,
    pauseTopic: (topic) => consumer.pause([{ topic }]),
    resumeTopic: (topic) => consumer.resume([{ topic }]),
    stop: () => consumer.disconnect(),
  };
}

/** A kafkajs message as the router sees it (a repeated header keeps its first value). */
export function toKafkaRecord(topic: string, partition: number, m: KafkaMessage): KafkaRecord {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key,
    value: m.value,
    timestamp: m.timestamp,
    headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
  };
}

function adaptBatch(consumer: Consumer, payload: EachBatchPayload, watch: TopicWatch | undefined): BridgeBatch {
  const { batch } = payload;
  // The no-argument commit form commits nothing when autoCommit is off: always pass the offset.
  const target: RewindTarget = {
    commit: (topic, partition, offset) => consumer.commitOffsets([{ topic, partition, offset }]),
    seek: (topic, partition, offset) => consumer.seek({ topic, partition, offset }),
  };
  const mark = { generation: watch?.generation(batch.topic, batch.partition) ?? 0, firstOffset: batch.firstOffset() ?? '0' };
  return {
    topic: batch.topic,
    partition: batch.partition,
    records: batch.messages.map((m) => toKafkaRecord(batch.topic, batch.partition, m)),
    async heartbeat() {
      try {
        await payload.heartbeat();
        return 'ok';
      } catch (err) {
        if (REBALANCE_ERRORS.has((err as { type?: string }).type ?? '')) return 'rebalance';
        throw err;
      }
    },
    isRunning: payload.isRunning,
    isStale: payload.isStale,
    resolveOffset: payload.resolveOffset,
    commit: (nextOffset) =>
      watch ? watch.commit(target, batch.topic, batch.partition, nextOffset, mark) : target.commit(batch.topic, batch.partition, nextOffset),
  };
}
