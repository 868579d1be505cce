import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { partitionWorkflowId } from '../core/workflow-id';
import type { AuditReport } from '../ops/audit/report';
import { readDeadLetters } from './helpers/dead-letters';
import { runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { modelCalls, partitionRuns, resultCounts, useThroughputRoute } from './helpers/throughput';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const GOOD = 60;
let s: Scenario;
let bridge: Awaited<ReturnType<Scenario['startBridge']>>;

async function audit(): Promise<AuditReport> {
  const result = await runKta(['audit', '--json'], s.env);
  assert.equal(result.code, 0, `kta audit found nothing missing (exit ${result.code}): ${result.stdout.slice(0, 2000)} ${result.stderr}`);
  return JSON.parse(result.stdout) as AuditReport;
}

test('a throughput route works its records in batches, one run per partition: each record tagged once with one model call, bad records dead-lettered, and the audit finds every offset\'s evidence', { timeout: 180_000 }, async () => {
  s = await createScenario('throughput', { partitions: 2 });
  scenarios.push(s);
  // Two batches per run: the runs continue as new while the records arrive.
  useThroughputRoute(s, { maxRecords: 10, maxBatchesPerRun: 2, heartbeatTimeoutMs: 6_000 });
  await s.produceReviews(GOOD);
  const nul = { reviewId: `${s.topic}-bad\u0000id`, text: 'Arrived broken, the box was wet.', rating: 1 };
  await s.kafka.produce(s.topic, [{ key: 'not-json', value: 'not json', partition: 0 }, { key: 'nul', value: JSON.stringify(nul), partition: 1 }]);
  s.startWorker();
  bridge = await s.startBridge();

  await waitFor(() => resultCounts(s), (c) => c.done === GOOD && c['dead-letter'] === 1, { timeoutMs: 120_000, message: `${GOOD} records done and one dead-lettered in throughput_results (logs in ${s.logDir})` });
  const rows = await s.indexRows();
  assert.equal(rows.length, GOOD, 'one index row per good review');
  assert.ok(rows.every((r) => r.writes === 1), 'each effect applied once');
  assert.deepEqual(modelCalls(s), { calls: GOOD + 1, prompts: GOOD + 1, duplicates: 0 }, 'one model call per record that reached the model (the NUL review too: the index refuses it after)');

  const letters = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 2);
  assert.deepEqual(letters.map((l) => `${l.class}/${l.reasonCode}`).sort(), ['HUMAN_REVIEW/SinkDataError', 'INVALID_INPUT/NOT_JSON']);
  const sink = letters.find((l) => l.class === 'HUMAN_REVIEW')!;
  assert.equal(sink.workflowId, partitionWorkflowId(s.topic, 1), 'the batch\'s dead letter names the partition run');

  // A run continues as new once its batch activity returned, which can be after the results show.
  const runs = await waitFor(() => partitionRuns(s), (r) => r.length > 2, { timeoutMs: 30_000, message: 'the partition runs continued as new' });
  assert.deepEqual([...new Set(runs.map((r) => r.workflowId))].sort(), [partitionWorkflowId(s.topic, 0), partitionWorkflowId(s.topic, 1)].sort(), 'one run per partition, no run per record');

  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] + c[1] === GOOD + 2, { timeoutMs: 30_000, message: 'every offset committed' });
  const report = await audit();
  assert.equal(report.partitions.reduce((n, p) => n + p.batchHandled, 0), GOOD, 'every good record evidenced by its result');
  assert.equal(report.partitions.reduce((n, p) => n + p.deadLetters, 0), 2);
});

test('a redelivered batch is a no-op, after continue-as-new and in a new run alike: the partition run answers the offsets as duplicates, no model call and no effect repeats', { timeout: 180_000 }, async () => {
  assert.ok(s, 'the first test set up the scenario');
  // A new run of partition 0 must start its dedup from the mark the batches left in PostgreSQL.
  const client = await s.client();
  await client.workflow.getHandle(partitionWorkflowId(s.topic, 0)).terminate('test: a new run must know the offsets done');
  await bridge.stop();
  await s.kafka.resetToEarliest(s.groupId, s.topic);
  const callsBefore = modelCalls(s);
  bridge = await s.startBridge();
  await waitFor(() => bridge.stats(), (st) => st.duplicates === GOOD + 1, { timeoutMs: 60_000, message: `the bridge counted ${GOOD + 1} duplicates (logs in ${s.logDir})` });
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] + c[1] === GOOD + 2, { timeoutMs: 30_000, message: 'every offset committed again' });
  assert.equal((await bridge.stats()).starts, 0, 'no record was taken again');
  assert.deepEqual(modelCalls(s), callsBefore, 'no model call repeated');
  assert.ok((await s.indexRows()).every((r) => r.writes === 1), 'no effect repeated');
  assert.deepEqual(await resultCounts(s), { done: GOOD, 'dead-letter': 1 });
  // Visibility is eventually consistent: the new run may be listed a moment after it took the records.
  await waitFor(() => partitionRuns(s), (runs) => runs.some((r) => r.workflowId === partitionWorkflowId(s.topic, 0) && r.status === 'RUNNING'), { timeoutMs: 30_000, message: 'a new run of partition 0 took the redelivered records' });
  await audit();
});

test('a redelivered record whose offset holds another record\'s result (topic recreated, offsets reset) becomes a COLLISION dead letter, never a silent skip', { timeout: 120_000 }, async () => {
  assert.ok(s, 'the first test set up the scenario');
  // Another record's result at [1]@0, as a recreated topic would leave it.
  const changed = await s.pool.query('UPDATE throughput_results SET record_hash = $3 WHERE topic = $1 AND partition = $2 AND "offset" = 0', [s.topic, 1, 'hash-of-another-record']);
  assert.equal(changed.rowCount, 1);
  await bridge.stop();
  await s.kafka.resetToEarliest(s.groupId, s.topic);
  const callsBefore = modelCalls(s);
  bridge = await s.startBridge();
  await waitFor(() => bridge.stats(), (st) => st.duplicates === GOOD + 1, { timeoutMs: 60_000, message: `the bridge counted ${GOOD + 1} duplicates` });
  const stats = await bridge.stats();
  assert.equal(stats.collisions, 1, 'one duplicate was another record');
  const letters = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 5);
  const collision = letters.filter((l) => l.class === 'COLLISION');
  assert.deepEqual(collision.map((l) => [l.reasonCode, l.original.coordinates, l.workflowId]), [['HASH_MISMATCH', `${s.topic}[1]@0`, partitionWorkflowId(s.topic, 1)]]);
  assert.match(collision[0].reason, /already taken by partition run .* for another record/);
  assert.deepEqual(modelCalls(s), callsBefore, 'no model call');
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] + c[1] === GOOD + 2, { timeoutMs: 30_000, message: 'every offset committed again' });
  const report = await audit();
  assert.equal(report.partitions.reduce((n, p) => n + p.deadLetters, 0), 3, 'the collision is evidenced by its dead letter');
});
