// The throughput mode's messages, shared by the bridge (sender), the partition workflow and the batch
// activity. Pure types: no I/O. The update's name is part of the bridge's contract with the workflow.
import type { ClaimCheckRef } from './claim-check';
import type { RecordSource, RunSettings } from './run-input';

/** The update the bridge sends a partition run, one per poll-batch chunk; its completion is in history. */
export const RECORDS_UPDATE = 'records';

/** One record of a batch: its value (or claim check) and where it came from. */
export interface ThroughputRecord {
  readonly value: unknown | ClaimCheckRef;
  readonly source: RecordSource;
}

/** What the update answers: which offsets the run took, which it already had (a redelivery). */
export interface RecordsAccepted {
  readonly accepted: number;
  readonly duplicates: string[];
  /** Duplicates whose record the run still holds with another hash: another record at these coordinates. */
  readonly collisions: string[];
  /** Duplicates the run no longer holds (done): the bridge checks their hash against throughput_results. */
  readonly unverified: string[];
  /** The highest offset the run holds after this update. */
  readonly highWater: string;
  /** Records the run holds unprocessed. */
  readonly queued: number;
}

/** The settings of a partition run (from the route; workflows never read the environment). */
export interface PartitionSettings {
  readonly maxRecords: number;
  readonly concurrency: number;
  readonly maxQueuedRecords: number;
  readonly maxBatchesPerRun: number;
  readonly heartbeatTimeoutMs: number;
}

export interface PartitionRunInput {
  /** The agent whose per-record work the run does (the route's workflowType). */
  readonly agent: string;
  readonly topic: string;
  readonly partition: number;
  /** The route's idPrefix or '' (the results table's scope). */
  readonly route: string;
  readonly settings: RunSettings;
  readonly batch: PartitionSettings;
  readonly deadLetterTopic: string;
  /** Offsets up to and including this one were accepted earlier (carried by continue-as-new). */
  readonly highWater?: string;
  /** Totals over the runs, for the run's details. */
  readonly totals?: { readonly batches: number; readonly records: number; readonly duplicates: number };
}

/** What one batch activity reports: per record, how it ended. */
export interface BatchOutcome {
  readonly done: number;
  /** Records whose result was already recorded (a crash mid-batch, or a redelivery): no model call. */
  readonly resumed: number;
  readonly deadLettered: number;
  readonly modelCalls: number;
}

export interface ProcessBatchInput {
  readonly agent: string;
  readonly route: string;
  readonly records: ThroughputRecord[];
  readonly settings: RunSettings;
  readonly concurrency: number;
  readonly heartbeatTimeoutMs: number;
  readonly deadLetterTopic: string;
}
