// One side of the throughput-mode bench: a route in one mode (per-record, the default, or throughput)
// on its own topic, group and task queue, served by one `kta bridge` and one `kta worker` as child
// processes, with its own LLM simulator. Scored on records completed per second (a Completed run per
// record, or a done row in throughput_results), then on the Temporal actions and history events per
// record, counted from every run's fetched history (billable-actions.ts).
import { Client, Connection, type WorkflowExecutionInfo } from '@temporalio/client';
import { startLlmSimulator } from '../../dev/llm-simulator';
import { createPool, stderrPoolLog } from '../../lib/pg-pool';
import type { ServiceProcess } from '../../lib/service-process';
import { uniqueName } from '../../test/helpers/unique';
import type { BenchAdmin } from './kafka-admin';
import type { BenchStack } from './bench-stack';
import { countActions } from './billable-actions';
import { serviceEnv, startBenchBridge, startBenchWorker } from './bridge-services';
import { modelCallCounts } from './model-calls';
import { mustReach, pollUntil } from './poll-until';
import { machineBusyCpuMs } from './process-cpu';
import { produceAtOnce } from './produce-at-once';
import type { BenchRecord } from './review-records';
import { ratio, round } from './summary';

export type Mode = 'per-record' | 'throughput';

export interface ModeWorkload {
  readonly records: BenchRecord[];
  readonly partitions: number;
  readonly recordsPerProducerBatch: number;
  readonly maxBytesPerPartition: number;
  readonly llmLatencyMs: number;
  readonly simulatorSeed: number;
  readonly budgetMs: number;
  /** The throughput route's batch settings. */
  readonly batch: Record<string, number>;
}

const SERVICE_START_BUDGET_MS = 120_000;
const HISTORY_FETCH_CONCURRENCY = 8;

export async function runModeSide(bench: BenchStack, admin: BenchAdmin, mode: Mode, w: ModeWorkload, log: (line: string) => void) {
  const { stack, logDir, workflowBundlePath } = bench;
  const simulator = await startLlmSimulator({ port: 0, seed: w.simulatorSeed, latencyMs: w.llmLatencyMs });
  const topic = uniqueName(`bench-${mode}`);
  const groupId = uniqueName(`g-${mode}`);
  const taskQueue = uniqueName(`q-${mode}`);
  const services: ServiceProcess[] = [];
  const connection = await Connection.connect({ address: stack.temporal.address });
  const client = new Client({ connection, namespace: stack.temporal.namespace });
  const pool = createPool(stack.postgres.url, stderrPoolLog, { name: 'bench', max: 2 });
  try {
    await admin.createTopic(topic, w.partitions);
    const route = { topic, workflowType: 'tagReview', taskQueue, ...(mode === 'throughput' ? { mode, batch: w.batch } : {}) };
    const env = serviceEnv({ stack, topic, groupId, taskQueue, llmBaseUrl: simulator.baseUrl, workflowBundlePath,
      extra: { ROUTES: JSON.stringify([route]), KAFKA_MAX_BYTES_PER_PARTITION: String(w.maxBytesPerPartition) } });
    const worker = startBenchWorker(env, logDir, `${mode}-worker`);
    services.push(worker);
    const bridge = await startBenchBridge(env, logDir, `${mode}-bridge`);
    services.push(bridge);
    await mustReach(async () => worker.log().includes('worker running'), Boolean, SERVICE_START_BUDGET_MS, `the ${mode} worker to run (log ${worker.logFile})`);
    await mustReach(async () => ({ a: await admin.stableAssignment(groupId), joins: (await bridge.stats()).groupJoins }),
      ({ a, joins }) => joins > 0 && (a ?? []).reduce((x, y) => x + y, 0) === w.partitions, SERVICE_START_BUDGET_MS, `the ${mode} bridge to hold every partition (logs in ${logDir})`);

    const completed = mode === 'throughput'
      ? async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM throughput_results WHERE topic = $1 AND status = \'done\'', [topic]).catch(() => ({ rows: [{ n: '0' }] }))).rows[0].n)
      : async () => (await client.workflow.count(`KafkaTopic = "${topic}" AND ExecutionStatus = "Completed"`)).count;
    await produceAtOnce(stack.kafka.brokers, topic, w.records, w.recordsPerProducerBatch);
    const startedAtMs = performance.now();
    const busyAtStartMs = machineBusyCpuMs();
    log(`${mode}: ${w.records.length} records visible; running for at most ${w.budgetMs / 1000} s`);
    const progress = await pollUntil(completed, (n) => n >= w.records.length, { budgetMs: w.budgetMs, intervalMs: 500 });
    const wallMs = progress.atMs - startedAtMs;
    const machineBusyCores = round((machineBusyCpuMs() - busyAtStartMs) / wallMs, 2);
    const calls = modelCallCounts(simulator);
    log(`${mode}: ${progress.value} of ${w.records.length} records completed in ${Math.round(wallMs)} ms; fetching the histories`);
    await Promise.allSettled(services.map((s) => s.stop('SIGTERM')));

    const runs: WorkflowExecutionInfo[] = [];
    for await (const run of client.workflow.list({ query: `KafkaTopic = "${topic}"` })) runs.push(run);
    const histories = await fetchHistories(client, runs);
    const counted = countActions(histories);
    return {
      recordsCompleted: progress.value,
      finished: progress.reached,
      wallMs: Math.round(wallMs),
      completedPerSecond: round(progress.value / (wallMs / 1000), 2),
      runs: runs.length,
      modelCalls: calls.calls,
      duplicateModelCalls: calls.duplicateCalls,
      historyEvents: counted.events,
      billableActions: counted.actions,
      actionsPerRecord: ratio(counted.actions, progress.value),
      eventsPerRecord: ratio(counted.events, progress.value),
      actionsByKind: counted.byKind,
      machineBusyCores,
    };
  } finally {
    await Promise.allSettled(services.map((s) => s.stop('SIGTERM')));
    await Promise.allSettled([simulator.close(), pool.end(), connection.close()]);
  }
}

async function fetchHistories(client: Client, runs: WorkflowExecutionInfo[]) {
  const todo = [...runs];
  const out: Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events'][] = [];
  const lane = async () => {
    for (let run = todo.pop(); run; run = todo.pop()) out.push((await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory()).events ?? []);
  };
  await Promise.all(Array.from({ length: HISTORY_FETCH_CONCURRENCY }, lane));
  return out.map((events) => events ?? []);
}
