// One place that reads the environment. The bridge, the workers and the CLI all call loadConfig(),
// so a worker and a client can never disagree about an address, a task queue or a timeout.
// Workflows never read it: they get what they need through their arguments.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { routeIssueMessages } from './config-route-issues';
import { readSecuredConnections } from './config/connections';
import { routeModeProblems } from './config-route-modes';
import { ConfigError } from './errors';

const DEFAULT_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:5432/kta';
const LOOPBACK_URL = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/;

const intFromEnv = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const boolFromEnv = (fallback: boolean) =>
  z.enum(['true', 'false', '1', '0']).default(fallback ? 'true' : 'false').transform((v) => v === 'true' || v === '1');

export const reviewSettingsSchema = z.strictObject({
  confidenceThreshold: z.number().min(0).max(1).default(0.75),
  deadlineMs: z.number().int().positive().default(86_400_000),
  defaultDecision: z.enum(['approve', 'reject']).default('reject'),
});

/** Tool-using agents' budgets and limits (core/run-input.ts AgentLoopSettings); unset: the agent's defaults. */
export const agentLoopSettingsSchema = z.strictObject({
  maxTurns: z.number().int().positive().optional(),
  maxTokens: z.number().int().positive().optional(),
  maxCostUsd: z.number().positive().optional(),
  turnsPerRun: z.number().int().positive().optional(),
  limits: z.record(z.string(), z.number()).optional(),
});

/** What a route passes to each run as its options: workflows take configuration only from here. */
export const workflowSettingsSchema = z.strictObject({
  /** Start-to-close of one model call, including its wait for the rate limiter. */
  modelTimeoutMs: z.number().int().positive().default(360_000),
  effectTimeoutMs: z.number().int().positive().default(30_000),
  /** Asks of the model per step when its output is invalid (each a recorded activity). */
  maxModelAttempts: z.number().int().positive().default(3),
  /** Temporal retries of one ask on transient failures (timeouts, 429, 5xx). */
  transientRetryAttempts: z.number().int().positive().default(10),
  /** json: a JSON answer; tool: the model must call the task's tool (invalid arguments -> NeedsReview). */
  modelOutput: z.enum(['json', 'tool']).default('json'),
  /** Optional model triage of a failed run's dead-letter class, with this hard timeout; off when absent. */
  triageTimeoutMs: z.number().int().positive().optional(),
  /** Attempts of one irreversible action on transient failures before the saga compensates. */
  effectRetryAttempts: z.number().int().positive().default(5),
  /** Human review: answers below the threshold wait for a decision until the deadline, then take the default. */
  review: reviewSettingsSchema.default(reviewSettingsSchema.parse({})),
  /** Where an agent publishes its result (through the outbox and `kta relay`); none: not published. */
  outputTopic: z.string().min(1).refine((t) => !t.includes(':'), 'topic names hold no ":"').optional(),
  /** Tool-using agents: turn, token and cost budgets per run, and the limits their policies read. */
  agent: agentLoopSettingsSchema.optional(),
});
export type WorkflowSettings = z.infer<typeof workflowSettingsSchema>;

/** Throughput mode: how the bridge batches a partition's records and how the partition run works them. */
export const batchSettingsSchema = z.strictObject({
  /** Records per message to the partition run (one update each) and per batch activity. */
  maxRecords: z.number().int().positive().max(500).default(50),
  /** Inline value bytes per message; keeps each update far below Temporal's 2 MB payload limit. */
  maxBytes: z.number().int().positive().max(1_500_000).default(1_000_000),
  /** Model calls in flight at once inside one batch activity. */
  concurrency: z.number().int().positive().max(100).default(10),
  /** Records the partition run holds unprocessed; past it, the bridge's next message waits (backpressure). */
  maxQueuedRecords: z.number().int().positive().default(500),
  /** Batch activities per run before it continues as new (its dedup state rides along). */
  maxBatchesPerRun: z.number().int().positive().default(100),
  /** The batch activity heartbeats about every third of this; a dead worker is noticed within it. */
  heartbeatTimeoutMs: z.number().int().min(3_000).default(30_000),
});
export type BatchSettings = z.infer<typeof batchSettingsSchema>;

export const routeSchema = z.strictObject({
  topic: z.string().min(1).refine((t) => !t.includes(':'), 'topic names hold no ":" (it separates the route prefix)'),
  workflowType: z.string().min(1),
  taskQueue: z.string().min(1),
  /** Optional `name` for fan-out: IDs become `name:topic-partition-offset`. */
  idPrefix: z.string().regex(/^[A-Za-z0-9_.-]+$/).optional(),
  workflow: workflowSettingsSchema.default(workflowSettingsSchema.parse({})),
  /** Where records that cannot become runs go; default `<topic>.dlq`. */
  deadLetterTopic: z.string().min(1).optional(),
  /** Business-key dedup: the same event produced twice (two offsets) runs once within the horizon. */
  businessKey: z
    .strictObject({ header: z.string().min(1).optional(), jsonField: z.string().min(1).optional(), horizonHours: z.number().positive().default(168) })
    .refine((b) => b.header || b.jsonField, 'give a header or a jsonField')
    .optional(),
  /** Backpressure: pause the topic's partitions while this route has this many open runs. */
  maxOpenRuns: z.number().int().positive().optional(),
  /** Backpressure: pause the topic while the model's rate limiter is saturated (Retry-After, or calls waiting for room). */
  pauseOnModelSaturation: z.boolean().default(true),
  /** per-key: records with the same key go, in offset order, to one long-running entity run per key. */
  ordering: z.enum(['per-record', 'per-key']).default('per-record'),
  entity: z.strictObject({ maxTurnsPerRun: z.number().int().positive().optional(), idleMs: z.number().int().positive().optional() }).optional(),
  /** throughput: one long-running run per partition receives the records in batches (README, Throughput mode). */
  mode: z.enum(['per-record', 'throughput']).default('per-record'),
  batch: batchSettingsSchema.default(batchSettingsSchema.parse({})),
});
export type Route = z.infer<typeof routeSchema>;

export const DEFAULT_ROUTES: Route[] = [
  routeSchema.parse({ topic: 'reviews', workflowType: 'tagReview', taskQueue: 'review-tagger' }),
];

const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092').transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean)),
  KAFKA_CLIENT_ID: z.string().default('kafka-temporal-agents'),
  KAFKA_GROUP_ID: z.string().default('kta-bridge'),
  KAFKA_SESSION_TIMEOUT_MS: intFromEnv(30_000),
  KAFKA_HEARTBEAT_INTERVAL_MS: intFromEnv(3_000),
  KAFKA_REBALANCE_TIMEOUT_MS: intFromEnv(60_000),
  KAFKA_FROM_BEGINNING: boolFromEnv(true),
  KAFKA_MAX_BYTES_PER_PARTITION: intFromEnv(1_048_576),
  BRIDGE_MAX_STARTS_IN_FLIGHT: intFromEnv(16),
  BRIDGE_COMMIT_INTERVAL_MS: intFromEnv(1_000),
  BRIDGE_RETRY_INITIAL_MS: intFromEnv(500),
  BRIDGE_CLAIM_CHECK_BYTES: intFromEnv(256 * 1024),
  BRIDGE_MAX_RECORD_BYTES: intFromEnv(8 * 1024 * 1024),
  BRIDGE_OPEN_RUNS_POLL_MS: intFromEnv(1_000),
  BRIDGE_P99_START_LATENCY_MS: intFromEnv(0),
  BRIDGE_RETRY_MAX_MS: intFromEnv(10_000),
  ROUTES: z.string().optional(),
  ROUTES_FILE: z.string().optional(),
  LLM_PROVIDER: z.enum(['openai', 'anthropic']).default('openai'),
  LLM_BASE_URL: z.string().url().default('http://127.0.0.1:8787/v1'),
  LLM_TOKENS_PER_WINDOW: intFromEnv(0),
  LLM_REQUESTS_PER_WINDOW: intFromEnv(0),
  LLM_WINDOW_MS: intFromEnv(60_000),
  LLM_MAX_OUTPUT_TOKENS: intFromEnv(512),
  LLM_REQUEST_TIMEOUT_MS: intFromEnv(60_000),
  LLM_MAX_LIMITER_WAIT_MS: intFromEnv(300_000),
  /** Prices for the usage ledger's cost estimate, USD per million tokens (0: unknown). */
  LLM_PRICE_INPUT_PER_MTOK: z.coerce.number().nonnegative().default(0),
  LLM_PRICE_OUTPUT_PER_MTOK: z.coerce.number().nonnegative().default(0),
  LLM_MODEL: z.string().default('llm-simulator'),
  BOOKING_API_URL: z.string().url().default('http://127.0.0.1:8788'),
  BOOKING_REQUEST_TIMEOUT_MS: intFromEnv(10_000),
  RELAY_TRANSACTIONAL_ID: z.string().min(1).default('kta-outbox-relay'),
  RELAY_TOPICS: z.string().optional().transform((s) => (s ? s.split(',').map((t) => t.trim()).filter(Boolean) : undefined)),
  RELAY_BATCH_SIZE: intFromEnv(100),
  RELAY_POLL_INTERVAL_MS: intFromEnv(200),
  WORKER_TASK_QUEUE: z.string().optional(),
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: intFromEnv(50),
  /** Workflow tasks one worker holds at once (the SDK's default is 40); fewer means fewer task timeouts on a starved CPU. */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: intFromEnv(40),
  METRICS_PORT: intFromEnv(0),
  /** Where /metrics, /healthz and /readyz listen: loopback unless a container or scraper needs more. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  KTA_FAULT: z.string().optional(),
  KTA_FAULT_MARKER: z.string().optional(),
  // TEST-ONLY, UNSAFE: each switch breaks an invariant on purpose so the chaos suite can prove it
  // notices (chaos/, test/chaos.test.ts). Never set them anywhere else.
  KTA_TEST_UNSAFE_COMMIT_BEFORE_START: boolFromEnv(false),
  KTA_TEST_UNSAFE_RANDOM_WORKFLOW_ID: boolFromEnv(false),
});

export type Config = ReturnType<typeof loadConfig>;

/**
 * Every environment variable loadConfig reads: the schema's, and those read beside it (secrets and
 * their _FILE forms), recorded from one load of an empty environment, so the list cannot drift from
 * the code. test/compose-config.test.ts checks the deployment files against it.
 */
export function configEnvKeys(): string[] {
  const read = new Set(Object.keys(envSchema.shape));
  const record = (key: string | symbol) => {
    if (typeof key === 'string' && /^[A-Z][A-Z0-9_]*$/.test(key)) read.add(key);
  };
  const recorder = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_env, key) => void record(key),
    has: (_env, key) => (record(key), false),
  });
  try {
    loadConfig(recorder);
  } catch {
    // An empty environment is the local default; whatever it reads before a problem is recorded.
  }
  return [...read].sort();
}

function parseRoutes(env: z.infer<typeof envSchema>, problems: string[]): Route[] {
  let raw: unknown = DEFAULT_ROUTES;
  try {
    if (env.ROUTES) raw = JSON.parse(env.ROUTES);
    else if (env.ROUTES_FILE) raw = JSON.parse(readFileSync(env.ROUTES_FILE, 'utf8'));
  } catch (err) {
    problems.push(`ROUTES${env.ROUTES ? '' : '_FILE'} is not valid JSON (${(err as Error).message}); give a JSON array of routes`);
    return [];
  }
  const parsed = z.array(routeSchema).min(1).safeParse(raw);
  if (!parsed.success) {
    problems.push(...routeIssueMessages(parsed.error, raw, routeSchema));
    return [];
  }
  const seen = new Set<string>();
  for (const r of parsed.data) {
    const key = `${r.idPrefix ?? ''}:${r.topic}`;
    if (seen.has(key)) problems.push(`ROUTES: topic ${r.topic} is routed twice with the same idPrefix; give each fan-out route its own idPrefix`);
    seen.add(key);
  }
  problems.push(...routeModeProblems(parsed.data));
  return parsed.data;
}

/** Reads and checks every setting at once; throws one ConfigError listing every problem and its fix. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const routes = parseRoutes(e, problems);
  const secured = readSecuredConnections(env, problems);
  if (e.KAFKA_HEARTBEAT_INTERVAL_MS * 3 > e.KAFKA_SESSION_TIMEOUT_MS) {
    problems.push(
      `KAFKA_HEARTBEAT_INTERVAL_MS (${e.KAFKA_HEARTBEAT_INTERVAL_MS}) must be at most a third of KAFKA_SESSION_TIMEOUT_MS (${e.KAFKA_SESSION_TIMEOUT_MS}); set it to about ${Math.floor(e.KAFKA_SESSION_TIMEOUT_MS / 3)}`,
    );
  }
  if (e.KAFKA_REBALANCE_TIMEOUT_MS < e.KAFKA_SESSION_TIMEOUT_MS) {
    problems.push(`KAFKA_REBALANCE_TIMEOUT_MS (${e.KAFKA_REBALANCE_TIMEOUT_MS}) must be at least KAFKA_SESSION_TIMEOUT_MS (${e.KAFKA_SESSION_TIMEOUT_MS})`);
  }
  if (e.LLM_TOKENS_PER_WINDOW > 0 && e.LLM_MAX_OUTPUT_TOKENS >= e.LLM_TOKENS_PER_WINDOW) {
    problems.push(`LLM_MAX_OUTPUT_TOKENS (${e.LLM_MAX_OUTPUT_TOKENS}) must be lower than LLM_TOKENS_PER_WINDOW (${e.LLM_TOKENS_PER_WINDOW}): every call reserves its prompt plus the maximum completion`);
  }
  if (e.LLM_WINDOW_MS < 1000) problems.push(`LLM_WINDOW_MS (${e.LLM_WINDOW_MS}) must be at least 1000`);
  if (e.BRIDGE_CLAIM_CHECK_BYTES >= e.BRIDGE_MAX_RECORD_BYTES) {
    problems.push(`BRIDGE_CLAIM_CHECK_BYTES (${e.BRIDGE_CLAIM_CHECK_BYTES}) must be lower than BRIDGE_MAX_RECORD_BYTES (${e.BRIDGE_MAX_RECORD_BYTES})`);
  }
  if (e.BRIDGE_CLAIM_CHECK_BYTES > 1_500_000) {
    problems.push(`BRIDGE_CLAIM_CHECK_BYTES (${e.BRIDGE_CLAIM_CHECK_BYTES}) must stay below Temporal's 2 MB payload limit with room for the run's other input; use 256 KiB to 1 MB`);
  }
  if (e.BRIDGE_MAX_STARTS_IN_FLIGHT < 1) problems.push('BRIDGE_MAX_STARTS_IN_FLIGHT must be at least 1');
  if (e.RELAY_BATCH_SIZE < 1) problems.push('RELAY_BATCH_SIZE must be at least 1');
  if (e.BOOKING_REQUEST_TIMEOUT_MS < 1) problems.push('BOOKING_REQUEST_TIMEOUT_MS must be at least 1');
  const apiKey = secured.llmApiKey ?? (LOOPBACK_URL.test(e.LLM_BASE_URL) ? 'local-endpoint-needs-no-key' : undefined);
  // The default model name only exists on the local simulator: against a real endpoint every call
  // would fail (unknown model) and every run become a dead letter, so this stops start-up instead.
  if (!env.LLM_MODEL && !LOOPBACK_URL.test(e.LLM_BASE_URL)) {
    problems.push(`LLM_MODEL is not set, so the model would be ${e.LLM_MODEL} (the local simulator's) at LLM_BASE_URL ${e.LLM_BASE_URL}, which is not a local endpoint; set LLM_MODEL to the provider's model name`);
  }
  if (!apiKey && !secured.sources.LLM_API_KEY) problems.push(`LLM_API_KEY (or LLM_API_KEY_FILE) is not set and LLM_BASE_URL (${e.LLM_BASE_URL}) is not a local endpoint; set LLM_API_KEY to the provider's key`);
  if (problems.length) throw new ConfigError(problems);

  return {
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, ...secured.temporal },
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      security: secured.kafka,
      groupId: e.KAFKA_GROUP_ID,
      sessionTimeoutMs: e.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: e.KAFKA_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeoutMs: e.KAFKA_REBALANCE_TIMEOUT_MS,
      fromBeginning: e.KAFKA_FROM_BEGINNING,
      maxBytesPerPartition: e.KAFKA_MAX_BYTES_PER_PARTITION,
    },
    bridge: {
      maxStartsInFlight: e.BRIDGE_MAX_STARTS_IN_FLIGHT,
      commitIntervalMs: e.BRIDGE_COMMIT_INTERVAL_MS,
      retryInitialMs: e.BRIDGE_RETRY_INITIAL_MS,
      retryMaxMs: e.BRIDGE_RETRY_MAX_MS,
      claimCheckBytes: e.BRIDGE_CLAIM_CHECK_BYTES,
      maxRecordBytes: e.BRIDGE_MAX_RECORD_BYTES,
      openRunsPollMs: e.BRIDGE_OPEN_RUNS_POLL_MS,
      /** 0 = measure at start-up. */
      p99StartLatencyMs: e.BRIDGE_P99_START_LATENCY_MS,
      /** Test-only switches that break invariants 1 and 2 on purpose (the chaos suite's negative proof). */
      testOnlyUnsafe: {
        commitBeforeStart: e.KTA_TEST_UNSAFE_COMMIT_BEFORE_START,
        randomWorkflowId: e.KTA_TEST_UNSAFE_RANDOM_WORKFLOW_ID,
      },
    },
    routes,
    databaseUrl: secured.databaseUrl ?? DEFAULT_DATABASE_URL,
    llm: {
      provider: e.LLM_PROVIDER,
      baseUrl: e.LLM_BASE_URL,
      apiKey: apiKey as string,
      model: e.LLM_MODEL,
      maxOutputTokens: e.LLM_MAX_OUTPUT_TOKENS,
      requestTimeoutMs: e.LLM_REQUEST_TIMEOUT_MS,
      maxLimiterWaitMs: e.LLM_MAX_LIMITER_WAIT_MS,
      prices: { inputPerMTok: e.LLM_PRICE_INPUT_PER_MTOK, outputPerMTok: e.LLM_PRICE_OUTPUT_PER_MTOK },
      limits: { tokensPerWindow: e.LLM_TOKENS_PER_WINDOW, requestsPerWindow: e.LLM_REQUESTS_PER_WINDOW, windowMs: e.LLM_WINDOW_MS },
    },
    booking: { baseUrl: e.BOOKING_API_URL, requestTimeoutMs: e.BOOKING_REQUEST_TIMEOUT_MS },
    relay: {
      transactionalId: e.RELAY_TRANSACTIONAL_ID,
      topics: e.RELAY_TOPICS,
      batchSize: e.RELAY_BATCH_SIZE,
      pollIntervalMs: e.RELAY_POLL_INTERVAL_MS,
    },
    worker: {
      taskQueue: e.WORKER_TASK_QUEUE,
      workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
      maxConcurrentActivities: e.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTasks: e.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    },
    metricsPort: e.METRICS_PORT,
    /** Which secured-connection settings are set, and from a value or a file; never the values. */
    settingSources: secured.sources,
    metricsHost: e.METRICS_HOST,
    logLevel: e.LOG_LEVEL,
    fault: { point: e.KTA_FAULT, marker: e.KTA_FAULT_MARKER },
  };
}
