// Issue 15, bench 1: the seed's workload end to end through three consumers, one after another in one
// run, each on a fresh topic, group and LLM simulator (120 ms per call), over 2 partitions:
// - ours:  `kta bridge` and `kta worker` as separate processes, as in production (tagReview);
// - plain: the seed's protocol written plainly with kafkajs and pg (plain-protocol-consumer.ts):
//          dedup row `topic-partition-offset` checked, model invoked, the same index upsert as
//          tagReview and the dedup row written in one transaction, offset committed;
// - floor: an eachMessage consumer with no safety at all (naive-consumer.ts, each-message).
// Per side: records completed per second, p50/p99 from the records' produce time to completion, CPU
// seconds per record of every process (Temporal server, Kafka, PostgreSQL with its backends, the
// side's own processes; tree-cpu.ts), and for ours the history events, state transitions and billable
// Temporal Cloud actions per run (history-cost.ts). The last field holds the ratios.
// `npm run bench -- end-to-end --records 400 --sides ours,plain --histories 50 --env KEY=VALUE --eager-activities --bundle PATH`
import os from 'node:os';
import pg from 'pg';
import { ensureSchema } from '../activities/sinks/schema';
import { agentTables } from '../agents/tables';
import { listArg, numberArg } from './support/args';
import { benchLog, withBenchStack } from './support/bench-stack';
import { runFloor, runOurs, runPlain, SIDES, type CpuReading, type E2eContext, type Side, type SideRun } from './support/e2e-sides';
import { summarizeCosts, summarizeSide, type SideFigures } from './support/e2e-figures';
import { benchAdmin } from './support/kafka-admin';
import { PLAIN_DEDUP_DDL } from './support/plain-protocol-settings';
import { processCpuMs } from './support/process-cpu';
import { ratio, round } from './support/summary';
import { treeCpuSeconds } from './support/tree-cpu';

const DEFAULT_RECORDS = 1_600;
const PARTITIONS = 2;
const MEMBERS = 2;
const VALUE_BYTES = 1_000;
const RECORDS_PER_PRODUCER_BATCH = 25;
const LLM_LATENCY_MS = 120;
const SIMULATOR_SEED = 15;
const DEFAULT_BUDGET_S = 900;
const DEFAULT_HISTORIES = 200;

/** `--env KEY=VALUE` (repeatable): settings for ours' bridge and worker, e.g. a worker tuning under test. */
function envArgs(args: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  args.forEach((a, i) => {
    if (a !== '--env') return;
    const [key, ...rest] = (args[i + 1] ?? '').split('=');
    if (!key || !rest.length) throw new Error(`--env takes KEY=VALUE, got ${args[i + 1]}`);
    env[key] = rest.join('=');
  });
  return env;
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const records = numberArg(args, 'records', DEFAULT_RECORDS);
  const sides = listArg(args, 'sides', SIDES, SIDES);
  if (records % PARTITIONS) throw new Error(`--records must be a multiple of ${PARTITIONS} partitions`);
  const serviceEnv = envArgs(args);
  const log = benchLog('end-to-end');
  const loadAtStart = round(os.loadavg()[0], 2);

  // `--eager-activities`: the server hands the model call's activity task back with the workflow task
  // completion (the SDK asks for it by default; the dev server has it off, Temporal Cloud decides its own).
  const eagerActivities = args.includes('--eager-activities');
  const temporalDynamicConfig = eagerActivities ? { 'system.enableActivityEagerExecution': true } : undefined;
  // `--bundle PATH`: ours runs this workflow bundle instead of one made from the checkout (to measure
  // an older workflow version in the same conditions).
  const bundleAt = args.indexOf('--bundle');
  const bundlePath = bundleAt >= 0 ? args[bundleAt + 1] : undefined;
  return withBenchStack('end-to-end', { bundleWorkflows: sides.includes('ours') && !bundlePath, temporalDynamicConfig }, async (given) => {
    const bench = bundlePath ? { ...given, workflowBundlePath: bundlePath } : given;
    const admin = await benchAdmin(bench.stack.kafka.brokers);
    bench.onStop(() => admin.close());
    const pool = new pg.Pool({ connectionString: bench.stack.postgres.url, max: 2 });
    bench.onStop(() => pool.end());
    await ensureSchema(pool, agentTables());
    await pool.query(PLAIN_DEDUP_DDL);
    const ctx: E2eContext = {
      bench, admin, pool, log,
      workload: {
        records, partitions: PARTITIONS, members: MEMBERS, valueBytes: VALUE_BYTES, recordsPerProducerBatch: RECORDS_PER_PRODUCER_BATCH,
        llmLatencyMs: LLM_LATENCY_MS, simulatorSeed: SIMULATOR_SEED, budgetMs: numberArg(args, 'budget-s', DEFAULT_BUDGET_S) * 1000,
        historiesSampled: numberArg(args, 'histories', DEFAULT_HISTORIES), serviceEnv,
      },
    };
    // The stack's services, the side's processes, and the bench process itself (it runs the LLM
    // simulator and the producer; not counted in a side's total).
    const { stack } = bench;
    const cpu: CpuReading = (pids) => ({
      ...treeCpuSeconds({ temporalServer: stack.temporal.pid, kafkaBroker: stack.kafka.pid, postgres: stack.postgres.pid, ...pids }),
      benchProcess: processCpuMs(process.pid) / 1000,
    });
    const figures: Partial<Record<Side, SideFigures>> = {};
    let cost: ReturnType<typeof summarizeCosts> | undefined;
    for (const side of sides) {
      log(`side ${side}`);
      let result: SideRun;
      if (side === 'ours') {
        const ours = await runOurs(ctx, cpu);
        cost = summarizeCosts(ours.costs);
        result = ours;
      } else result = side === 'plain' ? await runPlain(ctx, cpu) : await runFloor(ctx, cpu);
      figures[side] = summarizeSide(result, records);
    }
    const { ours, plain, floor } = figures;
    const r = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : ratio(a, b));
    return {
      measured:
        `${records} review records (${VALUE_BYTES} B) over ${PARTITIONS} partitions, produced in one transaction; LLM simulator at ${LLM_LATENCY_MS} ms per call; ` +
        `sides one after another on fresh topics: ours = 1 kta bridge + 1 kta worker (tagReview); plain = ${MEMBERS} kafkajs+pg consumers (dedup check, model, upsert+dedup row in one transaction, commit); ` +
        `floor = ${MEMBERS} eachMessage consumers (model, commit; no dedup, no persist). ` +
        'latency = produce (the producer transaction\'s commit, when the records became readable) -> result row written (floor: its offset commit); ' +
        'completedPerSecond = records / (last completion - produce); cpuSecondsPerRecord per process tree (children included) from /proc between the produce and the last poll; ' +
        'systemCpu = every process but the bench itself (which runs the simulator and the producer); ' +
        'ours\' cost from the histories of up to --histories completed runs; actions by https://docs.temporal.io/cloud/actions (bench/support/history-cost.ts)',
      workload: { records, partitions: PARTITIONS, members: MEMBERS, valueBytes: VALUE_BYTES, llmLatencyMs: LLM_LATENCY_MS, serviceEnv, eagerActivities, bundle: bundlePath ?? 'made from the checkout' },
      ours: ours && { ...ours, temporalCost: cost },
      plain,
      floor,
      ratios: {
        oursOverPlain: {
          completedPerSecond: r(ours?.completedPerSecond, plain?.completedPerSecond),
          p50LatencyMs: r(ours?.latencyMs.p50, plain?.latencyMs.p50),
          p99LatencyMs: r(ours?.latencyMs.p99, plain?.latencyMs.p99),
          systemCpuPerRecord: r(ours?.systemCpuSecondsPerRecord, plain?.systemCpuSecondsPerRecord),
          systemCpuPerRecordWithoutTemporalServer: r(ours?.systemCpuSecondsPerRecordWithoutTemporalServer, plain?.systemCpuSecondsPerRecordWithoutTemporalServer),
        },
        oursOverFloor: {
          completedPerSecond: r(ours?.completedPerSecond, floor?.completedPerSecond),
          p50LatencyMs: r(ours?.latencyMs.p50, floor?.latencyMs.p50),
          p99LatencyMs: r(ours?.latencyMs.p99, floor?.latencyMs.p99),
          systemCpuPerRecord: r(ours?.systemCpuSecondsPerRecord, floor?.systemCpuSecondsPerRecord),
        },
        plainOverFloor: { completedPerSecond: r(plain?.completedPerSecond, floor?.completedPerSecond) },
      },
      // Other processes share the two cores (other helpers' tests): the load average says how much.
      loadAverage1m: { atStart: loadAtStart, atEnd: round(os.loadavg()[0], 2) },
    };
  });
}
