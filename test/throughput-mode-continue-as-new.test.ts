import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { partitionWorkflowId } from '../core/workflow-id';
import { createScenario, type Scenario } from './helpers/scenario';
import { modelCalls, partitionRuns, resultCounts, useThroughputRoute } from './helpers/throughput';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const RECORDS = 30;

test('continue-as-new keeps the dedup state: an update waiting while the run drains is sent again to the new run, every record is worked once, and a redelivery to the new run is answered as duplicates', { timeout: 180_000 }, async () => {
  // One batch per run, room for one chunk, slow batches: the third chunk waits for room, then for the
  // drain before continue-as-new, is abandoned with the old run and sent again by the bridge.
  const s = await createScenario('tp-can', { simulatorLatencyMs: 300 });
  scenarios.push(s);
  useThroughputRoute(s, { maxRecords: 10, concurrency: 1, maxBatchesPerRun: 1, maxQueuedRecords: 10 });
  await s.produceReviews(RECORDS);
  s.startWorker();
  let bridge = await s.startBridge();
  await waitFor(() => resultCounts(s), (c) => c.done === RECORDS, { timeoutMs: 120_000, message: `${RECORDS} records done (logs in ${s.logDir})` });
  // The run continues as new once its batch activity returned, which can be after the results show.
  const runs = await waitFor(() => partitionRuns(s), (r) => r.length >= 3, { timeoutMs: 30_000, message: 'the run continued as new after each batch (three runs)' });
  assert.ok(runs.every((r) => r.workflowId === partitionWorkflowId(s.topic, 0)));
  assert.match(readFileSync(bridge.logFile, 'utf8'), /records update from \S+\[0\]@20 waited while the partition run continued as new; sending it to the new run/, 'an update waiting while the run drained was abandoned and sent again');
  assert.deepEqual(modelCalls(s), { calls: RECORDS, prompts: RECORDS, duplicates: 0 });
  assert.ok((await s.indexRows()).every((r) => r.writes === 1));
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === RECORDS, { timeoutMs: 30_000, message: 'every offset committed' });

  await bridge.stop();
  await s.kafka.resetToEarliest(s.groupId, s.topic);
  bridge = await s.startBridge();
  await waitFor(() => bridge.stats(), (st) => st.duplicates === RECORDS, { timeoutMs: 60_000, message: `${RECORDS} duplicates answered by the newest run` });
  assert.equal((await bridge.stats()).starts, 0);
  assert.deepEqual(modelCalls(s), { calls: RECORDS, prompts: RECORDS, duplicates: 0 });
});
