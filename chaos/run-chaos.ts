// One chaos run: its own stack, every registered agent's topic, two bridges and two workers (and the
// outbox relay) as child processes, records produced at a steady rate with bad ones and duplicates,
// faults injected on a seeded schedule, then the audit from outside and the report.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../config';
import { createPool } from '../lib/pg-pool';
import { runAudit } from '../ops/audit/audit';
import { sleep } from '../lib/backoff';
import { bundleWorkflowsTo } from '../workers/bundle';
import { auditTopics, type TopicUnderTest } from './audit';
import { startChaosStack } from './chaos-stack';
import { faultSchedule, FAULT_KINDS, type FaultKind, type FiredFault } from './fault-kinds';
import { inject, OUTAGE_MS } from './inject';
import { recordModelCalls, type Window } from './model-call-log';
import { chaosProducer } from './producer';
import { chaosProfiles } from './profiles';
import { planRecords } from './record-plan';
import { buildReport, type ChaosReport } from './report';
import { seededRng } from './rng';
import { startSampler } from './sampler';
import { serviceEnvs } from './service-env';
import { startChaosServices } from './services';
import { freePort } from '../dev/stack/ports';
import { timelineSvg } from './timeline-svg';

export interface ChaosOptions {
  readonly records: number;
  readonly seed: number;
  readonly outDir: string;
  /** Each fault kind this many times (default 1 up to 5,000 records, else 2). */
  readonly faultRounds?: number;
  readonly faultKinds?: readonly FaultKind[];
  /** Records per second (default: spread over about 20 s per scheduled fault). */
  readonly recordsPerSecond?: number;
  /** Extra environment of the bridges: the test-only unsafe switches. */
  readonly bridgeEnv?: Record<string, string>;
  /** A workflow bundle to reuse instead of building one. */
  readonly workflowBundlePath?: string;
  /** Give up waiting for the work to finish after this long (then audit what is there). */
  readonly settleTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Aborting it stops the run: services and stack are stopped, and runChaos rejects with ChaosInterruptedError. */
  readonly signal?: AbortSignal;
}

const PARTITIONS = 4;
// The audit's own pool: PostgreSQL restarts during the run are expected, not worth a line each.
const QUIET_POOL_LOG = { warn: () => undefined };
const MODEL_TIMEOUT_MS = 60_000;
const STALL_MS = 120_000;
/** A throughput route whose finished rows stopped growing this long, with nothing uncommitted, is done. */
const THROUGHPUT_QUIET_MS = 60_000;
/** The share of the records produced in bursts right before the faults. */
const BURST_SHARE = 0.4;

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const log = opts.log ?? ((line: string) => console.error(`[chaos] ${new Date().toISOString().slice(11, 19)} ${line}`));
  const rng = seededRng(opts.seed);
  const logDir = path.join(opts.outDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  // As root PostgreSQL runs as the postgres user, which must enter the run's directory (mkdtemp makes it 0700).
  chmodSync(opts.outDir, 0o755);
  const profiles = chaosProfiles();
  const topics: TopicUnderTest[] = profiles.map((profile) => {
    const topic = `chaos-${profile.name ?? profile.workflowType}`;
    return { profile, topic, deadLetterTopic: `${topic}.dlq`, ...(profile.outputTopic ? { outputTopic: `${topic}.out` } : {}) };
  });
  const schedule = faultSchedule(opts.faultRounds ?? (opts.records > 5_000 ? 2 : 1), rng, opts.faultKinds ?? FAULT_KINDS);
  const rate = opts.recordsPerSecond ?? Math.min(60, Math.max(4, Math.round(opts.records / (schedule.length * 20))));
  const plan = planRecords(opts.records, topics, rng);

  const [stack, bundle] = await Promise.all([
    startChaosStack(path.join(opts.outDir, 'stack'), opts.seed, log, { orderCount: Math.max(50, opts.records) }),
    opts.workflowBundlePath ?? bundleWorkflowsTo(path.join(opts.outDir, 'workflow-bundle.js')),
  ]);
  const cleanup: (() => Promise<unknown>)[] = [() => stack.stop()];
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => (cleaning ??= (async () => {
    for (const step of cleanup) await step().catch(() => undefined);
  })());
  // Ctrl-C (or SIGTERM) ends the run at once: the services and the stack it started are stopped.
  const interrupted = new Promise<never>((_, reject) => {
    const abort = () => reject(new ChaosInterruptedError(opts.outDir));
    if (opts.signal?.aborted) abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
  });
  interrupted.catch(() => undefined);
  const body = async (): Promise<ChaosReport> => {
    const admin = new Kafka({ clientId: 'chaos-admin', brokers: stack.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: topics.flatMap((t) => [t.topic, t.deadLetterTopic, ...(t.outputTopic ? [t.outputTopic] : [])]).map((topic) => ({ topic, numPartitions: PARTITIONS })) });
    await admin.disconnect();

    const groupId = 'chaos-bridges';
    const envs = serviceEnvs({ stack, groupId, bundle, topics, modelTimeoutMs: MODEL_TIMEOUT_MS, bridgeEnv: opts.bridgeEnv ?? {} });
    const services = startChaosServices(envs, { bridge: 2, worker: 2, relay: 1 }, logDir, log, [await freePort(), await freePort()]);
    cleanup.unshift(() => services.stop());
    const connection = await Connection.connect({ address: stack.temporal.address });
    cleanup.unshift(() => connection.close());
    const client = new Client({ connection, namespace: stack.temporal.namespace });
    const pool = createPool(stack.postgres.url, QUIET_POOL_LOG, { name: 'chaos-audit', max: 4 });
    cleanup.unshift(() => pool.end());

    const calls = recordModelCalls(stack.llm);
    log(`producing ${plan.length} records at ${rate}/s to ${topics.map((t) => t.topic).join(', ')}; ${schedule.length} faults scheduled`);
    // Most records come steadily from the start; the rest in one burst right before each fault.
    const burstSize = Math.floor((plan.length * BURST_SHARE) / schedule.length);
    const steadyPlan = plan.slice(0, plan.length - burstSize * schedule.length);
    const producer = chaosProducer(stack.brokers, log);
    const steadyDone = producer.steadily(steadyPlan, rate);
    const sampler = startSampler({ client, brokers: stack.brokers, groupId, topics: topics.map((t) => t.topic), perRecordTopics: topics.filter((t) => !t.profile.perKey && !t.profile.mode).map((t) => t.topic), producer: producer.progress, services, log });
    const startedAtMs = Date.now();

    const fired: FiredFault[] = [];
    const interruptions: Window[] = [];
    // A fault is due once its share of the per-record runs has closed, so the schedule follows the work
    // however fast this machine is (a fault before the first closed run would test start-up instead).
    // A run that stops making progress gets the next fault anyway after STALL_MS.
    const runsOf = (topic: string) => {
      const { profile } = topics.find((t) => t.topic === topic)!;
      return !profile.perKey && !profile.mode;
    };
    const expectedRuns = steadyPlan.filter((r) => r.kind === 'good' && runsOf(r.topic)).length;
    const closed = () => sampler.latest()?.closed ?? 0;
    const armed: Promise<void>[] = [];
    for (const [i, fault] of schedule.entries()) {
      let seen = closed();
      let progressAt = Date.now();
      while (closed() < Math.max(1, fault.atClosedShare * expectedRuns) && Date.now() - progressAt < STALL_MS) {
        await sleep(500);
        if (closed() > seen) [seen, progressAt] = [closed(), Date.now()];
      }
      const burstFrom = steadyPlan.length + i * burstSize;
      const burst = () => producer.burst(plan.slice(burstFrom, i === schedule.length - 1 ? plan.length : burstFrom + burstSize));
      // The Temporal outage gets its burst while the server is down: those records are consumed and
      // their starts retried when the bridge is killed, so they must come back uncommitted.
      const burstInside = fault.kind === 'temporal-restart' || fault.kind === 'bridge-sigkill';
      if (!burstInside) await burst();
      const at = Date.now();
      log(`fault ${i + 1}/${schedule.length}: ${fault.kind}${fault.kind.endsWith('sigkill') || fault.kind === 'temporal-restart' ? ` (bridge/worker #${fault.target})` : ''}, ${burstInside ? 'with' : 'after'} a burst of ${burstSize} records`);
      const injected = inject({ stack, services, slowCallsSince: calls.slowCallsSince, log, burst }, fault)
        .catch((err: unknown) => ({ fired: false, evidence: `injection failed: ${(err as Error).message}` }))
        .then((result) => {
          const done = Date.now();
          fired.push({ ...fault, startedAtMs: at, endedAtMs: done, ...result });
          log(`  ${fault.kind} ${result.fired ? 'fired' : 'DID NOT FIRE'}: ${result.evidence} (${((done - at) / 1000).toFixed(1)} s)`);
          return done;
        });
      // Booking faults fire only when a trip reaches the failing call, which may take a while: they stay
      // armed in the background while the schedule goes on, and are checked before the audit.
      if (fault.kind === 'booking-api-failures') {
        armed.push(injected.then(() => undefined));
        continue;
      }
      const done = await injected;
      // Calls a fault may cut off after the model answered: their step is asked again, by design.
      if (fault.kind === 'worker-sigkill') interruptions.push({ fromMs: at - MODEL_TIMEOUT_MS, toMs: done + 2_000 });
      if (fault.kind === 'temporal-restart' || fault.kind === 'postgres-restart') interruptions.push({ fromMs: at - MODEL_TIMEOUT_MS - OUTAGE_MS, toMs: done + 5_000 });
    }
    await steadyDone;
    await producer.close();
    await Promise.all(armed);
    fired.sort((a, b) => a.startedAtMs - b.startedAtMs);
    const producedAtMs = Date.now();
    log(`all ${plan.length} records produced; waiting for the work to finish`);
    const goodRecords = (topic: string) => plan.filter((r) => r.topic === topic && r.kind === 'good').length;
    const settled = await settle(client, pool, sampler, topics, goodRecords, opts.settleTimeoutMs ?? 600_000 + opts.records * 100);
    const finishedAtMs = Date.now();
    log(settled ? 'everything is done; auditing' : 'the work did not finish in time; auditing what is there');
    await sleep(2_500);
    await sampler.stop();
    await services.stop();

    const audits = await auditTopics({ brokers: stack.brokers, groupId, client, pool, booking: stack.booking }, topics);
    // The product's own audit (`kta audit`) over the same routes and group, as a second opinion.
    const opsAudit = await runAudit(loadConfig(envs.bridge), {}).then(
      (r) => ({ ok: r.ok, missing: r.missing.length }),
      (err: unknown) => ({ ok: false, missing: -1, error: (err as Error).message }),
    );
    const report = buildReport({
      options: { records: opts.records, seed: opts.seed, rate, bridgeEnv: opts.bridgeEnv ?? {} },
      plan, audits, faults: fired, modelCalls: calls.figures(interruptions), samples: sampler.samples,
      unplannedExits: services.unplannedExits, settled, opsAudit, startedAtMs, producedAtMs, finishedAtMs,
    });
    const svgPath = path.join(opts.outDir, 'chaos-timeline.svg');
    writeFileSync(svgPath, timelineSvg(sampler.samples, fired, `Chaos run: ${opts.records} records, seed ${opts.seed}, ${fired.length} faults`));
    writeFileSync(path.join(opts.outDir, 'chaos-report.json'), `${JSON.stringify({ ...report, samples: sampler.samples, faultLog: fired }, null, 2)}\n`);
    return { ...report, svgPath };
  };
  try {
    return await Promise.race([body(), interrupted]);
  } finally {
    await cleanUp();
  }
}

export class ChaosInterruptedError extends Error {
  override readonly name = 'ChaosInterruptedError';
  constructor(readonly outDir: string) {
    super(`the chaos run was interrupted; its services and stack are stopped, and its logs stay in ${outDir}/logs`);
  }
}

/**
 * Waits until the group has committed every record, no run is open and the outbox is sent; on a
 * throughput route, until every good record has its done or dead-letter row (or, with nothing
 * uncommitted, the rows stopped growing for THROUGHPUT_QUIET_MS: a lost record must not hold the run
 * until the timeout, the audit counts it).
 */
async function settle(client: Client, pool: ReturnType<typeof createPool>, sampler: ReturnType<typeof startSampler>, topics: readonly TopicUnderTest[], goodRecords: (topic: string) => number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const withRuns = topics.filter((t) => !t.profile.mode);
  const batched = topics.filter((t) => t.profile.mode === 'throughput');
  const all = `KafkaTopic IN (${withRuns.map((t) => JSON.stringify(t.topic)).join(', ')}) AND ExecutionStatus = "Running"`;
  let lastFinished = -1;
  let finishedSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(2_000);
    const s = sampler.latest();
    if (!s || s.lag > 0) continue;
    const open = await client.workflow.count(all).then((c) => c.count, () => 1);
    if (open > 0) continue;
    const unsent = await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM outbox WHERE sent_at IS NULL').then((r) => Number(r.rows[0].n), () => 1);
    if (unsent > 0) continue;
    if (!batched.length) return true;
    const finished = await Promise.all(batched.map((t) => pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM throughput_results WHERE topic = $1 AND status IN ('done', 'dead-letter')`, [t.topic]).then((r) => Number(r.rows[0].n), () => -1)));
    if (batched.every((t, i) => finished[i] >= goodRecords(t.topic))) return true;
    const total = finished.reduce((a, b) => a + b, 0);
    if (total !== lastFinished) [lastFinished, finishedSince] = [total, Date.now()];
    else if (Date.now() - finishedSince > THROUGHPUT_QUIET_MS) return true;
  }
  return false;
}
