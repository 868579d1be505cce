import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { DeterminismViolationError } from '@temporalio/workflow';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { testStack } from './helpers/test-stack';

const HISTORY_FILE = fileURLToPath(new URL('../agents/review-tagger/histories/tag-review.json', import.meta.url));
const CHANGED_WORKFLOWS = fileURLToPath(new URL('./fixtures/workflows/tag-review-changed.ts', import.meta.url));
// Replay workers log every state change at INFO; keep the test output readable.
Runtime.install({ logger: new DefaultLogger('WARN') });

const history = () => historyFromJSON(JSON.parse(readFileSync(HISTORY_FILE, 'utf8')));

test('a recorded tagReview history replays against today\'s workflow code', { timeout: 120_000 }, async () => {
  const events = history().events ?? [];
  assert.ok(events.some((e) => e.activityTaskCompletedEventAttributes), 'the recorded history holds a completed model activity');
  await Worker.runReplayHistory({ workflowBundle: { codePath: testStack().workflowBundlePath } }, history(), 'recorded-tag-review');
});

test('a changed tagReview fails to replay the recorded history with DeterminismViolationError', { timeout: 120_000 }, async () => {
  await assert.rejects(
    Worker.runReplayHistory({ workflowsPath: CHANGED_WORKFLOWS }, history(), 'recorded-tag-review'),
    (err: Error) => {
      assert.ok(err instanceof DeterminismViolationError, `expected DeterminismViolationError, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
      assert.match(err.message, /[Nn]ondeterminism|does not match|mismatch/);
      return true;
    },
  );
});
