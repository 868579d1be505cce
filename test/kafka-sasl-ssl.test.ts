// Kafka with a SASL_SSL listener (SCRAM-SHA-512 over TLS with a private CA), as managed clusters run
// it: the bridge and the worker reach it by environment alone, a wrong password stops the bridge at
// start-up naming the variables to fix, and the doctor says which settings are set without showing them.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startKafka, type KafkaBroker } from '../dev/stack/kafka';
import { kafkaSaslEnv } from '../dev/stack/kafka-sasl-env';
import { runDoctor } from '../ops/doctor/doctor';
import type { CheckResult, DoctorReport } from '../ops/doctor/report';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const RECORDS = 6;
const PASSWORD = 'scram-pass-4b1d';
const WRONG = 'not-the-password-77';
let broker: KafkaBroker;
let dir: string;
const scenarios: Scenario[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kta-sasl-ssl-'));
  broker = await startKafka({ dataDir: join(dir, 'kafka'), security: { saslSsl: true, users: [{ username: 'kta-app', password: PASSWORD }] } });
});
after(async () => {
  await Promise.allSettled(scenarios.map((s) => s.close()));
  await broker?.stop();
});

/** A scenario whose services reach Kafka only through the SASL_SSL listener, configured by environment. */
async function saslScenario(name: string): Promise<Scenario> {
  const sasl = broker.sasl;
  assert.ok(sasl, 'the broker has its SASL_SSL listener');
  const s = await createScenario(name, { kafkaBrokers: broker.brokers, serviceEnv: kafkaSaslEnv(sasl) });
  scenarios.push(s);
  return s;
}

const check = (report: DoctorReport, name: string): CheckResult => {
  const found = report.checks.find((c) => c.name === name);
  assert.ok(found, `the report has a ${name} check`);
  return found;
};

test('the bridge and the worker configured by environment alone process records over SASL_SSL with SCRAM-SHA-512', { timeout: 150_000 }, async () => {
  const s = await saslScenario('sasl-ok');
  assert.equal(s.env.KAFKA_SECURITY_PROTOCOL, 'SASL_SSL');
  assert.notEqual(s.env.KAFKA_BROKERS, broker.brokers.join(','), 'the services get the SASL_SSL port, not the plain one');
  await s.produceReviews(RECORDS);
  s.startWorker();
  const bridge = await s.startBridge();
  const runs = await s.waitForCompletedRuns(RECORDS);
  assert.equal(runs.length, RECORDS);
  const rows = await waitFor(() => s.indexRows(), (r) => r.length === RECORDS, { timeoutMs: 30_000, message: `${RECORDS} index rows for ${s.topic}` });
  assert.deepEqual(rows.map((r) => r.review_id).sort(), Array.from({ length: RECORDS }, (_, i) => `${s.topic}-r${i}`).sort());
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (o) => o[0] === RECORDS, { timeoutMs: 30_000, message: `the bridge commits offset ${RECORDS} through the SASL_SSL listener` });
  assert.ok(!bridge.log().includes(PASSWORD), 'the bridge log does not show the password');
});

test('a wrong Kafka password stops the bridge at start-up, naming KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD, and nothing is committed or started', { timeout: 120_000 }, async () => {
  const s = await saslScenario('sasl-wrong');
  await s.produceReviews(3);
  const wrongFile = join(dir, 'wrong-password');
  writeFileSync(wrongFile, `${WRONG}\n`);
  const bridge = await s.startBridge({ KAFKA_SASL_PASSWORD_FILE: wrongFile });
  const exit = await bridge.exited;
  const log = bridge.log();
  assert.equal(exit.code, 1, log);
  assert.match(log, /Kafka at 127\.0\.0\.1:\d+ refused SASL SCRAM-SHA-512 authentication of user kta-app \(.*invalid credentials.*\); set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD \(or KAFKA_SASL_PASSWORD_FILE\) to a user the cluster has/);
  assert.ok(!log.includes(WRONG) && !log.includes(PASSWORD), 'no password in the output');
  assert.doesNotMatch(log, /\n\s+at /, 'no stack trace');
  assert.deepEqual(await s.kafka.committedOffsets(s.groupId, s.topic), { 0: -1 }, 'no offset committed (-1: none)');
  assert.deepEqual(await s.runs(), [], 'no run started');
});

test('kta doctor reports the SASL_SSL settings without their values, and names the variables when the password is refused', { timeout: 90_000 }, async () => {
  const s = await saslScenario('sasl-doctor');
  const ok = await runDoctor(s.env);
  const security = check(ok, 'kafka-security');
  assert.equal(security.status, 'ok');
  assert.match(security.message, /^SASL_SSL SCRAM-SHA-512 as kta-app; broker CA from KAFKA_SSL_CA; set: KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD \(from file .+\), KAFKA_SSL_CA \(from file .+ca\.pem\)$/);
  assert.equal(check(ok, 'kafka').status, 'ok', check(ok, 'kafka').message);
  assert.ok(!JSON.stringify(ok).includes(PASSWORD), 'the report does not show the password');

  const refused = await runDoctor({ ...s.env, KAFKA_SASL_PASSWORD_FILE: '', KAFKA_SASL_PASSWORD: WRONG });
  const kafka = check(refused, 'kafka');
  assert.equal(kafka.status, 'fail');
  assert.match(kafka.message, /refused SASL SCRAM-SHA-512 authentication of user kta-app/);
  assert.match(kafka.fix ?? '', /^set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
  assert.deepEqual(kafka.details?.variables, ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']);
  assert.equal(check(refused, 'topics').status, 'fail', 'the checks that need Kafka are skipped');
  assert.ok(!JSON.stringify(refused).includes(WRONG), 'the report does not show the wrong password either');
});
