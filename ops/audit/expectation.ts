// What the audit expects of a record and what it finds for a page: the types the evidence lookup
// (evidence.ts) fills and the rules (judge.ts) read, kept apart so neither depends on the other.
import type { KafkaRecord } from '../../bridge/route';

export type Expectation =
  | { readonly kind: 'dead-letter'; readonly record: KafkaRecord; readonly class: string; readonly reasonCode: string }
  | { readonly kind: 'run'; readonly record: KafkaRecord; readonly workflowId: string; readonly recordHash: string; readonly route: string; readonly businessKey?: string }
  | { readonly kind: 'entity'; readonly record: KafkaRecord; readonly workflowId: string; readonly entityId: string }
  /** A throughput route's record: worked in a batch by its partition run; its result row is the evidence. */
  | { readonly kind: 'batch'; readonly record: KafkaRecord; readonly workflowId: string; readonly route: string; readonly recordHash: string };

/** A run as the audit sees it: the record hash the bridge put in its memo. */
export interface SeenRun {
  readonly recordHash?: string;
}

export interface PageEvidence {
  /** Runs by workflow ID (undefined: looked for, not found). */
  readonly runs: ReadonlyMap<string, SeenRun | undefined>;
  /** dead_letters rows by offset. */
  readonly deadLetters: ReadonlyMap<string, { class: string; workflowId: string | null }[]>;
  /** skipped_records rows by `offset|route`. */
  readonly skipped: ReadonlyMap<string, { reason: string; ownerWorkflowId: string }>;
  /** conversation_turns present, as `entityId|offset`. */
  readonly entityTurns: ReadonlySet<string>;
  /** conversation_offsets high-water marks of this partition by entity ID. */
  readonly entityHighWater: ReadonlyMap<string, bigint>;
  /** throughput_results rows of this partition by `route|offset`. */
  readonly batchResults: ReadonlyMap<string, { status: string; recordHash: string }>;
}

export const batchKey = (route: string, offset: string) => `${route}|${offset}`;

export const skipKey = (offset: string, route: string) => `${offset}|${route}`;
export const turnKey = (entityId: string, offset: string) => `${entityId}|${offset}`;
