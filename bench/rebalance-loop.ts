// Issue 6, bench 1: the rebalance loop of the seed, on the real broker, against the bridge.
// Workload: RECORDS review records over 2 partitions, fetched ~500 at a time (maxBytesPerPartition
// sized from the record size), a model at 120 ms per call, a 30 s session timeout. Three sides, one
// after another, each on a fresh topic and group with the same records and its own simulator:
// - each-batch: the consumer people write first: two kafkajs processes whose eachBatch calls the model
//   for every record (500 x 120 ms = 60 s), commits after the batch, never heartbeats inside it;
// - each-message: the same call per message; kafkajs heartbeats after each one; commit per message;
// - bridge: two `kta bridge` processes in one group and one `kta worker`, default BRIDGE_* settings.
// Each naive side runs for at most its budget and is scored on how far it got.
import os from 'node:os';
import { benchAdmin } from './support/kafka-admin';
import { listArg, numberArg } from './support/args';
import { benchLog, withBenchStack } from './support/bench-stack';
import { runBridgeSide } from './support/rebalance-bridge-side';
import { runNaiveSide } from './support/rebalance-naive-side';
import type { RebalanceWorkload, SideResult } from './support/rebalance-workload';
import { reviewRecords } from './support/review-records';
import { ratio, round } from './support/summary';

const DEFAULT_RECORDS = 1_600;
const PARTITIONS = 2;
const MEMBERS = 2;
const VALUE_BYTES = 1_000;
const KEY_BYTES = 'review-000000'.length;
const LLM_LATENCY_MS = 120;
const SIMULATOR_SEED = 6;
const SESSION_TIMEOUT_MS = 30_000;
const REBALANCE_TIMEOUT_MS = 60_000;
const HEARTBEAT_INTERVAL_MS = 3_000;
const TARGET_RECORDS_PER_FETCH = 500;
const RECORDS_PER_PRODUCER_BATCH = 25;
// Record batch v2 on disk: a 61-byte batch header, and per record its key and value plus about
// 9 bytes of length, attributes, deltas and header count (varints, small for these sizes).
const BATCH_HEADER_BYTES = 61;
const RECORD_OVERHEAD_BYTES = 9;
const DEFAULT_NAIVE_BUDGET_S = 180;
// Generous: on two cores the Temporal dev server and the worker, not the bridge, set the pace
// (about 0.3 s of server and worker CPU per record, measured), and other load slows them further.
const DEFAULT_BRIDGE_BUDGET_S = 900;
const SETTLE_BUDGET_MS = 120_000;

const SIDES = ['each-batch', 'each-message', 'bridge'] as const;

/** Whole producer batches of TARGET_RECORDS_PER_FETCH records, plus half a batch so rounding never drops one. */
function maxBytesForRecords(records: number): number {
  const batchBytes = BATCH_HEADER_BYTES + RECORDS_PER_PRODUCER_BATCH * (KEY_BYTES + VALUE_BYTES + RECORD_OVERHEAD_BYTES);
  return Math.ceil(records / RECORDS_PER_PRODUCER_BATCH) * batchBytes + Math.floor(batchBytes / 2);
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const records = numberArg(args, 'records', DEFAULT_RECORDS);
  const sides = listArg(args, 'sides', SIDES, SIDES);
  const naiveBudgetMs = numberArg(args, 'naive-budget-s', DEFAULT_NAIVE_BUDGET_S) * 1000;
  const bridgeBudgetMs = numberArg(args, 'bridge-budget-s', DEFAULT_BRIDGE_BUDGET_S) * 1000;
  if (records % PARTITIONS) throw new Error(`--records must be a multiple of ${PARTITIONS} partitions`);
  const log = benchLog('rebalance-loop');

  return withBenchStack('rebalance-loop', { bundleWorkflows: sides.includes('bridge') }, async (bench) => {
    const admin = await benchAdmin(bench.stack.kafka.brokers);
    bench.onStop(() => admin.close());
    const workload: Omit<RebalanceWorkload, 'budgetMs'> = {
      records: reviewRecords(records, PARTITIONS, VALUE_BYTES),
      partitions: PARTITIONS,
      members: MEMBERS,
      recordsPerProducerBatch: RECORDS_PER_PRODUCER_BATCH,
      maxBytesPerPartition: maxBytesForRecords(TARGET_RECORDS_PER_FETCH),
      llmLatencyMs: LLM_LATENCY_MS,
      simulatorSeed: SIMULATOR_SEED,
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      rebalanceTimeoutMs: REBALANCE_TIMEOUT_MS,
      heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS,
      settleBudgetMs: SETTLE_BUDGET_MS,
    };
    const results: Partial<Record<(typeof SIDES)[number], SideResult>> = {};
    for (const side of sides) {
      log(`side ${side}`);
      const context = { bench, admin, log, workload: { ...workload, budgetMs: side === 'bridge' ? bridgeBudgetMs : naiveBudgetMs } };
      results[side] = side === 'bridge' ? await runBridgeSide(context) : await runNaiveSide(context, side);
    }
    return {
      measured:
        `${records} review records (${VALUE_BYTES} B values) over ${PARTITIONS} partitions, ${MEMBERS} consumers per side in one group, ` +
        `~${TARGET_RECORDS_PER_FETCH} records per fetch, LLM simulator at ${LLM_LATENCY_MS} ms per call, session timeout ${SESSION_TIMEOUT_MS / 1000} s; ` +
        `sides run one after another on fresh topics and groups; a naive side stops after ${naiveBudgetMs / 1000} s, the bridge after ${bridgeBudgetMs / 1000} s. ` +
        'a naive process whose kafkajs consumer stops for good (a commit after eviction is non-retriable) exits and is restarted after 1 s, as a supervisor would; ' +
        'rebalances = GROUP_JOIN events after the group settled (start-up joins excluded); brokerRebalances and brokerEvictions = the broker log\'s rebalances and heartbeat-expiry evictions of the group while the side ran; ' +
        'completed = committed records (naive) or Completed runs in Temporal visibility (bridge); ' +
        'duplicate model calls = simulator calls - distinct prompts (every record has its own prompt)',
      workload: {
        records, partitions: PARTITIONS, membersPerSide: MEMBERS, valueBytes: VALUE_BYTES, recordsPerProducerBatch: RECORDS_PER_PRODUCER_BATCH,
        maxBytesPerPartition: workload.maxBytesPerPartition, llmLatencyMs: LLM_LATENCY_MS, sessionTimeoutMs: SESSION_TIMEOUT_MS,
        rebalanceTimeoutMs: REBALANCE_TIMEOUT_MS, heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS, naiveBudgetMs, bridgeBudgetMs,
      },
      ...results,
      ratios: ratios(results, records),
      // Other processes share the two cores; the sides' machineBusyCores show how busy they were.
      loadAverage1mAtEnd: round(os.loadavg()[0], 2),
      goal: goal(results.bridge, records),
    };
  });
}

function ratios(results: Partial<Record<(typeof SIDES)[number], SideResult>>, records: number) {
  const perSecond = (r?: SideResult) => (r && r.wallMs > 0 ? r.recordsCompleted / (r.wallMs / 1000) : Number.NaN);
  const shape = (r?: SideResult) =>
    r && {
      completedShare: round(r.recordsCompleted / records),
      completedPerSecond: round(perSecond(r), 2),
      modelCallsPerCompletedRecord: ratio(r.modelCalls, r.recordsCompleted),
      duplicateShareOfModelCalls: ratio(r.duplicateModelCalls, r.modelCalls),
    };
  const { bridge } = results;
  return {
    eachBatch: shape(results['each-batch']),
    eachMessage: shape(results['each-message']),
    bridge: shape(bridge),
    // null when the naive side completed nothing: the ratio is unbounded.
    bridgeOverEachBatchCompletedPerSecond: ratio(perSecond(bridge), perSecond(results['each-batch'])),
    bridgeOverEachMessageCompletedPerSecond: ratio(perSecond(bridge), perSecond(results['each-message'])),
  };
}

function goal(bridge: SideResult | undefined, records: number) {
  if (!bridge) return { met: null, reason: 'the bridge side did not run' };
  const met = bridge.rebalances === 0 && bridge.duplicateModelCalls === 0 && bridge.recordsCompleted === records;
  return { met, wanted: 'bridge: 0 rebalances, 0 duplicate model calls, every record completed' };
}
