// Pure routing: a Kafka record -> the workflow starts it stands for (one per route on its topic), or
// the dead letter it must become. No I/O here, so it is tested without a broker and never slows the
// poll loop.
import type { Route } from '../config';
import { ConfigError, NoRouteError } from '../errors';
import type { ClaimCheckRef } from '../core/claim-check';
import type { RecordSpecs } from '../core/record-spec';
import type { AgentInput, RecordSource } from '../core/run-input';
import { deadLetterTopicFor } from '../lib/dead-letter';
import { checkJsonValue, describeSchemaIssues } from './input-check';
import { recordHash } from './record-hash';
import type { KafkaRecord } from '../core/kafka-record';
import { randomUUID } from 'node:crypto';
import { entityWorkflowId, partitionWorkflowId, workflowIdFor } from '../core/workflow-id';

export type { KafkaRecord };


export interface PlannedStart {
  readonly route: Route;
  readonly workflowId: string;
  readonly input: AgentInput<unknown>;
  /** The route's business idempotency key for this record, when the route has one. */
  readonly businessKey?: string;
  /** Per-key ordered routes: the entity run to signal (signal-with-start) instead of a run per record. */
  readonly entityId?: string;
  /** Throughput routes: the partition run that receives the record in a batch (bridge/throughput-batch.ts). */
  readonly partitionWorkflowId?: string;
}

export type RouteOutcome =
  | { kind: 'start'; starts: PlannedStart[]; claimCheck?: ClaimCheckRef; deadLetterTopic: string }
  | { kind: 'dead-letter'; class: 'INVALID_INPUT' | 'OVERSIZED'; reasonCode: string; reason: string; deadLetterTopic: string };

export type Router = (record: KafkaRecord) => RouteOutcome;

export interface RouterLimits {
  /** Values larger than this go through the claim check (stored once, the run gets a reference). */
  readonly claimCheckBytes: number;
  /** Values larger than this are dead-lettered as OVERSIZED. */
  readonly maxRecordBytes: number;
  /** Test-only (KTA_TEST_UNSAFE_RANDOM_WORKFLOW_ID): a random suffix on every ID, which disables the dedup. */
  readonly testOnlyUnsafe?: { readonly randomWorkflowId: boolean };
}

function businessKeyOf(route: Route, record: KafkaRecord, json: unknown): string | undefined {
  const spec = route.businessKey;
  if (!spec) return undefined;
  if (spec.header) {
    const h = record.headers?.[spec.header];
    if (h !== undefined && h !== null) return typeof h === 'string' ? h : h.toString('utf8');
  }
  if (spec.jsonField && json && typeof json === 'object') {
    const v = (json as Record<string, unknown>)[spec.jsonField];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

// The chaos suite's negative proof only: with the switch on, a redelivered record gets a new ID and
// therefore a second run. Never on in real use (config.ts names it TEST-ONLY, UNSAFE).
const unsafeTestId = (id: string, limits: RouterLimits) => (limits.testOnlyUnsafe?.randomWorkflowId ? `${id}#unsafe-${randomUUID()}` : id);

export function createRouter(routes: Route[], limits: RouterLimits, records: RecordSpecs): Router {
  const byTopic = new Map<string, Route[]>();
  const problems: string[] = [];
  for (const route of routes) {
    if (!records.has(route.workflowType)) {
      problems.push(`route for topic ${route.topic} names workflow type ${route.workflowType}, which has no input schema; use one of ${[...records.keys()].join(', ')} (agents/registry.ts)`);
    } else if (route.mode === 'throughput' && !records.get(route.workflowType)!.takesBatches) {
      problems.push(`the route of topic ${route.topic} runs ${route.workflowType} in throughput mode, which that agent does not support (no throughput hooks in its agent.ts); use mode per-record or one of ${[...records].filter(([, s]) => s.takesBatches).map(([t]) => t).join(', ')}`);
    }
    const siblings = byTopic.get(route.topic) ?? [];
    if (siblings.some((r) => deadLetterTopicFor(r.topic, r.deadLetterTopic) !== deadLetterTopicFor(route.topic, route.deadLetterTopic))) {
      problems.push(`the routes of topic ${route.topic} name different deadLetterTopics; give them one`);
    }
    byTopic.set(route.topic, [...siblings, route]);
  }
  if (problems.length) throw new ConfigError(problems);

  return (record) => {
    const topicRoutes = byTopic.get(record.topic);
    if (!topicRoutes) throw new NoRouteError(record.topic);
    const deadLetterTopic = deadLetterTopicFor(record.topic, topicRoutes[0].deadLetterTopic);
    const dead = (cls: 'INVALID_INPUT' | 'OVERSIZED', reasonCode: string, reason: string): RouteOutcome => ({ kind: 'dead-letter', class: cls, reasonCode, reason, deadLetterTopic });
    const bytes = record.value?.length ?? 0;
    if (bytes > limits.maxRecordBytes) {
      return dead('OVERSIZED', 'PAST_HARD_CAP', `the value has ${bytes} bytes, past the hard cap of ${limits.maxRecordBytes} (BRIDGE_MAX_RECORD_BYTES)`);
    }
    const checked = checkJsonValue(record.value);
    if (!checked.ok) return dead('INVALID_INPUT', checked.reasonCode, checked.reason);
    const source: RecordSource = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      key: record.key ? record.key.toString('utf8') : null,
      timestamp: record.timestamp,
      recordHash: recordHash(record.key, record.value),
    };
    const claimCheck: ClaimCheckRef | undefined = bytes > limits.claimCheckBytes
      ? { $claimCheck: { topic: record.topic, partition: record.partition, offset: record.offset, bytes, recordHash: source.recordHash } }
      : undefined;
    const starts: PlannedStart[] = [];
    for (const route of topicRoutes) {
      const spec = records.get(route.workflowType)!;
      const valid = spec.schema.safeParse(checked.json);
      if (!valid.success) {
        return dead('INVALID_INPUT', 'SCHEMA', `the value does not match the ${route.workflowType} input: ${describeSchemaIssues(valid.error)}`);
      }
      if (claimCheck && !spec.takesClaimChecks) {
        return dead('OVERSIZED', 'NO_CLAIM_CHECK', `the value has ${bytes} bytes, past the claim-check bound of ${limits.claimCheckBytes}, and ${route.workflowType} does not take claim checks`);
      }
      if (route.ordering === 'per-key' && source.key === null) {
        return dead('INVALID_INPUT', 'NO_KEY', `route ${route.workflowType} orders records per key, and this record has no key`);
      }
      starts.push({
        route,
        workflowId: unsafeTestId(workflowIdFor(record.topic, record.partition, record.offset, route.idPrefix), limits),
        ...(route.ordering === 'per-key' ? { entityId: entityWorkflowId(record.topic, source.key!, route.idPrefix) } : {}),
        ...(route.mode === 'throughput' ? { partitionWorkflowId: partitionWorkflowId(record.topic, record.partition, route.idPrefix) } : {}),
        // A claim-checked value stays out of the start payload (and of history); the run resolves it.
        input: { value: claimCheck ?? valid.data, source, settings: route.workflow, deadLetterTopic },
        businessKey: businessKeyOf(route, record, checked.json),
      });
    }
    return { kind: 'start', starts, claimCheck, deadLetterTopic };
  };
}
