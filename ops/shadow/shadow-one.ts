// One shadow run: started on the shadow task queue under its own ID, awaited until the deadline
// (then terminated), and its result diffed against the completed production run's.
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { KafkaRecord, PlannedStart } from '../../bridge/route';
import type { ShadowRecorder } from '../../workers/shadow-activities';
import { jsonDiff } from './json-diff';
import type { ShadowOutcome } from './report';

export interface ShadowOptions {
  readonly topic: string;
  readonly partition: number;
  readonly fromOffset: number;
  /** Inclusive. */
  readonly toOffset: number;
  readonly workflows?: string;
  readonly name?: string;
  readonly timeoutS?: number;
}

export interface Planned { readonly record: KafkaRecord; readonly start: PlannedStart }

/** The shadow run of a production run; `:` cannot occur in a topic, so the original ID parses back. */
export const shadowWorkflowId = (name: string, originalId: string) => `shadow:${name}:${originalId}`;

async function originalResult(client: Client, workflowId: string): Promise<{ result: unknown } | { missing: string }> {
  try {
    const handle = client.workflow.getHandle(workflowId);
    const { status } = await handle.describe();
    if (status.name !== 'COMPLETED') return { missing: `original ${status.name.toLowerCase()}, not completed` };
    return { result: await handle.result() };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { missing: 'original missing' };
    throw err;
  }
}

export async function shadowOne(client: Client, opts: { name: string; taskQueue: string; deadlineMs: number }, p: Planned, recorder: ShadowRecorder): Promise<ShadowOutcome> {
  const { start } = p;
  const shadowId = shadowWorkflowId(opts.name, start.workflowId);
  const base = { partition: p.record.partition, offset: p.record.offset, originalId: start.workflowId, shadowId, workflowType: start.route.workflowType };
  const recorded = () => {
    const r = recorder.of(shadowId);
    return { effects: r.effects, modelCalls: r.modelCalls, tokens: r.tokens };
  };
  let handle: WorkflowHandle;
  let result: unknown;
  try {
    handle = await client.workflow.start(start.route.workflowType, {
      workflowId: shadowId,
      taskQueue: opts.taskQueue,
      args: [start.input],
      // No Kafka search attributes: audit, status and the bridge's backpressure must not see this run.
      memo: { shadowOf: start.workflowId },
      staticSummary: `shadow ${opts.name} of ${start.workflowId}`,
    });
  } catch (err) {
    return { ...base, status: 'failed', reason: `could not start: ${(err as Error).message}` };
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), Math.max(0, opts.deadlineMs - Date.now()))));
    result = await Promise.race([handle.result(), timedOut]);
  } catch (err) {
    if ((err as Error).message === 'timed out') {
      await handle.terminate('kta shadow: did not close within --timeout-s').catch(() => undefined);
      return { ...base, status: 'failed', reason: 'did not close within the timeout; terminated', ...recorded() };
    }
    const cause = (err as { cause?: Error }).cause;
    return { ...base, status: 'failed', reason: `${(err as Error).message}${cause ? `: ${cause.message}` : ''}`, ...recorded() };
  } finally {
    clearTimeout(timer);
  }
  const original = await originalResult(client, start.workflowId);
  if ('missing' in original) return { ...base, status: 'not-compared', reason: original.missing, result, ...recorded() };
  const diff = jsonDiff(original.result, result);
  return { ...base, status: diff.length ? 'differs' : 'equal', ...(diff.length ? { diff } : {}), original: original.result, result, ...recorded() };
}
