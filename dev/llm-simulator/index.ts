// The LLM simulator's public surface, for tests, the demo and the stack scripts.
export {
  startLlmSimulator,
  DEFAULT_HOST,
  DEFAULT_SEED,
  type LlmSimulator,
  type LlmSimulatorOptions,
  type LlmSimulatorSettings,
  type RuntimeSettings,
} from './server';
export { LATENCY_HEADER, LATENCY_SPEC_HEADER } from './latency';
export { LATENCY_MAX_MS, parseLatencySpec, type LatencySpec } from './latency-spec';
export {
  DEFAULT_RETRY_AFTER_S,
  DEFAULT_SERVER_ERROR_STATUSES,
  ERROR_STATUS_HEADER,
  FAULT_HEADER,
  FAULT_NAMES,
  FAULT_RATE_HEADER,
  RATE_LIMITER,
  RETRY_AFTER_HEADER,
  SERVER_ERROR_STATUSES,
  type FaultName,
  type FaultSettings,
  type ServedFault,
} from './faults';
export { DEFAULT_RATE_WINDOW_MS, type RateLimitOptions } from './rate-limiter';
export type { FixtureAnswer, Fixtures } from './fixtures';
export { anthropicPromptHash, anthropicPromptMessages, promptHash } from './prompt-hash';
export { REQUEST_LOG_MAX_ENTRIES, type LoggedRequest, type PromptStats, type Stats } from './stats';
export type { WireFormatName } from './model-call';
export { AGENT_SCRIPTS, TOKEN_HEAVY_DEFAULT_TOKENS, type AgentScriptName } from './agent-scripts';
export type { AgentRunStats } from './stats';
export { jsonSchemaInstance } from './json-schema-instance';
export { createRng, type Rng, type RngStream } from './prng';
export { LlmSimulatorConfigError, LlmSimulatorFixtureError, LlmSimulatorRequestError, UnsatisfiableSchemaError } from './errors';
