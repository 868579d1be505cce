// The outbox relay: publishes unsent outbox rows to their topics in id order, in Kafka transactions,
// and marks them sent once the broker acknowledged them. Two crash windows are closed:
// - killed after the ack and before the mark: on start the relay reads the tail of each partition
//   (every record carries its `workflowId/step` key header) and marks those keys sent, so nothing
//   acknowledged is published again;
// - a zombie relay (paused, then back): every relay uses one transactional ID, and a new relay's
//   producer initialisation fences the old one, whose open transaction is aborted and whose next
//   commit fails. Consumers of the output topic read committed records only (kafkajs' default).
// The output topic belongs to the relay: the tail window assumes no other producer writes to it.
import { randomBytes } from 'node:crypto';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { OutboxRecoveryError, OutboxRelayFencedError } from '../../errors';
import { backoffDelayMs, sleep } from '../../lib/backoff';
import { faultPoint } from '../../lib/fault';
import { readKafkaRanges } from '../../lib/kafka-range-reader';
import type { Logger } from '../../lib/logger';
import { IDEMPOTENCY_KEY_HEADER, markOutboxSent, unsentOutbox, unsentTopics, type OutboxRow } from './outbox';

export interface OutboxRelayOptions {
  readonly pool: Pool;
  readonly kafka: Kafka;
  /** One per relay deployment: a second relay with the same ID fences the first. */
  readonly transactionalId: string;
  /** Only these topics' rows (all when left out). */
  readonly topics?: readonly string[];
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly log: Logger;
  readonly recoveryTimeoutMs?: number;
}

export interface OutboxRelayStats {
  published: number;
  batches: number;
  /** Unsent rows found already published in the topic's tail and marked sent on recovery. */
  recovered: number;
}

const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'TRANSACTION_COORDINATOR_FENCED']);

function isFenced(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { type?: string; code?: number; cause?: unknown; originalError?: unknown; errors?: unknown[] };
  if ((e.type && FENCED_TYPES.has(e.type)) || e.code === 47 || e.code === 90) return true;
  return [e.cause, e.originalError, ...(e.errors ?? [])].some((c) => isFenced(c, depth + 1));
}

export class OutboxRelay {
  private producer?: Producer;
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private needsRecovery = true;
  private readonly counters: OutboxRelayStats = { published: 0, batches: 0, recovered: 0 };

  constructor(private readonly opts: OutboxRelayOptions) {}

  /** Connects (fencing any older relay with the same transactional ID), recovers, then publishes until stopped. */
  async start(): Promise<void> {
    const { kafka, transactionalId } = this.opts;
    this.producer = kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await this.producer.connect();
    // kafkajs registers the transactional ID only with the first transaction; register it now, before
    // reading the tail, so the older relay is fenced and its open transaction aborted first.
    const registration = await this.producer.transaction();
    await registration.abort();
    await this.recover();
    this.loop = this.run();
  }

  /** Resolves when the relay stops; rejects with OutboxRelayFencedError when a newer relay took over. */
  done(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  stats(): OutboxRelayStats {
    return { ...this.counters };
  }

  private stopped?: Promise<void>;

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping.abort();
      await this.loop?.catch(() => undefined);
      await this.producer?.disconnect();
    })();
    return this.stopped;
  }

  /** Marks sent every unsent row whose key is already in the tail of its topic. */
  async recover(): Promise<number> {
    const { pool, topics, log } = this.opts;
    let marked = 0;
    for (const topic of await unsentTopics(pool, topics)) {
      const keys = await this.readTailKeys(topic);
      const n = await markOutboxSent(pool, [...keys]);
      if (n > 0) log.warn({ topic, marked: n }, 'outbox rows already in the topic (acknowledged before the last relay stopped) marked sent');
      marked += n;
    }
    this.counters.recovered += marked;
    this.needsRecovery = false;
    return marked;
  }

  /** Publishes one batch of unsent rows in one transaction; returns how many. */
  async publishBatch(): Promise<number> {
    const { pool, topics, batchSize, transactionalId } = this.opts;
    const rows = await unsentOutbox(pool, { topics, limit: batchSize });
    if (rows.length === 0) return 0;
    const tx = await this.producer!.transaction();
    try {
      await tx.sendBatch({ acks: -1, topicMessages: byTopic(rows) });
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => undefined);
      if (isFenced(err)) throw new OutboxRelayFencedError(transactionalId, { cause: err });
      throw err;
    }
    // Test-only: the broker acknowledged the batch and the relay dies before marking it.
    faultPoint('relay:after-ack-before-mark');
    await markOutboxSent(pool, rows.map((r) => r.idempotencyKey));
    this.counters.published += rows.length;
    this.counters.batches++;
    return rows.length;
  }

  private async run(): Promise<void> {
    const { log, pollIntervalMs } = this.opts;
    const signal = this.stopping.signal;
    for (let failures = 0; !signal.aborted; ) {
      try {
        // After a failed commit the broker may have committed anyway: look before publishing again.
        if (this.needsRecovery) await this.recover();
        const n = await this.publishBatch();
        failures = 0;
        if (n === 0) await sleep(pollIntervalMs, signal);
      } catch (err) {
        if (err instanceof OutboxRelayFencedError) {
          log.error({ transactionalId: this.opts.transactionalId }, err.message);
          throw err;
        }
        this.needsRecovery = true;
        const delayMs = backoffDelayMs(++failures, 200, 5_000);
        log.warn({ err: (err as Error).message, retryInMs: delayMs }, 'publishing the outbox failed; recovering and retrying');
        await sleep(delayMs, signal);
      }
    }
  }

  /** The idempotency keys in the last records of each partition of `topic` (committed records only). */
  private async readTailKeys(topic: string): Promise<Set<string>> {
    const { kafka, batchSize, transactionalId, recoveryTimeoutMs = 30_000 } = this.opts;
    // The last relay had at most one batch acknowledged and unmarked; twice that is the window.
    const window = batchSize * 2;
    const admin = kafka.admin();
    let offsets;
    try {
      await admin.connect();
      offsets = await admin.fetchTopicOffsets(topic);
    } catch (err) {
      throw new OutboxRecoveryError(topic, `reading its offsets failed: ${(err as Error).message}`, { cause: err });
    } finally {
      await admin.disconnect();
    }
    const ranges = offsets
      .map((p) => ({ partition: p.partition, from: Math.max(Number(p.low), Number(p.high) - window), to: Number(p.high) }));
    const keys = new Set<string>();
    await readKafkaRanges(kafka, {
      topic,
      ranges,
      groupId: `${transactionalId}-recovery-${randomBytes(4).toString('hex')}`,
      timeout: { ms: recoveryTimeoutMs, measure: 'total' },
      timeoutError: (left) => new OutboxRecoveryError(topic, `its tail was not read within ${recoveryTimeoutMs} ms (partitions left: ${left.map((l) => l.partition).join(', ')})`),
      onPage: async (_partition, messages) => {
        for (const message of messages) {
          const key = message.headers?.[IDEMPOTENCY_KEY_HEADER];
          if (key) keys.add(key.toString());
        }
      },
    });
    return keys;
  }
}

/** Rows grouped by topic, each group in id order (per-partition order follows it). */
function byTopic(rows: OutboxRow[]) {
  const groups = new Map<string, { key: string | null; value: string; headers: Record<string, string> }[]>();
  for (const r of rows) {
    const list = groups.get(r.topic) ?? [];
    list.push({ key: r.key, value: r.value, headers: { ...r.headers, [IDEMPOTENCY_KEY_HEADER]: r.idempotencyKey } });
    groups.set(r.topic, list);
  }
  return [...groups].map(([topic, messages]) => ({ topic, messages }));
}
