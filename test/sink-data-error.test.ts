// A value that passes the record schema but that PostgreSQL cannot store (a NUL character in text) is
// a data error, not a transient one: its run must end for a human, with a dead letter that says why,
// instead of retrying its upsert forever while the run stays Running.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import pg from 'pg';
import { createConversationActivities } from '../agents/conversation/activities';
import { onceByKey } from '../activities/sinks/effects';
import { enqueueOutbox } from '../activities/sinks/outbox';
import { upsertReviewTagsRow } from '../agents/review-tagger/review-index';
import { ensureSchema } from '../activities/sinks/schema';
import { reviewRecordSchema } from '../agents/review-tagger/record';
import { supportTicketRecordSchema } from '../agents/support-escalation/record';
import { SinkDataError } from '../errors';
import { freePort } from '../dev/stack/ports';
import { promptHash } from '../dev/llm-simulator/prompt-hash';
import { reviewTagsPrompt } from '../agents/review-tagger/prompts';
import { supportAnswerPrompt } from '../agents/support-escalation/prompts';
import { AGENT_STATUS } from '../workflows/search-attributes';
import { readDeadLetters } from './helpers/dead-letters';
import { createScenario, type Scenario } from './helpers/scenario';
import { testStack } from './helpers/test-stack';
import { uniqueName } from './helpers/unique';
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

test('a ticket ID with a NUL character that the outbox cannot store ends the support run in NeedsReview with a HUMAN_REVIEW dead letter', { timeout: 120_000 }, async () => {
  const ticket = { ticketId: `T-\u0000-${Date.now().toString(36)}`, question: 'Where is my parcel?' };
  const s = await createScenario('sink-nul-ticket', {
    workflowType: 'escalateSupport',
    // A confident answer goes straight to the output topic's outbox, keyed by the ticket ID.
    simulatorFixtures: { [promptHash(supportAnswerPrompt(ticket))]: JSON.stringify({ answer: 'It ships today.', confidence: 0.95 }) },
    workflowSettings: { outputTopic: uniqueName('t-answers') },
  });
  scenarios.push(s);
  assert.ok(supportTicketRecordSchema.safeParse(ticket).success, 'the record passes the ticket schema');
  await s.kafka.produce(s.topic, [{ key: 'ticket', value: JSON.stringify(ticket) }]);
  s.startWorker();
  await s.startBridge();
  const [dl] = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 1, 60_000);
  assert.equal(dl.class, 'HUMAN_REVIEW');
  assert.match(dl.reason, /PostgreSQL refused the row of outbox for idempotency key .*\/publish-answer \(SQLSTATE 22021\): message_key holds a NUL character/);
  const [run] = await waitFor(() => s.runs(), (r) => r.length === 1 && r[0].status.name === 'FAILED', { message: 'the support run failed' });
  assert.equal(run.typedSearchAttributes.get(AGENT_STATUS), 'NeedsReview');
  assert.equal(s.simulator.stats().calls, 1, 'the model was asked once');
});

test('every sink turns a value PostgreSQL refuses into SinkDataError naming table, field and SQLSTATE, and leaves an unreachable server retryable', async () => {
  const pool = new pg.Pool({ connectionString: testStack().databaseUrl, max: 2 });
  try {
    await ensureSchema(pool);
    const id = uniqueName('sink');
    const source = { topic: id, partition: 0, offset: '0', key: null, timestamp: '0', recordHash: 'h' };
    const refused = async (write: Promise<unknown>) => {
      const err = await write.then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof SinkDataError, `SinkDataError expected, got ${String(err)}`);
      return err;
    };
    const index = await refused(upsertReviewTagsRow(pool, { idempotencyKey: `${id}/upsert-tags`, reviewId: 'r\u0000', tags: ['x'], sentiment: 'positive', model: 'm', workflowId: id, source }));
    assert.deepEqual([index.table, index.sqlstate, index.fields, index.key], ['review_tags', '22021', ['review_id'], 'review_id "r\\u0000"']);
    const tags = await refused(upsertReviewTagsRow(pool, { idempotencyKey: `${id}/upsert-tags`, reviewId: `${id}-r`, tags: ['bad\u0000tag'], sentiment: 'positive', model: 'm', workflowId: id, source }));
    assert.deepEqual([tags.sqlstate, tags.fields], ['22P05', ['tags']], 'jsonb refuses the escaped NUL too');
    const outbox = await refused(enqueueOutbox(pool, { idempotencyKey: `${id}/publish`, topic: id, key: 'k\u0000', value: '{}' }));
    assert.deepEqual([outbox.table, outbox.sqlstate, outbox.fields], ['outbox', '22021', ['message_key']]);
    const effect = await refused(onceByKey(pool, `${id}/effect`, async () => ({ bookingId: 'b\u0000' })));
    assert.deepEqual([effect.table, effect.sqlstate, effect.fields], ['effects', '22P05', ['result']]);
    assert.match(effect.message, /^PostgreSQL refused the row of effects for idempotency key .*\/effect \(SQLSTATE 22P05\): result holds a NUL character \(U\+0000\).*send the record again$/);

    const turn = await createConversationActivities({ pool })
      .appendConversationTurn({ idempotencyKey: `${id}/offset-0-0`, entityId: id, partition: 0, offset: '0', message: 'hi\u0000', reply: 'hello' })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(turn instanceof ApplicationFailure && turn.nonRetryable && turn.type === 'SinkDataError', `a non-retryable SinkDataError failure, got ${String(turn)}`);
    assert.match(turn.message, /conversation_turns .* \(SQLSTATE 22021\): message holds a NUL character/);
  } finally {
    await pool.end();
  }
  // A server that is not there is not the value's fault: the error passes unchanged and stays retryable.
  const down = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/kta`, max: 1, connectionTimeoutMillis: 2_000 });
  try {
    const err = await enqueueOutbox(down, { idempotencyKey: 'x/publish', topic: 'x', key: 'k', value: '{}' }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Error && !(err instanceof SinkDataError), `a connection error, got ${String(err)}`);
    assert.match((err as Error).message, /ECONNREFUSED/);
  } finally {
    await down.end();
  }
});
