// The poll loop of a throughput route, for one batch of one partition: the records become chunks of
// at most batch.maxRecords records (and batch.maxBytes of inline values), each sent to the partition
// run as one update (throughput-sender.ts); records that cannot become a run are dead-lettered as in
// the default mode. Chunks go one at a time, in offset order: the run de-duplicates by offset against
// the highest offset it accepted, so a later chunk must never overtake an earlier one.
// Invariant: an offset is committed (as offset + 1) only after its chunk's update completed (it is in
// the run's history) or its dead letter was acknowledged, and everything before it likewise.
import { faultPoint } from '../lib/fault';
import { sleep } from '../lib/backoff';
import type { BatchDeps, BridgeBatch } from './batch-handler';
import { storeClaimCheck } from './claim-check';
import { processRecord } from './record-task';
import type { KafkaRecord, PlannedStart, RouteOutcome } from './route';
import { runMovedOn, sendRecords } from './throughput-sender';
import { untilAcknowledged } from './until-acknowledged';
import { collidingOffsets } from './throughput-verify';
import { deadLetterRecord } from './dead-letter-task';
import type { RecordsAccepted } from '../core/throughput';

/** Continue-as-new hand-overs one update follows at once before it backs off like any failure. */
const MAX_RUN_MOVES = 3;
/** A claim-checked value travels as a reference of about this size. */
const CLAIM_CHECK_REF_BYTES = 256;

type Item =
  | { kind: 'chunk'; records: KafkaRecord[]; starts: PlannedStart[]; claimChecked: { record: KafkaRecord; outcome: Extract<RouteOutcome, { kind: 'start' }> }[]; bytes: number }
  | { kind: 'one'; record: KafkaRecord; outcome: RouteOutcome };

function plan(records: KafkaRecord[], deps: BatchDeps): Item[] {
  const items: Item[] = [];
  let chunk: Extract<Item, { kind: 'chunk' }> | undefined;
  for (const record of records) {
    deps.metrics.records.inc({ topic: record.topic });
    const outcome = deps.router(record);
    const start = outcome.kind === 'start' ? outcome.starts.find((s) => s.partitionWorkflowId) : undefined;
    if (outcome.kind !== 'start' || !start) {
      chunk = undefined;
      items.push({ kind: 'one', record, outcome });
      continue;
    }
    const bytes = outcome.claimCheck ? CLAIM_CHECK_REF_BYTES : record.value?.length ?? 0;
    const { maxRecords, maxBytes } = start.route.batch;
    if (!chunk || chunk.records.length >= maxRecords || (chunk.bytes + bytes > maxBytes && chunk.records.length > 0)) {
      chunk = { kind: 'chunk', records: [], starts: [], claimChecked: [], bytes: 0 };
      items.push(chunk);
    }
    chunk.records.push(record);
    chunk.starts.push(start);
    chunk.bytes += bytes;
    if (outcome.claimCheck) chunk.claimChecked.push({ record, outcome });
  }
  return items;
}

export async function handleThroughputBatch(batch: BridgeBatch, deps: BatchDeps): Promise<void> {
  const { topic, partition } = batch;
  const { log, metrics } = deps;
  const abort = new AbortController();
  let committed: string | undefined;
  let acknowledgedUpTo: string | undefined;
  let lastCommitAtMs = Date.now();

  const stopIfGone = async () => {
    if ((!batch.isRunning() || batch.isStale()) && !abort.signal.aborted) abort.abort();
    if (!abort.signal.aborted && (await batch.heartbeat()) === 'rebalance') {
      metrics.rebalances.inc();
      abort.abort();
      log.info({ topic, partition }, 'rebalance reported by heartbeat; stopping the throughput batch without resolving the rest');
    }
  };
  /** Heartbeats while a step is pending: the step may wait long (a full partition run, Temporal down). */
  const withHeartbeats = async <T>(step: Promise<T>): Promise<T> => {
    let settled = false;
    const done = step.finally(() => { settled = true; });
    while (!settled) {
      await Promise.race([done.then(() => undefined, () => undefined), sleep(deps.heartbeatIntervalMs)]);
      if (!settled) await stopIfGone();
    }
    return done;
  };
  const commit = async (force: boolean) => {
    if (acknowledgedUpTo === undefined || acknowledgedUpTo === committed) return;
    if (!force && Date.now() - lastCommitAtMs < deps.commitIntervalMs) return;
    const next = (BigInt(acknowledgedUpTo) + 1n).toString();
    batch.resolveOffset(acknowledgedUpTo);
    try {
      await batch.commit(next);
      committed = acknowledgedUpTo;
      lastCommitAtMs = Date.now();
      metrics.commits.inc();
    } catch (err) {
      log.warn({ topic, partition, offset: next, err }, 'offset commit failed; the records will be redelivered and the partition run answers them as duplicates');
    }
  };

  for (const item of plan(batch.records, deps)) {
    await stopIfGone();
    if (abort.signal.aborted) break;
    if (item.kind === 'one') {
      if (!(await withHeartbeats(processRecord(item.record, item.outcome, deps, abort.signal)))) break;
      acknowledgedUpTo = item.record.offset;
    } else {
      const first = item.records[0];
      let stored = true;
      for (const { record, outcome } of item.claimChecked) {
        stored = (await withHeartbeats(untilAcknowledged('claim check', record, deps, abort.signal, () => storeClaimCheck(deps.pool, record, outcome.claimCheck!)))) !== undefined;
        if (!stored) break;
        metrics.claimChecks.inc();
      }
      if (!stored) break;
      const startedAtMs = performance.now();
      const answer = await withHeartbeats(untilAcknowledged(`records update (${item.records.length} records from offset ${first.offset})`, first, deps, abort.signal,
        () => sendToCurrentRun(item, deps, abort.signal), { recordFaults: false }));
      if (answer === undefined) break;
      metrics.startLatency.observe((performance.now() - startedAtMs) / 1000);
      const workflowType = item.starts[0].route.workflowType;
      if (answer.accepted) metrics.starts.inc({ workflow_type: workflowType }, answer.accepted);
      if (answer.duplicates.length) {
        metrics.duplicates.inc({ workflow_type: workflowType }, answer.duplicates.length);
        log.info({ topic, partition, duplicates: answer.duplicates.length, firstDuplicate: answer.duplicates[0], highWater: answer.highWater }, 'the partition run already had these offsets (redelivery); nothing runs twice');
      }
      faultPoint('bridge:throughput-after-accept-before-commit');
      if (answer.duplicates.length && !(await deadLetterCollisions(item, answer, deps, abort.signal, withHeartbeats))) break;
      acknowledgedUpTo = item.records[item.records.length - 1].offset;
    }
    await commit(false);
  }
  await commit(true);
}

/** Sends a chunk; when its run continued as new while the update waited, to the new run, a few times. */
async function sendToCurrentRun(item: Extract<Item, { kind: 'chunk' }>, deps: BatchDeps, signal: AbortSignal): Promise<RecordsAccepted> {
  for (let moved = 0; ; moved++) {
    try {
      return await sendRecords(deps.client, item.starts, signal);
    } catch (err) {
      if (!runMovedOn(err) || moved >= MAX_RUN_MOVES) throw err;
      const first = item.records[0];
      deps.log.info({ topic: first.topic, partition: first.partition, offset: first.offset, workflowId: item.starts[0].partitionWorkflowId }, `records update from ${first.topic}[${first.partition}]@${first.offset} waited while the partition run continued as new; sending it to the new run`);
    }
  }
}

/** COLLISION dead letters for the duplicates that are other records; false when the batch was abandoned. */
async function deadLetterCollisions(item: Extract<Item, { kind: 'chunk' }>, answer: RecordsAccepted, deps: BatchDeps, signal: AbortSignal, withHeartbeats: <T>(p: Promise<T>) => Promise<T>): Promise<boolean> {
  const colliding = await withHeartbeats(untilAcknowledged('duplicate check', item.records[0], deps, signal, () => collidingOffsets(deps.pool, item.starts, answer), { recordFaults: false }));
  if (colliding === undefined) return false;
  for (const [i, record] of item.records.entries()) {
    if (!colliding.has(record.offset)) continue;
    const start = item.starts[i];
    deps.metrics.collisions.inc();
    const reason = `offset ${record.offset} was already taken by partition run ${start.partitionWorkflowId} for another record (this record's hash ${start.input.source.recordHash}): the topic was recreated or its offsets reset`;
    deps.log.error({ topic: record.topic, partition: record.partition, offset: record.offset, workflowId: start.partitionWorkflowId }, reason);
    const dl = { class: 'COLLISION' as const, reasonCode: 'HASH_MISMATCH', reason, original: record, workflowId: start.partitionWorkflowId };
    if (!(await withHeartbeats(deadLetterRecord(record, start.input.deadLetterTopic!, dl, deps, signal)))) return false;
  }
  return true;
}
