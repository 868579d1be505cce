import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordSpecs } from '../agents/record-specs';
import { createRouter } from '../bridge/route';
import { loadConfig } from '../config';
import { parseWorkflowId, partitionWorkflowId } from '../core/workflow-id';
import { ConfigError } from '../errors';

const route = (extra: Record<string, unknown>) => ({ topic: 'reviews', workflowType: 'tagReview', taskQueue: 'q', mode: 'throughput', ...extra });

test('a throughput route that shares its topic, orders per key, has a business key or maxOpenRuns is refused at start-up, each with its fix', () => {
  const routes = [route({ ordering: 'per-key', businessKey: { header: 'id' }, maxOpenRuns: 5 }), { topic: 'reviews', workflowType: 'tagReview', taskQueue: 'q', idPrefix: 'other' }];
  assert.throws(() => loadConfig({ ROUTES: JSON.stringify(routes) }), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.problems, [
      'ROUTES: the throughput route of topic reviews shares the topic with another route; give a throughput route a topic of its own (fan out downstream instead)',
      'ROUTES: the throughput route of topic reviews cannot order per key; use mode per-record with ordering per-key, or drop ordering',
      'ROUTES: the throughput route of topic reviews has a businessKey; business-key dedup is a per-record feature, drop it or use mode per-record',
      'ROUTES: the throughput route of topic reviews has maxOpenRuns; it has one run per partition, its backpressure is batch.maxQueuedRecords',
    ]);
    return true;
  });
});

test('a throughput route for an agent without throughput hooks is refused, naming the agents that have them', () => {
  const config = loadConfig({ ROUTES: JSON.stringify([route({ workflowType: 'conversationAgent' })]) });
  assert.throws(() => createRouter(config.routes, config.bridge, recordSpecs()), (err: Error) => {
    assert.ok(err instanceof ConfigError);
    assert.deepEqual(err.problems, ['the route of topic reviews runs conversationAgent in throughput mode, which that agent does not support (no throughput hooks in its agent.ts); use mode per-record or one of tagReview']);
    return true;
  });
});

test('a throughput record is routed to its partition run, whose ID never parses as a per-record ID', () => {
  const config = loadConfig({ ROUTES: JSON.stringify([route({ batch: { maxRecords: 20 } })]) });
  const router = createRouter(config.routes, config.bridge, recordSpecs());
  const outcome = router({ topic: 'reviews', partition: 3, offset: '41', key: null, value: Buffer.from(JSON.stringify({ reviewId: 'r1', text: 'fine' })), timestamp: '0' });
  assert.equal(outcome.kind, 'start');
  assert.equal(outcome.kind === 'start' && outcome.starts[0].partitionWorkflowId, 'reviews#partition=3');
  assert.equal(outcome.kind === 'start' && outcome.starts[0].route.batch.maxRecords, 20);
  assert.equal(parseWorkflowId(partitionWorkflowId('orders-1-2', 3)), undefined);
  assert.equal(parseWorkflowId(partitionWorkflowId('reviews', 3, 'tp')), undefined);
});
