// Lineage and cost of model calls: one row per call the provider answered (or refused), with the run,
// the step (activity), the tokens it reported and the estimated cost at the configured prices. The
// workflow's history holds the result of each successful ask; this ledger also holds what history
// cannot: the answers that failed validation (they were paid for) and the attempts a crashed or
// timed-out worker made. `kta usage` sums it per step, run, route or model.
//
// Recording is best effort: the call has been made and paid for, so a failed insert is logged and
// the activity goes on (failing it would make Temporal retry, and pay for, a second call).
import type { Pool } from 'pg';
import { parseWorkflowId } from '../../core/workflow-id';

/** USD per million tokens; 0 when unknown (the local simulator costs nothing). */
export interface ModelPrices {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
}

export type CallOutcome = 'ok' | 'invalid-output' | 'invalid-tool-arguments' | 'failed';

export interface ModelCallRecord {
  readonly workflowId: string;
  readonly runId: string;
  readonly workflowType: string;
  readonly activityId: string;
  /** Temporal's attempt of this activity (retries after transient failures). */
  readonly activityAttempt: number;
  /** The workflow's ask: 1, then 2.. for re-asks after invalid output. */
  readonly ask: number;
  readonly task: string;
  readonly provider: string;
  readonly model: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly latencyMs: number;
  readonly limiterWaitMs: number;
  readonly outcome: CallOutcome;
  readonly promptHash: string;
}

export const LLM_CALLS_DDL = `
  CREATE TABLE IF NOT EXISTS llm_calls (
    id                bigserial PRIMARY KEY,
    at                timestamptz NOT NULL DEFAULT now(),
    route_topic       text,
    workflow_id       text NOT NULL,
    run_id            text NOT NULL,
    workflow_type     text NOT NULL,
    activity_id       text NOT NULL,
    activity_attempt  integer NOT NULL,
    ask               integer NOT NULL,
    task              text NOT NULL,
    provider          text NOT NULL,
    model             text NOT NULL,
    prompt_tokens     integer NOT NULL,
    completion_tokens integer NOT NULL,
    cost_usd          numeric(14, 8) NOT NULL,
    latency_ms        integer NOT NULL,
    limiter_wait_ms   integer NOT NULL,
    outcome           text NOT NULL,
    prompt_hash       text NOT NULL
  )`;
export const LLM_CALLS_INDEXES = [
  'CREATE INDEX IF NOT EXISTS llm_calls_workflow ON llm_calls (workflow_id)',
  'CREATE INDEX IF NOT EXISTS llm_calls_route_at ON llm_calls (route_topic, at)',
];

/** The route's topic from a run's ID: `[prefix:]topic-partition-offset[#retry-N]` or an entity's `topic#key=...`. */
export function routeTopicOf(workflowId: string): string | null {
  // Kafka topic names and route prefixes hold no '#': the marker can only be an entity's, and its key
  // (free text) may hold anything, so it is cut off before parsing.
  const entity = workflowId.indexOf('#key=');
  if (entity > 0) {
    const head = workflowId.slice(0, entity);
    return head.slice(head.indexOf(':') + 1);
  }
  return parseWorkflowId(workflowId)?.topic ?? null;
}

export const estimateCostUsd = (prices: ModelPrices, promptTokens: number, completionTokens: number): number =>
  (promptTokens * prices.inputPerMTok + completionTokens * prices.outputPerMTok) / 1_000_000;

export class UsageLedger {
  constructor(
    private readonly pool: Pool,
    readonly prices: ModelPrices,
    private readonly onError: (err: Error, call: ModelCallRecord) => void,
  ) {}

  async record(call: ModelCallRecord): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO llm_calls (route_topic, workflow_id, run_id, workflow_type, activity_id, activity_attempt, ask, task, provider, model,
                                prompt_tokens, completion_tokens, cost_usd, latency_ms, limiter_wait_ms, outcome, prompt_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [
          routeTopicOf(call.workflowId), call.workflowId, call.runId, call.workflowType, call.activityId, call.activityAttempt, call.ask, call.task,
          call.provider, call.model, call.promptTokens, call.completionTokens, estimateCostUsd(this.prices, call.promptTokens, call.completionTokens),
          Math.round(call.latencyMs), Math.round(call.limiterWaitMs), call.outcome, call.promptHash,
        ],
      );
    } catch (err) {
      this.onError(err as Error, call);
    }
  }
}
