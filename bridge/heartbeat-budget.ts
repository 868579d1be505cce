// The config guard. kafkajs heartbeats only from the poll loop (no background thread) and sizes
// batches in bytes, not records, so the binding limit is the time between two heartbeats. The bridge
// heartbeats after every record it launches and at least every heartbeat interval while it waits, so
// at most one record's routing and one start (or commit) round trip happen between two heartbeats:
// worst = heartbeatInterval + recordsBetweenHeartbeats x p99 start latency, which must stay below
// 0.7 x sessionTimeout. The seed's naive consumer has 500 records x 120 ms = 60 s between heartbeats
// against 30 s: it can never stay in its group.
import type { Client } from '@temporalio/client';
import { ConfigError } from '../errors';

export const SESSION_SAFETY_FRACTION = 0.7;
export const RECORDS_BETWEEN_HEARTBEATS = 1;

export interface HeartbeatBudget {
  readonly worstMsBetweenHeartbeats: number;
  readonly limitMs: number;
  readonly p99StartLatencyMs: number;
  readonly message: string;
}

export function checkHeartbeatBudget(opts: { sessionTimeoutMs: number; heartbeatIntervalMs: number; p99StartLatencyMs: number }): HeartbeatBudget {
  const worst = opts.heartbeatIntervalMs + RECORDS_BETWEEN_HEARTBEATS * opts.p99StartLatencyMs;
  const limit = SESSION_SAFETY_FRACTION * opts.sessionTimeoutMs;
  const arithmetic =
    `heartbeat interval ${opts.heartbeatIntervalMs} ms + ${RECORDS_BETWEEN_HEARTBEATS} record x p99 start ${Math.round(opts.p99StartLatencyMs)} ms = ` +
    `${Math.round(worst)} ms between heartbeats, against 0.7 x session timeout ${opts.sessionTimeoutMs} ms = ${Math.round(limit)} ms`;
  if (worst >= limit) {
    throw new ConfigError([
      `${arithmetic}: the group would evict this bridge. Raise KAFKA_SESSION_TIMEOUT_MS above ${Math.ceil(worst / SESSION_SAFETY_FRACTION)} ms or lower KAFKA_HEARTBEAT_INTERVAL_MS`,
    ]);
  }
  return { worstMsBetweenHeartbeats: Math.round(worst), limitMs: Math.round(limit), p99StartLatencyMs: Math.round(opts.p99StartLatencyMs), message: `heartbeat budget ok: ${arithmetic}` };
}

/** A start's cost is one frontend round trip; measure a few and take the worst as the p99 estimate. */
export async function measureStartLatencyP99Ms(client: Client, namespace: string, probes = 20): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < probes; i++) {
    const t = performance.now();
    await client.workflowService.describeNamespace({ namespace });
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.min(samples.length - 1, Math.ceil(samples.length * 0.99) - 1)];
}
