// The bridge's Prometheus metrics, on a registry of its own so two bridges in one process (tests)
// do not share counters. `snapshot()` gives the same numbers as JSON for the CLI, tests and the demo.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export function createBridgeMetrics() {
  const registry = new Registry();
  const m = {
    registry,
    records: new Counter({ name: 'kta_bridge_records_total', help: 'Records read from Kafka', labelNames: ['topic'], registers: [registry] }),
    starts: new Counter({ name: 'kta_bridge_workflow_starts_total', help: 'Workflows started', labelNames: ['workflow_type'], registers: [registry] }),
    duplicates: new Counter({ name: 'kta_bridge_duplicates_total', help: 'Starts that met a run of the same record (redelivery, replay)', labelNames: ['workflow_type'], registers: [registry] }),
    collisions: new Counter({ name: 'kta_bridge_collisions_total', help: 'Starts that met a run of a different record with the same ID', registers: [registry] }),
    startErrors: new Counter({ name: 'kta_bridge_start_errors_total', help: 'Start attempts that failed and were retried', registers: [registry] }),
    invalidRecords: new Counter({ name: 'kta_bridge_invalid_records_total', help: 'Records that cannot become a workflow', labelNames: ['topic'], registers: [registry] }),
    commits: new Counter({ name: 'kta_bridge_commits_total', help: 'Offset commits', registers: [registry] }),
    rebalances: new Counter({ name: 'kta_bridge_batches_stopped_by_rebalance_total', help: 'Batches stopped because a heartbeat reported a rebalance', registers: [registry] }),
    // Joins after the first are rebalances this member went through; slow work in the poll loop shows up here.
    groupJoins: new Counter({ name: 'kta_bridge_group_joins_total', help: 'Consumer group joins (the first, then one per rebalance)', registers: [registry] }),
    deadLetters: new Counter({ name: 'kta_bridge_dead_letters_total', help: 'Dead letters published by the bridge', labelNames: ['class'], registers: [registry] }),
    // A deleted and recreated topic: the partition is read again from the new topic's first offset.
    recreatedPartitions: new Counter({ name: 'kta_bridge_recreated_partitions_total', help: 'Partitions found deleted and created again while consumed, each re-read from its earliest offset', labelNames: ['topic'], registers: [registry] }),
    claimChecks: new Counter({ name: 'kta_bridge_claim_checks_total', help: 'Large values stored as claim checks', registers: [registry] }),
    businessDuplicates: new Counter({ name: 'kta_bridge_business_duplicates_total', help: 'Records not started because their business key already ran', labelNames: ['workflow_type'], registers: [registry] }),
    pausedPartitions: new Gauge({ name: 'kta_bridge_paused_topics', help: 'Topics paused by backpressure (open runs over the bound, or the model limiter saturated)', registers: [registry] }),
    pauses: new Counter({ name: 'kta_bridge_backpressure_pauses_total', help: 'Times a reason (open-runs, model-saturated) began holding a topic', labelNames: ['reason'], registers: [registry] }),
    resumes: new Counter({ name: 'kta_bridge_backpressure_resumes_total', help: 'Times a reason stopped holding a topic', labelNames: ['reason'], registers: [registry] }),
    modelSaturated: new Gauge({ name: 'kta_bridge_model_saturated', help: '1 while the model limiter is saturated (Retry-After in force or calls waiting for room)', registers: [registry] }),
    modelWindowFraction: new Gauge({ name: 'kta_bridge_model_window_fraction', help: 'How full the model limiter\'s window is (used over the limit)', registers: [registry] }),
    openRuns: new Gauge({ name: 'kta_bridge_open_runs', help: 'Open runs per route (visibility count plus starts since)', labelNames: ['route'], registers: [registry] }),
    startLatency: new Histogram({
      name: 'kta_bridge_start_latency_seconds',
      help: 'Latency of one acknowledged start (or duplicate check)',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    /** The highest open-run count the backpressure controller saw (for tests and benches). */
    maxOpenRunsSeen: 0,
  };
  return m;
}

export type BridgeMetrics = ReturnType<typeof createBridgeMetrics>;

const sum = async (c: Counter | Gauge) => (await c.get()).values.reduce((a, v) => a + v.value, 0);
const byLabel = async (c: Counter, label: string) =>
  Object.fromEntries((await c.get()).values.map((v) => [String(v.labels[label]), v.value]));

export async function metricsSnapshot(m: BridgeMetrics) {
  return {
    records: await sum(m.records),
    starts: await sum(m.starts),
    duplicates: await sum(m.duplicates),
    collisions: await sum(m.collisions),
    startErrors: await sum(m.startErrors),
    invalidRecords: await sum(m.invalidRecords),
    commits: await sum(m.commits),
    rebalances: await sum(m.rebalances),
    groupJoins: await sum(m.groupJoins),
    deadLetters: await sum(m.deadLetters),
    claimChecks: await sum(m.claimChecks),
    recreatedPartitions: await sum(m.recreatedPartitions),
    businessDuplicates: await sum(m.businessDuplicates),
    pausedTopics: await sum(m.pausedPartitions),
    pauses: await sum(m.pauses),
    resumes: await sum(m.resumes),
    pausesByReason: await byLabel(m.pauses, 'reason'),
    resumesByReason: await byLabel(m.resumes, 'reason'),
    modelSaturated: await sum(m.modelSaturated),
    maxOpenRuns: m.maxOpenRunsSeen,
  };
}
