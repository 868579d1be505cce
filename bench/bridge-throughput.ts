// Issue 6, bench 2: how fast the bridge starts workflows, as a ratio of a plain loop of starts with the
// same number in flight, against the same Temporal server in the same run.
// - bridge: N records already in a 1-partition topic, then a fresh `kta bridge` process with default
//   settings (BRIDGE_MAX_STARTS_IN_FLIGHT per partition); its rate runs from the first start its /stats
//   shows to the N-th.
// - baseline: the same N starts (same options, via the bridge's startPlanned) from a plain loop in this
//   process with the same number in flight; its rate runs from the first acknowledged start to the N-th.
// No worker polls the task queue, so the server only takes starts. `--server postgres [--tls]` runs
// both sides against the PostgreSQL-backed server instead of the dev server (SQLite). Pairs alternate their order
// (ABBA) to spread drift (a growing database, other load) over both sides; the median ratio is reported.
// Then, unless --no-metrics-pass, a short pass with a worker scrapes the bridge's and the worker's
// /metrics (model calls, tokens, lag series: bench/support/metrics-pass.ts) and reports the lines.
import { Client, Connection } from '@temporalio/client';
import { loadConfig, routeSchema } from '../config';
import { uniqueName } from '../test/helpers/unique';
import { listArg, numberArg } from './support/args';
import { temporalConnectionOptions } from '../lib/temporal-client';
import { benchLog, temporalServerArgs, withBenchStack, type BenchStack } from './support/bench-stack';
import { serviceEnv, startBenchBridge } from './support/bridge-services';
import { benchAdmin, type BenchAdmin } from './support/kafka-admin';
import { machineBusyCpuMs, processCpuMs } from './support/process-cpu';
import { produceAtOnce } from './support/produce-at-once';
import { reviewRecords, type BenchRecord } from './support/review-records';
import { watchStartCounter } from './support/start-counter-watch';
import { plannedStarts, runStartLoop } from './support/start-loop';
import { metricsPass } from './support/metrics-pass';
import { median, ratio, round } from './support/summary';
import { serverStartSpanMs } from './support/visibility-start-span';

const DEFAULT_RECORDS = 3_000;
// Two full ABBA rounds: baseline-bridge, bridge-baseline, baseline-bridge, bridge-baseline.
const DEFAULT_PAIRS = 4;
const VALUE_BYTES = 300;
const RECORDS_PER_PRODUCER_BATCH = 100;
// Primes the server and this process's client and JIT, so the first baseline is not measured cold.
const WARMUP_STARTS = 300;
// Polling error stays under 1% of a run of 30 s or more, while /stats requests (about 0.5 ms of
// bridge CPU each, measured) stay a small part of what the bridge does.
const STATS_POLL_INTERVAL_MS = 250;
const RUN_BUDGET_MS = 300_000;
// After the measured pairs: a short end-to-end pass with a worker, scraping both services' /metrics.
const DEFAULT_METRICS_PASS_RECORDS = 40;

type Side = 'baseline' | 'bridge';

interface SideRun {
  readonly side: Side;
  readonly startsPerSecond: number;
  /** The same rate by the server's start times (visibility), first to last run. */
  readonly serverStartsPerSecond: number;
  readonly windowMs: number;
  readonly meanStartLatencyMs: number;
  /** CPU of the process making the starts (bridge, or this bench's loop) per start. */
  readonly clientCpuMsPerStart: number;
  readonly temporalCpuMsPerStart: number;
  /** Busy cores of the whole machine during the window (2 = both cores busy), other load included. */
  readonly machineBusyCores: number;
  readonly [detail: string]: unknown;
}

interface Context {
  readonly bench: BenchStack;
  readonly admin: BenchAdmin;
  readonly client: Client;
  readonly taskQueue: string;
  readonly records: BenchRecord[];
  readonly inFlight: number;
}

const routeFor = (topic: string, taskQueue: string) => routeSchema.parse({ topic, workflowType: 'tagReview', taskQueue });

async function runBaseline({ bench, client, taskQueue, records, inFlight }: Context, pair: number): Promise<SideRun> {
  const topic = uniqueName(`tput-base-${pair}`);
  const starts = plannedStarts(routeFor(topic, taskQueue), records);
  const temporalCpu0 = processCpuMs(bench.stack.temporal.pid);
  const machine0 = machineBusyCpuMs();
  const cpu0 = process.cpuUsage();
  const result = await runStartLoop(client, starts, inFlight);
  const cpu = process.cpuUsage(cpu0);
  const windowMs = result.ackedAtMs.at(-1)! - result.ackedAtMs[0];
  const n = records.length;
  const { spanMs } = await serverStartSpanMs(client, topic, n);
  return {
    side: 'baseline',
    startsPerSecond: round((n - 1) / (windowMs / 1000), 1),
    serverStartsPerSecond: round((n - 1) / (spanMs / 1000), 1),
    windowMs: Math.round(windowMs),
    meanStartLatencyMs: round(result.meanStartLatencyMs, 2),
    clientCpuMsPerStart: round((cpu.user + cpu.system) / 1000 / n, 3),
    temporalCpuMsPerStart: round((processCpuMs(bench.stack.temporal.pid) - temporalCpu0) / n, 3),
    machineBusyCores: round((machineBusyCpuMs() - machine0) / windowMs, 2),
    duplicates: result.duplicates,
  };
}

async function runBridge({ bench, admin, client, taskQueue, records }: Context, pair: number): Promise<SideRun> {
  const { stack, logDir } = bench;
  const topic = uniqueName(`tput-bridge-${pair}`);
  const n = records.length;
  await admin.createTopic(topic, 1);
  await produceAtOnce(stack.kafka.brokers, topic, records, RECORDS_PER_PRODUCER_BATCH);
  const env = serviceEnv({ stack, topic, groupId: uniqueName(`g-tput-${pair}`), taskQueue });
  const bridge = await startBenchBridge(env, logDir, `throughput-bridge-${pair}`);
  try {
    const window = await watchStartCounter(bridge, stack.temporal.pid, n, { pollIntervalMs: STATS_POLL_INTERVAL_MS, budgetMs: RUN_BUDGET_MS });
    const windowMs = window.doneAtMs - window.firstSeenAtMs;
    const latencySumS = await bridge.metric('kta_bridge_start_latency_seconds_sum');
    const latencyCount = await bridge.metric('kta_bridge_start_latency_seconds_count');
    const measuredStarts = n - window.startsAtFirstSeen;
    const { spanMs } = await serverStartSpanMs(client, topic, n);
    return {
      side: 'bridge',
      startsPerSecond: round(measuredStarts / (windowMs / 1000), 1),
      serverStartsPerSecond: round((n - 1) / (spanMs / 1000), 1),
      windowMs: Math.round(windowMs),
      meanStartLatencyMs: round((latencySumS * 1000) / latencyCount, 2),
      clientCpuMsPerStart: round(window.bridgeCpuMs / measuredStarts, 3),
      temporalCpuMsPerStart: round(window.temporalCpuMs / measuredStarts, 3),
      machineBusyCores: round(window.machineBusyCpuMs / windowMs, 2),
      reached: window.reached,
      startsAtFirstPoll: window.startsAtFirstSeen,
      commits: window.stats.commits,
      duplicates: window.stats.duplicates,
      startErrors: window.stats.startErrors,
      groupJoins: window.stats.groupJoins,
    };
  } finally {
    await bridge.stop('SIGTERM');
  }
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const n = numberArg(args, 'records', DEFAULT_RECORDS);
  const pairs = numberArg(args, 'pairs', DEFAULT_PAIRS);
  const only = listArg(args, 'sides', ['baseline', 'bridge'] as const, ['baseline', 'bridge']);
  // The bridge's default, read the way the bridge reads it; with one partition it is the whole concurrency.
  const inFlight = loadConfig({}).bridge.maxStartsInFlight;
  const server = temporalServerArgs(args);
  const log = benchLog('bridge-throughput');
  const metricsPassRecords = args.includes('--no-metrics-pass') ? 0 : numberArg(args, 'metrics-pass-records', DEFAULT_METRICS_PASS_RECORDS);

  return withBenchStack('bridge-throughput', { bundleWorkflows: metricsPassRecords > 0, ...server }, async (bench) => {
    const admin = await benchAdmin(bench.stack.kafka.brokers);
    bench.onStop(() => admin.close());
    const taskQueue = uniqueName('q-no-worker');
    // The baseline connects the way the bridge does: from the same environment, through the one
    // place that turns configuration into connection options (TLS included).
    const temporalConfig = loadConfig(serviceEnv({ stack: bench.stack, topic: 'unused', groupId: 'unused', taskQueue })).temporal;
    const connection = await Connection.connect(temporalConnectionOptions(temporalConfig));
    bench.onStop(() => connection.close());
    const client = new Client({ connection, namespace: bench.stack.temporal.namespace });
    const records = reviewRecords(n, 1, VALUE_BYTES);
    const context: Context = { bench, admin, client, taskQueue, records, inFlight };

    log(`warm-up: ${WARMUP_STARTS} starts`);
    await runStartLoop(client, plannedStarts(routeFor(uniqueName('tput-warmup'), taskQueue), records.slice(0, WARMUP_STARTS)), inFlight);

    const runs: SideRun[][] = [];
    for (let pair = 1; pair <= pairs; pair++) {
      // ABBA: odd pairs measure the baseline first, even pairs the bridge first.
      const order: Side[] = pair % 2 ? ['baseline', 'bridge'] : ['bridge', 'baseline'];
      const results: SideRun[] = [];
      for (const side of order.filter((s) => only.includes(s))) {
        log(`pair ${pair}: ${side}`);
        const result = side === 'baseline' ? await runBaseline(context, pair) : await runBridge(context, pair);
        log(`pair ${pair}: ${side} ${result.startsPerSecond} starts/s (server clock ${result.serverStartsPerSecond})`);
        results.push(result);
      }
      runs.push(results);
    }

    const rate = (pair: SideRun[], side: Side, key: 'startsPerSecond' | 'serverStartsPerSecond') => pair.find((r) => r.side === side)?.[key] ?? Number.NaN;
    const ratios = runs.map((pair) => ratio(rate(pair, 'bridge', 'startsPerSecond'), rate(pair, 'baseline', 'startsPerSecond')));
    const serverRatios = runs.map((pair) => ratio(rate(pair, 'bridge', 'serverStartsPerSecond'), rate(pair, 'baseline', 'serverStartsPerSecond')));
    const medianOf = (values: (number | null)[]) => {
      const m = median(values.filter((r): r is number => r !== null));
      return m === null ? null : round(m, 3);
    };
    const medianRatio = medianOf(ratios);
    const scrape = metricsPassRecords > 0 ? await metricsPass(bench, metricsPassRecords, log) : undefined;
    return {
      measured:
        `${n} workflow starts per run (tagReview inputs of ${VALUE_BYTES} B records, REJECT_DUPLICATE, search attributes, memo), ${inFlight} in flight, ` +
        `on a task queue with no worker; bridge = a fresh kta bridge process over a 1-partition topic holding the ${n} records, rate from the first start its /stats shows ` +
        `(polled every ${STATS_POLL_INTERVAL_MS} ms) to the ${n}-th; baseline = a plain loop of the same starts in the bench process, first to last acknowledgement; ` +
        `${pairs} pairs in ABBA order after ${WARMUP_STARTS} warm-up starts; serverStartsPerSecond uses the server's start times from visibility instead`,
      temporalServer: server.temporalServer,
      temporalTls: server.tls,
      records: n,
      inFlight,
      pairs: runs,
      ratioPerPair: ratios,
      serverClockRatioPerPair: serverRatios,
      medianRatio,
      medianServerClockRatio: medianOf(serverRatios),
      goal: { wanted: 'median ratio >= 0.9', met: medianRatio === null ? null : medianRatio >= 0.9 },
      ...(scrape ? { metricsPass: scrape } : {}),
    };
  });
}
