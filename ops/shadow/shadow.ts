// The shadow (`kta shadow`): runs an offset range of one partition through a new agent version (today's workflow
// code or --workflows) with every side effect stubbed, and diffs each run's result against what the
// production run returned. The records are read as the audit reads them and routed by the bridge's own
// router; a shadow worker in this process serves a fresh task queue with the agents' activities, their
// writes replaced by recording stubs (workers/shadow-activities.ts). Shadow runs carry no Kafka search
// attributes, so audit, status and backpressure never count them; their memo names the original.
// The report's ok is false when a shadow run failed (differences are data); it rejects when it could not run.
import { temporalConnectionOptions } from '../../lib/temporal-client';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../../config';
import { NoRouteError, ServiceUnavailableError } from '../../errors';
import { createLogger } from '../../lib/logger';
import { createPool, stderrPoolLog } from '../../lib/pg-pool';
import { createAgentActivities } from '../../workers/agent-activities';
import { ShadowRecorder, shadowActivities } from '../../workers/shadow-activities';
import { describeWorkflowCode } from '../../workers/workflow-code';
import { installQuietSdkRuntime, loadWorkflowCode, workflowCodeFor } from '../replay/workflow-code';
import { plan, readRecords } from './plan';
import { summarize, type ShadowOutcome, type ShadowReport } from './report';
import { shadowOne, type ShadowOptions } from './shadow-one';

export type { ShadowOptions } from './shadow-one';

export const DEFAULT_SHADOW_TIMEOUT_S = 300;

/** What a caller hears while the shadow runs (the command prints each as it comes). */
export interface ShadowProgress {
  /** The records are read and planned; the workflow code is about to be loaded. */
  readonly started?: (run: { name: string; topic: string; partition: number; from: number; to: number; workflows: string; taskQueue: string }) => void;
  readonly outcome?: (outcome: ShadowOutcome) => void;
}

export async function runShadow(config: Config, opts: ShadowOptions, progress: ShadowProgress = {}): Promise<ShadowReport> {
  if (!config.routes.some((r) => r.topic === opts.topic)) throw new NoRouteError(opts.topic);
  if (opts.toOffset < opts.fromOffset) throw new Error(`--to-offset ${opts.toOffset} is below --from-offset ${opts.fromOffset}; give a range from..to`);
  const name = opts.name ?? randomBytes(3).toString('hex');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`--name ${name} may hold only letters, digits, '.', '_' and '-'`);
  const code = workflowCodeFor(config, opts.workflows);
  const taskQueue = `kta-shadow-${name}-${randomBytes(4).toString('hex')}`;
  const notes: string[] = [];
  const { records, from, to } = await readRecords(config, opts, notes);
  const { planned, skipped } = plan(config, records);
  progress.started?.({ name, topic: opts.topic, partition: opts.partition, from, to, workflows: describeWorkflowCode(code), taskQueue });
  const loaded = await loadWorkflowCode(code);
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal)).catch((err: unknown) => {
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
    native = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
    const worker = await Worker.create({ connection: native, namespace: config.temporal.namespace, taskQueue, ...loaded, activities, shutdownGraceTime: '5s' });
    const deadlineMs = Date.now() + (opts.timeoutS ?? DEFAULT_SHADOW_TIMEOUT_S) * 1000;
    const shadowed = await worker.runUntil(Promise.all(planned.map(async (p) => {
      const outcome = await shadowOne(client, { name, taskQueue, deadlineMs }, p, recorder);
      progress.outcome?.(outcome);
      return outcome;
    })));
    for (const s of skipped) progress.outcome?.(s);
    const all = [...shadowed, ...skipped].sort((a, b) => Number(BigInt(a.offset) - BigInt(b.offset)));
    const summary = summarize(all);
    return { ok: summary.failed === 0, name, taskQueue, workflows: describeWorkflowCode(code), topic: opts.topic, partition: opts.partition, range: { from, to }, notes, summary, records: all };
  } finally {
    await Promise.allSettled([native?.close(), connection.close(), real.close(), pool.end()]);
  }
}
