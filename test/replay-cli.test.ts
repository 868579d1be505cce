import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { workflowIdFor } from '../core/workflow-id';
import type { ReplayReport } from '../ops/replay/report';
import { bundleWorkflowsTo } from '../workers/bundle';
import { runKta, type CommandResult } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';

const CHANGED_WORKFLOWS = fileURLToPath(new URL('./fixtures/workflows/tag-review-changed.ts', import.meta.url));
const RECORDS = 3;
// Each `kta replay` loads (or bundles, seconds on two cores) the workflow code in a fresh process.
const REPLAY_TIMEOUT_MS = 120_000;

let s: Scenario;
let workflowIds: string[];
before(async () => {
  s = await createScenario('replay-cli');
  await s.produceReviews(RECORDS);
  const worker = s.startWorker();
  const bridge = await s.startBridge();
  await s.waitForCompletedRuns(RECORDS);
  // Replay needs neither: it reads histories from Temporal and runs them through the code on this machine.
  await Promise.all([bridge.stop(), worker.stop()]);
  workflowIds = Array.from({ length: RECORDS }, (_, offset) => workflowIdFor(s.topic, 0, String(offset)));
});
after(async () => s?.close());

function replay(args: string[], env: Record<string, string> = s.env): Promise<CommandResult> {
  return runKta(['replay', ...args], env, REPLAY_TIMEOUT_MS);
}

function report(result: CommandResult, expectedCode: number): ReplayReport {
  assert.equal(result.code, expectedCode, `kta replay exit code; stderr: ${result.stderr}; stdout: ${result.stdout}`);
  return JSON.parse(result.stdout) as ReplayReport;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const outcomes = (r: ReplayReport) => r.histories.map((h) => [h.workflowId, h.workflowType, h.ok, h.error?.name]).sort();

test('every run of the routes\' topics replays against the worker\'s workflow bundle by default, and the command exits 0', { timeout: 300_000 }, async () => {
  const all = report(await replay(['--json']), 0);
  assert.equal(all.ok, true);
  assert.equal(all.workflows, `bundle ${s.env.WORKFLOW_BUNDLE_PATH}`);
  assert.deepEqual(all.query, { text: `KafkaTopic = "${s.topic}"`, runs: RECORDS, limit: 1000, limitReached: false });
  assert.deepEqual(all.summary, { replayed: RECORDS, ok: RECORDS, failed: 0 });
  assert.deepEqual(outcomes(all), workflowIds.map((id) => [id, 'tagReview', true, undefined]));

  const limited = report(await replay(['--json', '--limit', '2']), 0);
  assert.deepEqual(limited.summary, { replayed: 2, ok: 2, failed: 0 });
  assert.equal(limited.query?.limitReached, true, 'the report says the query listed more runs than --limit');
});

test('a changed tagReview given by --workflows fails every history with DeterminismViolationError naming its workflow ID, and the command exits 1', { timeout: 300_000 }, async () => {
  const text = await replay(['--workflows', CHANGED_WORKFLOWS]);
  assert.equal(text.code, 1, `exit code; stderr: ${text.stderr}`);
  assert.match(text.stdout, new RegExp(`^kta replay: histories through the workflow module ${escapeRegExp(CHANGED_WORKFLOWS)} \\(bundled now\\)$`, 'm'));
  for (const id of workflowIds) {
    assert.match(text.stdout, new RegExp(`^FAIL  ${id}  tagReview  DeterminismViolationError: \\[TMPRL1100\\] Nondeterminism error: .*'callModel'.*'upsertReviewTags'$`, 'm'));
  }
  assert.match(text.stdout, new RegExp(`^replayed ${RECORDS}, ok 0, failed ${RECORDS}$`, 'm'));

  // The same change as a prebuilt bundle (what a branch's build would ship) is loaded as a bundle, not re-bundled.
  const bundle = await bundleWorkflowsTo(join(s.logDir, 'changed-bundle.js'), CHANGED_WORKFLOWS);
  const json = report(await replay(['--json', '--workflows', bundle]), 1);
  assert.equal(json.workflows, `bundle ${bundle}`);
  assert.deepEqual(json.summary, { replayed: RECORDS, ok: 0, failed: RECORDS });
  assert.deepEqual(outcomes(json), workflowIds.map((id) => [id, 'tagReview', false, 'DeterminismViolationError']));
});

test('--save writes one file per fetched history, complete, and --file replays those files without Temporal', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(s.logDir, 'saved-'));
  const saving = report(await replay(['--json', '--save', dir]), 0);
  assert.deepEqual(saving.summary, { replayed: RECORDS, ok: RECORDS, failed: 0 });
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, workflowIds.map((id) => `${id}.json`));

  const client = await s.client();
  for (const id of workflowIds) {
    const saved = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as { workflowId: string; events: { eventType: string }[] };
    const live = await client.workflow.getHandle(id).fetchHistory();
    assert.equal(saved.workflowId, id);
    assert.equal(saved.events.length, live.events?.length, `${id}: the saved history holds every event of the run`);
    assert.equal(saved.events.at(-1)?.eventType, 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');
  }

  // Port 1 has no Temporal: recorded files need none.
  const fromFiles = report(await replay(['--json', ...files.flatMap((f) => ['--file', join(dir, f)])], { ...s.env, TEMPORAL_ADDRESS: '127.0.0.1:1' }), 0);
  assert.equal(fromFiles.query, undefined, 'no visibility query runs when only files are given');
  assert.deepEqual(fromFiles.summary, { replayed: RECORDS, ok: RECORDS, failed: 0 });
  assert.deepEqual(outcomes(fromFiles), workflowIds.map((id) => [id, 'tagReview', true, undefined]));
  assert.deepEqual(fromFiles.histories.map((h) => h.source).sort(), files.map((f) => join(dir, f)));
});

test('--workflow-id replays that run, and one that does not exist stops the command with exit 2 and an error naming it', { timeout: 300_000 }, async () => {
  const one = report(await replay(['--json', '--workflow-id', workflowIds[1]]), 0);
  assert.equal(one.query, undefined, 'no default query when runs are named');
  assert.deepEqual(outcomes(one), [[workflowIds[1], 'tagReview', true, undefined]]);

  const missing = workflowIdFor(s.topic, 0, '999');
  const result = await replay(['--workflow-id', workflowIds[0], '--workflow-id', missing]);
  assert.equal(result.code, 2, `exit code; stdout: ${result.stdout}`);
  assert.match(result.stderr, new RegExp(`^kta replay could not run: Workflow ${missing} was not found in namespace ${s.stack.temporal.namespace}`, 'm'));
  assert.equal(result.stdout, '', 'nothing is replayed when one named run is missing');
});
