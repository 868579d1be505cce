// The LLM simulator's public surface, for tests, the demo and the stack scripts.
export { startLlmSimulator, DEFAULT_HOST, DEFAULT_SEED, type LlmSimulator, type LlmSimulatorOptions } from './server';
export { LATENCY_HEADER } from './latency';
export { promptHash } from './prompt-hash';
export { REQUEST_LOG_MAX_ENTRIES, type LoggedRequest, type Stats } from './stats';
export { jsonSchemaInstance } from './json-schema-instance';
export { createRng, type Rng } from './prng';
export { LlmSimulatorConfigError, LlmSimulatorRequestError, UnsatisfiableSchemaError } from './errors';
