// Every agent's activities, for one worker that serves any agent's task queue: the model gateway (with
// every agent's output schemas), the output-topic outbox, run dead letters, and each registered
// agent's own activities. A route sends each workflow type to a task queue; whichever worker polls it
// can run it.
import type { Pool } from 'pg';
import type { AgentDefinition } from '../agents/agent-definition';
import { AGENTS } from '../agents/registry';
import type { Config } from '../config';
import { createDeadLetterActivities } from '../activities/dead-letter';
import { createProvider } from '../activities/llm/create-provider';
import { createGatewayActivities } from '../activities/llm/gateway';
import { TokenLimiter } from '../activities/llm/limiter/token-limiter';
import { UsageLedger } from '../activities/llm/usage-ledger';
import type { Logger } from '../lib/logger';
import { createOutputActivities } from '../activities/output-topic';
import type { WorkerMetrics } from './worker-metrics';
import { createThroughputActivities } from '../activities/throughput/activities';

/** The shared activities, and close() for what they open beyond the pool (the worker owns the pool). */
export function createSharedActivities(config: Config, pool: Pool, log: Logger, agents: readonly AgentDefinition[] = AGENTS, metrics?: WorkerMetrics) {
  const provider = createProvider(config.llm);
  const limiter = new TokenLimiter(pool, { ...config.llm.limits, staleAfterMs: config.llm.requestTimeoutMs });
  const ledger = new UsageLedger(pool, config.llm.prices, (err, call) =>
    log.warn({ err: err.message, workflowId: call.workflowId, activityId: call.activityId, tokens: call.promptTokens + call.completionTokens }, 'recording a model call in llm_calls failed; the call itself stands (kta usage will miss it)'));
  const deadLetters = createDeadLetterActivities({ kafka: config.kafka, pool, onPublished: metrics?.runDeadLetter });
  const gateway = createGatewayActivities({ ...config.llm, provider, limiter, ledger, metrics: metrics?.model, outputs: Object.assign({}, ...agents.map((a) => a.outputs)) });
  const activities = {
    ...gateway,
    ...createOutputActivities({ pool }),
    ...deadLetters.activities,
    // Throughput routes: the batch activity calls the same gateway and dead-letter code per record.
    ...createThroughputActivities({ pool, agents, callModel: gateway.callModel, publishRunDeadLetter: deadLetters.activities.publishRunDeadLetter }),
  };
  return { activities, close: () => deadLetters.close() };
}

export type SharedActivities = ReturnType<typeof createSharedActivities>['activities'];
type AnyActivity = (...args: never[]) => Promise<unknown>;

/** The shared activities plus every agent's (two may not share a name), and close() for what they open. */
export function createAgentActivities(config: Config, pool: Pool, log: Logger, agents: readonly AgentDefinition[] = AGENTS, metrics?: WorkerMetrics): { activities: Record<string, AnyActivity>; close: () => Promise<void> } {
  const shared = createSharedActivities(config, pool, log, agents, metrics);
  const all: Record<string, AnyActivity> = { ...shared.activities };
  for (const agent of agents) {
    for (const [name, fn] of Object.entries(agent.createActivities({ pool, config, log }))) {
      if (all[name]) throw new Error(`activity ${name} of ${agent.workflowType} is already registered by another agent or the shared activities; rename it in its agents/<name>/activities.ts`);
      all[name] = fn;
    }
  }
  return { activities: all, close: shared.close };
}
