import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { routeTopicOf } from '../activities/llm/usage-ledger';
import type { UsageRow } from '../ops/usage';
import { runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';

const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

/** The usage of every callModel that completed in a run, as its history recorded it. */
async function recordedUsage(client: Client, workflowId: string): Promise<{ promptTokens: number; completionTokens: number }[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const converter = client.options.loadedDataConverter.payloadConverter;
  const callModel = new Set((history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'callModel').map((e) => String(e.eventId)));
  return (history.events ?? []).flatMap((e) => {
    const done = e.activityTaskCompletedEventAttributes;
    if (!done || !callModel.has(String(done.scheduledEventId))) return [];
    return [(converter.fromPayload(done.result!.payloads![0]) as { usage: { promptTokens: number; completionTokens: number } }).usage];
  });
}

const usage = async (s: Scenario, args: string[]) => {
  const r = await runKta(['usage', '--json', '--topic', s.topic, ...args], s.env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { by: string; since: string; rows: UsageRow[] };
};

test('every model call is in the usage ledger with its run and step; tokens match history, an invalid answer is counted too, and cost follows the prices', { timeout: 240_000 }, async () => {
  const RECORDS = 3;
  const PRICES = { input: 3, output: 15 }; // USD per million tokens
  const s = await createScenario('usage', { workflowSettings: { maxModelAttempts: 3 } });
  scenarios.push(s);
  s.env.LLM_PRICE_INPUT_PER_MTOK = String(PRICES.input);
  s.env.LLM_PRICE_OUTPUT_PER_MTOK = String(PRICES.output);
  // The first answer is malformed: its run re-asks once, so RECORDS + 1 calls in all.
  s.simulator.configure({ faults: ['malformed-json'], faultRate: 1, faultLimit: 1 });
  await s.produceReviews(RECORDS);
  s.startWorker();
  await s.startBridge();
  const runs = await s.waitForCompletedRuns(RECORDS);
  assert.equal(s.simulator.stats().calls, RECORDS + 1);

  const { rows } = await s.pool.query<{ workflow_id: string; route_topic: string; workflow_type: string; activity_id: string; ask: number; outcome: string; prompt_tokens: number; completion_tokens: number; cost_usd: string }>(
    'SELECT workflow_id, route_topic, workflow_type, activity_id, ask, outcome, prompt_tokens, completion_tokens, cost_usd FROM llm_calls WHERE route_topic = $1 ORDER BY id',
    [s.topic],
  );
  assert.equal(rows.length, RECORDS + 1, 'one ledger row per call the simulator received');
  assert.deepEqual(rows.map((r) => r.outcome).sort(), [...Array<string>(RECORDS).fill('ok'), 'invalid-output'].sort());
  const invalid = rows.find((r) => r.outcome === 'invalid-output')!;
  assert.ok(invalid.prompt_tokens > 0, 'the invalid answer was paid for and is counted');
  assert.equal(rows.filter((r) => r.workflow_id === invalid.workflow_id).map((r) => r.ask).join(','), '1,2', 'its run asked twice');

  const client = await s.client();
  for (const run of runs) {
    const ok = rows.filter((r) => r.workflow_id === run.workflowId && r.outcome === 'ok');
    assert.equal(ok.length, 1, `${run.workflowId}: one successful call`);
    assert.equal(ok[0].workflow_type, 'tagReview');
    assert.deepEqual(await recordedUsage(client, run.workflowId), [{ promptTokens: ok[0].prompt_tokens, completionTokens: ok[0].completion_tokens }], `${run.workflowId}: ledger tokens = history's`);
  }
  for (const r of rows) {
    const expected = (r.prompt_tokens * PRICES.input + r.completion_tokens * PRICES.output) / 1e6;
    assert.ok(Math.abs(Number(r.cost_usd) - expected) < 1e-8, `cost ${r.cost_usd} = ${expected}`);
  }

  const promptTotal = rows.reduce((t, r) => t + r.prompt_tokens, 0);
  const costTotal = rows.reduce((t, r) => t + Number(r.cost_usd), 0);
  const byRoute = await usage(s, ['--by', 'route']);
  assert.equal(byRoute.rows.length, 1);
  assert.equal(byRoute.rows[0].key, `${s.topic} -> tagReview`);
  assert.deepEqual([byRoute.rows[0].calls, byRoute.rows[0].ok, byRoute.rows[0].invalid, byRoute.rows[0].failed], [RECORDS + 1, RECORDS, 1, 0]);
  assert.equal(byRoute.rows[0].promptTokens, promptTotal);
  assert.ok(Math.abs(byRoute.rows[0].costUsd - costTotal) < 1e-6);

  const byRun = await usage(s, ['--by', 'run']);
  assert.deepEqual(byRun.rows.map((r) => r.key).sort(), runs.map((r) => r.workflowId).sort());
  assert.equal(byRun.rows.find((r) => r.key === invalid.workflow_id)?.calls, 2);

  const steps = await usage(s, ['--by', 'step', '--workflow-id', invalid.workflow_id]);
  assert.equal(steps.rows.length, 2, 'two steps (asks) of that run');
  assert.ok(steps.rows.every((r) => r.key.startsWith(`${invalid.workflow_id} `) && r.key.includes('review_tags')), JSON.stringify(steps.rows));

  const text = await runKta(['usage', '--topic', s.topic], s.env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`total: ${RECORDS + 1} calls, \\d+ tokens, ${costTotal.toFixed(6)} USD in the last 24 hours`));
  const none = await runKta(['usage', '--topic', `${s.topic}-nothing`], s.env);
  assert.match(none.stdout, /^no model calls in the last 24 hours on /);
  const bad = await runKta(['usage', '--by', 'colour'], s.env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /--by colour: give one of route, run, step, model/);
});

test('a run ID gives its route topic: records, re-driven runs, fan-out prefixes and per-key entities', () => {
  assert.equal(routeTopicOf('reviews-0-12'), 'reviews');
  assert.equal(routeTopicOf('my.topic-with-dashes-3-7#retry-2'), 'my.topic-with-dashes');
  assert.equal(routeTopicOf('triage:reviews-1-9'), 'reviews');
  assert.equal(routeTopicOf('chats#key=a:b-1-2'), 'chats');
  assert.equal(routeTopicOf('agent:chats#key=user:42'), 'chats');
  assert.equal(routeTopicOf('adhoc-run'), null);
});
