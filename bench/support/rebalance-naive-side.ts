// One naive side of the rebalance bench: two naive consumer processes in one group call the model
// inside the poll loop; it is scored from the broker's committed offsets and the simulator's counter.
import { startLlmSimulator } from '../../dev/llm-simulator';
import { uniqueName } from '../../test/helpers/unique';
import { brokerGroupEvents } from './broker-group-log';
import { modelCallCounts } from './model-calls';
import { machineBusyCpuMs } from './process-cpu';
import type { NaiveConsumerSettings } from './naive-consumer';
import { startNaiveGroup, type NaiveGroup } from './naive-group';
import { mustReach, pollUntil } from './poll-until';
import { produceAtOnce } from './produce-at-once';
import { settled, type SideContext, type SideResult } from './rebalance-workload';
import { distribution, round, sum } from './summary';

const OFFSETS_POLL_INTERVAL_MS = 1_000;

export async function runNaiveSide({ bench, admin, workload, log }: SideContext, mode: NaiveConsumerSettings['mode']): Promise<SideResult> {
  const { stack, logDir } = bench;
  const simulator = await startLlmSimulator({ port: 0, seed: workload.simulatorSeed, latencyMs: workload.llmLatencyMs });
  const topic = uniqueName(`bench-naive-${mode}`);
  const groupId = uniqueName(`g-naive-${mode}`);
  let group: NaiveGroup | undefined;
  try {
    await admin.createTopic(topic, workload.partitions);
    const running = startNaiveGroup(workload.members, {
      mode,
      brokers: stack.kafka.brokers,
      groupId,
      topic,
      llmBaseUrl: simulator.baseUrl,
      maxBytesPerPartition: workload.maxBytesPerPartition,
      sessionTimeoutMs: workload.sessionTimeoutMs,
      rebalanceTimeoutMs: workload.rebalanceTimeoutMs,
      heartbeatIntervalMs: workload.heartbeatIntervalMs,
    }, logDir);
    group = running;
    log(`${mode}: waiting for ${workload.members} consumers to settle in group ${groupId}`);
    await mustReach(
      async () => ({ assignment: await admin.stableAssignment(groupId), reported: running.members.map((m) => m.lastAssignment.length) }),
      ({ assignment, reported }) => settled(workload.members, workload.partitions)(assignment) && reported.every((n) => n > 0),
      workload.settleBudgetMs,
      `naive ${mode} consumers settled in group ${groupId} (logs in ${logDir})`,
    );
    const joinsAtSettle = running.members.map((m) => m.joinsAtMs.length);

    const perPartition = workload.records.length / workload.partitions;
    const completed = (offsets: Record<number, number>) => sum(Object.values(offsets).map((o) => Math.min(Math.max(o, 0), perPartition)));
    await produceAtOnce(stack.kafka.brokers, topic, workload.records, workload.recordsPerProducerBatch);
    const visibleAtMs = performance.now();
    const visibleAtWallMs = Date.now();
    const busyAtVisibleMs = machineBusyCpuMs();
    log(`${mode}: ${workload.records.length} records visible; running for at most ${workload.budgetMs / 1000} s`);
    const progress = await pollUntil(() => admin.committedOffsets(groupId, topic), (o) => completed(o) >= workload.records.length, {
      budgetMs: workload.budgetMs,
      intervalMs: OFFSETS_POLL_INTERVAL_MS,
    });
    const broker = brokerGroupEvents(stack.kafka.logFile, groupId, visibleAtWallMs, Date.now());
    await running.kill();
    const committed = await admin.committedOffsets(groupId, topic);
    const calls = modelCallCounts(simulator);
    const members = running.members;
    log(`${mode}: ${completed(committed)} of ${workload.records.length} records committed, ${calls.calls} model calls`);
    return {
      rebalances: sum(members.map((m, i) => m.joinsAtMs.length - joinsAtSettle[i])),
      recordsCompleted: completed(committed),
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
      commits: mode === 'each-batch' ? 'one commitOffsets per batch, after the batch' : 'one commitOffsets per message (offset + 1), after its model call',
      modelCallsCompleted: sum(members.map((m) => m.modelCallsDone)),
      committedOffsets: committed,
      joinsPerMember: members.map((m) => m.joinsAtMs.length),
      startupJoinsPerMember: joinsAtSettle,
      commitsOk: sum(members.map((m) => m.commits)),
      commitFailures: sum(members.map((m) => m.commitFailures)),
      crashes: sum(members.map((m) => m.crashes)),
      processRestarts: sum(members.map((m) => m.restarts)),
      batchSizes: distribution(members.flatMap((m) => m.batchSizes)),
      firstErrors: members.flatMap((m) => m.firstErrors).slice(0, 4),
    };
  } finally {
    await group?.kill();
    await simulator.close();
  }
}
