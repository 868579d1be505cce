// The bridge's /readyz: ready while it is connected to Temporal (a cheap call answers within a
// couple of seconds) and is a member of its consumer group, holding partitions or waiting for them.
// Not ready while it starts, while Temporal does not answer, and after its consumer crashed or stopped.
import type { Connection } from '@temporalio/client';
import type { Readiness } from '../lib/metrics-server';
import type { GroupMembership } from './group-membership';

/** How long /readyz waits for Temporal before it calls the bridge not ready. */
export const READINESS_TEMPORAL_TIMEOUT_MS = 2_000;

export async function bridgeReadiness(connection: Connection | undefined, address: string, membership: GroupMembership): Promise<Readiness> {
  if (!connection) return { ready: false, reason: `connecting to Temporal at ${address}` };
  try {
    await connection.withDeadline(Date.now() + READINESS_TEMPORAL_TIMEOUT_MS, () => connection.workflowService.getSystemInfo({}));
  } catch (err) {
    return { ready: false, reason: `Temporal at ${address} does not answer (${(err as Error).message})` };
  }
  const absent = membership.notInGroup();
  if (absent) return { ready: false, reason: `connected to Temporal at ${address}; the consumer ${absent}` };
  return { ready: true, reason: `connected to Temporal at ${address}; ${membership.describe()}` };
}
