import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AuditReport } from '../ops/audit/report';
import { runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { modelCalls, resultCounts, useThroughputRoute } from './helpers/throughput';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const RECORDS = 30;

async function auditClean(s: Scenario): Promise<void> {
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === RECORDS, { timeoutMs: 30_000, message: 'every offset committed' });
  const result = await runKta(['audit', '--json'], s.env);
  const report = JSON.parse(result.stdout) as AuditReport;
  assert.deepEqual(report.missing, [], 'no offset without evidence');
  assert.equal(report.partitions[0].batchHandled, RECORDS);
  assert.equal(result.code, 0);
}

async function assertOnceEach(s: Scenario): Promise<void> {
  await waitFor(() => resultCounts(s), (c) => c.done === RECORDS, { timeoutMs: 90_000, message: `${RECORDS} records done (logs in ${s.logDir})` });
  assert.deepEqual(modelCalls(s), { calls: RECORDS, prompts: RECORDS, duplicates: 0 }, 'no model call repeated for a record whose answer was recorded');
  const rows = await s.indexRows();
  assert.equal(rows.length, RECORDS);
  assert.deepEqual(rows.filter((r) => r.writes !== 1).map((r) => r.review_id), [], 'no effect applied twice');
}

test('a worker killed mid-batch, after a record\'s answer was recorded and before its effect: the retried batch resumes from the recorded answers, no model call or effect repeats, every offset has its evidence', { timeout: 180_000 }, async () => {
  const s = await createScenario('tp-workerkill');
  scenarios.push(s);
  // One call at a time, so the kill finds no other call on the wire; a short heartbeat timeout, so the
  // batch is retried soon on the second worker.
  useThroughputRoute(s, { maxRecords: 10, concurrency: 1, heartbeatTimeoutMs: 3_000 });
  const marker = join(s.logDir, 'fault-marker');
  await s.produceReviews(RECORDS);
  const doomed = s.startWorker({ KTA_FAULT: 'worker:throughput-after-result@15', KTA_FAULT_MARKER: marker });
  await s.startBridge();
  const exit = await doomed.exited;
  assert.equal(exit.signal, 'SIGKILL', 'the worker died by SIGKILL');
  assert.ok(existsSync(marker) && readFileSync(marker, 'utf8').includes('worker:throughput-after-result'), 'the fault point was hit');
  const atCrash = await s.pool.query<{ offset: string; status: string }>('SELECT "offset"::text AS "offset", status FROM throughput_results WHERE topic = $1 ORDER BY "offset"', [s.topic]);
  assert.equal(atCrash.rows.length, 15, 'fifteen answers recorded when the worker died');
  assert.deepEqual(atCrash.rows.filter((r) => r.status === 'recorded').map((r) => r.offset), ['14'], 'the last one without its effect');

  s.startWorker();
  await assertOnceEach(s);
  await auditClean(s);
});

test('a bridge killed after a batch was accepted and before its offsets were committed: the redelivered records are answered as duplicates, no model call or effect repeats, every offset has its evidence', { timeout: 180_000 }, async () => {
  const s = await createScenario('tp-bridgekill');
  scenarios.push(s);
  useThroughputRoute(s, { maxRecords: 10 });
  const marker = join(s.logDir, 'fault-marker');
  await s.produceReviews(RECORDS);
  s.startWorker();
  // Commits held back: the kill at the second accepted batch finds accepted, uncommitted records.
  const doomed = await s.startBridge({ KTA_FAULT: 'bridge:throughput-after-accept-before-commit@2', KTA_FAULT_MARKER: marker, BRIDGE_COMMIT_INTERVAL_MS: '600000' });
  const exit = await doomed.exited;
  assert.equal(exit.signal, 'SIGKILL', 'the bridge died by SIGKILL');
  assert.ok(existsSync(marker) && readFileSync(marker, 'utf8').includes('bridge:throughput-after-accept-before-commit'), 'the fault point was hit');
  const committed = Math.max(0, (await s.kafka.committedOffsets(s.groupId, s.topic))[0] ?? 0);
  assert.ok(committed < 20, `the second accepted batch was not committed (committed ${committed})`);

  const survivor = await s.startBridge();
  const stats = await waitFor(() => survivor.stats(), (st) => st.starts + st.duplicates === RECORDS - committed, { timeoutMs: 60_000, message: 'the restarted bridge handled every uncommitted record' });
  assert.equal(stats.duplicates, 20 - committed, 'the accepted, uncommitted records came back and were answered as duplicates');
  await assertOnceEach(s);
  await auditClean(s);
});
