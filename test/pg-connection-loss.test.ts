// PostgreSQL ending a connection (a restart, `pg_terminate_backend`, a stack being stopped) must never
// crash a process: every pool comes from lib/pg-pool.ts, which logs one line and lets the pool reconnect.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closePool, createPool, stderrPoolLog } from '../lib/pg-pool';
import { createScenario, type Scenario } from './helpers/scenario';
import { testStack } from './helpers/test-stack';
import { uniqueName } from './helpers/unique';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

/** The database URL with an application name of this test's own, so it terminates only its own connections. */
function urlFor(applicationName: string): string {
  const url = new URL(testStack().databaseUrl);
  url.searchParams.set('application_name', applicationName);
  return url.toString();
}

// First, before any other test opens sockets: it counts the process's TCP sockets.
test('closePool returns once every connection of the pool is closed, so a server stopped next ends none of them', { timeout: 30_000 }, async () => {
  const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
  const baseline = sockets();
  const app = uniqueName('kta-pg-close');
  const pool = createPool(urlFor(app), stderrPoolLog, { name: 'test-close', max: 3 });
  await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0.2)')));
  assert.equal(sockets(), baseline + 3, 'the pool holds three idle connections');
  await closePool(pool);
  assert.equal(sockets(), baseline, 'no connection of the pool is still open when closePool returns');
});

test('a worker whose idle PostgreSQL connection is terminated logs one line, keeps running and exits 0 on SIGTERM', { timeout: 90_000 }, async () => {
  const s = await createScenario('pg-lost');
  scenarios.push(s);
  const app = uniqueName('kta-pg-lost');
  const worker = s.startWorker({ DATABASE_URL: urlFor(app) });
  // The schema lock's client goes back to the pool idle after its last query, the unlock.
  const terminated = await waitFor(
    async () => (await s.pool.query<{ n: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE application_name = $1 AND state = 'idle' AND query LIKE 'SELECT pg_advisory_unlock%'`, [app])).rows[0].n,
    (n) => n > 0,
    { timeoutMs: 30_000, intervalMs: 50, message: `an idle connection of the worker (application_name ${app}) to terminate` },
  );
  assert.equal(terminated, 1, 'one idle connection of the worker was terminated');

  const warning = /"pool":"worker","code":"57P01".*"msg":"a connection of the worker pool to PostgreSQL ended \(57P01: terminating connection due to administrator command\); the next query opens a new one"/;
  await waitFor(() => worker.log(), (log) => !worker.isAlive() || (warning.test(log) && log.includes('"msg":"worker running"')), {
    timeoutMs: 30_000,
    message: `the worker logs the lost connection and runs (log ${worker.logFile})`,
  });
  assert.ok(worker.isAlive(), `the worker died: ${worker.log()}`);
  assert.equal(worker.log().split('\n').filter((line) => warning.test(line)).length, 1, 'one line for the lost connection');
  assert.doesNotMatch(worker.log(), /^\s+at /m, 'no stack trace');

  worker.child.kill('SIGTERM');
  await waitFor(() => worker.isAlive(), (alive) => !alive, { timeoutMs: 25_000, intervalMs: 100, message: 'the worker exits after SIGTERM' });
  assert.deepEqual(await worker.exited, { code: 0, signal: null }, worker.log());
});

