// The start-then-commit loop for one batch of one partition. It only routes and starts workflows
// (milliseconds each) and heartbeats between them: no model call, no slow work, ever.
// Invariant: an offset is committed (as offset + 1) only after its start, and every start launched
// before it, was acknowledged by Temporal (started or verified duplicate).
import type { Client } from '@temporalio/client';
import { InvalidRecordError, RecordCollisionError, formatCoordinates } from '../errors';
import { backoffDelayMs, sleep } from '../lib/backoff';
import { faultPoint } from '../lib/fault';
import type { Logger } from '../lib/logger';
import type { BridgeMetrics } from './metrics';
import { PartitionProgress } from './partition-progress';
import type { KafkaRecord, PlannedStart, Router } from './route';
import { startPlanned } from './starter';

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
  /** Stops fetching this partition (a record that cannot become a workflow). */
  stopPartition(): void;
}

export interface BatchDeps {
  readonly client: Client;
  readonly router: Router;
  readonly metrics: BridgeMetrics;
  readonly log: Logger;
  readonly maxStartsInFlight: number;
  readonly commitIntervalMs: number;
  readonly heartbeatIntervalMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
}

export async function handleBatch(batch: BridgeBatch, deps: BatchDeps): Promise<void> {
  const { topic, partition } = batch;
  const { log, metrics } = deps;
  const progress = new PartitionProgress();
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  let stop: 'rebalance' | 'shutdown' | undefined;
  let badRecord: Error | undefined;
  let committed: string | undefined;
  let lastCommitAtMs = Date.now();

  const keepAlive = async () => {
    if ((await batch.heartbeat()) === 'rebalance' && !stop) {
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
    if ((!batch.isRunning() || batch.isStale()) && !stop) {
      // Shutting down or the batch is stale: cut retries short; what was acknowledged is still committed.
      stop = 'shutdown';
      abort.abort();
    }
    await keepAlive();
  };

  for (const record of batch.records) {
    if (stop || badRecord) break;
    if (!batch.isRunning() || batch.isStale()) {
      stop = 'shutdown';
      break;
    }
    metrics.records.inc({ topic });
    const routed = deps.router(record);
    if (!routed.ok) {
      badRecord = new InvalidRecordError(record, routed.reason);
      metrics.invalidRecords.inc({ topic });
      break;
    }
    while (inFlight.size >= deps.maxStartsInFlight && !stop) await waitForOne();
    if (stop) break;
    progress.launch(record.offset);
    const task = startRecord(record, routed.starts, deps, abort.signal).then(
      (acknowledged) => {
        if (!acknowledged) return;
        progress.acknowledge(record.offset);
        faultPoint('bridge:after-start-before-commit');
      },
      (err: unknown) => {
        badRecord ??= err as Error;
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

  if (badRecord) {
    batch.stopPartition();
    metrics.stoppedPartitions.inc();
    log.error({ topic, partition, err: badRecord, committedUpTo: committed }, `partition stopped: ${badRecord.message}`);
  }
}

/** Starts every planned workflow of one record; retries systemic failures until acknowledged or aborted. */
async function startRecord(record: KafkaRecord, starts: PlannedStart[], deps: BatchDeps, signal: AbortSignal): Promise<boolean> {
  for (const start of starts) {
    for (let attempt = 0; ; attempt++) {
      const startedAtMs = performance.now();
      try {
        const outcome = await startPlanned(deps.client, start);
        deps.metrics.startLatency.observe((performance.now() - startedAtMs) / 1000);
        if (outcome === 'started') deps.metrics.starts.inc({ workflow_type: start.route.workflowType });
        else deps.metrics.duplicates.inc({ workflow_type: start.route.workflowType });
        break;
      } catch (err) {
        if (err instanceof RecordCollisionError) {
          deps.metrics.collisions.inc();
          throw err;
        }
        if (signal.aborted) return false;
        deps.metrics.startErrors.inc();
        const delayMs = backoffDelayMs(attempt, deps.retryInitialMs, deps.retryMaxMs);
        // Systemic (Temporal unavailable, deadline): never dead-lettered, never committed past; retry.
        deps.log.warn(
          { topic: record.topic, partition: record.partition, offset: record.offset, workflowId: start.workflowId, attempt, retryInMs: delayMs, err: (err as Error).message },
          `start of ${formatCoordinates(record)} failed; retrying, nothing past it is committed`,
        );
        await sleep(delayMs, signal);
        if (signal.aborted) return false;
      }
    }
  }
  return true;
}
