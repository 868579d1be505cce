import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startTemporal, type TemporalServer } from '../dev/stack/temporal';
import { createScenario, type Scenario } from './helpers/scenario';
import { testStack } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

test('with Temporal stopped the bridge commits nothing unstarted, keeps retrying in the same process, and finishes after Temporal returns', { timeout: 300_000 }, async () => {
  // This test stops Temporal, so it runs its own server (same SQLite file across the restart).
  const dataDir = join(testStack().dir, 'temporal-outage');
  mkdirSync(dataDir, { recursive: true });
  const temporal: TemporalServer = await startTemporal({ dataDir, ui: false, logFile: join(dataDir, 'temporal.log') });
  cleanups.push(() => temporal.stop());
  const s: Scenario = await createScenario('outage', { temporalAddress: temporal.address });
  cleanups.push(() => s.close());

  await s.produceReviews(3);
  s.startWorker();
  const bridge = await s.startBridge();
  await s.waitForCompletedRuns(3);
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === 3, { message: 'the first three offsets committed' });

  await temporal.stop();
  await s.produceReviews(5, { startAt: 3 });
  await waitFor(() => bridge.stats(), (st) => st.startErrors >= 3, { timeoutMs: 60_000, message: 'the bridge tried to start the new records and failed' });
  // Give the bridge time in which it could wrongly commit, while it keeps failing.
  const errorsBefore = (await bridge.stats()).startErrors;
  await waitFor(() => bridge.stats(), (st) => st.startErrors >= errorsBefore + 3, { timeoutMs: 60_000, message: 'the bridge kept retrying' });
  assert.deepEqual(await s.kafka.committedOffsets(s.groupId, s.topic), { 0: 3 }, 'no offset of an unstarted record was committed');
  assert.ok(bridge.isAlive(), 'the bridge process is still running');

  await temporal.restart();
  const runs = await s.waitForCompletedRuns(8, 120_000);
  assert.equal(runs.length, 8, 'every record has exactly one run');
  assert.equal(new Set(runs.map((r) => r.workflowId)).size, 8);
  assert.ok(bridge.isAlive(), 'the same bridge process (same PID) carried on');
  assert.equal((await bridge.stats()).starts, 8, 'the same bridge started all eight');
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === 8, { message: 'all eight offsets committed' });
  assert.equal(s.simulator.stats().calls, 8);
});
