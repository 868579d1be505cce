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
    stoppedPartitions: new Gauge({ name: 'kta_bridge_stopped_partitions', help: 'Partitions stopped on a record that cannot become a workflow', registers: [registry] }),
    startLatency: new Histogram({
      name: 'kta_bridge_start_latency_seconds',
      help: 'Latency of one acknowledged start (or duplicate check)',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
  return m;
}

export type BridgeMetrics = ReturnType<typeof createBridgeMetrics>;

const sum = async (c: Counter | Gauge) => (await c.get()).values.reduce((a, v) => a + v.value, 0);

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
    stoppedPartitions: await sum(m.stoppedPartitions),
  };
}
