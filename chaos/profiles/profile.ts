// What the chaos run needs to know of one agent: how to make its records, what its route looks like
// under chaos, and how to count its effects from the outside. One profile per agent in the registry;
// an agent without one stops the run with a message naming the file to add (chaos/profiles/index.ts).
import type { Pool } from 'pg';
import type { BookingSimulator } from '../../dev/booking-simulator/server';
import type { Rng } from '../rng';

export interface ChaosRecord {
  readonly key: string;
  readonly value: string;
  readonly headers?: Record<string, string>;
}

/** What a profile may read to count effects; each reads only its own topic's. */
export interface EffectSources {
  readonly topic: string;
  readonly pool: Pool;
  readonly booking: BookingSimulator;
  /** The records on the route's output topic (empty without one), by Kafka key. */
  readonly outputKeys: readonly (string | null)[];
  /** Completed runs of this route (visibility). */
  readonly completedRuns: number;
  /** Workflow IDs of this route's runs that closed without completing (failed, terminated, timed out). */
  readonly failedRuns: ReadonlySet<string>;
}

export interface EffectCount {
  /** Effect rows, bookings or output records found. */
  readonly effects: number;
  /** Effects applied twice (must be 0). */
  readonly duplicates: number;
  /** Undone bookings (compensations) found. */
  readonly compensations: number;
  /** Irreversible effects left standing after their run failed (a compensation that never ran; must be 0). */
  readonly leaks: number;
  /** What the numbers are, for the table. */
  readonly note: string;
}

export interface ChaosProfile {
  readonly workflowType: string;
  /** The topic's name part (default: the workflow type): an agent's second profile needs its own. */
  readonly name?: string;
  /**
   * throughput: the route runs in throughput mode (README, Throughput mode). An offset's evidence is its
   * row in throughput_results, not a run; the partition runs stay open by design.
   */
  readonly mode?: 'throughput';
  /** Share of the good records this agent gets (weights, normalised over the registry). */
  readonly weight: number;
  /** The route's settings besides topic and task queue (businessKey, ordering, workflow settings). */
  readonly route: (names: { outputTopic: string }) => Record<string, unknown>;
  /** Record number `n` (unique content: one prompt per step). */
  record(n: number, rng: Rng): ChaosRecord;
  /** Runs one route's record per offset (per-record), or hands offsets to a per-key entity. */
  readonly perKey?: boolean;
  /** True when the route de-duplicates by business key: the generator then re-sends earlier values. */
  readonly businessKeyDuplicates?: boolean;
  readonly outputTopic?: boolean;
  countEffects(src: EffectSources): Promise<EffectCount>;
}
