import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { DeterminismViolationError } from '@temporalio/workflow';
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import { AGENTS } from '../agents/registry';
import { configuredWorkflowCode } from '../workers/workflow-code';
import { recordedHistories, replayInputs, type RecordedHistory } from './helpers/agent-histories';
import { testStack } from './helpers/test-stack';

// Replay workers log every activation, and the core logs each failed one as a warning; the assertions
// say what failed.
Runtime.install({ logger: new DefaultLogger('ERROR', () => undefined), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });

/**
 * A changed version of an agent's workflow, incompatible with its recorded histories, lives at
 * test/fixtures/workflows/<workflow type in kebab case>-changed.ts and exports a function of the same
 * workflow type; every history the agent ships must fail to replay through it.
 */
const changedWorkflowsOf = (workflowType: string) =>
  fileURLToPath(new URL(`./fixtures/workflows/${workflowType.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-changed.ts`, import.meta.url));

async function replayAll(code: Parameters<typeof Worker.runReplayHistories>[0], histories: readonly RecordedHistory[]): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for await (const result of Worker.runReplayHistories(code, replayInputs(histories))) results.push(result);
  return results;
}

test('every agent in the registry ships at least one recorded history of its own workflow type', () => {
  for (const agent of AGENTS) {
    const histories = recordedHistories(agent);
    assert.ok(
      histories.length > 0,
      `agent ${agent.workflowType} has no recorded history in ${agent.historiesDir}: run it once on a local stack and save the run with ` +
        '`kta replay --workflow-id <id> --save <that folder>` (or `temporal workflow show -w <id> --output json`), with a README line saying what the run did',
    );
    for (const h of histories) assert.equal(h.workflowType, agent.workflowType, `${agent.historiesDir}/${h.file} is a history of another workflow type`);
  }
});

for (const agent of AGENTS) {
  const histories = recordedHistories(agent);
  const files = histories.map((h) => h.file).join(', ');

  test(`every recorded ${agent.workflowType} history replays against the workflow code the worker runs (${files})`, { timeout: 120_000 }, async () => {
    assert.ok(histories.length > 0, `agent ${agent.workflowType} has no recorded history`);
    for (const h of histories) {
      assert.ok(h.history.events?.some((e) => e.activityTaskCompletedEventAttributes), `${h.file} holds a completed activity, so the replay checks real steps`);
    }
    const results = await replayAll({ ...configuredWorkflowCode(testStack().workflowBundlePath), replayName: `recorded-${agent.workflowType}` }, histories);
    assert.deepEqual(results.map((r) => [r.workflowId, r.error ? `${r.error.name}: ${r.error.message}` : 'ok']), histories.map((h) => [h.file, 'ok']));
  });

  const changed = changedWorkflowsOf(agent.workflowType);
  if (!existsSync(changed)) continue;
  test(`a changed ${agent.workflowType} fails to replay every recorded history with DeterminismViolationError (${files})`, { timeout: 120_000 }, async () => {
    assert.ok(histories.length > 0, `agent ${agent.workflowType} has no recorded history to fail`);
    const results = await replayAll({ workflowsPath: changed, replayName: `changed-${agent.workflowType}` }, histories);
    assert.deepEqual(results.map((r) => r.workflowId), histories.map((h) => h.file), 'every history was replayed');
    for (const r of results) {
      assert.ok(r.error instanceof DeterminismViolationError, `${r.workflowId}: expected DeterminismViolationError, got ${r.error ? `${r.error.name}: ${r.error.message}` : 'a successful replay'}`);
      assert.match(r.error.message, /Nondeterminism error/, r.workflowId);
    }
  });
}
