import assert from 'node:assert/strict';
import { after, test } from 'node:test';
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
