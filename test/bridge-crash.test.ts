import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('a bridge killed between a start and its commit gets the record again and counts it as a duplicate', { timeout: 240_000 }, async () => {
  const s = await createScenario('bridgekill');
  scenarios.push(s);
  const RECORDS = 6;
  const marker = join(s.logDir, 'fault-marker');
  await s.produceReviews(RECORDS);
  s.startWorker();
  // Commits are held back (long interval) so the kill at the third acknowledged start finds started
  // but uncommitted records.
  const doomed = await s.startBridge({
    KTA_FAULT: 'bridge:after-start-before-commit@3',
    KTA_FAULT_MARKER: marker,
    BRIDGE_COMMIT_INTERVAL_MS: '600000',
    BRIDGE_MAX_STARTS_IN_FLIGHT: '1',
  });
  const exit = await doomed.exited;
  assert.equal(exit.signal, 'SIGKILL', 'the bridge died by SIGKILL');
  assert.ok(existsSync(marker) && readFileSync(marker, 'utf8').includes('bridge:after-start-before-commit'), 'the fault point was hit');
  const committed = await s.kafka.committedOffsets(s.groupId, s.topic);
  assert.ok((committed[0] ?? -1) < 3, `nothing past the unacknowledged commit was committed (committed ${JSON.stringify(committed)})`);
  const runsBefore = await waitFor(() => s.runs(), (r) => r.length >= 3, { message: 'the three acknowledged starts are visible' });
  assert.equal(runsBefore.length, 3);

  const survivor = await s.startBridge();
  const stats = await waitFor(() => survivor.stats(), (st) => st.starts + st.duplicates === RECORDS, {
    timeoutMs: 60_000,
    message: 'the restarted bridge handled every record',
  });
  assert.equal(stats.duplicates, 3, 'the three records started before the crash were redelivered and counted as duplicates');
  assert.equal(stats.starts, RECORDS - 3);
  await s.waitForCompletedRuns(RECORDS);
  const runs = await s.runs();
  assert.equal(runs.length, RECORDS, 'one run per record, nothing ran twice');
  assert.equal(s.simulator.stats().calls, RECORDS, 'one model call per record');
  assert.equal((await s.indexRows()).length, RECORDS);
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === RECORDS, { message: 'every offset committed at last' });
});
