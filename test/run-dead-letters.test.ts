import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createScenario, type Scenario } from './helpers/scenario';
import { readDeadLetters } from './helpers/dead-letters';
import { waitFor } from './helpers/wait-for';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

function kta(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

test('a run that hallucinates tool arguments ends as a HUMAN_REVIEW dead letter with its coordinates', { timeout: 180_000 }, async () => {
  const s = await createScenario('dl-human', { workflowSettings: { modelOutput: 'tool' } });
  scenarios.push(s);
  s.simulator.configure({ faults: ['bad-tool-args'], faultRate: 1, faultLimit: 0 });
  await s.produceReviews(1);
  s.startWorker();
  await s.startBridge();
  const [dl] = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 1);
  assert.equal(dl.class, 'HUMAN_REVIEW');
  assert.equal(dl.reasonCode, 'NeedsReview');
  assert.equal(dl.original.coordinates, `${s.topic}[0]@0`);
  assert.equal(dl.workflowId, `${s.topic}-0-0`);
  const audit = await s.pool.query<{ class: string }>('SELECT class FROM dead_letters WHERE topic = $1', [s.topic]);
  assert.deepEqual(audit.rows.map((r) => r.class), ['HUMAN_REVIEW']);
});

test('a run that fails transiently for good is a REPROCESS dead letter, and kta reprocess re-drives it to success as #retry-1', { timeout: 240_000 }, async () => {
  const s = await createScenario('dl-reprocess', { workflowSettings: { transientRetryAttempts: 2 } });
  scenarios.push(s);
  s.simulator.configure({ faults: ['server-error'], faultRate: 1, faultLimit: 0 });
  const [review] = await s.produceReviews(1);
  s.startWorker();
  await s.startBridge();
  const [dl] = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 1);
  assert.equal(dl.class, 'REPROCESS');
  assert.equal(s.simulator.stats().faults['server-error'], 2, 'the model failed on both attempts');
  const [failed] = await waitFor(() => s.runs(), (r) => r.length === 1 && r[0].status.name === 'FAILED', { message: 'the first run failed' });

  s.simulator.configure({ faults: [], faultRate: 0 });
  const result = await kta(['reprocess', '--topic', `${s.topic}.dlq`, '--class', 'REPROCESS'], s.env);
  assert.equal(result.code, 0, result.out);
  assert.match(result.out, /"started":1/);
  const runs = await waitFor(() => s.runs(), (r) => r.some((x) => x.workflowId.endsWith('#retry-1') && x.status.name === 'COMPLETED'), { timeoutMs: 90_000, message: 'the re-driven run completes' });
  assert.equal(runs.length, 2);
  assert.equal(failed.workflowId, `${s.topic}-0-0`);
  assert.deepEqual((await s.indexRows()).map((r) => r.review_id), [review.reviewId]);

  const again = await kta(['reprocess', '--topic', `${s.topic}.dlq`, '--class', 'REPROCESS', '--max-retries', '1'], s.env);
  assert.match(again.out, /"started":0/, 'a second reprocess with one retry allowed starts nothing: #retry-1 is taken');
});

test('when the triage model times out, a failed run still becomes a HUMAN_REVIEW dead letter', { timeout: 240_000 }, async () => {
  const s = await createScenario('dl-triage', { workflowSettings: { transientRetryAttempts: 2, triageTimeoutMs: 3_000 } });
  scenarios.push(s);
  // Every call hangs: the run's two asks time out (transient), then so does the triage call.
  s.simulator.configure({ faults: ['timeout'], faultRate: 1, faultLimit: 0 });
  await s.produceReviews(1);
  s.startWorker({ LLM_REQUEST_TIMEOUT_MS: '1000' });
  await s.startBridge();
  const [dl] = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 1);
  assert.equal(dl.class, 'HUMAN_REVIEW', 'the fallback class');
  assert.match(dl.reasonCode, /triage failed/);
  const triageCalls = s.simulator.requests().filter((r) => r.schemaName === 'dead_letter_triage');
  assert.equal(triageCalls.length, 1, 'the triage model was asked once');
  assert.equal(triageCalls[0].fault, 'timeout', 'and it timed out');
  assert.equal(s.simulator.stats().faults.timeout, 3, 'two asks and the triage timed out');
});
