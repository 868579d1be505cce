// What the shadow (`kta shadow`) reports: per record the shadow run's outcome against the production
// run's result (a per-field JSON diff), the effects its stubs absorbed, its model calls; and a summary.
import type { JsonDifference } from './json-diff';

export type ShadowStatus = 'equal' | 'differs' | 'failed' | 'not-compared' | 'not-shadowed';

export interface ShadowOutcome {
  readonly partition: number;
  readonly offset: string;
  readonly originalId: string;
  readonly status: ShadowStatus;
  readonly shadowId?: string;
  readonly workflowType?: string;
  /** Why it failed, was not compared (no completed original) or not shadowed. */
  readonly reason?: string;
  readonly diff?: JsonDifference[];
  readonly original?: unknown;
  readonly result?: unknown;
  /** What the run would have done: the stubbed activities it called, in order. */
  readonly effects?: { readonly activity: string; readonly args: unknown[] }[];
  readonly modelCalls?: number;
  readonly tokens?: number;
}

export interface ShadowReport {
  readonly ok: boolean;
  readonly name: string;
  readonly taskQueue: string;
  readonly workflows: string;
  readonly topic: string;
  readonly partition: number;
  readonly range: { readonly from: number; readonly to: number };
  readonly notes: string[];
  readonly summary: { readonly shadowed: number; readonly equal: number; readonly differs: number; readonly failed: number; readonly notCompared: number; readonly notShadowed: number };
  readonly records: ShadowOutcome[];
}

export function summarize(records: ShadowOutcome[]): ShadowReport['summary'] {
  const count = (status: ShadowStatus) => records.filter((r) => r.status === status).length;
  const notShadowed = count('not-shadowed');
  return { shadowed: records.length - notShadowed, equal: count('equal'), differs: count('differs'), failed: count('failed'), notCompared: count('not-compared'), notShadowed };
}
