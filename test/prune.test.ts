import assert from 'node:assert/strict';
import { agentTables } from '../agents/tables';
import { after, test } from 'node:test';
import kafkajs from 'kafkajs';
import { ensureSchema } from '../activities/sinks/schema';
import { ensureBridgeSchema } from '../bridge/bridge-schema';
import { MARGIN_MS, recordHorizon } from '../ops/prune';
import { runKta } from './helpers/kta-cli';
import { createScenario, type Scenario } from './helpers/scenario';

const { ConfigResourceTypes } = kafkajs;
const DAY_MS = 86_400_000;
const scenarios: Scenario[] = [];
after(async () => Promise.all(scenarios.map((s) => s.close())));

/** One row per table that prune may touch, each `daysOld` days old, all named by `tag`. */
async function seed(s: Scenario, tag: string, daysOld: number): Promise<void> {
  const age = `now() - make_interval(days => ${daysOld})`;
  const q = (sql: string, params: unknown[]) => s.pool.query(sql, params);
  await q(`INSERT INTO effects (idempotency_key, result, recorded_at) VALUES ($1, '{}', ${age})`, [`${tag}/effect`]);
  await q(`INSERT INTO claim_checks (topic, partition, "offset", record_hash, value, created_at) VALUES ($1, 0, $2, 'h', '\\x00', ${age})`, [s.topic, daysOld]);
  await q(`INSERT INTO dead_letters (class, reason_code, reason, topic, partition, "offset", workflow_id, dlq_topic, created_at) VALUES ('INVALID_INPUT', 'EMPTY', 'test', $1, 0, $2, $3, 'dlq', ${age})`, [s.topic, daysOld, `${tag}/dl`]);
  await q(`INSERT INTO skipped_records (topic, partition, "offset", route, reason, owner_workflow_id, created_at) VALUES ($1, 0, $2, 'r', 'BUSINESS_DUPLICATE', $3, ${age})`, [s.topic, daysOld, `${tag}/skip`]);
  await q(`INSERT INTO outbox (idempotency_key, topic, value, created_at, sent_at) VALUES ($1, 'out', 'v', ${age}, ${age})`, [`${tag}/sent`]);
  await q(`INSERT INTO outbox (idempotency_key, topic, value, created_at) VALUES ($1, 'out', 'v', ${age})`, [`${tag}/unsent`]);
  await q(`INSERT INTO llm_calls (route_topic, workflow_id, run_id, workflow_type, activity_id, activity_attempt, ask, task, provider, model, prompt_tokens, completion_tokens, cost_usd, latency_ms, limiter_wait_ms, outcome, prompt_hash, at)
           VALUES ($1, $2, 'r', 'w', '1', 1, 1, 'review_tags', 'openai', 'm', 1, 1, 0, 1, 0, 'ok', 'h', ${age})`, [s.topic, `${tag}/call`]);
  await q(`INSERT INTO business_keys (route, business_key, workflow_id, first_seen, expires_at) VALUES ('r', $1, 'w', ${age}, ${age} + interval '7 days')`, [`${tag}/bk`]);
}

/** Which of the seeded rows of `tag` still exist. */
async function present(s: Scenario, tag: string): Promise<string[]> {
  const checks: [string, string, unknown[]][] = [
    ['effects', 'SELECT 1 FROM effects WHERE idempotency_key = $1', [`${tag}/effect`]],
    ['dead_letters', 'SELECT 1 FROM dead_letters WHERE workflow_id = $1', [`${tag}/dl`]],
    ['skipped_records', 'SELECT 1 FROM skipped_records WHERE owner_workflow_id = $1', [`${tag}/skip`]],
    ['outbox sent', 'SELECT 1 FROM outbox WHERE idempotency_key = $1', [`${tag}/sent`]],
    ['outbox unsent', 'SELECT 1 FROM outbox WHERE idempotency_key = $1', [`${tag}/unsent`]],
    ['llm_calls', 'SELECT 1 FROM llm_calls WHERE workflow_id = $1', [`${tag}/call`]],
    ['business_keys', 'SELECT 1 FROM business_keys WHERE business_key = $1', [`${tag}/bk`]],
  ];
  const found: string[] = [];
  for (const [name, sql, params] of checks) if ((await s.pool.query(sql, params)).rowCount) found.push(name);
  return found;
}

const claimCheckAges = async (s: Scenario) =>
  (await s.pool.query<{ offset: string }>('SELECT "offset" FROM claim_checks WHERE topic = $1 ORDER BY "offset"', [s.topic])).rows.map((r) => Number(r.offset));

const ALL = ['effects', 'dead_letters', 'skipped_records', 'outbox sent', 'outbox unsent', 'llm_calls', 'business_keys'];

test('prune deletes bookkeeping older than the horizon the deployment implies, keeps younger rows and what must never go, and --dry-run deletes nothing', { timeout: 120_000 }, async () => {
  const s = await createScenario('prune');
  scenarios.push(s);
  await ensureSchema(s.pool, agentTables());
  await ensureBridgeSchema(s.pool);
  // Namespace retention 7 d (the stack's) and the topic's 7 d (the broker default): H = 8 d.
  await seed(s, `${s.topic}-old`, 9);
  await seed(s, `${s.topic}-young`, 6);
  await seed(s, `${s.topic}-ancient`, 120);

  const dry = await runKta(['prune', '--dry-run', '--json', '--usage-days', '100'], s.env);
  assert.equal(dry.code, 0, dry.stderr);
  const report = JSON.parse(dry.stdout) as { dryRun: boolean; horizon: { recordHorizonMs: number }; results: { table: string; rows: number; kept?: string }[] };
  assert.equal(report.dryRun, true);
  assert.equal(report.horizon.recordHorizonMs, 7 * DAY_MS + MARGIN_MS);
  const counted = (table: string) => report.results.find((r) => r.table === table)?.rows ?? -1;
  assert.ok(counted('effects') >= 2 && counted('claim_checks') >= 2 && counted('dead_letters') >= 2, JSON.stringify(report.results));
  assert.ok(counted('llm_calls') >= 1, 'the 120-day call is past --usage-days 100');
  assert.deepEqual(await present(s, `${s.topic}-old`), ALL, '--dry-run deleted nothing');

  const run = await runKta(['prune', '--usage-days', '100'], s.env);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^H = 8\.0 d: the longest of namespace retention 7\.0 d and topic retention \(.*\), plus 1 d$/m);
  assert.match(run.stdout, /^effects +deleted \d+/m);
  // 9 days old, past H = 8 d: gone, but the unsent outbox row stays, and a 9-day call is within 100 days.
  // Its business key expired 2 days ago and went too; the 6-day-old one is still within its horizon.
  assert.deepEqual(await present(s, `${s.topic}-old`), ['outbox unsent', 'llm_calls']);
  assert.deepEqual(await present(s, `${s.topic}-young`), ALL, 'rows younger than H are kept');
  assert.deepEqual(await present(s, `${s.topic}-ancient`), ['outbox unsent']);
  assert.deepEqual(await claimCheckAges(s), [6], 'claim checks older than H are gone');
});

test('a route topic that keeps records forever keeps every record-bound table; expired business keys still go', { timeout: 120_000 }, async () => {
  const s = await createScenario('prune-forever');
  scenarios.push(s);
  await ensureSchema(s.pool, agentTables());
  await ensureBridgeSchema(s.pool);
  await s.kafka.admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: s.topic, configEntries: [{ name: 'retention.ms', value: '-1' }] }] });
  await seed(s, `${s.topic}-old`, 30);

  const run = await runKta(['prune', '--json'], s.env);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout) as { horizon: { recordHorizonMs: unknown }; results: { table: string; kept?: string }[] };
  assert.equal(report.horizon.recordHorizonMs, 'infinite');
  for (const table of ['claim_checks', 'effects', 'outbox', 'dead_letters', 'skipped_records']) {
    assert.equal(report.results.find((r) => r.table === table)?.kept, 'a route topic keeps records forever', table);
  }
  // The 30-day-old call is within the default 90 days of usage; the business key expired 23 days ago.
  assert.deepEqual(await present(s, `${s.topic}-old`), ['effects', 'dead_letters', 'skipped_records', 'outbox sent', 'outbox unsent', 'llm_calls']);
});

test('the record horizon is the longest retention plus a day, infinite when a topic keeps records forever', () => {
  assert.equal(recordHorizon(7 * DAY_MS, [{ topic: 'a', retentionMs: 3 * DAY_MS }]).recordHorizonMs, 8 * DAY_MS);
  assert.equal(recordHorizon(7 * DAY_MS, [{ topic: 'a', retentionMs: 3 * DAY_MS }, { topic: 'b', retentionMs: 30 * DAY_MS }]).recordHorizonMs, 31 * DAY_MS);
  assert.equal(recordHorizon(7 * DAY_MS, []).recordHorizonMs, 8 * DAY_MS);
  assert.equal(recordHorizon(7 * DAY_MS, [{ topic: 'a', retentionMs: 'infinite' }]).recordHorizonMs, 'infinite');
});
