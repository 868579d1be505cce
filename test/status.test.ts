import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TokenLimiter, limiterKeyFor } from '../activities/llm/limiter/token-limiter';
import { loadConfig, routeSchema } from '../config';
import { formatStatus } from '../cli/status-format';
import { gatherStatus } from '../ops/status/gather';
import { pauseOutlook, type LimiterStatus, type Reading, type RouteStatus, type RunCounts, type StatusReport } from '../ops/status/report';
import { freePort } from '../dev/stack/ports';
import { runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { uniqueName } from './helpers/unique';
import { waitFor } from './helpers/wait-for';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GOOD = 4;
const BOUND = 50;
const MODEL_WINDOW_MS = 60_000;

let s: Scenario;
let bridge: Awaited<ReturnType<Scenario['startBridge']>> | undefined;

before(async () => {
  s = await createScenario('status', { partitions: 2 });
  const [route] = JSON.parse(s.env.ROUTES) as Record<string, unknown>[];
  // A limiter key of this test's own (provider:model) with a token limit, so the workers record each call.
  Object.assign(s.env, {
    ROUTES: JSON.stringify([{ ...route, maxOpenRuns: BOUND }]),
    LLM_MODEL: `sim-${s.topic}`,
    LLM_TOKENS_PER_WINDOW: '200000',
    LLM_WINDOW_MS: String(MODEL_WINDOW_MS),
  });
  await s.produceReviews(GOOD / 2, { partition: 0 });
  await s.produceReviews(GOOD / 2, { partition: 1, startAt: GOOD / 2 });
  await s.kafka.produce(s.topic, [{ key: 'bad-0', value: 'this is not JSON {', partition: 1 }]);
});
after(async () => s?.close());

const status = (opts: Parameters<typeof gatherStatus>[1] = {}, env: Record<string, string> = s.env) => gatherStatus(loadConfig(env), opts);

function ok<T>(r: Reading<T>, what: string): T {
  if (!r.ok) assert.fail(`${what} is unavailable: ${r.error}`);
  return r.value;
}

const onlyRoute = (report: StatusReport): RouteStatus => {
  assert.equal(report.routes.length, 1, 'one route configured');
  return report.routes[0];
};

const byPartition = <T extends { partition: number }>(rows: T[]) => [...rows].sort((a, b) => a.partition - b.partition);

test('records produced while no bridge runs are all lag, per partition, with no runs, no dead letters and the open-run bound shown', { timeout: 60_000 }, async () => {
  const report = await status();
  const route = onlyRoute(report);
  assert.equal(route.topic, s.topic);
  assert.equal(report.groupId, s.groupId);
  const lag = ok(route.lag, 'lag');
  assert.equal(lag.lag, GOOD + 1, 'every produced record, the bad one included, is lag');
  assert.deepEqual(byPartition(lag.partitions), [
    { partition: 0, committed: null, end: 2, lag: 2 },
    { partition: 1, committed: null, end: 3, lag: 3 },
  ]);
  const runs = ok(route.runs, 'runs');
  assert.equal(runs.total, 0);
  assert.equal(runs.open, 0);
  assert.equal(runs.byAgentStatus.Completed, 0);
  assert.equal(ok(route.deadLetters, 'dead letters').total, 0);
  assert.equal(route.maxOpenRuns, BOUND);
  assert.equal(route.wouldPause.openRuns, 'run');
  assert.equal(ok(report.limiter, 'limiter').key, `openai:sim-${s.topic}`);
  assert.equal(ok(report.limiter, 'limiter').lastHour?.calls ?? 0, 0, 'no model call on this test\'s limiter key yet');
  assert.equal(report.bridges, null);

  const text = formatStatus(report);
  assert.match(text, new RegExp(`^route ${s.topic} -> tagReview on ${s.taskQueue}$`, 'm'));
  assert.match(text, /^ {2}lag +5 \(committed\/end: p0 none\/2 \(2\), p1 none\/3 \(3\)\); the group has committed nothing yet$/m);
  assert.match(text, new RegExp(`^  runs +open 0/${BOUND} \\(maxOpenRuns\\), 0 in visibility; AgentStatus Running 0, .*Completed 0, Failed 0$`, 'm'));
  assert.match(text, new RegExp(`open-runs: runs \\(0 open, bound ${BOUND}\\)`));
  assert.match(text, /paused state lives in each bridge: give --bridge http:\/\/HOST:METRICS_PORT/);
});

test('once the bridge and the worker are done, lag is 0, every run counts as AgentStatus Completed with none open, and the bad record is a dead letter of its class', { timeout: 180_000 }, async () => {
  s.startWorker();
  bridge = await s.startBridge();
  await s.waitForCompletedRuns(GOOD);
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === 2 && c[1] === 3, { message: `the bridge committing every offset (logs in ${s.logDir})` });
  // Visibility is eventually consistent: wait for it to show the finished runs, then check every number.
  const report = await waitFor(() => status(), (r) => {
    const runs = r.routes[0].runs;
    return runs.ok && runs.value.open === 0 && runs.value.byAgentStatus.Completed >= GOOD;
  }, { timeoutMs: 30_000, intervalMs: 500, message: 'visibility showing every run completed' });
  const route = onlyRoute(report);

  const lag = ok(route.lag, 'lag');
  assert.equal(lag.lag, 0);
  assert.deepEqual(byPartition(lag.partitions), [
    { partition: 0, committed: 2, end: 2, lag: 0 },
    { partition: 1, committed: 3, end: 3, lag: 0 },
  ]);
  const runs = ok(route.runs, 'runs');
  assert.deepEqual(runs, {
    open: 0,
    total: GOOD,
    byAgentStatus: { Running: 0, AwaitingReview: 0, NeedsReview: 0, Compensating: 0, Compensated: 0, Completed: GOOD, Failed: 0 },
  } satisfies RunCounts);
  assert.deepEqual(ok(route.deadLetters, 'dead letters'), { tableExists: true, total: 1, lastHour: 1, byClass: [{ class: 'INVALID_INPUT', total: 1, lastHour: 1 }] });

  // Every model call of this route is in the call ledger, with its tokens.
  const limiter = ok(report.limiter, 'limiter');
  const calls = s.simulator.stats().calls;
  assert.ok(calls >= GOOD, `the simulator answered every record (${calls} calls)`);
  assert.equal(limiter.lastHour?.calls, calls, 'the ledger holds every call the simulator answered');
  const { rows: [ledger] } = await s.pool.query<{ tokens: string }>('SELECT sum(prompt_tokens + completion_tokens) AS tokens FROM llm_calls WHERE route_topic = $1', [s.topic]);
  assert.ok(Number(ledger.tokens) > 0);
  assert.equal(limiter.lastHour?.tokens, Number(ledger.tokens), 'status sums the ledger');
  assert.equal(limiter.lastHour?.costUsd, 0, 'no prices set');
  assert.equal(limiter.saturation?.saturated, false);
  assert.equal(route.wouldPause.modelSaturated, 'run');

  const text = formatStatus(report);
  assert.match(text, /^ {2}lag +0 \(committed\/end: p0 2\/2, p1 3\/3\)$/m);
  assert.match(text, new RegExp(`^  runs +open 0/${BOUND} \\(maxOpenRuns\\), ${GOOD} in visibility; AgentStatus Running 0, AwaitingReview 0, NeedsReview 0, Compensating 0, Compensated 0, Completed ${GOOD}, Failed 0$`, 'm'));
  assert.match(text, /^ {2}dead letters +1, 1 in the last hour: INVALID_INPUT 1 \(1\)$/m);
  assert.match(text, new RegExp(`^  last hour +${limiter.lastHour?.tokens} tokens in ${calls} calls of these routes, 0\\.000000 USD estimated \\(per route, run or step: kta usage\\)$`, 'm'));
});

test('--bridge shows that bridge\'s starts, dead letters and pause state, and an unreachable bridge is one line', { timeout: 60_000 }, async () => {
  assert.ok(bridge, 'the previous test started a bridge');
  const url = `http://127.0.0.1:${bridge.metricsPort}`;
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const report = await status({ bridges: [url, nobody] });
  assert.deepEqual(report.bridges?.map((b) => b.url), [url, nobody]);
  const [live, dead] = report.bridges!;
  const stats = ok(live.stats, 'bridge stats');
  const own = await bridge.stats();
  assert.equal(stats.starts, GOOD);
  assert.equal(stats.starts, own.starts);
  assert.equal(stats.deadLetters, 1);
  assert.equal(stats.duplicates, 0);
  assert.equal(stats.pausedTopics, 0);
  assert.ok(stats.groupJoins >= 1, `the bridge joined its group (${stats.groupJoins})`);
  assert.equal(dead.stats.ok, false);
  assert.match(!dead.stats.ok ? dead.stats.error : '', new RegExp(`^bridge ${nobody}: .*ECONNREFUSED.*is a bridge running with METRICS_PORT`));

  const text = formatStatus(report);
  assert.match(text, new RegExp(`^bridge ${url}\\n +paused topics 0; pauses none; resumes none; model saturated no; starts ${GOOD}; duplicates 0; dead letters 1; group joins \\d+$`, 'm'));
  assert.match(text, new RegExp(`^bridge ${nobody}\\n +unavailable: bridge ${nobody}: `, 'm'));
  assert.doesNotMatch(text, /paused state lives in each bridge/);
});

test('a Retry-After in force reads as a saturated limiter: status says the route would pause, and the bridge shows the topic paused', { timeout: 60_000 }, async () => {
  assert.ok(bridge, 'the previous tests started a bridge');
  const config = loadConfig(s.env);
  const limiter = new TokenLimiter(s.pool, { ...config.llm.limits, staleAfterMs: config.llm.requestTimeoutMs });
  await limiter.pause(limiterKeyFor(config.llm.provider, config.llm.model), 60_000);

  const report = await status();
  const state = ok(report.limiter, 'limiter').saturation;
  assert.equal(state?.saturated, true);
  assert.ok((state?.retryAfterMs ?? 0) > 50_000, `the Retry-After is in force (${state?.retryAfterMs} ms left)`);
  assert.equal(onlyRoute(report).wouldPause.modelSaturated, 'pause');
  assert.equal(onlyRoute(report).wouldPause.openRuns, 'run', 'the open-run bound is not what pauses it');
  const text = formatStatus(report);
  assert.match(text, /Retry-After in force for \d+ ms more; no call waiting; saturated: bridges pause routes with pauseOnModelSaturation/);
  assert.match(text, /model-saturated: would pause \(the limiter is saturated\)/);

  // The bridge reads the same limiter once per BRIDGE_OPEN_RUNS_POLL_MS and pauses the topic.
  const url = `http://127.0.0.1:${bridge.metricsPort}`;
  const seen = await waitFor(() => status({ bridges: [url] }), (r) => {
    const b = r.bridges?.[0].stats;
    return b?.ok === true && b.value.pausedTopics === 1;
  }, { timeoutMs: 20_000, intervalMs: 500, message: 'the bridge pausing its topic on the Retry-After' });
  const stats = ok(seen.bridges![0].stats, 'bridge stats');
  assert.deepEqual(stats.pausesByReason, { 'model-saturated': 1 });
  assert.equal(stats.modelSaturated, 1);
});

test('kta status --json prints one object and exits 0, the text form shows the route, and an invalid configuration exits 2', { timeout: 120_000 }, async () => {
  assert.ok(bridge, 'the previous tests started a bridge');
  const json = await runKta(['status', '--json', '--bridge', `http://127.0.0.1:${bridge.metricsPort}`], s.env);
  assert.equal(json.code, 0, json.stderr);
  let report: StatusReport;
  try {
    report = JSON.parse(json.stdout) as StatusReport;
  } catch {
    assert.fail(`kta status --json printed no JSON (exit ${json.code}): ${json.stdout}\n${json.stderr}`);
  }
  const route = onlyRoute(report);
  assert.equal(route.topic, s.topic);
  assert.equal(ok(route.runs, 'runs').byAgentStatus.Completed, GOOD);
  assert.equal(ok(route.lag, 'lag').lag, 0);
  assert.equal(ok(report.bridges![0].stats, 'bridge stats').starts, GOOD);

  const text = await runKta(['status'], s.env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`^route ${s.topic} -> tagReview on ${s.taskQueue}$`, 'm'));
  assert.match(text.stdout, /^bridges$/m);

  const invalid = await runKta(['status'], { ...s.env, ROUTES: JSON.stringify([{ topic: 'a:b', workflowType: 'tagReview', taskQueue: 'q' }]) });
  assert.equal(invalid.code, 2, `${invalid.stdout}\n${invalid.stderr}`);
  assert.match(invalid.stderr, /ROUTES\[0\.topic\]: topic names hold no ":"/);
  assert.equal(invalid.stdout, '');
});

test('kta status --watch reprints until Ctrl-C and then exits 0', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'main.ts'), 'status', '--watch', '0.5'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...s.env } });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitFor(() => stdout.match(/^kta status at /gm)?.length ?? 0, (n) => n >= 2, { timeoutMs: 40_000, message: 'two reports from kta status --watch' });
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0);
  assert.match(stdout, /\(every 0\.5 s; Ctrl-C stops\)/);
  assert.ok((stdout.match(new RegExp(`^route ${s.topic} `, 'gm'))?.length ?? 0) >= 2, stdout);
});

test('a database no bridge or worker has used yet reads as no dead letters and an idle limiter, not as an error', { timeout: 60_000 }, async () => {
  const database = uniqueName('status_empty').replace(/-/g, '_');
  await s.pool.query(`CREATE DATABASE ${database}`);
  try {
    const url = new URL(s.stack.databaseUrl);
    url.pathname = `/${database}`;
    const report = await status({}, { ...s.env, DATABASE_URL: url.toString() });
    const route = onlyRoute(report);
    assert.deepEqual(ok(route.deadLetters, 'dead letters'), { tableExists: false, total: 0, lastHour: 0, byClass: [] });
    const limiter = ok(report.limiter, 'limiter');
    assert.equal(limiter.saturation, null);
    assert.equal(limiter.lastHour, null);
    assert.equal(route.wouldPause.modelSaturated, 'run', 'no limiter tables: nothing can be saturated');
    const text = formatStatus(report);
    assert.match(text, /^ {2}dead letters +none \(no dead_letters table yet: no bridge has started against this database\)$/m);
    assert.match(text, /^ {2}now +no limiter tables yet: no worker has started against this database; nothing can be saturated$/m);
    // The other sources are unaffected.
    assert.equal(ok(route.runs, 'runs').byAgentStatus.Completed, GOOD);
  } finally {
    await s.pool.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
});

test('unreachable Kafka, Temporal and PostgreSQL are each shown on their line, with no password printed, and the report still comes back', { timeout: 60_000 }, async () => {
  const [kafkaPort, temporalPort, pgPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const env = {
    ...s.env,
    KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`,
    TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
    DATABASE_URL: `postgres://postgres:secret-pw@127.0.0.1:${pgPort}/kta`,
  };
  const startedAt = Date.now();
  const report = await status({ timeoutMs: 2_000 }, env);
  assert.ok(Date.now() - startedAt < 10_000, `each source gave up within its time limit (${Date.now() - startedAt} ms)`);
  const route = onlyRoute(report);
  assert.match(route.lag.ok ? '' : route.lag.error, new RegExp(`^Kafka at 127\\.0\\.0\\.1:${kafkaPort}: `));
  assert.match(route.runs.ok ? '' : route.runs.error, new RegExp(`^Temporal at 127\\.0\\.0\\.1:${temporalPort}/`));
  assert.match(route.deadLetters.ok ? '' : route.deadLetters.error, /^PostgreSQL \(DATABASE_URL\): .*ECONNREFUSED/);
  assert.match(report.limiter.ok ? '' : report.limiter.error, /^PostgreSQL \(DATABASE_URL\): /);
  assert.deepEqual(route.wouldPause, { openRuns: 'unknown', modelSaturated: 'unknown' });
  const text = formatStatus(report);
  for (const label of ['lag', 'runs', 'dead letters']) assert.match(text, new RegExp(`^  ${label} +unavailable: `, 'm'));
  assert.match(text, /open-runs: unknown: open runs unreadable; model-saturated: unknown: the limiter is unreadable/);
  assert.doesNotMatch(text, /secret-pw/);
  assert.doesNotMatch(JSON.stringify(report), /secret-pw/);
});

test('the pause outlook follows the bridge\'s rules: pause at the bound, hold above the resume mark, pause while the limiter is saturated', () => {
  const route = routeSchema.parse({ topic: 't', workflowType: 'w', taskQueue: 'q', maxOpenRuns: 10 });
  const runs = (open: number): Reading<RunCounts> => ({ ok: true, value: { open, total: open, byAgentStatus: { Running: open, AwaitingReview: 0, NeedsReview: 0, Compensating: 0, Compensated: 0, Completed: 0, Failed: 0 } } });
  const limiter = (saturated: boolean, fraction: number): Reading<LimiterStatus> => ({
    ok: true,
    value: {
      key: 'openai:m',
      limits: { tokensPerWindow: 100, requestsPerWindow: 0, windowMs: 60_000 },
      enabled: true,
      saturation: { key: 'openai:m', retryAfterMs: 0, callsWaiting: saturated, usedTokens: fraction * 100, usedRequests: 1, fraction, saturated },
      lastHour: null,
    },
  });
  const idle = limiter(false, 0);
  assert.equal(pauseOutlook(route, runs(10), idle).openRuns, 'pause');
  assert.equal(pauseOutlook(route, runs(11), idle).openRuns, 'pause');
  assert.equal(pauseOutlook(route, runs(9), idle).openRuns, 'hold');
  assert.equal(pauseOutlook(route, runs(8), idle).openRuns, 'run', 'the bridge resumes at 80 % of the bound');
  assert.equal(pauseOutlook(route, { ok: false, error: 'down' }, idle).openRuns, 'unknown');
  assert.equal(pauseOutlook({ ...route, maxOpenRuns: undefined }, runs(100), idle).openRuns, 'off');
  assert.equal(pauseOutlook(route, runs(0), limiter(true, 1)).modelSaturated, 'pause');
  assert.equal(pauseOutlook(route, runs(0), limiter(false, 0.9)).modelSaturated, 'hold');
  assert.equal(pauseOutlook(route, runs(0), limiter(false, 0.8)).modelSaturated, 'run');
  assert.equal(pauseOutlook({ ...route, pauseOnModelSaturation: false }, runs(0), limiter(true, 1)).modelSaturated, 'off');
  assert.equal(pauseOutlook(route, runs(0), { ok: false, error: 'down' }).modelSaturated, 'unknown');
});
