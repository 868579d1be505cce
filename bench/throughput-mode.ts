// Issue 15, acceptance 3: the throughput mode against the default mode, in one run, on the workload of
// bench/rebalance-loop (review records over 2 partitions, a model at 120 ms per call, ~500 records per
// fetch). Each mode gets its own topic, group, task queue and simulator, one bridge and one worker,
// the same records, one after the other. Reports completed records per second of each mode and
// their ratio, and Temporal Cloud billable actions and history events per record, counted from every
// run's history (bench/support/billable-actions.ts). `--records N` for a quick run.
import os from 'node:os';
import { listArg, numberArg } from './support/args';
import { benchLog, withBenchStack } from './support/bench-stack';
import { benchAdmin } from './support/kafka-admin';
import { runModeSide, type Mode } from './support/mode-side';
import { reviewRecords } from './support/review-records';
import { ratio, round } from './support/summary';

const DEFAULT_RECORDS = 1_600;
const PARTITIONS = 2;
const VALUE_BYTES = 1_000;
const LLM_LATENCY_MS = 120;
const SIMULATOR_SEED = 15;
const RECORDS_PER_PRODUCER_BATCH = 25;
/** About 500 records per fetch, as bench/rebalance-loop sizes it. */
const MAX_BYTES_PER_PARTITION = 20 * (61 + RECORDS_PER_PRODUCER_BATCH * (13 + VALUE_BYTES + 9));
const BATCH = { maxRecords: 50, concurrency: 10 };
const DEFAULT_BUDGET_S = 900;
const ACTIONS_PER_RECORD_TARGET = 0.2;
const SPEED_RATIO_TARGET = 5;
const MODES: readonly Mode[] = ['per-record', 'throughput'];

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const records = numberArg(args, 'records', DEFAULT_RECORDS);
  const budgetMs = numberArg(args, 'budget-s', DEFAULT_BUDGET_S) * 1000;
  const modes = listArg(args, 'modes', MODES, MODES);
  if (records % PARTITIONS) throw new Error(`--records must be a multiple of ${PARTITIONS} partitions`);
  const log = benchLog('throughput-mode');
  return withBenchStack('throughput-mode', { bundleWorkflows: true }, async (bench) => {
    const admin = await benchAdmin(bench.stack.kafka.brokers);
    bench.onStop(() => admin.close());
    const workload = {
      records: reviewRecords(records, PARTITIONS, VALUE_BYTES),
      partitions: PARTITIONS,
      recordsPerProducerBatch: RECORDS_PER_PRODUCER_BATCH,
      maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
      llmLatencyMs: LLM_LATENCY_MS,
      simulatorSeed: SIMULATOR_SEED,
      budgetMs,
      batch: BATCH,
    };
    const results: Partial<Record<Mode, Awaited<ReturnType<typeof runModeSide>>>> = {};
    for (const mode of modes) {
      log(`mode ${mode}`);
      results[mode] = await runModeSide(bench, admin, mode, workload, log);
    }
    const perRecord = results['per-record'];
    const throughput = results.throughput;
    const speedRatio = perRecord && throughput ? ratio(throughput.completedPerSecond, perRecord.completedPerSecond, 2) : null;
    return {
      measured:
        `${records} review records (${VALUE_BYTES} B) over ${PARTITIONS} partitions, ~500 records per fetch, LLM simulator at ${LLM_LATENCY_MS} ms per call; ` +
        `each mode on its own topic with one bridge and one worker, one after the other; throughput mode with batch ${JSON.stringify(BATCH)}; ` +
        'completed = Completed runs (per-record) or done rows in throughput_results (effect applied); ' +
        'billable actions by Temporal Cloud\'s definition, from every run\'s history (heartbeats as an upper bound: one per 80% of the heartbeat timeout)',
      workload: { records, partitions: PARTITIONS, valueBytes: VALUE_BYTES, llmLatencyMs: LLM_LATENCY_MS, maxBytesPerPartition: MAX_BYTES_PER_PARTITION, batch: BATCH, budgetMs },
      perRecord,
      throughput,
      ratios: {
        throughputOverPerRecordCompletedPerSecond: speedRatio,
        actionsPerRecord: { perRecord: perRecord?.actionsPerRecord ?? null, throughput: throughput?.actionsPerRecord ?? null },
        eventsPerRecord: { perRecord: perRecord?.eventsPerRecord ?? null, throughput: throughput?.eventsPerRecord ?? null },
      },
      goal: {
        met: throughput ? throughput.finished && (throughput.actionsPerRecord ?? Infinity) <= ACTIONS_PER_RECORD_TARGET && throughput.duplicateModelCalls === 0 && (speedRatio === null || speedRatio >= SPEED_RATIO_TARGET) : null,
        wanted: `throughput mode: every record completed, at most ${ACTIONS_PER_RECORD_TARGET} billable actions per record, 0 duplicate model calls, completed records/s at least ${SPEED_RATIO_TARGET}x the per-record mode`,
      },
      loadAverage1mAtEnd: round(os.loadavg()[0], 2),
    };
  });
}
