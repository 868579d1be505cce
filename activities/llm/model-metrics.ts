// Prometheus series for the model gateway: what `kta usage` sums from the llm_calls ledger, live per
// worker process (calls, tokens, estimated cost, latency), plus what the ledger does not hold:
// waits for the shared rate limiter and failures by class. Labels stay bounded: provider, model,
// task (a registered output) and outcome or failure class, never a run or workflow ID.
import { Counter, Histogram, type Registry } from 'prom-client';
import { estimateCostUsd, type ModelCallRecord, type ModelPrices } from './usage-ledger';

export interface ModelMetrics {
  /** One call the provider answered or refused (the same record the ledger gets). */
  call(record: ModelCallRecord): void;
  /** A call that found no room in the rate limiter and waited, and for how long. */
  limiterWait(waitedMs: number): void;
  /** A callModel attempt that failed, by its error class (LlmTransientError, ModelOutputInvalidError, ...). */
  failure(errorClass: string): void;
}

export function createModelMetrics(registry: Registry, prices: ModelPrices): ModelMetrics {
  const registers = [registry];
  const calls = new Counter({ name: 'kta_model_calls_total', help: 'Model calls the provider answered or refused, by outcome (ok, invalid-output, invalid-tool-arguments, failed)', labelNames: ['provider', 'model', 'task', 'outcome'], registers });
  const tokens = new Counter({ name: 'kta_model_tokens_total', help: 'Tokens the provider reported, by direction (input: prompt, output: completion)', labelNames: ['provider', 'model', 'direction'], registers });
  const cost = new Counter({ name: 'kta_model_cost_usd_total', help: 'Estimated cost in USD at LLM_PRICE_INPUT_PER_MTOK / LLM_PRICE_OUTPUT_PER_MTOK (0 when unpriced)', labelNames: ['provider', 'model'], registers });
  const latency = new Histogram({
    name: 'kta_model_call_latency_seconds',
    help: 'Latency of one model call on the wire (without the limiter wait)',
    labelNames: ['provider', 'model'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers,
  });
  const waits = new Histogram({
    name: 'kta_model_limiter_wait_seconds',
    help: 'Time a call waited for room in the shared rate limiter (only calls that found none at first)',
    buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300],
    registers,
  });
  const failures = new Counter({ name: 'kta_model_failures_total', help: 'callModel attempts that failed, by error class', labelNames: ['class'], registers });

  return {
    call(r) {
      calls.inc({ provider: r.provider, model: r.model, task: r.task, outcome: r.outcome });
      tokens.inc({ provider: r.provider, model: r.model, direction: 'input' }, r.promptTokens);
      tokens.inc({ provider: r.provider, model: r.model, direction: 'output' }, r.completionTokens);
      cost.inc({ provider: r.provider, model: r.model }, estimateCostUsd(prices, r.promptTokens, r.completionTokens));
      latency.observe({ provider: r.provider, model: r.model }, r.latencyMs / 1000);
    },
    limiterWait(waitedMs) {
      waits.observe(waitedMs / 1000);
    },
    failure(errorClass) {
      failures.inc({ class: errorClass });
    },
  };
}
