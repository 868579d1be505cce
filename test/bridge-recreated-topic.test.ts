import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { recordHash } from '../bridge/record-hash';
import { createScenario, type Scenario } from './helpers/scenario';
import { readDeadLetters } from './helpers/dead-letters';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const OLD = 6;

/** A bridge that consumed OLD records, then its topic deleted and created again under it. */
async function recreatedUnderRunningBridge(name: string) {
  const s = await createScenario(name);
  scenarios.push(s);
  await s.produceReviews(OLD);
  s.startWorker();
  const bridge = await s.startBridge();
  await waitFor(() => s.runs(), (runs) => runs.length === OLD, { message: `${OLD} runs of the first topic` });
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === OLD, { message: 'the bridge committed the first topic' });
  await s.kafka.admin.deleteTopics({ topics: [s.topic] });
  await waitFor(async () => (await s.kafka.admin.listTopics()).includes(s.topic), (present) => !present, { message: 'the topic is gone' });
  await waitFor(() => s.kafka.createTopic(s.topic, 1).then(() => true), (created) => created, { message: 'the topic is created again' });
  const client = await s.client();
  const memoHash = async (offset: number) => {
    const described = await client.workflow.getHandle(`${s.topic}-0-${offset}`).describe();
    return (described.memo as { recordHash?: string } | undefined)?.recordHash;
  };
  return { s, bridge, memoHash };
}

const hashOf = (r: { reviewId: string }) => recordHash(Buffer.from(r.reviewId), Buffer.from(JSON.stringify(r)));

test('a topic deleted and recreated while the bridge runs is read from its first offset: reused offsets become COLLISION dead letters, later ones start runs, none is skipped', { timeout: 180_000 }, async () => {
  const NEW = 9;
  const { s, bridge, memoHash } = await recreatedUnderRunningBridge('recreate');
  // One send: offsets 0..5 reuse the first topic's offsets with new content, 6..8 go beyond them, so
  // kafkajs finds its old position inside the new topic and carries on from there.
  const hashes = (await s.produceReviews(NEW, { startAt: 100 })).map(hashOf);

  const dls = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, OLD, 45_000);
  assert.deepEqual(dls.map((d) => d.class), Array(OLD).fill('COLLISION'));
  assert.deepEqual(dls.map((d) => Number(d.original.offset)).sort((a, b) => a - b), [...Array(OLD).keys()], 'each reused offset is one dead letter');
  assert.ok(dls.every((d) => d.workflowId === `${s.topic}-0-${d.original.offset}` && d.existing?.workflowId === d.workflowId), 'each names the existing run');

  await waitFor(() => s.runs(), (runs) => runs.length === NEW, { message: `runs for offsets ${OLD}..${NEW - 1} of the new topic` });
  for (let offset = OLD; offset < NEW; offset++) assert.equal(await memoHash(offset), hashes[offset], `offset ${offset} started a run of the new record`);
  // Evidence for every offset of the new topic: its run, or a dead letter naming it.
  for (let offset = 0; offset < NEW; offset++) {
    const dead = dls.some((d) => Number(d.original.offset) === offset);
    assert.ok(dead || (await memoHash(offset)) === hashes[offset], `offset ${offset} of the new topic has a run or a dead letter`);
  }

  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === NEW, { message: 'the bridge committed the whole new topic' });
  const stats = await bridge.stats();
  assert.equal(stats.recreatedPartitions, 1, `the bridge counted the recreation once (${JSON.stringify(stats)})`);
  assert.equal(stats.collisions, OLD);
  assert.match(bridge.log(), new RegExp(`"level":50.*Topic ${s.topic} was deleted and created again.*went from ${OLD} to none`), 'the bridge names the topic at error level');
});

test('a recreated topic shorter than the old one is reported once and each of its records is one COLLISION dead letter', { timeout: 180_000 }, async () => {
  const NEW = 4;
  const { s, bridge } = await recreatedUnderRunningBridge('shorter');
  await s.produceReviews(NEW, { startAt: 100 });

  const dls = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, NEW, 45_000);
  assert.ok(dls.every((d) => d.class === 'COLLISION' && d.workflowId === `${s.topic}-0-${d.original.offset}`), 'each reused offset names its existing run');
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === NEW, { message: 'the bridge committed the new topic' });
  const stats = await bridge.stats();
  assert.equal(stats.recreatedPartitions, 1, `the bridge counted the recreation once (${JSON.stringify(stats)})`);
  assert.equal(stats.collisions, NEW, 'each record of the new topic was dead-lettered once, not again by a second re-read');
  assert.equal(stats.starts, OLD, 'nothing started over an old run');
  assert.match(bridge.log(), new RegExp(`"level":50.*Topic ${s.topic} was deleted and created again`), 'the bridge names the topic at error level');
});
