// The throughput baseline: the same workflow starts the bridge would make, from a plain loop with a
// fixed number in flight and no Kafka at all. Starts go through the bridge's own startPlanned (the
// client.workflow.start call with REJECT_DUPLICATE, search attributes, memo and summary), so the
// start options cannot drift from the bridge's; routing is done before the clock starts.
import { recordSpecs } from '../../agents/record-specs';
import type { Client } from '@temporalio/client';
import { loadConfig, type Route } from '../../config';
import { createRouter, type KafkaRecord, type PlannedStart } from '../../bridge/route';
import { startPlanned } from '../../bridge/starter';
import type { BenchRecord } from './review-records';

export interface StartLoopResult {
  /** performance.now() when each start was acknowledged, in acknowledgement order. */
  readonly ackedAtMs: number[];
  readonly duplicates: number;
  readonly meanStartLatencyMs: number;
}

/** What the bridge would start for these records on `topic` (partition and offset from the list). */
export function plannedStarts(route: Route, records: BenchRecord[]): PlannedStart[] {
  // The bridge's own router with its default limits (claim check, hard cap), as `kta bridge` builds it.
  const router = createRouter([route], loadConfig({}).bridge, recordSpecs());
  const perPartition = new Map<number, number>();
  return records.map((r) => {
    const offset = perPartition.get(r.partition) ?? 0;
    perPartition.set(r.partition, offset + 1);
    const record: KafkaRecord = { topic: route.topic, partition: r.partition, offset: String(offset), key: Buffer.from(r.key), value: r.value, timestamp: String(Date.now()) };
    const routed = router(record);
    if (routed.kind !== 'start') throw new Error(`bench record ${r.key} does not route to a start: ${routed.reason}`);
    return routed.starts[0];
  });
}

export async function runStartLoop(client: Client, starts: PlannedStart[], inFlight: number): Promise<StartLoopResult> {
  const ackedAtMs: number[] = [];
  let duplicates = 0;
  let latencySumMs = 0;
  let next = 0;
  const lane = async () => {
    while (next < starts.length) {
      const start = starts[next++];
      const sentAtMs = performance.now();
      if ((await startPlanned(client, start)) === 'duplicate') duplicates += 1;
      const now = performance.now();
      latencySumMs += now - sentAtMs;
      ackedAtMs.push(now);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { ackedAtMs, duplicates, meanStartLatencyMs: latencySumMs / starts.length };
}
