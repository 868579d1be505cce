// The partition run of a throughput route: one long-running run per topic partition receives the
// records in batches (one `records` update per chunk of a poll batch; the bridge commits the chunk's
// offsets once the update completed, i.e. once it is in history) and works them with one batch
// activity per batch, so Temporal's cost is paid per batch, not per record.
// Dedup by offset: the run keeps the highest offset it accepted (the high-water mark). The bridge sends
// a partition's records in offset order and resumes from its committed offset, so an offset at or
// below the mark was accepted before: a redelivery, answered as a duplicate. The mark rides along
// continue-as-new in the arguments; a new run (after one was terminated) loads the mark the batch
// activities wrote to PostgreSQL as they finished batches.
// Before continuing as new the run stops taking records and drains its queue, so no record value is
// carried across (the arguments stay small); an update waiting for room is abandoned and the bridge
// sends it again to the new run (it did not commit it).
import { condition, continueAsNew, defineUpdate, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { HandlerUnfinishedPolicy } from '@temporalio/common';
import type { ThroughputActivities } from '../activities/throughput/activities';
import { formatCoordinates } from '../core/kafka-record';
import { RECORDS_UPDATE, type PartitionRunInput, type RecordsAccepted, type ThroughputRecord } from '../core/throughput';

// The update's name is the bridge's contract (core/throughput.ts): change it in both places or not at all.
export const recordsUpdate = defineUpdate<RecordsAccepted, [ThroughputRecord[]]>(RECORDS_UPDATE);

const NONE = '-1';
const after = (offset: string, mark: string) => BigInt(offset) > BigInt(mark);

export async function throughputPartition(input: PartitionRunInput): Promise<void> {
  const { topic, partition, batch, settings } = input;
  const where = `${topic}[${partition}]`;
  const perBatchMs = Math.ceil(batch.maxRecords / batch.concurrency) * (settings.modelTimeoutMs * settings.maxModelAttempts + settings.effectTimeoutMs);
  const acts = proxyActivities<ThroughputActivities>({
    startToCloseTimeout: perBatchMs,
    heartbeatTimeout: batch.heartbeatTimeoutMs,
    // No attempt limit: what fails a whole batch is systemic (the model or PostgreSQL away); a record's
    // own failure becomes its dead letter inside the activity. Recorded results survive each retry.
    retry: { initialInterval: '1s', maximumInterval: '30s' },
  });
  const queue: ThroughputRecord[] = [];
  let inFlight: ThroughputRecord[] = [];
  let highWater: string | undefined = input.highWater;
  let draining = false;
  const totals = { batches: 0, records: 0, duplicates: 0, ...input.totals };

  setHandler(recordsUpdate, async (records) => {
    // Waits for room: the bridge's update, and so its commit, waits too (backpressure without polling).
    await condition(() => highWater !== undefined && !draining && queue.length < batch.maxQueuedRecords);
    const duplicates: string[] = [];
    const collisions: string[] = [];
    const unverified: string[] = [];
    for (const r of records) {
      if (!after(r.source.offset, highWater!)) {
        // A duplicate must really be one: the same record (hash) as the one taken at this offset.
        const offset = r.source.offset;
        duplicates.push(offset);
        const held = queue.find((q) => q.source.offset === offset) ?? inFlight.find((q) => q.source.offset === offset);
        if (!held) unverified.push(offset);
        else if (held.source.recordHash !== r.source.recordHash) collisions.push(offset);
        continue;
      }
      queue.push(r);
      highWater = r.source.offset;
    }
    totals.duplicates += duplicates.length;
    return { accepted: records.length - duplicates.length, duplicates, collisions, unverified, highWater: highWater!, queued: queue.length };
  }, {
    validator: (records) => {
      const foreign = records.find((r: ThroughputRecord) => r.source.topic !== topic || r.source.partition !== partition);
      if (foreign) throw new Error(`record ${formatCoordinates(foreign.source)} sent to the partition run of ${where}`);
      for (let i = 1; i < records.length; i++) {
        if (!after(records[i].source.offset, records[i - 1].source.offset)) throw new Error(`records of a message to ${where} must be in offset order`);
      }
    },
    unfinishedPolicy: HandlerUnfinishedPolicy.ABANDON,
    description: 'Records of this partition, in offset order; completes once they are accepted (or known)',
  });

  highWater ??= (await acts.loadPartitionMark({ route: input.route, topic, partition })) ?? NONE;
  let batchesThisRun = 0;
  for (;;) {
    await condition(() => queue.length > 0 || draining);
    if (draining && queue.length === 0) {
      await continueAsNew<typeof throughputPartition>({ ...input, highWater, totals });
    }
    const records = queue.splice(0, batch.maxRecords);
    inFlight = records;
    const first = records[0].source.offset;
    const last = records[records.length - 1].source.offset;
    await acts.processThroughputBatch({
      agent: input.agent,
      route: input.route,
      records,
      settings,
      concurrency: batch.concurrency,
      heartbeatTimeoutMs: batch.heartbeatTimeoutMs,
      deadLetterTopic: input.deadLetterTopic,
    });
    inFlight = [];
    totals.batches++;
    totals.records += records.length;
    setCurrentDetails(`${input.agent} on ${where}: ${totals.records} records in ${totals.batches} batches (last @${first}..${last}), ${totals.duplicates} redelivered; ${queue.length} queued; high-water ${highWater}`);
    if (++batchesThisRun >= batch.maxBatchesPerRun || workflowInfo().continueAsNewSuggested) draining = true;
  }
}
