// The start-then-commit loop for one batch of one partition. It only routes and hands each record to
// processRecord (starts, claim checks, dead letters: milliseconds each) and heartbeats between them:
// no model call, no slow work, ever.
// Invariant: an offset is committed (as offset + 1) only after its record, and every record launched
// before it, was acknowledged (run started or verified duplicate, or dead letter acknowledged).
import type { Logger } from '../lib/logger';
import { faultPoint } from '../lib/fault';
import type { BridgeMetrics } from './metrics';
import { PartitionProgress } from './partition-progress';
import { processRecord, type RecordTaskDeps } from './record-task';
import type { KafkaRecord, Router } from './route';
import { sleep } from '../lib/backoff';

/** What the loop needs from a Kafka client; kafka-consumer.ts adapts kafkajs to it. */
export interface BridgeBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: KafkaRecord[];
  /** Resolves 'rebalance' when the group is rebalancing: the batch must stop. */
  heartbeat(): Promise<'ok' | 'rebalance'>;
  isRunning(): boolean;
  isStale(): boolean;
  /** Marks everything up to `offset` as processed for the client's own fetch position. */
  resolveOffset(offset: string): void;
  commit(nextOffset: string): Promise<void>;
}

export interface BatchDeps extends RecordTaskDeps {
  readonly router: Router;
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
  readonly maxStartsInFlight: number;
  readonly commitIntervalMs: number;
  readonly heartbeatIntervalMs: number;
  /** Backpressure: true while the topic's route has too many open runs; the batch stops launching. */
  readonly holdTopic?: (topic: string) => boolean;
  /** Counts a launch toward the open-run bound before visibility sees it. */
  readonly onLaunched?: (topic: string) => void;
  readonly onAcknowledged?: (topic: string) => void;
  /** Test-only (KTA_TEST_UNSAFE_COMMIT_BEFORE_START): offsets count as done at launch, before the start is acknowledged. */
  readonly testOnlyUnsafe?: { readonly commitBeforeStart: boolean };
}

export async function handleBatch(batch: BridgeBatch, deps: BatchDeps): Promise<void> {
  const { topic, partition } = batch;
  const { log, metrics } = deps;
  const progress = new PartitionProgress();
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  let stop: 'rebalance' | 'shutdown' | 'backpressure' | undefined;
  let failure: Error | undefined;
  let committed: string | undefined;
  let lastCommitAtMs = Date.now();

  const keepAlive = async () => {
    if ((await batch.heartbeat()) === 'rebalance' && stop !== 'rebalance') {
      stop = 'rebalance';
      metrics.rebalances.inc();
      abort.abort();
      log.info({ topic, partition }, 'rebalance reported by heartbeat; stopping the batch without resolving the rest');
    }
  };

  const commit = async (force: boolean) => {
    const next = progress.commitOffset;
    if (next === undefined || next === committed) return;
    if (!force && Date.now() - lastCommitAtMs < deps.commitIntervalMs) return;
    batch.resolveOffset(progress.lastContiguous!);
    try {
      await batch.commit(next);
      committed = next;
      lastCommitAtMs = Date.now();
      metrics.commits.inc();
    } catch (err) {
      // After a rebalance the old generation cannot commit; the new owner gets the records again and
      // the duplicate check absorbs them.
      log.warn({ topic, partition, offset: next, err }, 'offset commit failed; the records will be redelivered and counted as duplicates');
    }
  };

  const waitForOne = async () => {
    await Promise.race([...inFlight, sleep(deps.heartbeatIntervalMs)]);
    if ((!batch.isRunning() || batch.isStale()) && stop !== 'shutdown' && stop !== 'rebalance') {
      // Shutting down or the batch is stale: cut retries short; what was acknowledged is still committed.
      stop = 'shutdown';
      abort.abort();
    }
    await keepAlive();
    // A batch can wait here for long (a start retrying while Temporal is down, a full in-flight window,
    // the final drain): what was acknowledged meanwhile is committed too, not held back until the
    // next launch, which may never come. commit() still honours BRIDGE_COMMIT_INTERVAL_MS.
    await commit(false);
  };

  for (const record of batch.records) {
    if (stop || failure) break;
    if (!batch.isRunning() || batch.isStale()) {
      stop = 'shutdown';
      break;
    }
    if (deps.holdTopic?.(topic)) {
      // The rest of the batch is not resolved: it is fetched again once the partitions resume.
      stop = 'backpressure';
      break;
    }
    metrics.records.inc({ topic });
    const outcome = deps.router(record);
    // Per-key ordered records go one at a time: the entity run must receive them in offset order.
    const limit = outcome.kind === 'start' && outcome.starts.some((st) => st.entityId) ? 1 : deps.maxStartsInFlight;
    while (inFlight.size >= limit && !stop) await waitForOne();
    if (stop) break;
    progress.launch(record.offset);
    // The chaos suite's negative proof only: breaks invariant 2 (commit after start) on purpose, by
    // committing the offset before the start is sent.
    const unsafeEarly = deps.testOnlyUnsafe?.commitBeforeStart === true;
    if (unsafeEarly) {
      progress.acknowledge(record.offset);
      await commit(true);
    }
    if (outcome.kind === 'start') deps.onLaunched?.(topic);
    const task = processRecord(record, outcome, deps, abort.signal).then(
      (acknowledged) => {
        if (!acknowledged) return;
        if (!unsafeEarly) progress.acknowledge(record.offset);
        if (outcome.kind === 'start') deps.onAcknowledged?.(topic);
        faultPoint('bridge:after-start-before-commit');
      },
      (err: unknown) => {
        failure ??= err as Error;
        abort.abort();
      },
    );
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    await keepAlive();
    await commit(false);
  }
  while (inFlight.size) await waitForOne();
  await commit(true);
  if (failure) {
    // Not a record's fault (those become dead letters): a bug or a broken dependency. kafkajs retries
    // the batch from the last committed offset.
    log.error({ topic, partition, err: failure, committedUpTo: committed }, `batch of ${topic}[${partition}] failed: ${failure.message}`);
    throw failure;
  }
}
