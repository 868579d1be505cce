// What every side of the rebalance bench gets alike: the same records, partitions, group size,
// fetch size, consumer timeouts and model latency; each side on its own fresh topic and group.
import type { BenchAdmin } from './kafka-admin';
import type { BenchStack } from './bench-stack';
import type { BenchRecord } from './review-records';

export interface RebalanceWorkload {
  readonly records: BenchRecord[];
  readonly partitions: number;
  /** Consumers (naive processes, or bridge processes) in the group. */
  readonly members: number;
  readonly recordsPerProducerBatch: number;
  readonly maxBytesPerPartition: number;
  readonly llmLatencyMs: number;
  readonly simulatorSeed: number;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** How long a side may run after its records became visible before it is stopped and scored. */
  readonly budgetMs: number;
  /** How long a group may take to settle before the records are produced. */
  readonly settleBudgetMs: number;
}

export interface SideContext {
  readonly bench: BenchStack;
  readonly admin: BenchAdmin;
  readonly workload: RebalanceWorkload;
  readonly log: (line: string) => void;
}

export interface SideResult {
  /** Joins after the group had settled (every member holding partitions), summed over members. */
  readonly rebalances: number;
  readonly recordsCompleted: number;
  readonly modelCalls: number;
  readonly distinctPrompts: number;
  readonly duplicateModelCalls: number;
  readonly maxCallsForOnePrompt: number;
  /** From the records becoming visible to the last record completed, or to the end of the budget. */
  readonly wallMs: number;
  readonly finished: boolean;
  /** The broker's count of rebalances it prepared for the group while the side ran (its log). */
  readonly brokerRebalances: number;
  /** Members the broker evicted for a missed session timeout while the side ran. */
  readonly brokerEvictions: number;
  readonly [detail: string]: unknown;
}

/** True when the group is Stable and every member holds partitions (all of them between them). */
export const settled = (members: number, partitions: number) => (assignment: number[] | undefined): boolean =>
  assignment !== undefined && assignment.length === members && assignment.every((n) => n > 0) && assignment.reduce((a, b) => a + b, 0) === partitions;
