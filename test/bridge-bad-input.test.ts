import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('a record that cannot become a workflow stops its partition, names its coordinates, and nothing past it is committed', { timeout: 180_000 }, async () => {
  const s = await createScenario('badinput', { partitions: 2 });
  scenarios.push(s);
  await s.produceReviews(1, { partition: 0 });
  await s.kafka.produce(s.topic, [{ key: 'broken', value: '{"reviewId": "x", "text": ', partition: 0 }]);
  await s.produceReviews(1, { partition: 0, startAt: 1 });
  await s.produceReviews(2, { partition: 1, startAt: 2 });
  s.startWorker();
  const bridge = await s.startBridge();

  const stats = await waitFor(() => bridge.stats(), (st) => st.invalidRecords >= 1 && st.starts === 3, { message: 'the bridge met the bad record and started the good ones around it' });
  assert.equal(stats.starts, 3, 'the record before it and the other partition go on');
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === 1 && c[1] === 2, { message: 'commits stop at the bad record' });
  await s.waitForCompletedRuns(3);
  // Time for a wrong commit or a skip to show, then check nothing moved past the bad record.
  await new Promise((r) => setTimeout(r, 3000));
  assert.deepEqual(await s.kafka.committedOffsets(s.groupId, s.topic), { 0: 1, 1: 2 });
  assert.equal((await s.runs()).length, 3, 'the record after the bad one was not started');
  assert.ok(bridge.isAlive(), 'the bridge keeps running');
  assert.match(bridge.log(), new RegExp(`Record ${s.topic}\\[0\\]@1 cannot become a workflow: the value is not JSON`));
});
