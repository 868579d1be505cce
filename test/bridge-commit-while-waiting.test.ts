// While a batch waits on one stuck record, the acknowledged records before it are committed (and
// nothing at or past it): progress is not held back until the stuck record is released.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ensureBridgeSchema } from '../bridge/bridge-schema';
import { businessKeyRouteName } from '../bridge/business-key';
import type { Route } from '../config';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('while one record is stuck, the acknowledged records before it are committed up to its offset, and after its release the commit reaches the end', { timeout: 120_000 }, async () => {
  const s = await createScenario('commitwait');
  scenarios.push(s);
  const RECORDS = 12;
  const STUCK = 8;
  const [route] = JSON.parse(s.env.ROUTES) as Route[];
  const keyedRoute = { ...route, businessKey: { jsonField: 'reviewId', horizonHours: 1 } };
  const reviews = await s.produceReviews(RECORDS);

  // The hold: an open transaction that inserted the stuck record's business key. The bridge's own
  // insert of that key waits on the row lock until the transaction ends, a start stuck in a real
  // dependency; the records around it are not held.
  await ensureBridgeSchema(s.pool);
  const holder = await s.pool.connect();
  let holding = false;
  try {
    await holder.query('BEGIN');
    holding = true;
    await holder.query(
      `INSERT INTO business_keys (route, business_key, workflow_id, expires_at) VALUES ($1, $2, 'held-by-test', now() + interval '1 hour')`,
      [businessKeyRouteName(keyedRoute as Route), reviews[STUCK].reviewId],
    );
    const { rows: [{ pid: holderPid }] } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');

    s.startWorker();
    // One batch, launched at once (12 < 16 in flight); commits at most once a second, so anything
    // committed comes from the batch's waiting, not from its launches.
    await s.startBridge({ ROUTES: JSON.stringify([keyedRoute]), BRIDGE_COMMIT_INTERVAL_MS: '1000' });

    await waitFor(
      () => s.pool.query('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [holderPid]),
      (r) => r.rowCount === 1,
      { timeoutMs: 30_000, message: `the bridge's business-key insert of record @${STUCK} waits on the test's lock` },
    );
    const runsPast = await waitFor(() => s.runs(), (runs) => runs.length === RECORDS - 1, {
      timeoutMs: 30_000,
      message: `every record but @${STUCK} started`,
    });
    assert.ok(!runsPast.some((r) => r.workflowId.endsWith(`-0-${STUCK}`)), `record @${STUCK} has not started`);

    const committed = await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === STUCK, {
      timeoutMs: 15_000,
      message: `the commit reaches the stuck offset ${STUCK} while the batch waits on it`,
    });
    assert.equal(committed[0], STUCK, 'nothing at or past the stuck record is committed');
    const stillBlocked = await s.pool.query('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [holderPid]);
    assert.equal(stillBlocked.rowCount, 1, 'the batch was still waiting on the stuck record when the commit advanced');
    assert.equal((await s.kafka.committedOffsets(s.groupId, s.topic))[0], STUCK, 'the acknowledged records past the stuck one stay uncommitted');

    await holder.query('ROLLBACK');
    holding = false;
  } finally {
    if (holding) await holder.query('ROLLBACK');
    holder.release();
  }
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === RECORDS, {
    timeoutMs: 30_000,
    message: `the commit reaches the end (${RECORDS}) once the stuck record is released`,
  });
  await s.waitForCompletedRuns(RECORDS, 60_000);
});
