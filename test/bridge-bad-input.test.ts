import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { createScenario, type Scenario } from './helpers/scenario';
import { readDeadLetters } from './helpers/dead-letters';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

// Bad record values, generated: everything a broken or hostile producer sends.
const badValue = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b)])),
  fc.integer({ min: 65, max: 300 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.record({ reviewId: fc.string({ maxLength: 5 }), text: fc.constant('x') }).map((r) => `{"__proto__": {"polluted": true}, "reviewId": ${JSON.stringify(r.reviewId)}, "text": "x"}`),
  fc.anything().filter((v) => v !== undefined).map((v) => JSON.stringify(v)).filter((s) => { const v = JSON.parse(s) as { reviewId?: unknown; text?: unknown }; return !(v && typeof v === 'object' && typeof v.reviewId === 'string' && typeof v.text === 'string'); }),
  fc.record({ reviewId: fc.string({ minLength: 1, maxLength: 10 }), text: fc.string({ minLength: 1, maxLength: 20 }), rating: fc.integer({ min: 6, max: 1000 }) }).map((r) => JSON.stringify(r)),
);

test('a thousand generated bad records mixed into a thousand good ones: every bad one is a dead letter with its coordinates and reason, every good one runs once, nothing restarts, and the commit reaches the end', { timeout: 1_200_000 }, async () => {
  const s = await createScenario('badinput', { partitions: 2, simulatorLatencyMs: 1 });
  scenarios.push(s);
  const BAD = 1_000;
  const GOOD = 1_000;
  const bad = fc.sample(badValue, { numRuns: BAD, seed: 20261124 });
  const messages = [
    ...bad.map((v, i) => ({ key: `bad-${i}`, value: v === null ? null : Buffer.from(v) })),
    ...Array.from({ length: GOOD }, (_, i) => ({ key: `good-${i}`, value: JSON.stringify({ reviewId: `${s.topic}-g${i}`, text: `good review ${i}` }) })),
  ].sort((a, b) => (a.key.length * 7919 + a.key.charCodeAt(a.key.length - 1)) % 13 - (b.key.length * 7919 + b.key.charCodeAt(b.key.length - 1)) % 13);
  for (let i = 0; i < messages.length; i += 50) await s.kafka.produce(s.topic, messages.slice(i, i + 50));
  const worker = s.startWorker();
  const bridge = await s.startBridge();

  const deadLetters = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, BAD, 300_000);
  assert.equal(deadLetters.length, BAD, 'one dead letter per bad record');
  const badKeys = new Set(deadLetters.map((d) => Buffer.from(d.original.key ?? '', 'base64').toString('utf8')));
  assert.equal(badKeys.size, BAD);
  assert.ok([...badKeys].every((k) => k.startsWith('bad-')), 'no good record was dead-lettered');
  for (const d of deadLetters) {
    assert.equal(d.class, 'INVALID_INPUT');
    assert.match(d.original.coordinates, new RegExp(`^${s.topic}\\[[01]\\]@\\d+$`));
    assert.ok(d.reason.length > 10, `a reason is given: ${d.reason}`);
    assert.ok(['EMPTY', 'NOT_JSON', 'BINARY', 'HOSTILE', 'SCHEMA'].includes(d.reasonCode), d.reasonCode);
  }
  const codes = new Set(deadLetters.map((d) => d.reasonCode));
  assert.deepEqual([...codes].sort(), ['BINARY', 'EMPTY', 'HOSTILE', 'NOT_JSON', 'SCHEMA'], 'every class of bad input was generated and recognised');
  const audited = await s.pool.query<{ n: string }>('SELECT count(*) AS n FROM dead_letters WHERE topic = $1', [s.topic]);
  assert.equal(Number(audited.rows[0].n), BAD, 'every classification is in the audit table');

  const ends = await s.kafka.endOffsets(s.topic);
  await waitFor(() => s.kafka.committedOffsets(s.groupId, s.topic), (c) => c[0] === ends[0] && c[1] === ends[1], { timeoutMs: 120_000, message: 'the committed offset reaches the end of both partitions' });
  const runs = await s.waitForCompletedRuns(GOOD, 900_000);
  assert.equal(runs.length, GOOD, 'every good record has exactly one run');
  assert.ok(bridge.isAlive() && worker.isAlive(), 'the bridge and the worker never stopped');
  const stats = await bridge.stats();
  assert.equal(stats.starts, GOOD);
  assert.equal(stats.deadLetters, BAD);
});
