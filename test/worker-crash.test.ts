import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('a worker killed after the model answered and before the upsert is replaced without calling the model again', { timeout: 240_000 }, async () => {
  const s = await createScenario('workerkill', { workflowSettings: { effectTimeoutMs: 3_000 } });
  scenarios.push(s);
  const marker = join(s.logDir, 'fault-marker');
  const [review] = await s.produceReviews(1);
  const doomed = s.startWorker({ KTA_FAULT: 'worker:before-upsert', KTA_FAULT_MARKER: marker });
  await s.startBridge();
  const exit = await doomed.exited;
  assert.equal(exit.signal, 'SIGKILL', 'the worker died by SIGKILL');
  assert.ok(existsSync(marker) && readFileSync(marker, 'utf8').includes('worker:before-upsert'), 'the fault point was hit');
  assert.equal(s.simulator.stats().calls, 1, 'the model was called once before the crash');
  assert.equal((await s.indexRows()).length, 0, 'nothing was upserted before the crash');
  const [firstRequest] = s.simulator.requests(1);
  const firstAnswer = JSON.parse(firstRequest.content ?? "") as { tags: string[]; sentiment: string };

  s.startWorker();
  await s.waitForCompletedRuns(1);
  assert.equal(s.simulator.stats().calls, 1, 'the new worker did not call the model again');
  const rows = await waitFor(() => s.indexRows(), (r) => r.length === 1, { message: 'the index row' });
  assert.equal(rows[0].review_id, review.reviewId);
  assert.deepEqual(rows[0].tags, firstAnswer.tags, 'the index holds the first answer');
  assert.equal(rows[0].sentiment, firstAnswer.sentiment);
  assert.ok(
    (firstRequest.messages as { content: string }[]).some((m) => m.content.includes(review.text)),
    'the model received the review text',
  );
});
