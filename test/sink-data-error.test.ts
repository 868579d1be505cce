// A value that passes the record schema but that PostgreSQL cannot store (a NUL character in text) is
// a data error, not a transient one: its run must end for a human, with a dead letter that says why,
// instead of retrying its upsert forever while the run stays Running.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { reviewRecordSchema } from '../bridge/record-inputs';
import { promptHash } from '../scripts/llm-simulator/prompt-hash';
import { reviewTagsPrompt } from '../workflows/prompts/review-tags';
import { AGENT_STATUS } from '../workflows/search-attributes';
import { readDeadLetters } from './helpers/dead-letters';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('a review ID with a NUL character ends its run in NeedsReview with a HUMAN_REVIEW dead letter naming the field and SQLSTATE, after one model call, and the records after it complete', { timeout: 120_000 }, async () => {
  const s = await createScenario('sink-nul');
  scenarios.push(s);
  const bad = { reviewId: `${s.topic}-bad\u0000id`, text: 'Arrived broken, the box was wet.', rating: 1 };
  const value = JSON.stringify(bad);
  // The record is valid JSON (the NUL travels as the escape \u0000) and valid for the route's schema.
  assert.ok(value.includes('\\u0000'), 'the NUL is escaped in the JSON text');
  assert.ok(reviewRecordSchema.safeParse(JSON.parse(value)).success, 'the record passes the review schema');
  await s.kafka.produce(s.topic, [{ key: 'bad-review', value }]);
  const good = await s.produceReviews(3, { startAt: 1 });

  s.startWorker();
  await s.startBridge();
  const badId = `${s.topic}-0-0`;
  await waitFor(
    async () => (await s.runs()).map((r) => `${r.workflowId} ${r.status.name}`),
    (r) => r.length === 4 && r.every((x) => !x.endsWith('RUNNING')),
    { timeoutMs: 60_000, message: `all 4 runs of ${s.topic} closed (a run still RUNNING means the upsert retries forever)` },
  );
  const runs = await s.runs();
  const badRun = runs.find((r) => r.workflowId === badId)!;
  assert.equal(badRun.status.name, 'FAILED');
  assert.equal(badRun.typedSearchAttributes.get(AGENT_STATUS), 'NeedsReview');
  assert.deepEqual(runs.filter((r) => r.workflowId !== badId).map((r) => r.status.name), ['COMPLETED', 'COMPLETED', 'COMPLETED']);
  assert.deepEqual((await s.indexRows()).map((r) => r.review_id), good.map((r) => r.reviewId).sort(), 'the good reviews are indexed');

  const [dl] = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 1);
  assert.equal(dl.class, 'HUMAN_REVIEW');
  assert.equal(dl.reasonCode, 'NeedsReview');
  assert.equal(dl.original.coordinates, `${s.topic}[0]@0`);
  assert.match(dl.reason, /review index cannot store it/);
  assert.match(dl.reason, /PostgreSQL refused the row of review_tags for review_id ".*-bad\\u0000id" \(SQLSTATE 22021\): review_id holds a NUL character \(U\+0000\)/);
  assert.ok(!dl.reason.includes('\u0000'), 'the reason prints the value escaped, never the raw NUL');
  const audit = await s.pool.query<{ class: string; reason_code: string }>('SELECT class, reason_code FROM dead_letters WHERE topic = $1', [s.topic]);
  assert.deepEqual(audit.rows, [{ class: 'HUMAN_REVIEW', reason_code: 'NeedsReview' }], 'the dead letter is audited once');

  const badCalls = s.simulator.stats().byPromptHash[promptHash(reviewTagsPrompt(bad))]?.calls;
  assert.equal(badCalls, 1, 'the model was asked once for the bad review: the sink failure re-asked nothing');
});
