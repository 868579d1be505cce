// Acceptance of issue #12 on this machine: the Temporal server users deploy (PostgreSQL persistence
// and visibility, mutual TLS on its frontend) and Kafka with a SASL_SSL listener (SCRAM-SHA-512), the
// bridge and the worker as child processes configured by environment alone. 100 reviews go end to
// end, counted from three sources; wrong credentials stop the bridge at start-up naming the variable
// to fix with nothing committed; `kta doctor` is all green, and names the check and fix without the CA.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startKafka, type KafkaBroker } from '../dev/stack/kafka';
import { kafkaSaslEnv } from '../dev/stack/kafka-sasl-env';
import { runKta } from './helpers/kta-cli';
import { startTestPostgresTemporal, type TestPostgresTemporal } from './helpers/postgres-temporal';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const REVIEWS = 100;
const DAY_MS = 86_400_000;
let temporal: TestPostgresTemporal;
let kafka: KafkaBroker;
let dir: string;
const scenarios: Scenario[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kta-production-'));
  [temporal, kafka] = await Promise.all([
    startTestPostgresTemporal('prod', { tls: true }),
    startKafka({ dataDir: join(dir, 'kafka'), security: { saslSsl: true } }),
  ]);
});
after(async () => {
  await Promise.allSettled(scenarios.map((s) => s.close()));
  await Promise.allSettled([temporal?.close(), kafka?.stop()]);
});

/** A scenario on the secured stack: the services get TEMPORAL_TLS_*_FILE and the SASL_SSL KAFKA_* variables only. */
async function secured(name: string): Promise<Scenario> {
  const tls = temporal.server.tls;
  assert.ok(tls && kafka.sasl, 'mutual TLS on Temporal and SASL_SSL on Kafka');
  const s = await createScenario(name, { temporalAddress: temporal.server.address, temporalTls: tls, kafkaBrokers: kafka.brokers, serviceEnv: kafkaSaslEnv(kafka.sasl) });
  scenarios.push(s);
  // The topic keeps records no longer than the namespace keeps runs (24 h), so the dedup window holds.
  await s.kafka.admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: s.topic, configEntries: [{ name: 'retention.ms', value: String(DAY_MS) }] }] });
  return s;
}

/** `kta doctor` as a user runs it, its text kept beside the test's logs. */
async function doctor(s: Scenario, env: Record<string, string>, name: string) {
  const result = await runKta(['doctor'], env, 60_000);
  writeFileSync(join(s.logDir, `${name}.txt`), `${result.stdout}${result.stderr}`);
  return result;
}

test(`${REVIEWS} reviews go end to end through the PostgreSQL-backed server over mutual TLS and Kafka over SASL_SSL, and kta doctor is all green`, { timeout: 420_000 }, async () => {
  const s = await secured('prod-ok');
  assert.equal(s.env.KAFKA_SECURITY_PROTOCOL, 'SASL_SSL');
  assert.equal(s.env.KAFKA_SASL_MECHANISM, 'SCRAM-SHA-512');
  assert.ok(s.env.TEMPORAL_TLS_CERT_FILE && s.env.TEMPORAL_TLS_CA_FILE, 'the services get the client certificate and CA as files');
  await s.produceReviews(REVIEWS);
  s.startWorker();
  const bridge = await s.startBridge();

  const runs = await s.waitForCompletedRuns(REVIEWS, 360_000);
  assert.equal(runs.length, REVIEWS, 'Temporal visibility: one completed run per review');
  assert.equal(new Set(runs.map((r) => r.workflowId)).size, REVIEWS);
  const rows = await waitFor(() => s.indexRows(), (r) => r.length === REVIEWS, { timeoutMs: 30_000, message: `${REVIEWS} index rows` });
  assert.deepEqual(rows.map((r) => r.writes), Array(REVIEWS).fill(1), 'the index table: each review written once');
  assert.equal(s.simulator.stats().calls, REVIEWS, 'the LLM simulator: one model call per review');
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (o) => o[0] === REVIEWS, { timeoutMs: 30_000, message: `offset ${REVIEWS} committed through SASL_SSL` });
  assert.ok(!bridge.log().includes(kafka.sasl?.password ?? '?'), 'the password is in no log');

  const green = await doctor(s, s.env, 'doctor-green');
  assert.equal(green.code, 0, green.stdout + green.stderr);
  assert.match(green.stdout, /healthy: 16 ok, 0 warn, 0 fail/, green.stdout);
  assert.match(green.stdout, /OK\s+temporal-security\s+TLS with a client certificate \(mTLS\), server CA from TEMPORAL_TLS_CA, server name localhost; client certificate .*set: TEMPORAL_TLS_CA \(from file .+\), TEMPORAL_TLS_SERVER_NAME, TEMPORAL_TLS_CERT \(from file .+\), TEMPORAL_TLS_KEY \(from file .+\)/);
  assert.match(green.stdout, /OK\s+kafka-security\s+SASL_SSL SCRAM-SHA-512 as kta; broker CA from KAFKA_SSL_CA; set: .*KAFKA_SASL_PASSWORD \(from file .+\)/);

  // Acceptance 2: without the CA the client trusts only public roots; the temporal check fails, naming the fix.
  const { TEMPORAL_TLS_CA_FILE: _ca, ...withoutCa } = s.env;
  const missingCa = await doctor(s, withoutCa, 'doctor-without-ca');
  assert.equal(missingCa.code, 1, missingCa.stdout);
  assert.match(missingCa.stdout, /FAIL\s+temporal\s+Temporal at 127\.0\.0\.1:\d+: the server's certificate is not signed by a trusted CA -> fix: set TEMPORAL_TLS_CA \(or TEMPORAL_TLS_CA_FILE\) to the PEM of the server's CA; without it only the system's public roots are trusted/);
  assert.match(missingCa.stdout, /OK\s+temporal-security\s+TLS with a client certificate \(mTLS\), server CA the system's public roots/);
});

test('a wrong Kafka password, an untrusted client certificate and a CA that does not match each stop the bridge at start-up naming the variable, with nothing committed', { timeout: 180_000 }, async () => {
  const s = await secured('prod-refused');
  await s.produceReviews(3);
  const certs = temporal.server.certificates;
  assert.ok(certs, 'the server made a certificate set with an untrusted client');
  const wrongPassword = join(dir, 'wrong-password');
  writeFileSync(wrongPassword, 'not-the-password\n');

  const cases: { name: string; env: Record<string, string>; says: RegExp }[] = [
    { name: 'wrong Kafka password', env: { KAFKA_SASL_PASSWORD_FILE: wrongPassword }, says: /refused SASL SCRAM-SHA-512 authentication of user kta .*; set KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/ },
    {
      name: 'untrusted client certificate',
      env: { TEMPORAL_TLS_CERT_FILE: certs.untrustedClient.certFile, TEMPORAL_TLS_KEY_FILE: certs.untrustedClient.keyFile },
      says: /Temporal at 127\.0\.0\.1:\d+: the server refused the client certificate .*; set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/,
    },
    { name: 'CA that does not match', env: { TEMPORAL_TLS_CA_FILE: certs.untrustedCaFile }, says: /the server's certificate is not signed by a trusted CA \(not by the CA in TEMPORAL_TLS_CA\); set TEMPORAL_TLS_CA/ },
  ];
  for (const c of cases) {
    const bridge = await s.startBridge(c.env);
    const exit = await bridge.exited;
    const log = bridge.log();
    assert.equal(exit.code, 1, `${c.name}: the bridge exits 1\n${log}`);
    assert.match(log, c.says, c.name);
    assert.doesNotMatch(log, /\n\s+at /, `${c.name}: no stack trace`);
    assert.ok(!log.includes('not-the-password') && !log.includes('PRIVATE KEY'), `${c.name}: no secret in the output`);
  }
  // The worker checks its Temporal connection the same way.
  const worker = s.startWorker({ TEMPORAL_TLS_CERT_FILE: certs.untrustedClient.certFile, TEMPORAL_TLS_KEY_FILE: certs.untrustedClient.keyFile });
  const exit = await worker.exited;
  assert.equal(exit.code, 1, worker.log());
  assert.match(worker.log(), /the server refused the client certificate .*; set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);

  assert.deepEqual(await s.kafka.committedOffsets(s.groupId, s.topic), { 0: -1 }, 'no offset committed (-1: none)');
  assert.deepEqual(await s.runs(), [], 'no run started');
});
