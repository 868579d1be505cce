import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRouter } from '../bridge/route';
import { PartitionProgress } from '../bridge/partition-progress';
import { parseWorkflowId, workflowIdFor } from '../bridge/workflow-id';
import { recordHash } from '../bridge/record-hash';
import { loadConfig, routeSchema } from '../config';
import { ConfigError, NoRouteError } from '../errors';

const route = routeSchema.parse({ topic: 'reviews', workflowType: 'tagReview', taskQueue: 'q' });
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
  const router = createRouter([route]);
  const out = router(record(JSON.stringify({ reviewId: 'r1', text: 'good' })));
  assert.ok(out.ok);
  assert.equal(out.starts.length, 1);
  const [start] = out.starts;
  assert.equal(start.workflowId, 'reviews-2-7');
  assert.deepEqual(start.input.value, { reviewId: 'r1', text: 'good' });
  assert.equal(start.input.source.key, 'k1');
  assert.equal(start.input.source.recordHash, recordHash(Buffer.from('k1'), Buffer.from(JSON.stringify({ reviewId: 'r1', text: 'good' }))));
  assert.equal(start.input.settings.modelTimeoutMs, 60_000);
});

test('records that cannot become workflow input are refused with the reason', () => {
  const router = createRouter([route]);
  const cases: [string | null, RegExp][] = [
    [null, /no value/],
    ['', /no value/],
    ['{not json', /not JSON/],
    [JSON.stringify({ reviewId: 'r1' }), /does not match the tagReview input.*text/],
    [JSON.stringify({ reviewId: 'r1', text: 'x', rating: 9 }), /rating/],
  ];
  for (const [value, reason] of cases) {
    const out = router(record(value));
    assert.equal(out.ok, false, `refused: ${value}`);
    assert.match((out as { reason: string }).reason, reason);
  }
});

test('a record of a topic without a route is a NoRouteError that names the fix', () => {
  const router = createRouter([route]);
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
      assert.match(err.message, /LLM_API_KEY is not set/);
      return true;
    },
  );
  assert.throws(() => createRouter([{ ...route, workflowType: 'nope' }]), /workflow type nope, which has no input schema/);
  assert.throws(() => loadConfig({ ROUTES: '{oops' }), /ROUTES is not valid JSON/);
});
