// Pure routing: a Kafka record -> the workflow starts it stands for (one per route on its topic).
// No I/O here, so it is tested without a broker and never slows the poll loop.
import { z } from 'zod';
import type { Route } from '../config';
import { ConfigError, NoRouteError } from '../errors';
import type { AgentInput, RecordSource } from '../workflows/record-source';
import { RECORD_INPUT_SCHEMAS } from './record-inputs';
import { recordHash } from './record-hash';
import { workflowIdFor } from './workflow-id';

export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: string;
}

export interface PlannedStart {
  readonly route: Route;
  readonly workflowId: string;
  readonly input: AgentInput<unknown>;
}

export type RouteOutcome = { ok: true; starts: PlannedStart[] } | { ok: false; reason: string };

export type Router = (record: KafkaRecord) => RouteOutcome;

export function createRouter(routes: Route[]): Router {
  const byTopic = new Map<string, Route[]>();
  const problems: string[] = [];
  for (const route of routes) {
    if (!RECORD_INPUT_SCHEMAS[route.workflowType]) {
      problems.push(`route for topic ${route.topic} names workflow type ${route.workflowType}, which has no input schema; use one of ${Object.keys(RECORD_INPUT_SCHEMAS).join(', ')}`);
    }
    byTopic.set(route.topic, [...(byTopic.get(route.topic) ?? []), route]);
  }
  if (problems.length) throw new ConfigError(problems);

  return (record) => {
    const topicRoutes = byTopic.get(record.topic);
    if (!topicRoutes) throw new NoRouteError(record.topic);
    if (!record.value || record.value.length === 0) return { ok: false, reason: 'the record has no value (empty or tombstone)' };
    let json: unknown;
    try {
      json = JSON.parse(record.value.toString('utf8'));
    } catch (err) {
      return { ok: false, reason: `the value is not JSON (${(err as Error).message})` };
    }
    const source: RecordSource = {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      key: record.key ? record.key.toString('utf8') : null,
      timestamp: record.timestamp,
      recordHash: recordHash(record.key, record.value),
    };
    const starts: PlannedStart[] = [];
    for (const route of topicRoutes) {
      const checked = RECORD_INPUT_SCHEMAS[route.workflowType].safeParse(json);
      if (!checked.success) {
        return { ok: false, reason: `the value does not match the ${route.workflowType} input: ${z.prettifyError(checked.error).replace(/\n/g, '; ')}` };
      }
      starts.push({
        route,
        workflowId: workflowIdFor(record.topic, record.partition, record.offset, route.idPrefix),
        input: { value: checked.data, source, settings: route.workflow },
      });
    }
    return { ok: true, starts };
  };
}
