// What the bridge needs to know of an agent to turn a record into a run: the schema a record value
// must match and whether the run resolves claim checks. The composition root (cli/) builds it from
// the agent registry, so the bridge never imports an agent's runtime code.
import type { z } from 'zod';

export interface RecordSpec {
  readonly schema: z.ZodType;
  readonly takesClaimChecks: boolean;
  /** True when the agent has throughput hooks (a route may run it in throughput mode). */
  readonly takesBatches?: boolean;
}

/** By workflow type. */
export type RecordSpecs = ReadonlyMap<string, RecordSpec>;
