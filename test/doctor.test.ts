import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { after, test } from 'node:test';
import { runDoctor } from '../ops/doctor/doctor';
import type { CheckResult, DoctorReport } from '../ops/doctor/report';
import { formatReport } from '../cli/doctor-format';
import { freePort } from '../dev/stack/ports';
import { findTemporalCli, temporalCliEnv } from '../dev/stack/temporal-cli';
import { runCommand, runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { uniqueName } from './helpers/unique';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const CHECKS = ['config', 'temporal-security', 'temporal', 'search-attributes', 'heartbeat-budget', 'kafka-security', 'kafka', 'topics', 'dead-letter-topics', 'retention', 'consumer-group', 'workers', 'postgres-security', 'postgres', 'llm', 'model-limiter'];

function check(report: DoctorReport, name: string): CheckResult {
  const found = report.checks.find((c) => c.name === name);
  assert.ok(found, `the report has a ${name} check: ${JSON.stringify(report.checks.map((c) => c.name))}`);
  return found;
}

async function doctorCli(env: Record<string, string>, args: string[] = []) {
  const result = await runKta(['doctor', '--json', ...args], env);
  let report: DoctorReport;
  try {
    report = JSON.parse(result.stdout) as DoctorReport;
  } catch {
    throw new Error(`kta doctor --json printed no JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
  return { code: result.code, report };
}

test('a healthy deployment passes: every check reports, the heartbeat arithmetic uses the session timeout, topics list their partitions, lag follows the bridge', { timeout: 180_000 }, async () => {
  const RECORDS = 5;
  const s = await createScenario('doctor-ok', { partitions: 3 });
  scenarios.push(s);
  await s.produceReviews(RECORDS, { partition: 1 });
  s.startWorker();
  await waitFor(() => runDoctor(s.env), (r) => check(r, 'workers').status === 'ok', { timeoutMs: 60_000, intervalMs: 1_000, message: `a worker polling ${s.taskQueue} (logs in ${s.logDir})` });

  const { code, report } = await doctorCli(s.env);
  assert.equal(code, 0, `exit 0 when nothing failed: ${formatReport(report)}`);
  assert.equal(report.ok, true);
  assert.deepEqual(report.checks.map((c) => c.name), CHECKS);
  for (const c of report.checks) assert.notEqual(c.status, 'fail', `${c.name}: ${c.message}`);

  const heartbeat = check(report, 'heartbeat-budget');
  assert.equal(heartbeat.status, 'ok');
  assert.match(heartbeat.message, /heartbeat interval 1000 ms \+ 1 record x p99 start \d+ ms = \d+ ms between heartbeats, against 0\.7 x session timeout 6000 ms = 4200 ms/);
  assert.match(heartbeat.message, /measured against/);

  const topics = check(report, 'topics');
  assert.equal(topics.status, 'ok');
  assert.ok(topics.message.includes(`${s.topic} (3 partitions)`), topics.message);
  assert.deepEqual(topics.details?.topics, [{ topic: s.topic, partitions: 3 }]);

  const attributes = check(report, 'search-attributes');
  assert.equal(attributes.status, 'ok');
  for (const a of ['KafkaTopic (Keyword)', 'KafkaPartition (Int)', 'KafkaOffset (Int)', 'KafkaKey (Keyword)', 'AgentStatus (Keyword)']) assert.ok(attributes.message.includes(a), attributes.message);
  assert.equal(check(report, 'temporal').status, 'ok');
  assert.match(check(report, 'temporal').message, /retention 168 h/);
  assert.equal(check(report, 'retention').status, 'ok');
  assert.ok(check(report, 'workers').message.includes(s.taskQueue));
  assert.equal(check(report, 'llm').status, 'ok', check(report, 'llm').message);
  // The worker made its tables and no call waits: the limiter reads as ok, with its key and limits.
  const limiter = check(report, 'model-limiter');
  assert.equal(limiter.status, 'ok', limiter.message);
  assert.match(limiter.message, /^openai:llm-simulator: no token or request limit .*; window 0 % full .*; nothing waiting$/);
  // No bridge has started yet: its dead-letter topic is only a warning, and the group has no offsets.
  assert.equal(check(report, 'dead-letter-topics').status, 'warn');
  assert.ok(check(report, 'dead-letter-topics').message.includes(`${s.topic}.dlq`));
  const group = check(report, 'consumer-group');
  assert.equal(group.status, 'ok');
  assert.ok(group.message.includes(`${s.topic} no committed offsets yet (${RECORDS} records to read`), group.message);
  // The worker created its tables at start; whatever is missing belongs to the bridge.
  const missing = check(report, 'postgres').details?.missing as { owner: string; table: string }[];
  assert.deepEqual(missing.filter((m) => m.owner === 'worker'), []);

  await s.startBridge();
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[1] === RECORDS, { timeoutMs: 90_000, message: `the bridge committing ${RECORDS} records (logs in ${s.logDir})` });
  const later = await runDoctor(s.env);
  const lag = check(later, 'consumer-group');
  assert.match(lag.message, new RegExp(`${s.topic} lag 0 \\([1-3]/3 partitions committed\\)`));
  assert.equal((lag.details?.topics as { lag: number }[])[0].lag, 0);
  assert.equal(check(later, 'dead-letter-topics').status, 'ok', 'the bridge created the dead-letter topic');
  assert.equal(check(later, 'postgres').status, 'ok', check(later, 'postgres').message);
});

test('a route to a topic that does not exist and a task queue nobody polls fail, naming the topic and the task queue, and exit 1', { timeout: 120_000 }, async () => {
  const s = await createScenario('doctor-fail');
  scenarios.push(s);
  const missingTopic = uniqueName('t-doctor-missing');
  const idleQueue = uniqueName('q-doctor-idle');
  const env = { ...s.env, LLM_MODEL: 'model-not-listed', ROUTES: JSON.stringify([{ topic: missingTopic, workflowType: 'tagReview', taskQueue: idleQueue }]) };

  const { code, report } = await doctorCli(env);
  assert.equal(code, 1);
  assert.equal(report.ok, false);
  const topics = check(report, 'topics');
  assert.equal(topics.status, 'fail');
  assert.ok(topics.message.includes(missingTopic), topics.message);
  assert.ok(topics.fix?.includes(`npx kta topics create ${missingTopic} --partitions 1`), topics.fix);
  const workers = check(report, 'workers');
  assert.equal(workers.status, 'fail');
  assert.ok(workers.message.includes(`no worker polls task queue ${idleQueue}`), workers.message);
  assert.ok(workers.fix?.includes(`WORKER_TASK_QUEUE=${idleQueue}`), workers.fix);
  // The failures are specific: the services themselves are fine.
  for (const name of ['config', 'temporal', 'kafka', 'search-attributes', 'heartbeat-budget']) assert.equal(check(report, name).status, 'ok', name);
  // The model the simulator does not list is a warning, never a failure.
  assert.equal(check(report, 'llm').status, 'warn');
  assert.ok(check(report, 'llm').message.includes('LLM_MODEL model-not-listed is not among'), check(report, 'llm').message);
  // Checking must not create what it reports missing.
  assert.ok(!(await s.kafka.admin.listTopics()).includes(missingTopic), `kta doctor created topic ${missingTopic}`);

  const text = await runKta(['doctor'], env);
  assert.equal(text.code, 1);
  const lines = text.stdout.trim().split('\n');
  assert.equal(lines.length, CHECKS.length + 1, text.stdout);
  assert.match(lines.find((l) => l.startsWith('FAIL  topics')) ?? '', new RegExp(`${missingTopic}.* -> fix: create `));
  assert.match(lines.find((l) => l.startsWith('FAIL  workers')) ?? '', new RegExp(`${idleQueue}.* -> fix: start \`npx kta worker\` with WORKER_TASK_QUEUE=${idleQueue}`));
  assert.match(lines.at(-1)!, /^NOT healthy: \d+ ok, \d+ warn, \d+ fail$/);
});

test('a session timeout, heartbeat interval and p99 start latency that break the budget fail the heartbeat check with the numbers', { timeout: 60_000 }, async () => {
  const s = await createScenario('doctor-budget');
  scenarios.push(s);
  // 2000 ms + 1 x 3000 ms = 5000 ms between heartbeats >= 0.7 x 6000 ms = 4200 ms; loadConfig itself accepts it (2000 x 3 <= 6000).
  const report = await runDoctor({ ...s.env, KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '2000', BRIDGE_P99_START_LATENCY_MS: '3000' });
  assert.equal(check(report, 'config').status, 'ok');
  const heartbeat = check(report, 'heartbeat-budget');
  assert.equal(heartbeat.status, 'fail');
  assert.ok(
    heartbeat.message.includes('heartbeat interval 2000 ms + 1 record x p99 start 3000 ms = 5000 ms between heartbeats, against 0.7 x session timeout 6000 ms = 4200 ms'),
    heartbeat.message,
  );
  assert.match(heartbeat.message, /Raise KAFKA_SESSION_TIMEOUT_MS above 7143 ms/);
  assert.match(heartbeat.message, /from BRIDGE_P99_START_LATENCY_MS/);
  assert.equal(report.ok, false);
});

test('a request timeout not below a route\'s model timeout is a warning that names the route and the bound', { timeout: 60_000 }, async () => {
  const s = await createScenario('doctor-timeouts');
  scenarios.push(s);
  // The scenario's route gives each model call 10 s; a 20 s request could never wait for the limiter.
  const report = await runDoctor({ ...s.env, LLM_REQUEST_TIMEOUT_MS: '20000', LLM_TOKENS_PER_WINDOW: '5000', LLM_WINDOW_MS: '10000' });
  const limiter = check(report, 'model-limiter');
  assert.equal(limiter.status, 'warn');
  assert.ok(limiter.message.includes(`LLM_REQUEST_TIMEOUT_MS 20000 ms is not below the model timeout of route(s) ${s.topic} (10000 ms)`), limiter.message);
  assert.ok(limiter.fix?.includes('set LLM_REQUEST_TIMEOUT_MS below 10000 ms'), limiter.fix);
  const fine = check(await runDoctor({ ...s.env, LLM_TOKENS_PER_WINDOW: '5000', LLM_WINDOW_MS: '10000' }), 'model-limiter');
  assert.notEqual(fine.status, 'fail');
  assert.ok(fine.message.includes('5000 tokens and unlimited requests per 10000 ms'), fine.message);
});

test('a dead Temporal is one fail line within the check timeout, and the checks that need it are skipped with the reason', { timeout: 60_000 }, async () => {
  const s = await createScenario('doctor-dead');
  scenarios.push(s);
  const deadAddress = `127.0.0.1:${await freePort()}`;
  const startedAt = Date.now();
  const { code, report } = await doctorCli({ ...s.env, TEMPORAL_ADDRESS: deadAddress }, ['--timeout', '2000']);
  const tookMs = Date.now() - startedAt;
  assert.equal(code, 1);
  const temporal = check(report, 'temporal');
  assert.equal(temporal.status, 'fail');
  assert.ok(temporal.message.includes(deadAddress), temporal.message);
  for (const name of ['search-attributes', 'heartbeat-budget', 'retention', 'workers']) {
    assert.equal(check(report, name).status, 'fail', name);
    assert.equal(check(report, name).message, 'skipped: needs temporal, which failed');
  }
  // Kafka does not depend on Temporal: it is still checked.
  assert.equal(check(report, 'topics').status, 'ok');
  // tsx start-up plus one 2 s check timeout, not a hang.
  assert.ok(tookMs < 20_000, `kta doctor took ${tookMs} ms against a dead Temporal`);
});

test('a missing namespace and unregistered search attributes fail with command lines that, when run, fix them', { timeout: 120_000 }, async () => {
  const s = await createScenario('doctor-namespace');
  scenarios.push(s);
  const cli = findTemporalCli();
  assert.ok(cli, 'the Temporal CLI the test stack runs on');
  // The fixes are printed for a shell with `temporal` on PATH; run them exactly as printed.
  const runFix = (fix: string) => runCommand('sh', ['-c', fix], { ...temporalCliEnv(), PATH: `${dirname(cli)}:${process.env.PATH ?? ''}` });
  const env: Record<string, string> = { ...s.env, TEMPORAL_NAMESPACE: uniqueName('ns-doctor') };

  const before = await runDoctor(env);
  const temporal = check(before, 'temporal');
  assert.equal(temporal.status, 'fail');
  assert.equal(temporal.message, `namespace ${env.TEMPORAL_NAMESPACE} does not exist on ${env.TEMPORAL_ADDRESS}`);
  assert.equal(check(before, 'search-attributes').message, 'skipped: needs temporal, which failed');
  const createNamespace = /temporal operator namespace create [^)]+/.exec(temporal.fix ?? '')?.[0];
  assert.ok(createNamespace, `the fix gives the command: ${temporal.fix}`);
  const created = await runFix(createNamespace);
  assert.equal(created.code, 0, `${createNamespace}: ${created.stderr}`);

  // A new namespace has none of the custom search attributes; the fix names each with its type.
  // The server's namespace cache takes a few seconds to show a new namespace to every service.
  const unregistered = await waitFor(() => runDoctor(env), (r) => check(r, 'search-attributes').details?.missing !== undefined, {
    timeoutMs: 40_000, intervalMs: 1_000, message: `namespace ${env.TEMPORAL_NAMESPACE} visible to the search-attributes check`,
  });
  assert.equal(check(unregistered, 'temporal').status, 'ok');
  const attributes = check(unregistered, 'search-attributes');
  assert.equal(attributes.status, 'fail');
  assert.ok(attributes.details?.missing, `the check lists what is missing: ${JSON.stringify(attributes)}`);
  assert.deepEqual((attributes.details?.missing as string[]).sort(), ['AgentStatus', 'KafkaKey', 'KafkaOffset', 'KafkaPartition', 'KafkaTopic']);
  assert.ok(
    attributes.fix?.includes(`temporal operator search-attribute create --address ${env.TEMPORAL_ADDRESS} --namespace ${env.TEMPORAL_NAMESPACE} --name KafkaOffset --type Int`),
    attributes.fix,
  );
  const registered = await runFix(attributes.fix!);
  assert.equal(registered.code, 0, `${attributes.fix}: ${registered.stderr}`);
  const fixed = await waitFor(() => runDoctor(env), (r) => check(r, 'search-attributes').status !== 'fail', { timeoutMs: 30_000, intervalMs: 1_000, message: 'the search attributes registered by the printed fix' });
  assert.equal(check(fixed, 'search-attributes').status, 'ok', check(fixed, 'search-attributes').message);
});
