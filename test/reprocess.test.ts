import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { KafkaRecord } from '../bridge/route';
import { planRedrive } from '../ops/reprocess/plan';
import { routeSchema } from '../config';
import { readDeadLetters } from './helpers/dead-letters';
import { runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

const summaryOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, number | boolean>;
const idsAfter = (verb: string, stdout: string) => [...stdout.matchAll(new RegExp(`^${verb} (\\S+)`, 'gm'))].map((m) => m[1]);

test('kta reprocess skips a dead letter it cannot re-drive, predicts its starts in --dry-run, and a second run starts nothing', { timeout: 240_000 }, async () => {
  const s = await createScenario('reprocess', { workflowSettings: { transientRetryAttempts: 2 } });
  scenarios.push(s);
  const dlq = `${s.topic}.dlq`;
  // Offset 0 fails in its run (the model errors on every call): a REPROCESS letter that can recover.
  // Offset 1 is not JSON: an INVALID_INPUT letter that no re-drive can fix.
  s.simulator.configure({ faults: ['server-error'], faultRate: 1, faultLimit: 0 });
  await s.produceReviews(1);
  await s.kafka.produce(s.topic, [{ key: 'garbage', value: 'not json at all' }]);
  s.startWorker();
  const bridge = await s.startBridge();
  const letters = await readDeadLetters(s.stack.kafka.brokers, dlq, 2);
  assert.deepEqual(letters.map((l) => `${l.class} ${l.original.coordinates}`).sort(), [`INVALID_INPUT ${s.topic}[0]@1`, `REPROCESS ${s.topic}[0]@0`]);
  assert.equal(s.simulator.stats().faults['server-error'], 2, 'the injected model fault fired on both attempts');
  await bridge.stop('SIGKILL');
  s.simulator.configure({ faults: [], faultRate: 0 });

  const dry = await runKta(['reprocess', '--topic', dlq, '--dry-run'], s.env);
  assert.equal(dry.code, 0, dry.stderr);
  assert.doesNotMatch(dry.stderr, /SyntaxError|    at /);
  assert.match(dry.stdout, new RegExp(`^skip ${dlq.replace(/\./g, '\\.')}\\[0\\]@\\d+ \\(${s.topic}\\[0\\]@1\\): its value is still not a valid record \\(the value is not JSON`, 'm'));
  assert.deepEqual(summaryOf(dry.stdout), { dryRun: true, deadLetters: 2, alreadyRedriven: 0, skipped: 1, wouldStart: 1 });
  const predicted = idsAfter('would start', dry.stdout);
  assert.deepEqual(predicted, [`${s.topic}-0-0#retry-1`]);

  const real = await runKta(['reprocess', '--topic', dlq], s.env);
  assert.equal(real.code, 0, real.stderr);
  assert.deepEqual(idsAfter('started', real.stdout), predicted, 'the dry run predicted exactly what the real run started');
  assert.deepEqual(summaryOf(real.stdout), { dryRun: false, deadLetters: 2, alreadyRedriven: 0, skipped: 1, started: 1 });
  await waitFor(() => s.runs(), (r) => r.some((x) => x.workflowId === predicted[0] && x.status.name === 'COMPLETED'), { timeoutMs: 90_000, message: `${predicted[0]} completes (logs in ${s.logDir})` });
  const callsAfterRecovery = s.simulator.stats().calls;

  const again = await runKta(['reprocess', '--topic', dlq], s.env);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(idsAfter('started', again.stdout), [], 'a second real run starts nothing');
  assert.match(again.stdout, new RegExp(`^already re-driven ${predicted[0]} from dead letter`, 'm'));
  assert.deepEqual(summaryOf(again.stdout), { dryRun: false, deadLetters: 2, alreadyRedriven: 1, skipped: 1, started: 0 });
  const dryAgain = await runKta(['reprocess', '--topic', dlq, '--dry-run'], s.env);
  assert.deepEqual(summaryOf(dryAgain.stdout), { dryRun: true, deadLetters: 2, alreadyRedriven: 1, skipped: 1, wouldStart: 0 }, 'and a dry run now predicts nothing');

  const runs = await s.runs();
  assert.deepEqual(runs.map((r) => r.workflowId).sort(), [`${s.topic}-0-0`, predicted[0]]);
  assert.equal(s.simulator.stats().calls, callsAfterRecovery, 'the model was not called again');
});

test('a re-drive ID follows from the letter alone: the next retry of the run that failed, the same for two copies, none past --max-retries', () => {
  const route = routeSchema.parse({ topic: 'reviews', workflowType: 'tagReview', taskQueue: 'q' });
  const review = Buffer.from(JSON.stringify({ reviewId: 'r1', text: 'fine' })).toString('base64');
  const letter = (offset: string, workflowId?: string): KafkaRecord => ({
    topic: 'reviews.dlq', partition: 0, offset, key: null, timestamp: '0',
    value: Buffer.from(JSON.stringify({ class: 'REPROCESS', reason: 'x', workflowId, original: { topic: 'reviews', partition: 2, offset: '7', key: null, value: review, timestamp: '0' } })),
  });
  const idOf = (r: KafkaRecord, maxRetries = 10) => {
    const plan = planRedrive(r, 'reviews.dlq', [route], { maxRetries });
    return plan?.kind === 'start' ? plan.workflowId : plan?.reason;
  };
  assert.equal(idOf(letter('0', 'reviews-2-7')), 'reviews-2-7#retry-1');
  assert.equal(idOf(letter('5', 'reviews-2-7')), 'reviews-2-7#retry-1', 'a second copy of the letter plans the same run');
  assert.equal(idOf(letter('1', 'reviews-2-7#retry-1')), 'reviews-2-7#retry-2', 'the re-driven run failed too: the next retry');
  assert.equal(idOf(letter('2')), 'reviews-2-7#retry-1', 'a bridge letter names no run: the first retry');
  assert.match(idOf(letter('3', 'reviews-2-7#retry-2'), 2)!, /comes from re-drive 2 of reviews-2-7, and --max-retries is 2/);
});
