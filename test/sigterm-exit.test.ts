// A SIGTERM ends `kta worker` and `kta bridge` cleanly, with exit code 0, whatever they were doing:
// a worker that opened a dead-letter producer closes it, a bridge still starting closes what it opened.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { freePort } from '../dev/stack/ports';
import { readDeadLetters } from './helpers/dead-letters';
import { createScenario, type Scenario } from './helpers/scenario';
import { waitFor } from './helpers/wait-for';

const EXIT_WAIT_MS = 25_000;
const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

/** Sends SIGTERM and waits a bounded time for the exit (service-process's own stop would SIGKILL at 30 s). */
async function terminate(proc: ReturnType<Scenario['startWorker']>, what: string) {
  proc.child.kill('SIGTERM');
  await waitFor(() => proc.isAlive(), (alive) => !alive, { timeoutMs: EXIT_WAIT_MS, intervalMs: 100, message: `${what} exits after SIGTERM (log ${proc.logFile})` });
  return proc.exited;
}

test('a worker that published a run dead letter exits with code 0 on SIGTERM', { timeout: 180_000 }, async () => {
  const s = await createScenario('sigterm-worker', { workflowSettings: { modelOutput: 'tool' } });
  scenarios.push(s);
  s.simulator.configure({ faults: ['bad-tool-args'], faultRate: 1, faultLimit: 0 });
  await s.produceReviews(1);
  const worker = s.startWorker();
  await s.startBridge();
  const [dl] = await readDeadLetters(s.stack.kafka.brokers, `${s.topic}.dlq`, 1);
  assert.equal(dl.class, 'HUMAN_REVIEW', 'the run ended as a dead letter, so the worker opened its dead-letter producer');
  assert.ok(s.simulator.stats().faults['bad-tool-args'] >= 1, 'the simulator answered with invalid tool arguments');

  const exit = await terminate(worker, 'the worker');
  assert.deepEqual(exit, { code: 0, signal: null }, worker.log());
  assert.match(worker.log(), /"msg":"worker stopped"/);
});

test('a bridge stopped by SIGTERM while it waits for Temporal exits with code 0 and one line saying so', { timeout: 90_000 }, async () => {
  const closedPort = await freePort();
  const s = await createScenario('sigterm-bridge', { temporalAddress: `127.0.0.1:${closedPort}` });
  scenarios.push(s);
  const bridge = await s.startBridge();
  await waitFor(() => bridge.log(), (log) => log.includes('Temporal not reachable yet; retrying'), {
    timeoutMs: 40_000,
    message: `the bridge retries Temporal at the closed port ${closedPort} (log ${bridge.logFile})`,
  });

  const exit = await terminate(bridge, 'the starting bridge');
  assert.deepEqual(exit, { code: 0, signal: null }, bridge.log());
  const lines = bridge.log().trim().split('\n');
  assert.match(lines.at(-1)!, /"signal":"SIGTERM".*"msg":"stopping during start-up: closing what was opened"/);
  assert.doesNotMatch(bridge.log(), /^\s+at /m, 'no stack trace');
});
