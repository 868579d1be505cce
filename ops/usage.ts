// Usage (`kta usage`): lineage and cost of model calls from the llm_calls ledger the workers write
// (activities/llm/usage-ledger.ts), summed per route, run, step or model over a time window.
import type { Config } from '../config';
import { isUndefinedTable } from '../lib/pg-errors';
import type { Pool } from 'pg';
import { createPool, stderrPoolLog } from '../lib/pg-pool';

export const USAGE_GROUPINGS = ['route', 'run', 'step', 'model'] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

export interface UsageRow {
  readonly key: string;
  readonly calls: number;
  readonly ok: number;
  readonly invalid: number;
  readonly failed: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly costUsd: number;
  readonly avgLatencyMs: number;
  readonly lastAt: string;
}

export interface UsageQuery {
  readonly by: UsageGrouping;
  /** A PostgreSQL interval, e.g. `24 hours`. */
  readonly since: string;
  readonly workflowId?: string;
  readonly topic?: string;
  readonly limit: number;
}

const KEY_SQL: Record<UsageGrouping, string> = {
  route: `COALESCE(route_topic, '(no route)') || ' -> ' || workflow_type`,
  run: 'workflow_id',
  step: `workflow_id || ' ' || activity_id || ' ' || task || ' ask ' || ask`,
  model: `provider || ':' || model`,
};

/** `30m`, `24h`, `7d` (or a PostgreSQL interval as is). */
export function sinceInterval(text: string): string {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!m) return text;
  return `${m[1]} ${{ s: 'seconds', m: 'minutes', h: 'hours', d: 'days' }[m[2] as 's' | 'm' | 'h' | 'd']}`;
}

export async function readUsage(pool: Pool, q: UsageQuery): Promise<UsageRow[]> {
  const filters = ['at > now() - $1::interval'];
  const params: unknown[] = [q.since];
  if (q.workflowId) filters.push(`workflow_id = $${params.push(q.workflowId)}`);
  if (q.topic) filters.push(`route_topic = $${params.push(q.topic)}`);
  const { rows } = await pool.query<Record<string, string>>(
    `SELECT ${KEY_SQL[q.by]} AS key, count(*) AS calls,
            count(*) FILTER (WHERE outcome = 'ok') AS ok,
            count(*) FILTER (WHERE outcome LIKE 'invalid-%') AS invalid,
            count(*) FILTER (WHERE outcome = 'failed') AS failed,
            sum(prompt_tokens) AS prompt_tokens, sum(completion_tokens) AS completion_tokens,
            sum(cost_usd) AS cost_usd, avg(latency_ms) AS avg_latency_ms, max(at) AS last_at
       FROM llm_calls WHERE ${filters.join(' AND ')}
      GROUP BY 1 ORDER BY sum(cost_usd) DESC, sum(prompt_tokens + completion_tokens) DESC, 1
      LIMIT $${params.push(q.limit)}`,
    params,
  );
  return rows.map((r) => ({
    key: r.key,
    calls: Number(r.calls),
    ok: Number(r.ok),
    invalid: Number(r.invalid),
    failed: Number(r.failed),
    promptTokens: Number(r.prompt_tokens),
    completionTokens: Number(r.completion_tokens),
    costUsd: Number(r.cost_usd),
    avgLatencyMs: Math.round(Number(r.avg_latency_ms)),
    lastAt: new Date(r.last_at).toISOString(),
  }));
}

export interface UsageReport {
  readonly by: UsageGrouping;
  /** The window as the PostgreSQL interval queried. */
  readonly since: string;
  readonly rows: UsageRow[];
}

/** The usage rows of `q`; none when no worker has created the ledger yet. */
export async function runUsage(config: Config, q: UsageQuery): Promise<UsageReport> {
  const pool = createPool(config.databaseUrl, stderrPoolLog, { name: 'usage', max: 1 });
  try {
    const rows = await readUsage(pool, q).catch((err: Error & { code?: string }) => {
      if (isUndefinedTable(err)) return [];
      throw new Error(`reading llm_calls from DATABASE_URL failed: ${err.message}; check DATABASE_URL and that a worker has started once (it creates the table)`);
    });
    return { by: q.by, since: q.since, rows };
  } finally {
    await pool.end();
  }
}
