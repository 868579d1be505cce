// What a deployment must set for each of our services, and why. The rule: a variable whose default
// only makes sense on a developer's machine must be set explicitly. Defaults that point at loopback
// (Temporal, Kafka, PostgreSQL, the LLM simulator) would, in a container, point at the container
// itself; probes need the metrics server on (it is off by default) and reachable from outside the
// process's loopback; and a few values must agree between services. test/compose-config.test.ts
// holds docker-compose.yml (and the Dockerfile's ENV) to this list.

export type ServiceRole = 'bridge' | 'worker' | 'relay';

/** One requirement: any one of `anyOf` set (a secret may come as NAME or NAME_FILE), and why. */
export interface EnvRequirement {
  readonly anyOf: readonly string[];
  readonly why: string;
}

const req = (anyOf: string | string[], why: string): EnvRequirement => ({ anyOf: typeof anyOf === 'string' ? [anyOf] : anyOf, why });

const probes = [
  req('METRICS_PORT', 'the default 0 serves no /healthz, /readyz or /metrics, so no health check or scrape can work'),
  req('METRICS_HOST', 'the default 127.0.0.1 is unreachable from outside the container (orchestrator probes, Prometheus)'),
];
const temporal = [
  req('TEMPORAL_ADDRESS', 'the default 127.0.0.1:7233 is the container itself'),
  req('TEMPORAL_NAMESPACE', 'must be the namespace set up with the retention and the search attributes, not whatever "default" is'),
];
const kafkaAndDatabase = [
  req('KAFKA_BROKERS', 'the default 127.0.0.1:9092 is the container itself'),
  req(['DATABASE_URL', 'DATABASE_URL_FILE'], 'the default is the local stack\'s PostgreSQL on 127.0.0.1'),
];
// The bridge's backpressure reads the workers' rate limiter under the key provider:model.
const limiterKey = [
  req('LLM_PROVIDER', 'the wire format (openai or anthropic) and half of the shared limiter\'s key, which bridge and workers must agree on'),
  req('LLM_MODEL', 'the default names the local simulator\'s model; also half of the shared limiter\'s key'),
];

export const REQUIRED_DEPLOYMENT_ENV: Readonly<Record<ServiceRole, readonly EnvRequirement[]>> = {
  bridge: [...temporal, ...kafkaAndDatabase, ...probes, ...limiterKey,
    req('KAFKA_GROUP_ID', 'every bridge replica of one deployment must share it, and no other deployment may')],
  worker: [...temporal, ...kafkaAndDatabase, ...probes, ...limiterKey,
    req('LLM_BASE_URL', 'the default is the local LLM simulator'),
    req(['LLM_API_KEY', 'LLM_API_KEY_FILE'], 'a real provider refuses calls without it'),
    req('WORKER_TASK_QUEUE', 'must be the task queue the routes send runs to'),
    req('WORKFLOW_BUNDLE_PATH', 'without it the worker bundles at start: slow, and it writes generated files a read-only image cannot hold')],
  relay: [...kafkaAndDatabase, ...probes,
    req('RELAY_TRANSACTIONAL_ID', 'one per deployment: a second relay with the same ID fences the first')],
};

/** The requirements of `role` that `env` (the names set) leaves unmet. */
export const unmetRequirements = (role: ServiceRole, env: ReadonlySet<string>): EnvRequirement[] =>
  REQUIRED_DEPLOYMENT_ENV[role].filter((r) => !r.anyOf.some((name) => env.has(name)));
