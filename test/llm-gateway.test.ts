import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AGENT_STATUS } from '../workflows/search-attributes';
import { activityWorkerIdentities, scheduledActivities } from './helpers/history';
import { createScenario, type Scenario } from './helpers/scenario';
import { uniqueName } from './helpers/unique';
import { waitFor } from './helpers/wait-for';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

async function scenario(name: string, opts: Parameters<typeof createScenario>[1] = {}) {
  const s = await createScenario(name, opts);
  scenarios.push(s);
  // A model name of its own keeps this test's limiter and Retry-After state apart from the others'.
  s.env.LLM_MODEL = uniqueName('sim-model');
  return s;
}

const callModelCount = async (s: Scenario, workflowId: string) =>
  (await scheduledActivities(await s.client(), workflowId)).filter((a) => a.activityType === 'callModel').length;

test('the environment alone moves the review tagger between the OpenAI-compatible and the Anthropic wire formats', { timeout: 240_000 }, async () => {
  for (const wire of ['openai', 'anthropic'] as const) {
    const s = await scenario(`wire-${wire}`);
    await s.produceReviews(2);
    s.startWorker(wire === 'anthropic' ? { LLM_PROVIDER: 'anthropic', LLM_BASE_URL: s.simulator.url, LLM_API_KEY: 'simulator' } : {});
    await s.startBridge();
    await s.waitForCompletedRuns(2);
    const requests = s.simulator.requests();
    assert.equal(requests.length, 2);
    assert.ok(requests.every((r) => r.wireFormat === wire), `every call used the ${wire} wire format`);
    assert.ok(requests.every((r) => r.model === s.env.LLM_MODEL), 'the configured model name reached the provider');
    const rows = await s.indexRows();
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.tags.length >= 1), `tags came back through ${wire}`);
  }
});

test('a transient server error is retried by Temporal and the run succeeds', { timeout: 180_000 }, async () => {
  const s = await scenario('transient');
  s.simulator.configure({ faults: ['server-error'], faultRate: 1, faultLimit: 2 });
  await s.produceReviews(1);
  s.startWorker();
  await s.startBridge();
  const [run] = await s.waitForCompletedRuns(1);
  const stats = s.simulator.stats();
  assert.equal(stats.faults['server-error'], 2, 'the fault fired twice');
  assert.equal(stats.calls, 3, 'two failed calls and one answered');
  assert.equal(await callModelCount(s, run.workflowId), 1, 'transient retries are one activity (Temporal retried it)');
  assert.equal((await s.indexRows()).length, 1);
});

test('a 429 with Retry-After 2 s holds back every call to that model for those 2 s', { timeout: 180_000 }, async () => {
  const RETRY_AFTER_MS = 2_000;
  // Stated tolerance: the pause exists only once the worker that got the 429 has recorded it; calls
  // reserved before that (already on their way) may land up to this long after the 429 was answered.
  const TOLERANCE_MS = 400;
  const s = await scenario('ratelimit', { simulatorLatencyMs: 50 });
  s.simulator.configure({ faults: ['rate-limit'], faultRate: 1, faultLimit: 1, retryAfterS: 2 });
  await s.produceReviews(6);
  s.startWorker();
  await s.startBridge();
  await s.waitForCompletedRuns(6);
  const requests = s.simulator.requests();
  const limited = requests.filter((r) => r.status === 429);
  assert.equal(limited.length, 1, 'the simulator served one 429');
  const at = limited[0].answeredAtMs!;
  const inside = requests.filter((r) => r.receivedAtMs > at + TOLERANCE_MS && r.receivedAtMs < at + RETRY_AFTER_MS);
  assert.deepEqual(inside.map((r) => r.receivedAtMs - at), [], 'no call reached the model inside the Retry-After window');
  assert.ok(requests.some((r) => r.receivedAtMs >= at + RETRY_AFTER_MS), 'calls resumed after the window');
  assert.equal(requests.filter((r) => r.status === 200).length, 6);
});

test('malformed output is re-asked as a new recorded activity, at most maxModelAttempts times', { timeout: 180_000 }, async () => {
  const s = await scenario('malformed', { workflowSettings: { maxModelAttempts: 3 } });
  s.simulator.configure({ faults: ['malformed-json'], faultRate: 1, faultLimit: 1 });
  await s.produceReviews(1);
  s.startWorker();
  await s.startBridge();
  const [healed] = await s.waitForCompletedRuns(1);
  assert.equal(s.simulator.stats().faults['malformed-json'], 1);
  assert.equal(await callModelCount(s, healed.workflowId), 2, 'one invalid answer, one re-ask, each an activity in history');
  const asks = (await scheduledActivities(await s.client(), healed.workflowId)).filter((a) => a.activityType === 'callModel');
  assert.deepEqual(asks.map((a) => (a.input as { attempt: number }).attempt), [1, 2]);
  assert.match(JSON.stringify((asks[1].input as { messages: unknown[] }).messages), /did not match the required schema/, 'the re-ask told the model what was wrong');

  s.simulator.configure({ faults: ['wrong-fields'], faultRate: 1, faultLimit: 0 });
  await s.produceReviews(1, { startAt: 1 });
  const failed = await waitFor(() => s.runs(), (runs) => runs.some((r) => r.status.name === 'FAILED'), { timeoutMs: 90_000, message: 'the always-invalid run fails' });
  const run = failed.find((r) => r.status.name === 'FAILED')!;
  assert.equal(await callModelCount(s, run.workflowId), 3, 'exactly maxModelAttempts asks');
  const desc = await (await s.client()).workflow.getHandle(run.workflowId).describe();
  assert.equal(desc.typedSearchAttributes.get(AGENT_STATUS), 'Failed');
});

test('hallucinated tool arguments stop the run as NeedsReview after exactly one call', { timeout: 180_000 }, async () => {
  const s = await scenario('toolargs', { workflowSettings: { modelOutput: 'tool' } });
  s.simulator.configure({ faults: ['bad-tool-args'], faultRate: 1, faultLimit: 0 });
  await s.produceReviews(1);
  s.startWorker();
  await s.startBridge();
  const runs = await waitFor(() => s.runs(), (r) => r.length === 1 && r[0].status.name === 'FAILED', { timeoutMs: 90_000, message: 'the run stops' });
  const desc = await (await s.client()).workflow.getHandle(runs[0].workflowId).describe();
  assert.equal(desc.typedSearchAttributes.get(AGENT_STATUS), 'NeedsReview');
  assert.equal(s.simulator.stats().calls, 1, 'exactly one model call');
  assert.equal(s.simulator.stats().faults['bad-tool-args'], 1);
  assert.equal(await callModelCount(s, runs[0].workflowId), 1);
});

test('two workers share one token window: no sliding window holds more than L tokens and every record finishes', { timeout: 300_000 }, async () => {
  const L = 1_500;
  const WINDOW_MS = 5_000;
  const s = await scenario('tokens', { simulatorLatencyMs: 30, workflowSettings: { modelTimeoutMs: 120_000 } });
  const limits = { LLM_TOKENS_PER_WINDOW: String(L), LLM_WINDOW_MS: String(WINDOW_MS), LLM_MAX_OUTPUT_TOKENS: '80' };
  // Prompts of about 300 tokens each: 25 of them are five windows' worth.
  const RECORDS = 25;
  const filler = 'The hinge creaks, the battery drains overnight and the manual is unreadable. '.repeat(14);
  await s.kafka.produce(s.topic, Array.from({ length: RECORDS }, (_, i) => ({ key: `k${i}`, value: JSON.stringify({ reviewId: `${s.topic}-r${i}`, text: `${i}: ${filler}` }) })));
  s.startWorker(limits);
  s.startWorker(limits);
  await s.startBridge();
  const runs = await s.waitForCompletedRuns(RECORDS, 240_000);
  const requests = s.simulator.requests().filter((r) => r.status === 200);
  assert.equal(requests.length, RECORDS);
  const tokens = (r: (typeof requests)[number]) => r.usage!.promptTokens + r.usage!.completionTokens;
  const total = requests.reduce((sum, r) => sum + tokens(r), 0);
  assert.ok(total >= 4 * L, `the burst needed several windows (${total} tokens for L=${L})`);
  let worst = 0;
  for (const first of requests) {
    const inWindow = requests.filter((r) => r.receivedAtMs >= first.receivedAtMs && r.receivedAtMs < first.receivedAtMs + WINDOW_MS);
    worst = Math.max(worst, inWindow.reduce((sum, r) => sum + tokens(r), 0));
  }
  assert.ok(worst <= L, `the busiest ${WINDOW_MS} ms window held ${worst} tokens; the limit is ${L}`);
  const identities = new Set<string>();
  for (const run of runs) for (const id of await activityWorkerIdentities(await s.client(), run.workflowId)) identities.add(id);
  assert.ok(identities.size >= 2, `both worker processes made calls (${[...identities].join(', ')})`);
});
