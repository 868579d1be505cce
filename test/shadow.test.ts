import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { workflowIdFor } from '../core/workflow-id';
import type { ShadowReport } from '../ops/shadow/report';
import { ShadowRecorder, shadowActivities, shadowDecisions } from '../workers/shadow-activities';
import { KAFKA_TOPIC } from '../workflows/search-attributes';
import type { TagReviewResult } from '../agents/review-tagger/workflow';
import { runKta, type CommandResult } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { uniqueName } from './helpers/unique';

const CHANGED_WORKFLOWS = fileURLToPath(new URL('./fixtures/workflows/tag-review-changed.ts', import.meta.url));
const RECORDS = 3;
const SHADOW_TIMEOUT_MS = 180_000;

let s: Scenario;
let originalIds: string[];
const originals = new Map<string, TagReviewResult>();
let indexBefore: Awaited<ReturnType<Scenario['indexRows']>>;

before(async () => {
  s = await createScenario('shadow');
  // A model name of its own keeps this test's limiter state apart from the others'.
  s.env.LLM_MODEL = uniqueName('sim-model');
  await s.produceReviews(RECORDS);
  const worker = s.startWorker();
  const bridge = await s.startBridge();
  await s.waitForCompletedRuns(RECORDS);
  // The shadow worker runs inside `kta shadow`; production's worker and bridge are not needed.
  await Promise.all([bridge.stop(), worker.stop()]);
  originalIds = Array.from({ length: RECORDS }, (_, offset) => workflowIdFor(s.topic, 0, String(offset)));
  const client = await s.client();
  for (const id of originalIds) originals.set(id, await client.workflow.getHandle(id).result());
  indexBefore = await s.indexRows();
  assert.equal(indexBefore.length, RECORDS, 'production indexed every review');
});
after(async () => s?.close());

function shadow(args: string[]): Promise<CommandResult> {
  return runKta(['shadow', '--topic', s.topic, '--partition', '0', '--from-offset', '0', '--to-offset', String(RECORDS - 1), ...args], s.env, SHADOW_TIMEOUT_MS);
}

function report(result: CommandResult, expectedCode: number): ShadowReport {
  assert.equal(result.code, expectedCode, `kta shadow exit code; stderr: ${result.stderr}; stdout: ${result.stdout}`);
  return JSON.parse(result.stdout) as ShadowReport;
}

/** The value at a diff path like `tags[1]` or `usage.promptTokens`. */
function at(value: unknown, path: string): unknown {
  if (path === '(result)') return value;
  return path.split(/\.|(?=\[)/).reduce<unknown>((v, part) => {
    const index = /^\[(\d+)\]$/.exec(part);
    return (v as Record<string, unknown> | undefined)?.[index ? Number(index[1]) : part];
  }, value);
}

test('shadow runs the range through the worker\'s code with the index write stubbed, diffs against the production results, and writes nothing', { timeout: 300_000 }, async () => {
  // Another seed: the shadow runs get other answers than production's for the same prompts.
  s.simulator.reset({ seed: 8 });
  const name = uniqueName('sh');
  const r = report(await shadow(['--json', '--name', name]), 0);

  assert.equal(r.ok, true);
  assert.match(r.taskQueue, new RegExp(`^kta-shadow-${name}-[0-9a-f]{8}$`));
  assert.deepEqual(r.range, { from: 0, to: RECORDS - 1 });
  assert.equal(r.summary.shadowed, RECORDS);
  assert.equal(r.summary.failed + r.summary.notShadowed + r.summary.notCompared, 0);
  assert.deepEqual({ equal: r.summary.equal, differs: r.summary.differs }, { equal: 0, differs: RECORDS }, 'seed 8 answers every prompt otherwise than seed 7');
  assert.equal(s.simulator.requests().length, RECORDS, 'since the reset, each shadow run asked the real model gateway once');

  assert.deepEqual(r.records.map((o) => o.originalId), originalIds);
  for (const [offset, o] of r.records.entries()) {
    const original = originals.get(o.originalId)!;
    assert.equal(o.shadowId, `shadow:${name}:${o.originalId}`);
    assert.deepEqual(o.original, original, 'compared against the production run\'s own result');
    const shadowResult = o.result as TagReviewResult;
    assert.equal(o.status, 'differs');
    assert.notDeepEqual(shadowResult, original);
    assert.ok(o.diff!.some((d) => d.path === 'sentiment' || d.path.startsWith('tags')), `the answer itself differs: ${JSON.stringify(o.diff)}`);
    for (const d of o.diff!) {
      assert.deepEqual(d.original, at(original, d.path), `the diff's original ${d.path} is what production returned`);
      assert.deepEqual(d.shadow, at(shadowResult, d.path), `the diff's shadow ${d.path} is what the shadow run returned`);
    }
    assert.equal(o.modelCalls, 1);
    assert.equal(o.tokens, shadowResult.tokens);
    assert.deepEqual(o.effects?.map((e) => e.activity), ['upsertReviewTags'], 'the index upsert was recorded, not made');
    const upsert = o.effects![0].args[0] as { idempotencyKey: string; reviewId: string; tags: string[]; sentiment: string };
    assert.deepEqual(
      { key: upsert.idempotencyKey, reviewId: upsert.reviewId, tags: upsert.tags, sentiment: upsert.sentiment },
      { key: `${o.shadowId}/upsert-tags`, reviewId: `${s.topic}-r${offset}`, tags: shadowResult.tags, sentiment: shadowResult.sentiment },
    );
  }

  assert.deepEqual(await s.indexRows(), indexBefore, 'review_tags is untouched: same rows, writes and workflow IDs');

  const client = await s.client();
  for (const o of r.records) {
    const d = await client.workflow.getHandle(o.shadowId!).describe();
    assert.equal(d.status.name, 'COMPLETED');
    assert.equal(d.taskQueue, r.taskQueue);
    assert.equal(d.typedSearchAttributes.get(KAFKA_TOPIC), undefined, 'a shadow run has no KafkaTopic');
    assert.deepEqual(d.memo, { shadowOf: o.originalId });
  }
  assert.deepEqual((await s.runs()).map((w) => w.workflowId).sort(), originalIds, 'visibility by KafkaTopic lists the production runs only');
});

test('--workflows runs a changed workflow in shadow: its stubbed writes and its different result are reported, line by line', { timeout: 300_000 }, async () => {
  const name = uniqueName('sh');
  const text = await shadow(['--name', name, '--workflows', CHANGED_WORKFLOWS]);
  assert.equal(text.code, 0, `exit code; stderr: ${text.stderr}`);
  for (const id of originalIds) {
    // The changed tagReview returns the gateway's whole answer: every field of the production result differs.
    assert.match(text.stdout, new RegExp(`^@\\d+  ${id}  differs  .*reviewId: "${s.topic}-r\\d" -> \\(absent\\).*  would have: upsertReviewTags\\(\\{"idempotencyKey":"changed/upsert-tags".*  model calls 1, tokens \\d+$`, 'm'));
  }
  assert.match(text.stdout, new RegExp(`^shadowed ${RECORDS}: equal 0, differs ${RECORDS}, failed 0, not shadowed 0$`, 'm'));
  assert.deepEqual(await s.indexRows(), indexBefore, 'the changed workflow\'s upsert was stubbed too');
});

test('an activity without a shadow decision stops the shadow worker before it starts', () => {
  const real = Object.fromEntries(Object.keys(shadowDecisions()).map((k) => [k, async () => undefined]));
  const withNew = { ...real, notifyWarehouse: async () => undefined };
  assert.throws(() => shadowActivities(withNew, new ShadowRecorder()), { name: 'Error', message: /^no shadow decision for activity notifyWarehouse; add it to the agent's shadow decisions in agents\/<name>\/agent\.ts/ });
  assert.doesNotThrow(() => shadowActivities(real, new ShadowRecorder()));
});

test('a topic without a route is not shadowed: the command says why and exits 2', { timeout: 60_000 }, async () => {
  const result = await runKta(['shadow', '--topic', 'no-such-topic', '--partition', '0', '--from-offset', '0', '--to-offset', '1'], s.env);
  assert.equal(result.code, 2, `exit code; stdout: ${result.stdout}`);
  assert.match(result.stderr, /^kta shadow could not run: Topic no-such-topic has no route; add one to the routes file \(ROUTES_FILE\) or to ROUTES$/m);
});
