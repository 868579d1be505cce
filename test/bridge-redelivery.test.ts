import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('starts no second workflow when the group is reset to the earliest offset and every record is redelivered', { timeout: 240_000 }, async () => {
  const s = await createScenario('redeliver', { partitions: 2 });
  scenarios.push(s);
  const RECORDS = 12;
  await s.produceReviews(RECORDS);
  s.startWorker();
  const first = await s.startBridge();
  await s.waitForCompletedRuns(RECORDS);
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => (c[0] ?? 0) + (c[1] ?? 0) === RECORDS, {
    message: 'the first bridge committed every offset',
  });
  const firstStats = await first.stats();
  assert.equal(firstStats.starts, RECORDS);
  assert.equal(firstStats.duplicates, 0);
  assert.deepEqual(await first.stop('SIGTERM'), { code: 0, signal: null }, 'the bridge leaves gracefully on SIGTERM');

  // The demo's and an operator's replay: move the group back to the start and consume again.
  await s.kafka.resetToEarliest(s.groupId, s.topic);
  const committedAfterReset = await s.kafka.committedOffsets(s.groupId, s.topic);
  assert.ok(Object.values(committedAfterReset).every((o) => o <= 0), `the reset moved the group back (${JSON.stringify(committedAfterReset)})`);
  const second = await s.startBridge();
  const stats = await waitFor(() => second.stats(), (st) => st.duplicates === RECORDS, {
    message: `the second bridge counted ${RECORDS} duplicates`,
  });
  assert.equal(stats.starts, 0, 'the second bridge started nothing');
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => (c[0] ?? 0) + (c[1] ?? 0) === RECORDS, {
    message: 'the second bridge committed every offset again',
  });

  const runs = await s.runs();
  assert.equal(runs.length, RECORDS, 'Temporal holds exactly one run per offset');
  assert.equal(new Set(runs.map((r) => r.workflowId)).size, RECORDS);
  assert.ok(runs.every((r) => /^t-redeliver-.+-[01]-\d+$/.test(r.workflowId)), 'workflow IDs are topic-partition-offset');
  assert.equal(s.simulator.stats().calls, RECORDS, 'the model was called once per record');
  const rows = await s.indexRows();
  assert.equal(rows.length, RECORDS, 'the index holds one tag set per review');
  assert.ok(rows.every((r) => r.writes === 1), 'each review was written once');
});
