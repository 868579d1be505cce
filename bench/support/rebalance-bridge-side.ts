// The project's side of the rebalance bench: as many `kta bridge` processes as the naive side has
// consumers, in one group, and one `kta worker`; scored from Temporal visibility (completed runs),
// the bridges' /stats (group joins) and the simulator's counter.
import { Client, Connection } from '@temporalio/client';
import { startLlmSimulator } from '../../dev/llm-simulator';
import type { ServiceProcess } from '../../lib/service-process';
import { uniqueName } from '../../test/helpers/unique';
import { serviceEnv, startBenchBridge, startBenchWorker, type BenchBridge } from './bridge-services';
import { brokerGroupEvents } from './broker-group-log';
import { modelCallCounts } from './model-calls';
import { machineBusyCpuMs } from './process-cpu';
import { mustReach, pollUntil } from './poll-until';
import { produceAtOnce } from './produce-at-once';
import { settled, type SideContext, type SideResult } from './rebalance-workload';
import { round, sum } from './summary';

const COUNT_POLL_INTERVAL_MS = 1_000;
const SERVICE_START_BUDGET_MS = 90_000;

export async function runBridgeSide({ bench, admin, workload, log }: SideContext): Promise<SideResult> {
  const { stack, logDir, workflowBundlePath } = bench;
  if (!workflowBundlePath) throw new Error('the bridge side needs the workflow bundle; start the bench stack with bundleWorkflows: true');
  const simulator = await startLlmSimulator({ port: 0, seed: workload.simulatorSeed, latencyMs: workload.llmLatencyMs });
  const topic = uniqueName('bench-bridge');
  const groupId = uniqueName('g-bridge');
  const taskQueue = uniqueName('q-bridge');
  const services: ServiceProcess[] = [];
  const connection = await Connection.connect({ address: stack.temporal.address });
  const client = new Client({ connection, namespace: stack.temporal.namespace });
  try {
    await admin.createTopic(topic, workload.partitions);
    const env = serviceEnv({
      stack, topic, groupId, taskQueue, llmBaseUrl: simulator.baseUrl, workflowBundlePath,
      // The same fetch size and group timeouts as the naive consumers; every BRIDGE_* setting stays at its default.
      extra: {
        KAFKA_MAX_BYTES_PER_PARTITION: String(workload.maxBytesPerPartition),
        KAFKA_SESSION_TIMEOUT_MS: String(workload.sessionTimeoutMs),
        KAFKA_REBALANCE_TIMEOUT_MS: String(workload.rebalanceTimeoutMs),
        KAFKA_HEARTBEAT_INTERVAL_MS: String(workload.heartbeatIntervalMs),
      },
    });
    const worker = startBenchWorker(env, logDir, 'rebalance-worker');
    services.push(worker);
    const bridges: BenchBridge[] = [];
    for (let i = 1; i <= workload.members; i++) bridges.push(await startBenchBridge(env, logDir, `rebalance-bridge-${i}`));
    services.push(...bridges);

    log(`bridge: waiting for the worker and ${workload.members} bridges to settle in group ${groupId}`);
    await mustReach(async () => worker.log().includes('worker running'), Boolean, SERVICE_START_BUDGET_MS, `the worker to run (log ${worker.logFile})`);
    await mustReach(
      async () => ({ assignment: await admin.stableAssignment(groupId), joins: await Promise.all(bridges.map(async (b) => (await b.stats()).groupJoins)) }),
      ({ assignment, joins }) => settled(workload.members, workload.partitions)(assignment) && joins.every((n) => n > 0),
      SERVICE_START_BUDGET_MS,
      `bridges settled in group ${groupId} (logs in ${logDir})`,
    );
    const joinsAtSettle = await Promise.all(bridges.map(async (b) => (await b.stats()).groupJoins));

    const completedQuery = `KafkaTopic = "${topic}" AND ExecutionStatus = "Completed"`;
    await produceAtOnce(stack.kafka.brokers, topic, workload.records, workload.recordsPerProducerBatch);
    const visibleAtMs = performance.now();
    const visibleAtWallMs = Date.now();
    const busyAtVisibleMs = machineBusyCpuMs();
    log(`bridge: ${workload.records.length} records visible; running for at most ${workload.budgetMs / 1000} s`);
    const progress = await pollUntil(async () => (await client.workflow.count(completedQuery)).count, (n) => n >= workload.records.length, {
      budgetMs: workload.budgetMs,
      intervalMs: COUNT_POLL_INTERVAL_MS,
    });
    const broker = brokerGroupEvents(stack.kafka.logFile, groupId, visibleAtWallMs, Date.now());
    const stats = await Promise.all(bridges.map((b) => b.stats()));
    const calls = modelCallCounts(simulator);
    const runs = (await client.workflow.count(`KafkaTopic = "${topic}"`)).count;
    const failedRuns = (await client.workflow.count(`KafkaTopic = "${topic}" AND ExecutionStatus = "Failed"`)).count;
    log(`bridge: ${progress.value} of ${workload.records.length} runs completed, ${calls.calls} model calls`);
    return {
      rebalances: sum(stats.map((s, i) => s.groupJoins - joinsAtSettle[i])),
      recordsCompleted: progress.value,
      modelCalls: calls.calls,
      distinctPrompts: calls.distinctPrompts,
      duplicateModelCalls: calls.duplicateCalls,
      maxCallsForOnePrompt: calls.maxCallsForOnePrompt,
      wallMs: Math.round(progress.atMs - visibleAtMs),
      finished: progress.reached,
      brokerRebalances: broker.rebalances,
      brokerEvictions: broker.evictions,
      // Both cores of the machine, every process (other load included), while the side ran.
      machineBusyCores: round((machineBusyCpuMs() - busyAtVisibleMs) / (progress.atMs - visibleAtMs), 2),
      commits: 'the bridge commits offset + 1 once starts are acknowledged, at most every BRIDGE_COMMIT_INTERVAL_MS (default) and at the end of each batch',
      runsStarted: runs,
      runsFailed: failedRuns,
      joinsPerMember: stats.map((s) => s.groupJoins),
      startupJoinsPerMember: joinsAtSettle,
      batchesStoppedByRebalance: sum(stats.map((s) => s.rebalances)),
      bridgeStarts: sum(stats.map((s) => s.starts)),
      bridgeDuplicateStarts: sum(stats.map((s) => s.duplicates)),
      bridgeCommits: sum(stats.map((s) => s.commits)),
      startErrors: sum(stats.map((s) => s.startErrors)),
    };
  } finally {
    await Promise.allSettled(services.map((s) => s.stop('SIGTERM')));
    await Promise.allSettled([simulator.close(), connection.close()]);
  }
}
