// Pruning (`kta prune`): deletes the project's bookkeeping rows that can no longer matter, by horizons derived
// from the deployment itself, so the tables stop growing without weakening an invariant. Run it from
// cron (daily is plenty); `--dry-run` counts without deleting.
//
// The horizon H for everything tied to a record = the longest of the namespace retention (a run and
// its activities can still read a claim check or an effect while the run exists) and the retention of
// every route topic and its dead-letter topic (a record still in Kafka can be redelivered, reset to,
// reprocessed or audited, and its redelivery after the run was deleted must still find its effects),
// plus a day of margin. A topic that keeps records forever makes H infinite: those tables are kept.
//
// Never pruned: every agent's own tables (agents/<name>/tables.ts: their outputs, and a per-key
// entity's high-water mark, which must outlive everything), unsent outbox rows, and the booking
// simulator's tables (not ours).
import { temporalConnectionOptions } from '../lib/temporal-client';
import { Client, Connection } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions } from '../lib/kafka-client';
import type { Config } from '../config';
import { deadLetterTopicFor } from '../lib/dead-letter';
import { checkRetention, namespaceRetentionMs } from '../bridge/retention-check';
import type { Pool } from 'pg';
import { createPool, stderrPoolLog } from '../lib/pg-pool';

export const MARGIN_MS = 86_400_000;

export interface PruneTarget {
  readonly table: string;
  /** Why rows of this table may go, for the report. */
  readonly rule: string;
  /** A WHERE clause; $1 is the horizon in milliseconds (rows older than it) when `usesHorizon`. */
  readonly where: string;
  readonly horizon: 'record' | 'usage' | 'none';
}

export const PRUNE_TARGETS: readonly PruneTarget[] = [
  { table: 'business_keys', rule: 'past the route\'s businessKey.horizonHours', where: 'expires_at < now()', horizon: 'none' },
  { table: 'llm_pause', rule: 'Retry-After pauses that ended a day ago', where: `until < now() - interval '1 day'`, horizon: 'none' },
  { table: 'llm_waiting', rule: 'waiting marks that ended a day ago', where: `until < now() - interval '1 day'`, horizon: 'none' },
  { table: 'claim_checks', rule: 'older than H', where: 'created_at < now() - make_interval(secs => $1::float8 / 1000)', horizon: 'record' },
  { table: 'effects', rule: 'older than H', where: 'recorded_at < now() - make_interval(secs => $1::float8 / 1000)', horizon: 'record' },
  { table: 'outbox', rule: 'sent, and older than H', where: 'sent_at IS NOT NULL AND created_at < now() - make_interval(secs => $1::float8 / 1000)', horizon: 'record' },
  { table: 'dead_letters', rule: 'older than H (the audit trail of records Kafka no longer holds)', where: 'created_at < now() - make_interval(secs => $1::float8 / 1000)', horizon: 'record' },
  { table: 'skipped_records', rule: 'older than H', where: 'created_at < now() - make_interval(secs => $1::float8 / 1000)', horizon: 'record' },
  { table: 'llm_calls', rule: 'older than --usage-days (cost history)', where: 'at < now() - make_interval(secs => $1::float8 / 1000)', horizon: 'usage' },
];

export interface PruneHorizon {
  readonly namespaceRetentionMs: number;
  readonly topics: { readonly topic: string; readonly retentionMs: number | 'infinite' }[];
  /** Milliseconds, or 'infinite' when some topic keeps records forever. */
  readonly recordHorizonMs: number | 'infinite';
}

export function recordHorizon(namespaceMs: number, topics: PruneHorizon['topics']): PruneHorizon {
  const infinite = topics.some((t) => t.retentionMs === 'infinite');
  const longest = Math.max(namespaceMs, ...topics.map((t) => (t.retentionMs === 'infinite' ? 0 : t.retentionMs)));
  return { namespaceRetentionMs: namespaceMs, topics, recordHorizonMs: infinite ? 'infinite' : longest + MARGIN_MS };
}

export async function readHorizon(config: Config): Promise<PruneHorizon> {
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const kafka = new Kafka({ ...kafkaClientOptions(config.kafka, 'prune'), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const wanted = [...new Set(config.routes.flatMap((r) => [r.topic, deadLetterTopicFor(r.topic, r.deadLetterTopic)]))].filter((t) => existing.has(t));
    const nsMs = await namespaceRetentionMs(client, config.temporal.namespace);
    const findings = wanted.length ? await checkRetention(client, admin, config.temporal.namespace, wanted) : [];
    return recordHorizon(nsMs, findings.map((f) => ({ topic: f.topic, retentionMs: f.topicRetentionMs })));
  } finally {
    await admin.disconnect().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

export interface PruneResult {
  readonly table: string;
  readonly rule: string;
  readonly rows: number;
  /** Why nothing was looked at: the table does not exist yet, or its horizon is infinite. */
  readonly kept?: string;
}

export async function prune(pool: Pool, horizon: PruneHorizon, opts: { dryRun: boolean; usageDays: number }): Promise<PruneResult[]> {
  const results: PruneResult[] = [];
  for (const t of PRUNE_TARGETS) {
    const { rows: [exists] } = await pool.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [t.table]);
    if (!exists.present) {
      results.push({ table: t.table, rule: t.rule, rows: 0, kept: 'no such table yet' });
      continue;
    }
    const horizonMs = t.horizon === 'record' ? horizon.recordHorizonMs : t.horizon === 'usage' ? opts.usageDays * 86_400_000 : undefined;
    if (horizonMs === 'infinite') {
      results.push({ table: t.table, rule: t.rule, rows: 0, kept: 'a route topic keeps records forever' });
      continue;
    }
    const params = horizonMs === undefined ? [] : [horizonMs];
    const sql = opts.dryRun ? `SELECT count(*)::int AS n FROM ${t.table} WHERE ${t.where}` : `WITH gone AS (DELETE FROM ${t.table} WHERE ${t.where} RETURNING 1) SELECT count(*)::int AS n FROM gone`;
    const { rows: [counted] } = await pool.query<{ n: number }>(sql, params);
    results.push({ table: t.table, rule: t.rule, rows: counted.n });
  }
  return results;
}

export interface PruneOptions {
  /** Count what would go, delete nothing. */
  readonly dryRun: boolean;
  /** Days of llm_calls (cost history) to keep. */
  readonly usageDays: number;
}

export interface PruneReport {
  readonly dryRun: boolean;
  readonly horizon: PruneHorizon;
  readonly results: PruneResult[];
}

/** Reads the horizon from the deployment, then prunes (or, dry, counts) every target. */
export async function runPrune(config: Config, opts: PruneOptions): Promise<PruneReport> {
  const horizon = await readHorizon(config);
  const pool = createPool(config.databaseUrl, stderrPoolLog, { name: 'prune', max: 1 });
  try {
    return { dryRun: opts.dryRun, horizon, results: await prune(pool, horizon, opts) };
  } finally {
    await pool.end();
  }
}
