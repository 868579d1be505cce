import assert from 'node:assert/strict';
import { recordSpecs } from '../agents/record-specs';
import { test } from 'node:test';
import { createRouter } from '../bridge/route';
import { PartitionProgress } from '../bridge/partition-progress';
import { parseWorkflowId, workflowIdFor } from '../core/workflow-id';
import { recordHash } from '../bridge/record-hash';
import { checkHeartbeatBudget } from '../bridge/heartbeat-budget';
import { loadConfig, routeSchema } from '../config';
import { ConfigError, NoRouteError } from '../errors';

const route = routeSchema.parse({ topic: 'reviews', workflowType: 'tagReview', taskQueue: 'q' });
const LIMITS = { claimCheckBytes: 1024, maxRecordBytes: 4096 };
const record = (value: string | null, offset = '7') => ({
  topic: 'reviews', partition: 2, offset, key: Buffer.from('k1'), value: value === null ? null : Buffer.from(value), timestamp: '1700000000000',
});

test('the workflow ID is topic-partition-offset, with an optional route prefix, and parses from the right', () => {
  assert.equal(workflowIdFor('orders.v1-eu', 3, '1042'), 'orders.v1-eu-3-1042');
  assert.equal(workflowIdFor('orders.v1-eu', 3, '1042', 'summarise'), 'summarise:orders.v1-eu-3-1042');
  assert.deepEqual(parseWorkflowId('summarise:orders.v1-eu-3-1042'), { prefix: 'summarise', topic: 'orders.v1-eu', partition: 3, offset: '1042' });
  assert.deepEqual(parseWorkflowId('a-b-c-0-9'), { prefix: undefined, topic: 'a-b-c', partition: 0, offset: '9' });
  assert.equal(parseWorkflowId('not-an-id'), undefined);
});

test('a valid review record becomes one start carrying its coordinates, hash and the route settings', () => {
  const router = createRouter([route], LIMITS, recordSpecs());
  const out = router(record(JSON.stringify({ reviewId: 'r1', text: 'good' })));
  assert.ok(out.kind === 'start');
  assert.equal(out.deadLetterTopic, 'reviews.dlq');
  assert.equal(out.claimCheck, undefined);
  assert.equal(out.starts.length, 1);
  const [start] = out.starts;
  assert.equal(start.workflowId, 'reviews-2-7');
  assert.deepEqual(start.input.value, { reviewId: 'r1', text: 'good' });
  assert.equal(start.input.source.key, 'k1');
  assert.equal(start.input.source.recordHash, recordHash(Buffer.from('k1'), Buffer.from(JSON.stringify({ reviewId: 'r1', text: 'good' }))));
  assert.equal(start.input.settings.modelTimeoutMs, 360_000);
});

test('records that cannot become workflow input become dead letters with a reason and a class', () => {
  const router = createRouter([route], LIMITS, recordSpecs());
  const cases: [string | Buffer | null, string, string, RegExp][] = [
    [null, 'INVALID_INPUT', 'EMPTY', /no value/],
    ['', 'INVALID_INPUT', 'EMPTY', /no value/],
    ['{not json', 'INVALID_INPUT', 'NOT_JSON', /not JSON/],
    [Buffer.from([0xff, 0xfe, 0x00, 0x81]), 'INVALID_INPUT', 'BINARY', /not UTF-8/],
    ['['.repeat(100) + ']'.repeat(100), 'INVALID_INPUT', 'HOSTILE', /nests 100 levels/],
    ['{"__proto__": {"admin": true}, "reviewId": "r", "text": "t"}', 'INVALID_INPUT', 'HOSTILE', /prototype-polluting/],
    [JSON.stringify({ reviewId: 'r1' }), 'INVALID_INPUT', 'SCHEMA', /does not match the tagReview input.*text/],
    [JSON.stringify({ reviewId: 'r1', text: 'x', rating: 9 }), 'INVALID_INPUT', 'SCHEMA', /rating/],
    [JSON.stringify({ reviewId: 'r1', text: 'x'.repeat(5000) }), 'OVERSIZED', 'PAST_HARD_CAP', /past the hard cap of 4096/],
  ];
  for (const [value, cls, code, reason] of cases) {
    const out = router({ ...record(null), value: value === null ? null : Buffer.from(value) });
    assert.equal(out.kind, 'dead-letter', `refused: ${String(value).slice(0, 40)}`);
    if (out.kind !== 'dead-letter') continue;
    assert.equal(out.class, cls);
    assert.equal(out.reasonCode, code);
    assert.match(out.reason, reason);
    assert.equal(out.deadLetterTopic, 'reviews.dlq');
  }
});

test('a value past the claim-check bound starts a run with a reference instead of the value', () => {
  const router = createRouter([route], LIMITS, recordSpecs());
  const value = JSON.stringify({ reviewId: 'big', text: 'y'.repeat(2000) });
  const out = router(record(value));
  assert.ok(out.kind === 'start');
  assert.deepEqual(out.claimCheck, { $claimCheck: { topic: 'reviews', partition: 2, offset: '7', bytes: value.length, recordHash: out.starts[0].input.source.recordHash } });
  assert.deepEqual(out.starts[0].input.value, out.claimCheck, 'the run gets the reference, not the value');
});

test('a route with a business key takes it from the header first, else from the JSON field', () => {
  const keyed = routeSchema.parse({ topic: 'reviews', workflowType: 'tagReview', taskQueue: 'q', businessKey: { header: 'event-id', jsonField: 'reviewId' } });
  const router = createRouter([keyed], LIMITS, recordSpecs());
  const value = JSON.stringify({ reviewId: 'r9', text: 't' });
  const fromHeader = router({ ...record(value), headers: { 'event-id': Buffer.from('evt-1') } });
  const fromField = router(record(value));
  assert.ok(fromHeader.kind === 'start' && fromField.kind === 'start');
  assert.equal(fromHeader.starts[0].businessKey, 'evt-1');
  assert.equal(fromField.starts[0].businessKey, 'r9');
});

test('a record of a topic without a route is a NoRouteError that names the fix', () => {
  const router = createRouter([route], LIMITS, recordSpecs());
  assert.throws(() => router({ ...record('{}'), topic: 'orders' }), (err: Error) => err instanceof NoRouteError && /orders has no route; add one/.test(err.message));
});

test('different content at the same coordinates has a different hash', () => {
  assert.notEqual(recordHash(Buffer.from('k'), Buffer.from('v1')), recordHash(Buffer.from('k'), Buffer.from('v2')));
  assert.notEqual(recordHash(Buffer.from('ab'), Buffer.from('c')), recordHash(Buffer.from('a'), Buffer.from('bc')));
  assert.notEqual(recordHash(null, Buffer.from('v')), recordHash(Buffer.from(''), Buffer.from('v')));
});

test('only the highest offset acknowledged with every earlier launch acknowledged is committable', () => {
  const p = new PartitionProgress();
  for (const o of ['10', '11', '13', '14']) p.launch(o); // 12 is a transaction marker: never a record
  assert.equal(p.commitOffset, undefined);
  p.acknowledge('11');
  assert.equal(p.commitOffset, undefined, '10 is still in flight');
  p.acknowledge('10');
  assert.equal(p.commitOffset, '12');
  p.acknowledge('14');
  assert.equal(p.commitOffset, '12', '13 is still in flight');
  p.acknowledge('13');
  assert.equal(p.commitOffset, '15');
  assert.throws(() => p.acknowledge('99'), /never launched/);
});

test('bad configuration fails at start-up listing every problem with its fix', () => {
  assert.throws(
    () => loadConfig({ KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '3000', ROUTES: '[{"topic":"a:b","workflowType":"tagReview"}]', LLM_BASE_URL: 'https://api.example.com/v1' }),
    (err: Error) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /KAFKA_HEARTBEAT_INTERVAL_MS \(3000\) must be at most a third of KAFKA_SESSION_TIMEOUT_MS \(6000\); set it to about 2000/);
      assert.match(err.message, /ROUTES\[0\.topic\]: topic names hold no ":"/);
      assert.match(err.message, /ROUTES\[0\.taskQueue\]/);
      assert.match(err.message, /LLM_API_KEY \(or LLM_API_KEY_FILE\) is not set/);
      return true;
    },
  );
  assert.throws(() => createRouter([{ ...route, workflowType: 'nope' }], LIMITS, recordSpecs()), /workflow type nope, which has no input schema/);
  assert.throws(() => loadConfig({ ROUTES: '{oops' }), /ROUTES is not valid JSON/);
});

test('the heartbeat budget refuses a configuration whose worst gap between heartbeats nears the session timeout, showing the numbers', () => {
  assert.throws(
    () => checkHeartbeatBudget({ sessionTimeoutMs: 6_000, heartbeatIntervalMs: 3_000, p99StartLatencyMs: 1_500 }),
    (err: Error) => err instanceof ConfigError && /3000 ms \+ 1 record x p99 start 1500 ms = 4500 ms between heartbeats, against 0\.7 x session timeout 6000 ms = 4200 ms/.test(err.message) && /Raise KAFKA_SESSION_TIMEOUT_MS above 6429 ms/.test(err.message),
  );
  const ok = checkHeartbeatBudget({ sessionTimeoutMs: 30_000, heartbeatIntervalMs: 3_000, p99StartLatencyMs: 40 });
  assert.equal(ok.worstMsBetweenHeartbeats, 3_040);
  assert.equal(ok.limitMs, 21_000);
});
