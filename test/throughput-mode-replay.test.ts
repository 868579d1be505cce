import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import { configuredWorkflowCode } from '../workers/workflow-code';
import { testStack } from './helpers/test-stack';

Runtime.install({ logger: new DefaultLogger('ERROR', () => undefined), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });

const DIR = fileURLToPath(new URL('../workflows/histories', import.meta.url));
const histories = readdirSync(DIR).filter((f) => f.startsWith('throughput-partition-') && f.endsWith('.json')).sort()
  .map((file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8'))) }));

async function replayAll(code: Parameters<typeof Worker.runReplayHistories>[0]): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  async function* inputs() { yield* histories; }
  for await (const r of Worker.runReplayHistories(code, inputs())) results.push(r);
  return results;
}

test('every recorded partition-run history replays against the workflow code the worker runs (continue-as-new with an abandoned update, redelivered duplicates)', async () => {
  assert.deepEqual(histories.map((h) => h.workflowId), ['throughput-partition-continued-as-new.json', 'throughput-partition-redelivered.json']);
  const results = await replayAll({ ...configuredWorkflowCode(testStack().workflowBundlePath), replayName: 'recorded-throughput-partition' });
  assert.deepEqual(results.map((r) => [r.workflowId, r.error?.message]), histories.map((h) => [h.workflowId, undefined]));
});

test('a changed partition run fails to replay every recorded history with DeterminismViolationError', async () => {
  const changed = fileURLToPath(new URL('./fixtures/workflows/throughput-partition-changed.ts', import.meta.url));
  const results = await replayAll({ workflowsPath: changed, replayName: 'changed-throughput-partition' });
  assert.equal(results.length, histories.length);
  for (const r of results) assert.ok(r.error instanceof DeterminismViolationError, `${r.workflowId}: ${r.error?.name} ${r.error?.message}`);
});
