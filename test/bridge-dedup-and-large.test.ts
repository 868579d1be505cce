import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { createScenario, type Scenario } from './helpers/scenario';
import { readDeadLetters } from './helpers/dead-letters';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

test('a recreated topic whose offsets restart with new content is a COLLISION dead letter, while a true redelivery stays a duplicate', { timeout: 300_000 }, async () => {
  const s = await createScenario('collide');
  scenarios.push(s);
  await s.produceReviews(3);
  s.startWorker();
  let bridge = await s.startBridge();
  await s.waitForCompletedRuns(3);
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === 3, { message: 'first generation committed' });
  await bridge.stop();

  // A true redelivery first: same records, same hashes -> duplicates.
  await s.kafka.resetToEarliest(s.groupId, s.topic);
  bridge = await s.startBridge();
  await waitFor(() => bridge.stats(), (st) => st.duplicates === 3, { message: 'the redelivered records are duplicates' });
  assert.equal((await bridge.stats()).collisions, 0);
  await bridge.stop();

  // Then the topic is recreated: offsets 0..2 again, different content.
  await s.kafka.admin.deleteTopics({ topics: [s.topic] });
  await waitFor(async () => (await s.kafka.admin.listTopics()).includes(s.topic), (present) => !present, { message: 'the topic is gone' });
  await s.kafka.createTopic(s.topic, 1);
  await s.produceReviews(3, { startAt: 100 });
  await s.kafka.resetToEarliest(s.groupId, s.topic);
  bridge = await s.startBridge();
  const dls = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 3);
  assert.deepEqual(dls.map((d) => d.class), ['COLLISION', 'COLLISION', 'COLLISION']);
  assert.deepEqual(dls.map((d) => d.workflowId).sort(), [0, 1, 2].map((o) => `${s.topic}-0-${o}`));
  assert.ok(dls.every((d) => d.existing?.recordHash && d.reason.includes('collides with workflow')), 'both records are named');
  const stats = await bridge.stats();
  assert.equal(stats.collisions, 3);
  assert.equal(stats.starts, 0, 'nothing was silently skipped or started over an old run');
  assert.match(bridge.log(), /"level":50.*collides with workflow/, 'the bridge warns loudly (error level)');
  assert.equal((await s.runs()).length, 3, 'the first generation\'s runs are untouched');
});

test('a 3 MB record goes through the claim check and its run finishes; a record past the hard cap is dead-lettered', { timeout: 300_000 }, async () => {
  const s = await createScenario('large');
  scenarios.push(s);
  // Random bytes (base64 inside the review text) so compression cannot shrink the record below the limits.
  const big = JSON.stringify({ reviewId: `${s.topic}-big`, text: randomBytes(2_250_000).toString('base64') });
  assert.ok(big.length > 3_000_000);
  const huge = JSON.stringify({ reviewId: `${s.topic}-huge`, text: randomBytes(3_200_000).toString('base64') });
  await s.kafka.produce(s.topic, [{ key: 'big', value: big }]);
  await s.kafka.produce(s.topic, [{ key: 'huge', value: huge }]);
  s.startWorker();
  const bridge = await s.startBridge({ BRIDGE_MAX_RECORD_BYTES: String(4 * 1024 * 1024), KAFKA_MAX_BYTES_PER_PARTITION: String(6 * 1024 * 1024) });
  const [run] = await s.waitForCompletedRuns(1);
  assert.equal(run.workflowId, `${s.topic}-0-0`);
  const stored = await s.pool.query<{ n: number }>('SELECT length(value) AS n FROM claim_checks WHERE topic = $1', [s.topic]);
  assert.deepEqual(stored.rows.map((r) => r.n), [big.length], 'the large value was stored once by its coordinates');
  const history = await (await s.client()).workflow.getHandle(run.workflowId).fetchHistory();
  const historyBytes = Buffer.byteLength(JSON.stringify(history));
  assert.ok(historyBytes < 200_000, `the value stayed out of history (${historyBytes} bytes)`);
  const [request] = s.simulator.requests();
  assert.ok(JSON.stringify(request.messages).length < 20_000, 'the prompt got a cut of the text, not 3 MB');
  assert.equal((await s.indexRows())[0].review_id, `${s.topic}-big`);

  const [dl] = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 1);
  assert.equal(dl.class, 'OVERSIZED');
  assert.equal(dl.reasonCode, 'PAST_HARD_CAP');
  assert.equal(dl.original.valuePointer, `kafka:${s.topic}[0]@1`, 'the dead letter points at the value instead of copying it');
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === 2, { message: 'both offsets committed' });
  assert.equal((await bridge.stats()).claimChecks, 1);
});

test('the same event produced twice with one business key runs once', { timeout: 180_000 }, async () => {
  const s = await createScenario('bizkey');
  scenarios.push(s);
  const routes = JSON.parse(s.env.ROUTES) as Record<string, unknown>[];
  s.env.ROUTES = JSON.stringify([{ ...routes[0], businessKey: { header: 'event-id', horizonHours: 24 } }]);
  const event = JSON.stringify({ reviewId: `${s.topic}-r1`, text: 'sent twice by a retrying producer' });
  await s.kafka.produce(s.topic, [
    { key: 'a', value: event, headers: { 'event-id': 'evt-42' } },
    { key: 'b', value: JSON.stringify({ reviewId: `${s.topic}-r2`, text: 'another event' }), headers: { 'event-id': 'evt-43' } },
    { key: 'a', value: event, headers: { 'event-id': 'evt-42' } },
  ]);
  s.startWorker();
  const bridge = await s.startBridge();
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === 3, { message: 'all three offsets committed' });
  await s.waitForCompletedRuns(2);
  const stats = await bridge.stats();
  assert.equal(stats.businessDuplicates, 1, 'the second copy was recognised by its business key');
  assert.equal(stats.starts, 2);
  assert.deepEqual((await s.runs()).map((r) => r.workflowId).sort(), [`${s.topic}-0-0`, `${s.topic}-0-1`]);
  assert.equal(s.simulator.stats().calls, 2, 'the model was asked once per event');
});
