// What `kta reprocess` does with one record of a dead-letter topic, decided without any I/O: the run
// it re-drives (with its deterministic ID and input), or why it skips the letter. The same plan feeds
// --dry-run and the real run, so a dry run predicts exactly the IDs a real run starts.
import { formatCoordinates } from '../../core/kafka-record';
import { z } from 'zod';
import type { Route } from '../../config';
import { deadLetterTopicFor } from '../../lib/dead-letter';
import { checkJsonValue } from '../../bridge/input-check';
import { recordSpecs } from '../../agents/record-specs';
import { recordHash } from '../../bridge/record-hash';
import type { KafkaRecord } from '../../bridge/route';
import { parseWorkflowId, retryWorkflowId, workflowIdFor } from '../../core/workflow-id';
import type { AgentInput } from '../../core/run-input';

/** The fields of a dead letter (bridge/dead-letter.ts deadLetterMessage) that a re-drive needs. */
const deadLetterSchema = z.object({
  class: z.string(),
  reasonCode: z.string().optional(),
  reason: z.string().default(''),
  workflowId: z.string().optional(),
  original: z.object({
    topic: z.string(),
    partition: z.number().int().nonnegative(),
    offset: z.string().regex(/^\d+$/),
    key: z.string().nullable(),
    value: z.string().optional(),
    timestamp: z.string(),
  }),
});

export interface RedriveFilter {
  readonly class?: string;
  readonly fromOffset?: number;
  readonly toOffset?: number;
  readonly maxRetries: number;
}

export interface PlannedRedrive {
  readonly kind: 'start';
  /** The dead letter's own coordinates in its topic, `dlq[p]@o`. */
  readonly letter: string;
  /** The original record's coordinates, `topic[p]@o`. */
  readonly original: string;
  readonly deadLetterClass: string;
  readonly workflowId: string;
  /** The run whose failure the letter stands for (or would have been, for a bridge dead letter). */
  readonly failedWorkflowId: string;
  readonly retry: number;
  readonly route: Route;
  readonly input: AgentInput<unknown>;
}

export interface SkippedLetter {
  readonly kind: 'skip';
  readonly letter: string;
  readonly original?: string;
  readonly reason: string;
}

export type LetterPlan = PlannedRedrive | SkippedLetter;


/**
 * The re-drive of one dead-letter record, `undefined` when the filter leaves it out.
 *
 * The re-drive's ID is derived from the letter alone, so re-running `kta reprocess` finds the run it
 * started the first time instead of starting another: a letter from run `X` (or from the bridge, for
 * a record that never became a run) re-drives as `X#retry-1`; a letter from run `X#retry-N` as
 * `X#retry-(N+1)`. Two copies of one dead letter (dead letters are at least once) re-drive once.
 */
export function planRedrive(record: KafkaRecord, dlqTopic: string, routes: readonly Route[], filter: RedriveFilter): LetterPlan | undefined {
  const letter = formatCoordinates(record);
  const checked = checkJsonValue(record.value);
  const parsed = checked.ok ? deadLetterSchema.safeParse(checked.json) : undefined;
  if (!parsed?.success) {
    return { kind: 'skip', letter, reason: `not a dead letter of this project (${checked.ok ? 'its fields do not match' : checked.reason}); remove it from ${dlqTopic} or read it with a Kafka consumer` };
  }
  const d = parsed.data;
  const o = d.original;
  if (filter.class !== undefined && d.class !== filter.class) return undefined;
  if (filter.fromOffset !== undefined && Number(o.offset) < filter.fromOffset) return undefined;
  if (filter.toOffset !== undefined && Number(o.offset) > filter.toOffset) return undefined;
  const original = formatCoordinates(o);
  const skip = (reason: string): SkippedLetter => ({ kind: 'skip', letter, original, reason });

  const failed = d.workflowId ? parseWorkflowId(d.workflowId) : undefined;
  const candidates = routes.filter((r) => r.topic === o.topic && deadLetterTopicFor(r.topic, r.deadLetterTopic) === dlqTopic);
  // A run's letter names its run, whose prefix picks the fan-out route; a bridge letter takes the topic's first route.
  const route = failed ? candidates.find((r) => (r.idPrefix ?? undefined) === failed.prefix) : candidates[0];
  if (!route) return skip(`topic ${o.topic} has no route${failed?.prefix ? ` with idPrefix ${failed.prefix}` : ''} whose dead-letter topic is ${dlqTopic}; add the route to ROUTES (or ROUTES_FILE)`);
  if (o.value === undefined) return skip(`its value was too large to copy into the dead letter; re-produce it from kafka:${original}`);

  const raw = Buffer.from(o.value, 'base64');
  const json = checkJsonValue(raw);
  if (!json.ok) return skip(`its value is still not a valid record (${json.reason}); fix the producer and produce the record again`);
  const valid = recordSpecs().get(route.workflowType)?.schema.safeParse(json.json);
  if (!valid?.success) {
    const why = valid ? z.prettifyError(valid.error).replace(/\n/g, '; ').slice(0, 200) : `no input schema for ${route.workflowType}`;
    return skip(`its value is still not a valid ${route.workflowType} input (${why}); fix the producer and produce the record again`);
  }

  const firstId = workflowIdFor(o.topic, o.partition, o.offset, route.idPrefix);
  const retry = (failed?.retry ?? 0) + 1;
  if (retry > filter.maxRetries) return skip(`it comes from re-drive ${retry - 1} of ${firstId}, and --max-retries is ${filter.maxRetries}; raise --max-retries to re-drive it again`);
  const key = o.key === null ? null : Buffer.from(o.key, 'base64');
  return {
    kind: 'start',
    letter,
    original,
    deadLetterClass: d.class,
    workflowId: retryWorkflowId(firstId, retry),
    failedWorkflowId: d.workflowId ?? firstId,
    retry,
    route,
    input: {
      value: valid.data,
      source: { topic: o.topic, partition: o.partition, offset: o.offset, key: key?.toString('utf8') ?? null, timestamp: o.timestamp, recordHash: recordHash(key, raw) },
      settings: route.workflow,
      deadLetterTopic: dlqTopic,
      retry,
    },
  };
}
