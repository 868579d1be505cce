// The three sides of bench/end-to-end, each on its own fresh topic, group, simulator and review-ID
// prefix (they share the index table). Each returns when its records are done (or its budget is
// spent) with the completion times it saw and the process ids whose CPU it used.
import { Client, Connection } from '@temporalio/client';
import type pg from 'pg';
import { startLlmSimulator, type LlmSimulator } from '../../dev/llm-simulator';
import { uniqueName } from '../../test/helpers/unique';
import type { BenchAdmin } from './kafka-admin';
import type { BenchStack } from './bench-stack';
import { serviceEnv, startBenchBridge, startBenchWorker } from './bridge-services';
import { runCost, type RunCost } from './history-cost';
import { modelCallCounts, type ModelCallCounts } from './model-calls';
import { startNaiveGroup } from './naive-group';
import { mustReach, pollUntil } from './poll-until';
import { startPlainProtocolGroup } from './plain-protocol-group';
import { produceAtOnce } from './produce-at-once';
import { reviewRecords } from './review-records';
import { settled } from './rebalance-workload';
import { cpuBetween } from './tree-cpu';

export const SIDES = ['ours', 'plain', 'floor'] as const;
export type Side = (typeof SIDES)[number];

export interface E2eWorkload {
  readonly records: number;
  readonly partitions: number;
  readonly members: number;
  readonly valueBytes: number;
  readonly recordsPerProducerBatch: number;
  readonly llmLatencyMs: number;
  readonly simulatorSeed: number;
  readonly budgetMs: number;
  /** Runs whose history is fetched for the cost figures (ours only). */
  readonly historiesSampled: number;
  /** Extra environment for ours' bridge and worker (tuning under test). */
  readonly serviceEnv: Record<string, string>;
}

export interface E2eContext {
  readonly bench: BenchStack;
  readonly admin: BenchAdmin;
  readonly pool: pg.Pool;
  readonly workload: E2eWorkload;
  readonly log: (line: string) => void;
}

/** What a side hands back; end-to-end.ts turns it into figures. */
export interface SideRun {
  readonly completed: number;
  /** Date.now() of the producer transaction's commit: the records' produce time for every latency. */
  readonly producedAtWallMs: number;
  /** Date.now() of each record's completion (its result row written; the floor: its commit). */
  readonly completedAtWallMs: number[];
  readonly finished: boolean;
  readonly calls: ModelCallCounts;
  /** CPU seconds per process tree while the side ran (from its records' commit to its last poll). */
  readonly cpuSeconds: Record<string, number>;
  readonly elapsedMs: number;
  readonly detail: Record<string, unknown>;
}

/** CPU seconds so far of the stack's services and of the given processes (tree-cpu.ts). */
export type CpuReading = (pids: Record<string, number | undefined>) => Record<string, number>;

const POLL_INTERVAL_MS = 500;
const START_BUDGET_MS = 120_000;

async function withSimulator<T>(workload: E2eWorkload, body: (sim: LlmSimulator) => Promise<T>): Promise<T> {
  const sim = await startLlmSimulator({ port: 0, seed: workload.simulatorSeed, latencyMs: workload.llmLatencyMs });
  try {
    return await body(sim);
  } finally {
    await sim.close();
  }
}

async function rowsDone(pool: pg.Pool, prefix: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM review_tags WHERE review_id LIKE $1', [`${prefix}%`]);
  return Number(rows[0].n);
}

async function rowTimes(pool: pg.Pool, prefix: string): Promise<number[]> {
  const { rows } = await pool.query<{ at: string }>('SELECT (extract(epoch FROM updated_at) * 1000)::float8 AS at FROM review_tags WHERE review_id LIKE $1', [`${prefix}%`]);
  return rows.map((r) => Number(r.at));
}

/** Produces the side's records and polls `done` until every record is done or the budget is spent. */
async function produceAndWait(ctx: E2eContext, topic: string, prefix: string, done: () => Promise<number>) {
  const { workload, bench } = ctx;
  const records = reviewRecords(workload.records, workload.partitions, workload.valueBytes, prefix);
  await produceAtOnce(bench.stack.kafka.brokers, topic, records, workload.recordsPerProducerBatch);
  const producedAtWallMs = Date.now();
  const progress = await pollUntil(done, (n) => n >= workload.records, { budgetMs: workload.budgetMs, intervalMs: POLL_INTERVAL_MS });
  return { producedAtWallMs, progress };
}

export async function runOurs(ctx: E2eContext, cpu: CpuReading): Promise<SideRun & { costs: RunCost[] }> {
  const { bench, admin, pool, workload, log } = ctx;
  const { stack, logDir, workflowBundlePath } = bench;
  if (!workflowBundlePath) throw new Error('the ours side needs the workflow bundle; start the bench stack with bundleWorkflows: true');
  return withSimulator(workload, async (sim) => {
    const topic = uniqueName('e2e-ours');
    const groupId = uniqueName('g-ours');
    const taskQueue = uniqueName('q-ours');
    await admin.createTopic(topic, workload.partitions);
    const env = serviceEnv({ stack, topic, groupId, taskQueue, llmBaseUrl: sim.baseUrl, workflowBundlePath, extra: workload.serviceEnv });
    const worker = startBenchWorker(env, logDir, 'e2e-worker');
    const bridge = await startBenchBridge(env, logDir, 'e2e-bridge');
    const connection = await Connection.connect({ address: stack.temporal.address });
    const client = new Client({ connection, namespace: stack.temporal.namespace });
    try {
      await mustReach(async () => worker.log().includes('worker running'), Boolean, START_BUDGET_MS, `the worker to run (log ${worker.logFile})`);
      await mustReach(async () => admin.stableAssignment(groupId), settled(1, workload.partitions), START_BUDGET_MS, `the bridge to join group ${groupId} (log ${bridge.logFile})`);
      const pids = { bridge: bridge.pid, worker: worker.pid };
      const before = cpu(pids);
      const startedAtMs = performance.now();
      const { producedAtWallMs, progress } = await produceAndWait(ctx, topic, 'ours-', () => rowsDone(pool, 'ours-'));
      const after = cpu(pids);
      const elapsedMs = performance.now() - startedAtMs;
      const completedAtWallMs = await rowTimes(pool, 'ours-');
      log(`ours: ${progress.value} of ${workload.records} rows; reading ${workload.historiesSampled} histories`);
      const completedQuery = `KafkaTopic = "${topic}" AND ExecutionStatus = "Completed"`;
      const completedRuns = await pollUntil(async () => (await client.workflow.count(completedQuery)).count, (n) => n >= progress.value, { budgetMs: 60_000, intervalMs: 1_000 });
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query: completedQuery, pageSize: 500 })) {
        ids.push(wf.workflowId);
        if (ids.length >= workload.historiesSampled) break;
      }
      const costs: RunCost[] = [];
      for (let i = 0; i < ids.length; i += 8) costs.push(...(await Promise.all(ids.slice(i, i + 8).map((id) => runCost(client, id)))));
      const stats = await bridge.stats();
      return {
        completed: progress.value,
        producedAtWallMs,
        completedAtWallMs,
        finished: progress.reached,
        calls: modelCallCounts(sim),
        cpuSeconds: cpuBetween(before, after),
        elapsedMs,
        costs,
        detail: { completedRuns: completedRuns.value, bridgeStarts: stats.starts, bridgeDuplicates: stats.duplicates, startErrors: stats.startErrors, workerLog: worker.logFile },
      };
    } finally {
      await Promise.allSettled([bridge.stop('SIGTERM'), worker.stop('SIGTERM')]);
      await connection.close();
    }
  });
}

export async function runPlain(ctx: E2eContext, cpu: CpuReading): Promise<SideRun> {
  const { bench, admin, pool, workload, log } = ctx;
  return withSimulator(workload, async (sim) => {
    const topic = uniqueName('e2e-plain');
    const groupId = uniqueName('g-plain');
    await admin.createTopic(topic, workload.partitions);
    const group = startPlainProtocolGroup(workload.members, { brokers: bench.stack.kafka.brokers, groupId, topic, llmBaseUrl: sim.baseUrl, databaseUrl: bench.stack.postgres.url }, bench.logDir);
    try {
      await mustReach(async () => (group.allAlive() ? admin.stableAssignment(groupId) : Promise.reject(new Error('a plain consumer exited'))), settled(workload.members, workload.partitions), START_BUDGET_MS, `plain consumers settled in group ${groupId} (logs in ${bench.logDir})`);
      const pids = Object.fromEntries(group.pids.map((pid, i) => [`plainConsumer${i + 1}`, pid]));
      const before = cpu(pids);
      const startedAtMs = performance.now();
      const { producedAtWallMs, progress } = await produceAndWait(ctx, topic, 'plain-', () => rowsDone(pool, 'plain-'));
      const after = cpu(pids);
      const elapsedMs = performance.now() - startedAtMs;
      log(`plain: ${progress.value} of ${workload.records} rows`);
      return {
        completed: progress.value, producedAtWallMs, completedAtWallMs: await rowTimes(pool, 'plain-'), finished: progress.reached,
        calls: modelCallCounts(sim), cpuSeconds: cpuBetween(before, after), elapsedMs,
        detail: { dedupRows: Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM plain_processed WHERE record_key LIKE $1', [`${topic}-%`])).rows[0].n) },
      };
    } finally {
      await group.kill();
    }
  });
}

export async function runFloor(ctx: E2eContext, cpu: CpuReading): Promise<SideRun> {
  const { bench, admin, workload, log } = ctx;
  return withSimulator(workload, async (sim) => {
    const topic = uniqueName('e2e-floor');
    const groupId = uniqueName('g-floor');
    await admin.createTopic(topic, workload.partitions);
    // kafkajs' default fetch size and group timeouts, as in the plain protocol's consumers.
    const group = startNaiveGroup(workload.members, {
      mode: 'each-message', brokers: bench.stack.kafka.brokers, groupId, topic, llmBaseUrl: sim.baseUrl,
      maxBytesPerPartition: 1_048_576, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 60_000, heartbeatIntervalMs: 3_000,
    }, bench.logDir);
    try {
      await mustReach(async () => ({ assignment: await admin.stableAssignment(groupId), reported: group.members.map((m) => m.lastAssignment.length) }),
        ({ assignment, reported }) => settled(workload.members, workload.partitions)(assignment) && reported.every((n) => n > 0), START_BUDGET_MS, `floor consumers settled in group ${groupId}`);
      const pids = Object.fromEntries(group.pids().map((pid, i) => [`floorConsumer${i + 1}`, pid]));
      const before = cpu(pids);
      const startedAtMs = performance.now();
      const committed = () => group.members.reduce((n, m) => n + m.recordsCommitted, 0);
      const { producedAtWallMs, progress } = await produceAndWait(ctx, topic, 'floor-', async () => committed());
      const after = cpu(pids);
      const elapsedMs = performance.now() - startedAtMs;
      log(`floor: ${progress.value} of ${workload.records} committed`);
      return {
        completed: progress.value, producedAtWallMs, completedAtWallMs: group.members.flatMap((m) => m.committedAtWallMs), finished: progress.reached,
        calls: modelCallCounts(sim), cpuSeconds: cpuBetween(before, after), elapsedMs,
        detail: { completion: 'the offset commit after the model call (it persists nothing)', restarts: group.members.reduce((n, m) => n + m.restarts, 0) },
      };
    } finally {
      await group.kill();
    }
  });
}
