// What `kta status` reports, how one reading of a source is taken, and the pure reasoning over the
// report (would a bridge pause this route?). The gathering (gather.ts) fills it from the
// services; the formatter (cli/status-format.ts) prints it. Each reading carries its own error, so one
// unreachable service is one line, not a failed command.
import type { Saturation } from '../../activities/llm/limiter/token-limiter';
import { modelSaturationVerdict, openRunsVerdict, type PauseVerdict as BridgeVerdict } from '../../core/pause-verdict';
import type { metricsSnapshot } from '../../bridge/metrics';
import type { Route } from '../../config';
import type { AgentStatus } from '../../workflows/search-attributes';
import type { TopicLag } from '../group-lag';

export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** A reading of one source: its value, or what failed, within `timeoutMs`. */
export async function readWithin<T>(what: string, timeoutMs: number, read: () => Promise<T>): Promise<Reading<T>> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Reading<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `${what}: no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const attempt = read().then(
    (value): Reading<T> => ({ ok: true, value }),
    (err: unknown): Reading<T> => ({ ok: false, error: `${what}: ${(err as Error).message}` }),
  );
  try {
    return await Promise.race([attempt, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs of one route (`KafkaTopic` and `WorkflowType`) in Temporal visibility, within the namespace retention. */
export interface RunCounts {
  /** ExecutionStatus Running: what the bridge's open-run bound counts. */
  readonly open: number;
  /** Every run still in visibility, open or closed. */
  readonly total: number;
  /** By the AgentStatus search attribute, open and closed runs alike. */
  readonly byAgentStatus: Record<AgentStatus, number>;
}

export interface DeadLetterCounts {
  /** False until a bridge has started against this database (it creates the table). */
  readonly tableExists: boolean;
  readonly total: number;
  readonly lastHour: number;
  readonly byClass: { readonly class: string; readonly total: number; readonly lastHour: number }[];
}

export interface LimiterStatus {
  /** provider:model, shared by every route, worker and bridge of this configuration. */
  readonly key: string;
  readonly limits: { readonly tokensPerWindow: number; readonly requestsPerWindow: number; readonly windowMs: number };
  /** A token or request limit is set. */
  readonly enabled: boolean;
  /** Null until a worker has created the limiter's tables (then nothing can be saturated). */
  readonly saturation: Saturation | null;
  /** The routes' model calls of the last hour, from the call ledger (`llm_calls`); null without its table. */
  readonly lastHour: {
    readonly tokens: number;
    readonly calls: number;
    /** Estimated at LLM_PRICE_INPUT_PER_MTOK / LLM_PRICE_OUTPUT_PER_MTOK (0 when unset). */
    readonly costUsd: number;
  } | null;
}

/** pause: a bridge pauses the topic; hold: a paused topic stays paused (between the resume mark and the bound), a running one keeps running. */
export type PauseVerdict = BridgeVerdict | 'off' | 'unknown';

export interface PauseOutlook {
  readonly openRuns: PauseVerdict;
  readonly modelSaturated: PauseVerdict;
}

export interface RouteStatus {
  readonly topic: string;
  readonly workflowType: string;
  readonly taskQueue: string;
  readonly idPrefix: string | null;
  readonly maxOpenRuns: number | null;
  readonly pauseOnModelSaturation: boolean;
  readonly lag: Reading<TopicLag>;
  readonly runs: Reading<RunCounts>;
  /** Per topic: routes that fan one topic out to several agents share these counts. */
  readonly deadLetters: Reading<DeadLetterCounts>;
  /** What a bridge of this configuration would do now, derived from open runs and the limiter. */
  readonly wouldPause: PauseOutlook;
}

export type BridgeStats = Pick<
  Awaited<ReturnType<typeof metricsSnapshot>>,
  'starts' | 'duplicates' | 'deadLetters' | 'groupJoins' | 'pausedTopics' | 'pausesByReason' | 'resumesByReason' | 'modelSaturated'
>;

export interface BridgeStatus {
  readonly url: string;
  readonly stats: Reading<BridgeStats>;
}

export interface StatusReport {
  readonly at: string;
  readonly groupId: string;
  readonly routes: RouteStatus[];
  readonly limiter: Reading<LimiterStatus>;
  /** Null when no --bridge was given: paused state lives in each bridge process. */
  readonly bridges: BridgeStatus[] | null;
}

/** The bridge's backpressure rules (bridge/backpressure.ts) applied to what visibility and the limiter show now. */
export function pauseOutlook(route: Route, runs: Reading<RunCounts>, limiter: Reading<LimiterStatus>): PauseOutlook {
  const bound = route.maxOpenRuns;
  let openRuns: PauseVerdict;
  if (bound === undefined) openRuns = 'off';
  else if (!runs.ok) openRuns = 'unknown';
  else openRuns = openRunsVerdict(runs.value.open, bound);

  let modelSaturated: PauseVerdict;
  if (!route.pauseOnModelSaturation) modelSaturated = 'off';
  else if (!limiter.ok) modelSaturated = 'unknown';
  // No limiter tables yet (saturation null): no worker has made a call, so nothing can be saturated.
  else modelSaturated = modelSaturationVerdict(limiter.value.saturation);
  return { openRuns, modelSaturated };
}
