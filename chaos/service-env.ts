// The environment of the chaos run's bridges, workers and relay: one route per agent topic, all on one
// task queue, short Kafka session timeouts (a killed bridge's partitions move within seconds), short
// booking timeouts (a booking answer that never comes is retried soon), and model timeouts long
// enough that a loaded machine does not retry a step that is merely slow. The bridges commit at the
// product's default interval (BRIDGE_COMMIT_INTERVAL_MS), so a kill finds as many started but
// uncommitted records as it would in production.
import type { ChaosStack } from './chaos-stack';
import type { TopicUnderTest } from './audit';
import type { Role } from './services';

export const TASK_QUEUE = 'chaos-agents';

export function serviceEnvs(opts: { stack: ChaosStack; groupId: string; bundle: string; topics: readonly TopicUnderTest[]; modelTimeoutMs: number; bridgeEnv: Record<string, string> }): Record<Role, Record<string, string>> {
  const routes = opts.topics.map((t) => {
    const extra = t.profile.route({ outputTopic: t.outputTopic ?? '' }) as { workflow?: Record<string, unknown> };
    return {
      ...extra,
      topic: t.topic,
      workflowType: t.profile.workflowType,
      taskQueue: TASK_QUEUE,
      deadLetterTopic: t.deadLetterTopic,
      workflow: { modelTimeoutMs: opts.modelTimeoutMs, effectTimeoutMs: 10_000, maxModelAttempts: 3, ...extra.workflow },
    };
  });
  const common: Record<string, string> = {
    TEMPORAL_ADDRESS: opts.stack.temporal.address,
    TEMPORAL_NAMESPACE: opts.stack.temporal.namespace,
    KAFKA_BROKERS: opts.stack.brokers.join(','),
    KAFKA_GROUP_ID: opts.groupId,
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
    KAFKA_REBALANCE_TIMEOUT_MS: '10000',
    BRIDGE_RETRY_INITIAL_MS: '200',
    BRIDGE_RETRY_MAX_MS: '2000',
    DATABASE_URL: opts.stack.postgres.url,
    LLM_BASE_URL: opts.stack.llm.baseUrl,
    LLM_REQUEST_TIMEOUT_MS: '20000',
    BOOKING_API_URL: opts.stack.booking.url,
    BOOKING_REQUEST_TIMEOUT_MS: '3000',
    WORKER_TASK_QUEUE: TASK_QUEUE,
    WORKFLOW_BUNDLE_PATH: opts.bundle,
    ROUTES: JSON.stringify(routes),
    RELAY_TOPICS: opts.topics.flatMap((t) => (t.outputTopic ? [t.outputTopic] : [])).join(','),
    RELAY_TRANSACTIONAL_ID: 'chaos-relay',
    LOG_LEVEL: 'info',
  };
  return { bridge: { ...common, ...opts.bridgeEnv }, worker: common, relay: common };
}
