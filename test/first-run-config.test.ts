import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runDoctor } from '../ops/doctor/doctor';
import type { CheckResult, DoctorReport } from '../ops/doctor/report';
import { loadConfig } from '../config';
import { ConfigError } from '../errors';
import { startKafka, type KafkaBroker } from '../dev/stack/kafka';
import { runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { uniqueName } from './helpers/unique';

const scenarios: Scenario[] = [];
let freshKafka: KafkaBroker | undefined;
after(async () => {
  await Promise.all(scenarios.map((s) => s.close()));
  await freshKafka?.stop();
});

function check(report: DoctorReport, name: string): CheckResult {
  const found = report.checks.find((c) => c.name === name);
  assert.ok(found, `the report has a ${name} check`);
  return found;
}

test('a typo in a route key stops start-up, naming the route, the key and the key it meant', { timeout: 60_000 }, async () => {
  const routes = JSON.stringify([{ topic: 'orders', workflowType: 'tagReview', taskQueue: 'q', maxOpenRun: 5, workflow: { review: { deadlinMs: 1000 } } }]);
  assert.throws(() => loadConfig({ ROUTES: routes }), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual([...err.problems].sort(), [
      'ROUTES[0.workflow.review]: unknown key deadlinMs (route of topic orders); did you mean deadlineMs?',
      'ROUTES[0]: unknown key maxOpenRun (route of topic orders); did you mean maxOpenRuns?',
    ]);
    return true;
  });
  // The bridge refuses to start with it, before it connects to anything.
  const started = await runKta(['bridge'], { ROUTES: routes, TEMPORAL_ADDRESS: '127.0.0.1:1', KAFKA_BROKERS: '127.0.0.1:1' }, 30_000);
  assert.equal(started.code, 1, started.stderr);
  assert.match(started.stderr, /^Invalid configuration:\n/);
  assert.match(started.stderr, /^ {2}- ROUTES\[0\]: unknown key maxOpenRun \(route of topic orders\); did you mean maxOpenRuns\?$/m);
});

test('a remote LLM_BASE_URL with LLM_MODEL left at the simulator\'s default stops start-up; naming a model starts', { timeout: 60_000 }, async () => {
  // .invalid never resolves: nothing leaves this machine whatever the code does.
  const remote = { LLM_BASE_URL: 'https://llm.example.invalid/v1', LLM_API_KEY: 'k', TEMPORAL_ADDRESS: '127.0.0.1:1', KAFKA_BROKERS: '127.0.0.1:1' };
  const worker = await runKta(['worker'], remote, 30_000);
  assert.equal(worker.code, 1, `the worker stops at once (exit ${worker.code}): ${worker.stderr}`);
  assert.equal(worker.stderr.trim(), 'Invalid configuration:\n  - LLM_MODEL is not set, so the model would be llm-simulator (the local simulator\'s) at LLM_BASE_URL https://llm.example.invalid/v1, which is not a local endpoint; set LLM_MODEL to the provider\'s model name');
  assert.equal(loadConfig({ ...remote, LLM_MODEL: 'gpt-4o-mini' }).llm.model, 'gpt-4o-mini');
  assert.equal(loadConfig({}).llm.model, 'llm-simulator', 'the local default still needs no setting');
});

test('doctor on a fresh Kafka: a group that does not exist yet is ok, and the fix it prints for a missing topic runs as printed', { timeout: 180_000 }, async () => {
  const s = await createScenario('first-run');
  scenarios.push(s);
  const dir = mkdtempSync(join(tmpdir(), 'kta-fresh-kafka-'));
  freshKafka = await startKafka({ dataDir: dir });
  const topic = uniqueName('t-first-run');
  const env = { ...s.env, KAFKA_BROKERS: freshKafka.brokers.join(','), ROUTES: JSON.stringify([{ topic, workflowType: 'tagReview', taskQueue: s.taskQueue }]) };

  const before = await runDoctor(env);
  const group = check(before, 'consumer-group');
  assert.equal(group.status, 'ok', `${group.message} ${group.fix ?? ''}`);
  assert.equal(group.message, `group ${s.groupId} does not exist yet (no group has committed offsets on this cluster); the bridge will start from the earliest retained record (KAFKA_FROM_BEGINNING=true)`);
  const topics = check(before, 'topics');
  assert.equal(topics.status, 'fail', 'the route topic is missing on the fresh broker');
  const command = /npx kta (topics create \S+ --partitions \d+)/.exec(topics.fix ?? '');
  assert.ok(command, `the fix is a kta command: ${topics.fix}`);
  assert.doesNotMatch(topics.fix!, /kafka-topics/);

  const created = await runKta(command[1].split(' '), env);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stdout.trim(), `created topic ${topic} with 1 partition on ${freshKafka.brokers[0]}`);
  const again = await runKta(command[1].split(' '), env);
  assert.match(again.stdout, /exists already .*nothing changed/, 'running the fix twice changes nothing');

  const afterFix = await runDoctor(env);
  assert.equal(check(afterFix, 'topics').status, 'ok', check(afterFix, 'topics').message);
  assert.equal(check(afterFix, 'consumer-group').status, 'ok');
  assert.match(check(afterFix, 'consumer-group').message, new RegExp(`: ${topic} 0 records to read$`));
});
