// The Temporal server users deploy (built from source, PostgreSQL persistence and visibility, mutual
// TLS on the frontend), not the dev server: the agent runs end to end through it with the bridge and
// the worker configured by environment alone, runs survive a server restart on the same databases,
// and clients without a certificate the server's CA signed are turned away.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Connection } from '@temporalio/client';
import { NativeConnection, TransportError } from '@temporalio/worker';
import { createScenario, type Scenario } from './helpers/scenario';
import { startTestPostgresTemporal, type TestPostgresTemporal } from './helpers/postgres-temporal';
import { sdkTlsOptions } from './helpers/temporal-tls';
import { waitFor } from './helpers/wait-for';

let temporal: TestPostgresTemporal;
const cleanups: (() => Promise<unknown>)[] = [];

before(async () => {
  temporal = await startTestPostgresTemporal('pgserver');
  cleanups.push(() => temporal.close());
});
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

function clientTls() {
  const tls = temporal.server.tls;
  assert.ok(tls, 'the server was started with mutual TLS');
  return tls;
}

test('the bridge and the worker, configured by environment alone, tag reviews through the PostgreSQL-backed server over mutual TLS, and runs in flight survive a server restart on the same database', { timeout: 240_000 }, async () => {
  // Slow model answers keep the runs open while the server goes down.
  const s: Scenario = await createScenario('pgserver', { temporalAddress: temporal.server.address, temporalTls: clientTls(), simulatorLatencyMs: 3_000 });
  cleanups.push(() => s.close());
  assert.equal(s.env.TEMPORAL_TLS_CERT_FILE, clientTls().certFile, 'the services get the client certificate as a file');

  await s.produceReviews(3);
  s.startWorker();
  await s.startBridge();
  const open = await waitFor(() => s.runs(), (runs) => runs.length === 3 && runs.every((r) => r.status.name === 'RUNNING'),
    { timeoutMs: 90_000, message: `three open runs on the PostgreSQL-backed server (logs in ${s.logDir})` });
  await waitFor(() => s.simulator.stats().calls, (calls) => calls >= 1, { message: 'a model call in flight before the restart' });

  const pidBefore = temporal.server.pid;
  await temporal.restart();
  assert.notEqual(temporal.server.pid, pidBefore, 'the server process was replaced');

  const done = await s.waitForCompletedRuns(3, 120_000);
  assert.deepEqual(done.map((r) => r.runId).sort(), open.map((r) => r.runId).sort(), 'the same runs finished: they survived the restart, none was started again');
  await s.produceReviews(2, { startAt: 3 });
  const all = await s.waitForCompletedRuns(5, 120_000);
  assert.equal(new Set(all.map((r) => r.workflowId)).size, 5, 'one run per record');
  const rows = await waitFor(() => s.indexRows(), (r) => r.length === 5, { message: 'five index rows' });
  assert.deepEqual(rows.map((r) => r.writes), [1, 1, 1, 1, 1], 'each review indexed once');
});

test('the frontend refuses a client without a certificate and one whose certificate an untrusted CA signed', { timeout: 90_000 }, async () => {
  const tls = clientTls();
  const certs = temporal.server.certificates;
  assert.ok(certs, 'the server made its certificates');
  const address = temporal.server.address;

  // The trusted certificate gets through, so the refusals below are about the certificates alone.
  const trusted = await Connection.connect({ address, tls: sdkTlsOptions(tls) });
  const info = await trusted.workflowService.getSystemInfo({});
  assert.ok(info.capabilities, 'the trusted client is served');
  await trusted.close();

  // The worker's native client names the TLS alert the server sent.
  const refusedNative = (cert: { certFile: string; keyFile: string } | null, alert: RegExp) =>
    assert.rejects(NativeConnection.connect({ address, tls: sdkTlsOptions(tls, cert) }), (err: Error) => {
      assert.ok(err instanceof TransportError, `a TransportError, not ${err.name}: ${err.message}`);
      assert.match(err.message, alert);
      return true;
    });
  // Under TLS 1.3 the client's certificate is checked after the client's side of the handshake is
  // done, so the server may close the connection before its alert reaches the client: the native
  // client then reports the closed connection or a broken pipe instead of the alert (all three seen).
  const CLOSED = 'Canceled, "connection closed"|stream closed because of a broken pipe';
  await refusedNative(null, new RegExp(`received fatal alert: CertificateRequired|${CLOSED}`));
  await refusedNative(certs.untrustedClient, new RegExp(`received fatal alert: UnknownCA|${CLOSED}`));

  // The client library (bridge, CLI operations) retries the handshake until its connect deadline.
  const refusedClient = (cert: { certFile: string; keyFile: string } | null) =>
    assert.rejects(Connection.connect({ address, tls: sdkTlsOptions(tls, cert), connectTimeout: 5_000 }), (err: Error) => {
      assert.equal(err.name, 'Error');
      assert.match(err.message, /^Failed to connect before the deadline$/);
      return true;
    });
  await refusedClient(null);
  await refusedClient(certs.untrustedClient);

  // And the trusted certificate still gets through: the refusals were the certificates', not an outage.
  const again = await NativeConnection.connect({ address, tls: sdkTlsOptions(tls) });
  await again.close();
});
