// `kta shadow`: runs an offset range of one partition through a new agent version (today's workflow
// code or --workflows) with every side effect stubbed, and diffs each run's result against what the
// production run returned. The records are read as the audit reads them and routed by the bridge's own
// router; a shadow worker in this process serves a fresh task queue with the agents' activities, their
// writes replaced by recording stubs (workers/shadow-activities.ts). Shadow runs carry no Kafka search
// attributes, so audit, status and backpressure never count them; their memo names the original.
// Exit code 0: every shadow run completed (differences are data); 1: some failed; 2: could not run.
import { recordSpecs } from '../agents/record-specs';
import { randomBytes } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createRouter, type KafkaRecord, type PlannedStart } from '../bridge/route';
import { workflowIdFor } from '../core/workflow-id';
import { loadConfig, type Config } from '../config';
import { NoRouteError, ServiceUnavailableError } from '../errors';
import { createLogger } from '../lib/logger';
import { createAgentActivities } from '../workers/agent-activities';
import { ShadowRecorder, shadowActivities } from '../workers/shadow-activities';
import { describeWorkflowCode } from '../workers/workflow-code';
import { openAuditKafka } from '../ops/kafka-records';
import { exitSoon, installQuietSdkRuntime, loadWorkflowCode, workflowCodeFor } from './replay';
import { formatOutcome, formatSummary, jsonDiff, summarize, type ShadowOutcome, type ShadowReport } from './shadow-report';
import { createPool, stderrPoolLog } from '../lib/pg-pool';

export interface ShadowOptions {
  readonly topic: string;
  readonly partition: number;
  readonly fromOffset: number;
  /** Inclusive. */
  readonly toOffset: number;
  readonly workflows?: string;
  readonly name?: string;
  readonly json?: boolean;
  readonly timeoutS?: number;
}

export const DEFAULT_SHADOW_TIMEOUT_S = 300;

/** The shadow run of a production run; `:` cannot occur in a topic, so the original ID parses back. */
export const shadowWorkflowId = (name: string, originalId: string) => `shadow:${name}:${originalId}`;

interface Planned { readonly record: KafkaRecord; readonly start: PlannedStart }

async function readRecords(config: Config, opts: ShadowOptions, notes: string[]): Promise<{ records: KafkaRecord[]; from: number; to: number }> {
  const kafka = await openAuditKafka(config.kafka.brokers, config.kafka.clientId);
  try {
    const p = (await kafka.partitionOffsets(opts.topic, config.kafka.groupId)).find((o) => o.partition === opts.partition);
    if (!p) throw new Error(`topic ${opts.topic} has no partition ${opts.partition}; give one the topic has`);
    const from = Math.max(opts.fromOffset, p.earliest);
    const to = Math.min(opts.toOffset + 1, p.end);
    if (from > opts.fromOffset) notes.push(`offsets below ${p.earliest} are no longer retained`);
    if (to < opts.toOffset + 1) notes.push(`the log ends at ${p.end - 1}; offsets past it are not shadowed`);
    const records: KafkaRecord[] = [];
    await kafka.readRanges(opts.topic, [{ partition: opts.partition, from, to }], async (_partition, page) => void records.push(...page));
    return { records, from, to: to - 1 };
  } finally {
    await kafka.close();
  }
}

/** Routes each record as the bridge would; what cannot become a shadow run is reported with its reason. */
function plan(config: Config, records: KafkaRecord[]): { planned: Planned[]; skipped: ShadowOutcome[] } {
  const router = createRouter(config.routes, config.bridge, recordSpecs());
  const planned: Planned[] = [];
  const skipped: ShadowOutcome[] = [];
  for (const record of records) {
    const outcome = router(record);
    const at = { partition: record.partition, offset: record.offset };
    if (outcome.kind === 'dead-letter') {
      skipped.push({ ...at, originalId: workflowIdFor(record.topic, record.partition, record.offset), status: 'not-shadowed', reason: `the bridge dead-letters it (${outcome.class} ${outcome.reasonCode}: ${outcome.reason})` });
      continue;
    }
    for (const start of outcome.starts) {
      if (start.entityId) {
        skipped.push({ ...at, originalId: start.workflowId, workflowType: start.route.workflowType, status: 'not-shadowed', reason: `per-key route: the record is a signal to entity run ${start.entityId}, which shadow does not drive` });
      } else {
        planned.push({ record, start });
      }
    }
  }
  return { planned, skipped };
}

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

async function shadowOne(client: Client, opts: { name: string; taskQueue: string; deadlineMs: number }, p: Planned, recorder: ShadowRecorder): Promise<ShadowOutcome> {
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

export async function runShadow(config: Config, opts: ShadowOptions, print: (line: string) => void = () => undefined): Promise<ShadowReport> {
  if (!config.routes.some((r) => r.topic === opts.topic)) throw new NoRouteError(opts.topic);
  if (opts.toOffset < opts.fromOffset) throw new Error(`--to-offset ${opts.toOffset} is below --from-offset ${opts.fromOffset}; give a range from..to`);
  const name = opts.name ?? randomBytes(3).toString('hex');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`--name ${name} may hold only letters, digits, '.', '_' and '-'`);
  const code = workflowCodeFor(config, opts.workflows);
  const taskQueue = `kta-shadow-${name}-${randomBytes(4).toString('hex')}`;
  const notes: string[] = [];
  const { records, from, to } = await readRecords(config, opts, notes);
  const { planned, skipped } = plan(config, records);
  print(`kta shadow ${name}: ${opts.topic}[${opts.partition}] offsets ${from}..${to} through the workflow ${describeWorkflowCode(code)} on task queue ${taskQueue}`);
  const loaded = await loadWorkflowCode(code);
  const connection = await Connection.connect({ address: config.temporal.address }).catch((err: unknown) => {
    throw new ServiceUnavailableError('Temporal', config.temporal.address, 'start it (locally `npx kta stack up`) or set TEMPORAL_ADDRESS to its frontend', { cause: err });
  });
  const pool = createPool(config.databaseUrl, stderrPoolLog, { name: 'shadow', max: 4 });
  let native: NativeConnection | undefined;
  const real = createAgentActivities(config, pool, createLogger('shadow', config.logLevel));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const recorder = new ShadowRecorder();
    // Throws before anything runs when an activity has no shadow decision.
    const activities = shadowActivities(real.activities, recorder);
    installQuietSdkRuntime(config.logLevel);
    native = await NativeConnection.connect({ address: config.temporal.address });
    const worker = await Worker.create({ connection: native, namespace: config.temporal.namespace, taskQueue, ...loaded, activities, shutdownGraceTime: '5s' });
    const deadlineMs = Date.now() + (opts.timeoutS ?? DEFAULT_SHADOW_TIMEOUT_S) * 1000;
    const shadowed = await worker.runUntil(Promise.all(planned.map(async (p) => {
      const outcome = await shadowOne(client, { name, taskQueue, deadlineMs }, p, recorder);
      print(formatOutcome(outcome));
      return outcome;
    })));
    for (const s of skipped) print(formatOutcome(s));
    const all = [...shadowed, ...skipped].sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
    const summary = summarize(all);
    return { ok: summary.failed === 0, name, taskQueue, workflows: describeWorkflowCode(code), topic: opts.topic, partition: opts.partition, range: { from, to }, notes, summary, records: all };
  } finally {
    await Promise.allSettled([native?.close(), connection.close(), real.close(), pool.end()]);
  }
}

export async function shadowCommand(opts: ShadowOptions): Promise<void> {
  let report: ShadowReport;
  try {
    report = await runShadow(loadConfig(), opts, opts.json ? undefined : (line) => console.log(line));
  } catch (err) {
    console.error(`kta shadow could not run: ${(err as Error).message}`);
    exitSoon(2);
    return;
  }
  console.log(opts.json ? JSON.stringify(report) : formatSummary(report));
  exitSoon(report.ok ? 0 : 1);
}
